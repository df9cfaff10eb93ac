import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, DIGITS, LOWER, UPPER, chars, defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md): how a label reaches its value. The label as a quoted key (`"password"`,
// `'password'`, JSON-escaped `\"password\"`), the blanks that align a column of settings (`db_password      = …`,
// `password:      …`), `>` only as the end of an XML tag (`<password>…`), and the value of a name/value pair
// (`{"name":"DB_PASSWORD","value":"…"}`). Each case checks the exact masked text: only the value is replaced.

const scan = edgeScanners(['labeled-secret']);
const MASK = '[REDACTED:labeled-secret]';
const masked = (text: string) => scan.scanners.map((s) => s.scan(text).value);

const PASSWORD_LABELS = ['password', 'passwd', 'passphrase', 'pwd'];
const SECRET_LABELS = ['secret', 'client_secret', 'api_key', 'x-api-key', 'AccountKey', 'access_token', 'JSESSIONID'];
const style = fc.constantFrom(
  (l: string) => l,
  (l: string) => l.toUpperCase(),
  (l: string) => `db_${l}`,
  (l: string) => `db${l[0]!.toUpperCase()}${l.slice(1)}`,
);
/** A password of 3 to 12 letters and digits that is no state word (it holds a digit). */
const password = fc.tuple(chars(LOWER, 2, 11), fc.constantFrom(...DIGITS)).map(([s, d]) => `${s}${d}`);
/** A random secret of 8 to 20 characters (an upper-case letter, letters and digits, a digit). */
const secret = fc
  .tuple(fc.constantFrom(...UPPER), chars(ALNUM, 6, 18), fc.constantFrom(...DIGITS))
  .map(([u, s, d]) => `${u}${s}${d}`);
const labelAndValue = fc.oneof(
  fc.tuple(fc.constantFrom(...PASSWORD_LABELS), password),
  fc.tuple(fc.constantFrom(...SECRET_LABELS), secret),
);

describe('labeled-secret: the label as a quoted key', () => {
  it('double-quoted, single-quoted and JSON-escaped keys: only the value is masked', () => {
    fc.assert(
      fc.property(
        labelAndValue,
        style,
        fc.constantFrom(['"', '"'], ["'", "'"], ['\\"', '\\"']),
        fc.constantFrom(':', ': ', ' : ', '='),
        ([label, value], st, [q, vq], sep) => {
          const text = `{${q}${st(label)}${q}${sep}${vq}${value}${vq},${q}next${q}:1}`;
          const want = `{${q}${st(label)}${q}${sep}${vq}${MASK}${vq},${q}next${q}:1}`;
          for (const out of masked(text)) expect(out, text).toBe(want);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('labeled-secret: blanks that align a column of settings', () => {
  it('up to 32 blanks before and after the separator', () => {
    fc.assert(
      fc.property(
        labelAndValue,
        style,
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 32 }),
        fc.constantFrom(' ', '\t'),
        fc.constantFrom('=', ':', '=>', ':='),
        ([label, value], st, before, after, blank, sep) => {
          const head = `${st(label)}${blank.repeat(before)}${sep}${blank.repeat(after)}`;
          for (const out of masked(`${head}${value}\nnext = 1`)) expect(out).toBe(`${head}${MASK}\nnext = 1`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a line of an aligned settings file, through real SDK providers with the default policy', () => {
    const pipeline = defaultPipeline();
    const exported = pipeline.exported('db_host       = db.example.com\ndb_password   =     hunt3r2go\n');
    expect(exported).not.toContain('hunt3r2go');
    expect(pipeline.exported('password:      hunt3r2go')).not.toContain('hunt3r2go');
  });

  it('more than 32 blanks before the separator part the label from it', () => {
    scan.kept(`password${' '.repeat(33)}= hunt3r2go`);
  });
});

describe('labeled-secret: `>` only ends an XML tag', () => {
  it('`<password>…` is a label, `password>…` and `password > …` are not', () => {
    fc.assert(
      fc.property(labelAndValue, style, ([label, value], st) => {
        const l = st(label);
        for (const out of masked(`<${l}>${value}</${l}>`)) expect(out).toBe(`<${l}>${MASK}</${l}>`);
        scan.kept(`if ${l}>${value} then`);
        scan.kept(`${l} > ${value}`);
        // The tag's name may hold the label after `_`, `-`, `.` or a namespace's `:`.
        for (const pre of ['db_', 'db-', 'jdbc.', 'ns:'])
          for (const out of masked(`<${pre}${l}>${value}</${pre}${l}>`))
            expect(out).toBe(`<${pre}${l}>${MASK}</${pre}${l}>`);
      }),
      { numRuns: 60 },
    );
  });
});

describe('labeled-secret: a label that does not end its identifier', () => {
  it('the documented look-alikes keep their values', () => {
    for (const text of [
      'password_policy: strict',
      'password-policy=strict1',
      'max_tokens: 512',
      'token_type=bearer',
      'token_count: 12345678',
      'api_key_id: abc12345',
      'password.length=12',
      '<password_hint>my pet</password_hint>',
      '<token-type>bearer</token-type>',
    ])
      scan.kept(text);
  });
});

describe('labeled-secret: the value of a name/value pair', () => {
  it('Kubernetes, CloudFormation, YAML and HTML pairs: only the value is masked', () => {
    fc.assert(
      fc.property(
        labelAndValue,
        style,
        fc.constantFrom(
          (n: string, v: string) => [`{"name":"${n}","value":"`, v, `"}`],
          (n: string, v: string) => [`{"name": "${n}", "value": "`, v, `"}`],
          (n: string, v: string) => [`{"ParameterKey":"${n}","ParameterValue":"`, v, `"}`],
          (n: string, v: string) => [`- name: ${n}\n  value: `, v, `\n`],
          (n: string, v: string) => [`<input name="${n}" value="`, v, `">`],
          (n: string, v: string) => [`{\\"name\\":\\"${n}\\",\\"value\\":\\"`, v, `\\"}`],
        ),
        ([label, value], st, form) => {
          const [head, v, tail] = form(st(label), value);
          for (const out of masked(`${head}${v}${tail}`)) expect(out).toBe(`${head}${MASK}${tail}`);
        },
      ),
      { numRuns: 150 },
    );
  });
});
