import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy, definePolicy } from '../../index';
import { AttributeRedactor, DROPPED } from '../../engine/attribute-redactor';
import { createValueScanner } from '../../engine/detectors/value-scanner';
import { maskHomeDirectories } from '../../engine/home-directory';
import { rewriteScan } from '../../engine/rewrite-scan';
import { defaultPolicyDocument } from '../../policy/default-policy-document';
import { personKey } from '../assurance/helpers/outside-attack';

// Bytes (`Uint8Array`) that are UTF-8 text under a key with a URL or statement sanitizer, through the engine with the
// default policy's rules and sanitizers and the real value scanner, its pre-filter on and off: the bytes come out as
// the same text as a string comes out (the URL and statement sanitizers, the people-path rule, the value scanner),
// written back as bytes. Before, bytes went to the value scanner alone: `db.query.text` bytes of
// `UPDATE users SET pw = 'hunter2-Fake-9x' WHERE id = 7` and `url.full` bytes of `…/cb?code=…` were kept whole.

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x6b).toString('base64')}`; // fake test key
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

const compiled = defaultPolicy().compiled;
const doc = defaultPolicyDocument().value;
/** The keys the default policy gives a URL sanitizer and a statement sanitizer (read from the policy). */
const URL_KEYS = doc.sanitizers!.url!.attributes!;
const STATEMENT_KEYS = doc.sanitizers!.statements!.attributes!;

/** The default policy's engine for spans, with the real value scanner built with its pre-filter on or off. */
function engine(prefilter: boolean): AttributeRedactor {
  const findings = Object.create(null) as Record<string, number>;
  const tally = { total: 0 };
  const detector = createValueScanner({
    detectors: 'all',
    action: 'mask',
    mask: '[REDACTED:{type}]',
    cleanCacheSize: 0,
    findings,
    tally,
    prefilter,
  });
  const transformed = rewriteScan(detector, maskHomeDirectories, tally);
  return new AttributeRedactor(compiled.sanitizer('traces').rules, {
    ...compiled.tools,
    scanner: (value) => detector.redact(maskHomeDirectories(value)) ?? DROPPED,
    scanTransformed: (raw, produced, key) => transformed(raw, produced, key) ?? DROPPED,
    findings,
    findingTally: tally,
    findingLog: undefined,
    alarmKeys: undefined,
  });
}
const ENGINES = [engine(true), engine(false)];

const enc = (s: string) => new TextEncoder().encode(s);
/** A sanitized value as text: a string as it is, bytes decoded (anything else: a marker that never equals a text). */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('utf8')}`;
  return `other:${String(v)}`;
}

/** `value` under `key` beside `db.system.name: system`, as a string and as bytes, through both engines. */
function both(key: string, value: string, system = 'mysql'): { string: unknown; bytes: unknown }[] {
  return ENGINES.map((e) => ({
    string: e.sanitize({ 'db.system.name': system, [key]: value })[key],
    bytes: e.sanitize({ 'db.system.name': system, [key]: enc(value) })[key],
  }));
}

/** Every engine gives the bytes the text the string gets, as bytes (the OTLP type stays bytes); returns that text. */
function sameAsString(key: string, value: string, system = 'mysql'): string {
  const results = both(key, value, system);
  for (const [i, r] of results.entries()) {
    const where = `${i === 0 ? 'pre-filter' : 'no pre-filter'}: ${key} = ${JSON.stringify(value)}`;
    expect(typeof r.string, where).toBe('string');
    expect(r.bytes, where).toBeInstanceOf(Uint8Array);
    expect(asText(r.bytes), where).toBe(`bytes:${r.string as string}`);
  }
  expect(results[0]!.string).toBe(results[1]!.string);
  return results[0]!.string as string;
}

const lower = 'abcdefghijklmnopqrstuvwxyz';
const word = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...lower), minLength: min, maxLength: max });
/** A value a URL's query carries: fake personal or secret values and plain words. */
const queryValue = fc.oneof(
  fc.constantFrom('Jane+Doe', '1985-01-01', 'SplxlOBeZQQYbYS6WxSbIA', 'hunter2-Fake-9x', 'jane.doe%40example.com'),
  word(3, 10).map((w) => `zq${w}`),
);
const caseOf = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toUpperCase(),
  (s: string) => s.charAt(0).toUpperCase() + s.slice(1),
);
/** Query parameter names: the default policy's sensitive ones, the built-in personal ones and plain words. */
const paramName = fc.tuple(
  fc.oneof(fc.constantFrom(...(doc.sanitizers!.url!.sensitiveParams ?? []), 'name', 'dob', 'token'), word(2, 8)),
  caseOf,
);
/** A URL with a people path (`/users/<person>`) and a query whose values are fake personal or secret values. */
const url = fc
  .tuple(
    fc.constantFrom('https://app.example.com', 'http://api.example.org:8080', ''),
    fc.constantFrom('users', 'profiles', 'members', 'customers'),
    personKey,
    fc.array(fc.tuple(paramName, queryValue), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('&', ';'),
  )
  .map(([base, people, person, params, sep]) => ({
    text: `${base}/${people}/${person}?${params.map(([[n, c], v]) => `${c(n)}=${v}`).join(sep)}`,
    secrets: [person, ...params.map(([, v]) => v)],
  }));

/** A statement with a literal (`§`) and the database system that reads it. */
const statement = fc
  .tuple(
    fc.constantFrom(
      ['mysql', "UPDATE users SET pw = '§' WHERE id = 7"],
      ['mysql', "SELECT * FROM users WHERE last_name = '§'"],
      ['postgresql', "INSERT INTO people (name) VALUES ('§')"],
      ['redis', 'AUTH default §'],
      ['redis', 'SET cache:item §'],
      ['mongodb', '{"find": "users", "filter": {"name": "§"}}'],
    ),
    fc.oneof(
      fc.constantFrom('hunter2-Fake-9x', 'Jane Doe'),
      word(4, 10).map((w) => `zq${w}`),
    ),
    fc.boolean(),
  )
  .map(([[system, template], literal, lowerCase]) => ({
    system,
    text: (lowerCase ? template.replace(/^[A-Z]+/, (k) => k.toLowerCase()) : template).replace('§', literal),
    secret: literal,
  }));

describe('bytes under URL keys get the URL sanitizer (default policy, pre-filter on and off)', () => {
  it('the examples the attacker sent: each exported as the sanitized text, still bytes', () => {
    expect(sameAsString('url.full', 'https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz')).toBe(
      'https://app.example.com/cb?code=REDACTED&state=REDACTED',
    );
    expect(sameAsString('url.full', 'https://app.example.com/users/janedoe')).toBe(
      'https://app.example.com/users/{id}',
    );
    expect(sameAsString('url.query', 'name=Jane+Doe&dob=1985-01-01')).toBe('name=REDACTED&dob=REDACTED');
    expect(sameAsString('http.route', '/users/janedoe')).toBe('/users/{id}');
  });

  it('every URL key of the policy: bytes of a generated URL come out as the string does, no query value or person', () => {
    fc.assert(
      fc.property(fc.constantFrom(...URL_KEYS), url, (key, u) => {
        const out = sameAsString(key, u.text);
        for (const s of u.secrets) expect(out, `${key}: ${u.text}`).not.toContain(s);
      }),
      { numRuns: 150 },
    );
  });

  it('an array of bytes under a URL key: each element sanitized, still bytes', () => {
    for (const e of ENGINES) {
      const out = e.sanitize({
        'url.full': [enc('https://app.example.com/users/janedoe?code=SplxlOBeZQQYbYS6WxSbIA')],
      })['url.full'] as unknown[];
      expect(out.map(asText)).toEqual(['bytes:https://app.example.com/users/{id}?code=REDACTED']);
    }
  });
});

describe('bytes under statement keys get the statement sanitizer (default policy, pre-filter on and off)', () => {
  it('the examples the attacker sent', () => {
    expect(sameAsString('db.query.text', "UPDATE users SET pw = 'hunter2-Fake-9x' WHERE id = 7")).toBe(
      'UPDATE users SET pw = ? WHERE id = ?',
    );
    expect(sameAsString('db.statement', 'AUTH default hunter2-Fake-9x', 'redis')).toBe('AUTH ? ?');
  });

  it('every statement key of the policy: bytes of a generated statement come out as the string does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATEMENT_KEYS), statement, (key, s) => {
        const out = sameAsString(key, s.text, s.system);
        if (key !== 'db.query.summary') expect(out, `${key}: ${s.text}`).not.toContain(s.secret);
      }),
      { numRuns: 150 },
    );
  });
});

describe('bytes of UTF-16 text under URL and statement keys (default policy, pre-filter on and off)', () => {
  // Valid UTF-8 too (a NUL after each ASCII character): the sanitizer reads that reading and masks most of it (every
  // path segment and query value holds a NUL); before, only the detectors read it and a code or password was kept.
  const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
  const shownText = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8').replace(/\0/g, '') : '');
  it('no query value, person or statement literal is exported', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.constantFrom(...URL_KEYS), url).map(([key, u]) => ({ key, system: 'mysql', ...u })),
          fc
            .tuple(fc.constantFrom('db.query.text', 'db.statement'), statement)
            .filter(([, s]) => s.system !== 'mongodb')
            .map(([key, s]) => ({ key, system: s.system, text: s.text, secrets: [s.secret] })),
        ),
        ({ key, system, text, secrets }) => {
          for (const e of ENGINES) {
            const out = shownText(e.sanitize({ 'db.system.name': system, [key]: utf16(text) })[key]);
            for (const secret of secrets) expect(out, `${key}: ${text}`).not.toContain(secret);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('bytes that are not statements or URLs stay as written (false-positive guards)', () => {
  const BENIGN = [
    'password is required',
    'token expired',
    'the password field',
    'bypass=cache',
    'GET /health 200',
    'status report for the nightly batch job',
  ];
  it('under a kept free-text key: the same bytes (a copy), pre-filter on and off', () => {
    for (const text of BENIGN)
      for (const e of ENGINES) {
        const input = enc(text);
        const out = e.sanitize({ 'error.type': input })['error.type'];
        expect(out).toBeInstanceOf(Uint8Array);
        expect(out).not.toBe(input);
        expect(Buffer.from(out as Uint8Array).toString()).toBe(text);
      }
  });
  it('under URL and statement keys: what the string gets, no more', () => {
    for (const key of [...URL_KEYS, ...STATEMENT_KEYS])
      for (const text of ['/health', '/api/v1/orders', 'SELECT 1', 'PING']) sameAsString(key, text);
  });
});

describe('bytes that are not UTF-8 under a URL or statement key: dropped (fail closed)', () => {
  const binary = new Uint8Array([0x2f, 0x75, 0xff, 0xfe, 0x80, 0x6a]);
  it('with the default policy (values.bytes: scan)', () => {
    for (const e of ENGINES)
      for (const key of [...URL_KEYS, ...STATEMENT_KEYS])
        expect(e.sanitize({ [key]: binary })).not.toHaveProperty([key]);
  });
  it('with values.bytes: keep and the key allowed by name: still dropped (no sanitizer can read them)', () => {
    const keep = definePolicy({
      version: 1,
      attributes: { allow: ['url.full', 'app.thumbnail'] },
      sanitizers: { url: { attributes: ['url.full'] } },
      values: { bytes: 'keep' },
    }).sanitizer('traces');
    const out = keep.sanitize({ 'url.full': binary, 'app.thumbnail': binary });
    expect(out).not.toHaveProperty(['url.full']);
    expect(Buffer.from(out['app.thumbnail'] as Uint8Array)).toEqual(Buffer.from(binary));
  });
  it('without a values block: UTF-8 bytes still get the sanitizer, other bytes are dropped', () => {
    const plain = definePolicy({
      version: 1,
      attributes: { allow: ['url.full', 'app.blob'] },
      sanitizers: { url: { attributes: ['url.full'] } },
    }).sanitizer('traces');
    const out = plain.sanitize({
      'url.full': enc('https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA'),
      'app.blob': binary,
    });
    expect(asText(out['url.full'])).toBe('bytes:https://app.example.com/cb?code=REDACTED');
    expect(out['app.blob']).toBe(binary); // no values block, no sanitizer: bytes are kept as they are
    expect(plain.sanitize({ 'url.full': binary })).not.toHaveProperty(['url.full']);
  });
});
