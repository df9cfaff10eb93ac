import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, DIGITS, LOWER, UPPER, chars, defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (engine/detectors/labeled-secret.ts, docs/detectors.md): every credential label of the list in
// each naming style, each assignment form, the label ending its identifier, the shortest value (3 after a password
// word, 8 random after the others) and one shorter, placeholders, and the cookie rules (session names from 3
// characters, other names from 8 random, cleared states).

const scan = edgeScanners(['labeled-secret']);
const PASSWORD_LABELS = ['password', 'passwd', 'passphrase', 'pwd'];
const SECRET_LABELS = [
  'secret',
  'secret_key',
  'secret-key',
  'secretkey',
  'api_key',
  'api-key',
  'apikey',
  'private_key',
  'privatekey',
  'access_key',
  'accesskey',
  'account_key',
  'AccountKey',
  'signature',
  'X-Amz-Signature',
  'token',
  'access_token',
  'session_id',
  'sessionid',
  'JSESSIONID',
  'sessid',
];
const style = fc.constantFrom(
  (l: string) => l,
  (l: string) => l.toUpperCase(),
  (l: string) => `db_${l}`,
  (l: string) => `DB_${l.toUpperCase()}`,
  (l: string) => `x-${l}`,
  (l: string) => `db${l[0]!.toUpperCase()}${l.slice(1)}`,
);
const assign = fc.constantFrom('=', ':', ': ', ' = ', '=>', ':=', '":"', '": "', "='", '\t=\t', '   =   ');
/** A random secret: letters and a digit, `n` characters. */
const random = (n: number) =>
  fc
    .tuple(chars(ALNUM, n - 2), fc.constantFrom(...DIGITS), fc.constantFrom(...UPPER))
    .map(([s, d, u]) => `${u}${s}${d}`);

describe('labeled-secret: password labels', () => {
  it('any value of 3 characters after each password word in each style; 2 are not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PASSWORD_LABELS), style, assign, chars(LOWER, 3), (label, st, op, value) => {
        // Prose words and the link words the detector reads as no value (`password ist …`, `war`, `now`).
        fc.pre(
          !/^(.)\1*$/.test(value) &&
            !/^(?:nil|set|can|did|has|had|too|was|are|for|the|and|not|yes|ist|war|now)$/.test(value),
        );
        const quoted = op.endsWith('"') || op.endsWith("'") ? op.slice(-1) : '';
        scan.found(`${st(label)}${op}${value}${quoted} next`, `${op}${value}`);
        scan.kept(`${st(label)}${op}${value.slice(0, 2)}${quoted} next`);
      }),
      { numRuns: 150 },
    );
  });

  it('a label glued to a letter on its right is another word; one or two digits number the label', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PASSWORD_LABELS, ...SECRET_LABELS),
        fc.constantFrom(...'aZ'),
        fc.constantFrom('9', '_2', '12'),
        random(12),
        (label, glue, number, value) => {
          scan.kept(`${label}${glue}=${value} next`);
          scan.kept(`${label}123=${value} next`);
          scan.found(`${label}${number}=${value} next`, value);
          scan.found(`${label}_=${value}`.replace('_=', '='), value);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('placeholders and state words are no value', () => {
    for (const v of [
      '***',
      '[REDACTED]',
      '${DB_PASSWORD}',
      '{{secret}}',
      '%s',
      '?',
      'required',
      'null',
      'redacted',
      'xxxxxx',
      'expired',
    ])
      scan.kept(`password=${v}`);
    scan.kept('pwd=/home/app');
    scan.found('password=/home/app', '/home/app');
  });
});

describe('labeled-secret: secret, key and token labels', () => {
  it('8 random characters after each label in each style are a secret; 7 are not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_LABELS), style, assign, random(8), (label, st, op, value) => {
        const quoted = op.endsWith('"') || op.endsWith("'") ? op.slice(-1) : '';
        scan.found(`${st(label)}${op}${value}${quoted} next`, value);
        scan.kept(`${st(label)}${op}${value.slice(1)}${quoted} next`);
      }),
      { numRuns: 200 },
    );
  });

  it('a word of one case is prose below 20 letters; mixed case from 12 characters, digits from 16', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SECRET_LABELS),
        chars(LOWER, 8, 15),
        fc
          .tuple(chars(LOWER + UPPER, 10), fc.constantFrom(...UPPER), fc.constantFrom(...LOWER))
          .map(([s, u, l]) => u + s + l),
        chars(DIGITS, 16, 20),
        chars(LOWER, 19, 19),
        fc.constantFrom(...(LOWER + UPPER)),
        (label, word, mixed12, digits, lower19, one) => {
          scan.kept(`${label}=${word} next`);
          // letters of one case from 20 (`api_key=fakefakefakefakefake`); 19 are a word
          scan.kept(`${label}=${lower19} next`);
          const oneCase = /[A-Z]/.test(one) ? (lower19 + 'x').toUpperCase() : lower19 + one;
          scan.found(`${label}=${oneCase} next`, oneCase);
          scan.found(`${label}=${mixed12} next`, mixed12);
          scan.kept(`${label}=${mixed12.slice(1)} next`);
          scan.found(`${label}=${digits} next`, digits);
          scan.kept(`${label}=${digits.slice(0, 15)} next`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sig only as a word of its own', () => {
    fc.assert(
      fc.property(random(20), fc.constantFrom('x', '_', '-', '9'), (value, glue) => {
        scan.found(`sv=2024&sig=${value}`, value);
        scan.found(`?sig=${value}`, value);
        scan.kept(`a${glue}sig=${value} next`);
        // Another label in the value lets the detector run: `-sig` still glues.
        scan.kept(`token a${glue}sig=${value} next`);
      }),
      { numRuns: 30 },
    );
  });
});

describe('labeled-secret: cookies', () => {
  it('a session cookie from 3 characters; another name from 8 random; cleared states and attributes stay', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'sid',
          'PHPSESSID',
          'connect.sid',
          'auth',
          'auth_token',
          'login',
          'remember_me',
          'jwt',
          'csrftoken',
          'XSRF-TOKEN',
          '_xsrf',
          'secret',
          'passwd',
          'uid',
          'user',
          'key',
        ),
        chars(LOWER, 3).filter(
          (v) => !/^(.)\1*$/.test(v) && !/^(?:nil|set|can|did|has|had|too|was|are|for|the|and|not|yes)$/.test(v),
        ),
        random(8),
        fc.constantFrom('Cookie: ', 'cookie=', 'Set-Cookie: ', 'Cookie:\r\n '),
        (name, value, rnd, header) => {
          scan.found(`${header}${name}=${value}`, `${name}=${value}`);
          scan.kept(`${header}${name}=${value.slice(0, 2)}`);
          // `passwd=` is a password label too: any value of 3 characters counts there.
          if (name !== 'passwd') scan.kept(`${header}${name}=deleted`);
          scan.found(`${header}theme=dark; tracker=${rnd}`, rnd);
          scan.kept(`${header}tracker=${rnd.slice(1)}`);
          for (const attr of [
            'Path',
            'Domain',
            'Expires',
            'Max-Age',
            'SameSite',
            'Secure',
            'HttpOnly',
            'Priority',
            'Partitioned',
            'Version',
            'Comment',
          ])
            scan.kept(`Set-Cookie: a=b; ${attr}=${rnd}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('labeled-secret through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no labeled value at the shortest accepted length is exported from a log body', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_LABELS), style, random(8), (label, st, value) => {
        expect(pipeline.exported(`config ${st(label)}=${value} loaded`)).not.toContain(value);
      }),
      { numRuns: 40 },
    );
  });
});
