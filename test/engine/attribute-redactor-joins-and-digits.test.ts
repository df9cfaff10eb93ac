import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DROPPED } from '../../engine/attribute-redactor';
import { definePolicy } from '../../index';
import { luhnComplete } from './detectors/testdata/labeled-set';

// The attribute redactor's value paths that the mutation run of 2026-12-07 found unpinned, as a user sees them through
// `Policy.sanitizer(signal).sanitize`/`sanitizeInto` (the engine every signal uses): the significant digits of a
// number (docs/value-scanning.md "Numbers": sign, decimal point, exponent and leading and trailing zeros removed, every
// other digit kept), split values joined across array elements (`-` for three elements), map entries and bytes, the
// UTF-16 reading of bytes, a digit-string array under a phone key, the 32-level bound and its `too-deep` count, and a
// pass that trusts the entries an earlier pass recorded (a pseudonym is never hashed twice).

const KEY = Buffer.alloc(32, 0x2b); // fake test key
const saved = process.env.M13A_TEST_HMAC;
const savedEnc = process.env.M13A_TEST_ENC;
process.env.M13A_TEST_HMAC = `base64:${KEY.toString('base64')}`;
process.env.M13A_TEST_ENC = `base64:${Buffer.alloc(32, 0x3d).toString('base64')}`; // fake test key
afterAll(() => {
  if (saved === undefined) delete process.env.M13A_TEST_HMAC;
  else process.env.M13A_TEST_HMAC = saved;
  if (savedEnc === undefined) delete process.env.M13A_TEST_ENC;
  else process.env.M13A_TEST_ENC = savedEnc;
});

const policyWith = (action: 'mask' | 'drop' | 'hash' = 'mask') =>
  definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'M13A_TEST_HMAC' } },
    attributes: { allow: ['app.*'], hash: ['user.id'], default: 'drop' },
    values: { detectors: 'all', action },
  });
const policy = policyWith();
const sanitize = (attributes: Record<string, unknown>): Record<string, unknown> =>
  policy.sanitizer('logs').sanitize(attributes as never) as Record<string, unknown>;

/** Visa-shaped 16-digit numbers (Luhn-valid) holding at least one `0` and one `9` between their first and last digit. */
const visaWithZeroAndNine = fc
  .tuple(fc.array(fc.constantFrom(...'0123456789'), { minLength: 12, maxLength: 12 }), fc.nat(11), fc.nat(11))
  .map(([digits, z, n]) => {
    const d = [...digits];
    d[z] = '0';
    d[n === z ? (z + 1) % 12 : n] = '9';
    const body = `41${d.join('')}0`.slice(0, 15);
    return luhnComplete(body);
  })
  .filter((card) => !card.endsWith('0'));

describe('numbers: every significant digit, 0 and 9 included, is scanned', () => {
  it('a card written as the digits of a fraction (0.<card>, -0.<card>, <card>e-20) is masked', () => {
    fc.assert(
      fc.property(visaWithZeroAndNine, fc.constantFrom('0.', '-0.'), (card, lead) => {
        const n = Number(`${lead}${card}`);
        fc.pre(String(n) === `${lead}${card}`); // the double prints the card's digits exactly
        const out = sanitize({ 'app.ratio': n, 'app.tiny': Number(`${card}e-30`) });
        expect(out['app.ratio']).toBe('[REDACTED:payment-card]');
        expect(out['app.tiny']).toBe('[REDACTED:payment-card]');
      }),
      { numRuns: 60 },
    );
  });

  it('a negative card number, as a number or a bigint, is masked like a positive one', () => {
    const out = sanitize({ 'app.n': -4111111111111111, 'app.b': -4111111111111111n });
    for (const v of [out['app.n'], out['app.b']]) {
      expect(String(v)).toContain('[REDACTED:payment-card]');
      expect(String(v)).not.toContain('4111');
    }
  });

  it('a fraction whose digits are not a card stays the number it was', () => {
    const out = sanitize({ 'app.ratio': 0.4012888888881882, 'app.share': 0.25, 'app.n': -12.5 });
    expect(out).toEqual({ 'app.ratio': 0.4012888888881882, 'app.share': 0.25, 'app.n': -12.5 });
  });
});

/** A valid-looking SSN's three groups (area not 000, 666 or 9xx; group not 00; serial not 0000). */
const ssnGroups = fc
  .tuple(fc.integer({ min: 1, max: 665 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .map(([a, g, s]) => [String(a).padStart(3, '0'), String(g).padStart(2, '0'), String(s).padStart(4, '0')] as const);

describe('arrays: a value split across elements is found in the joined text', () => {
  it("an SSN's three groups as a three-element array (joined with `-`) become one masked element", () => {
    fc.assert(
      fc.property(ssnGroups, ([a, g, s]) => {
        const out = sanitize({ 'app.parts': [a, g, s] });
        // one element: the join, masked (a digit run that also reads as a phone number may be masked as one)
        expect(out['app.parts']).toHaveLength(1);
        expect((out['app.parts'] as string[])[0]).toMatch(/^\[REDACTED:(us-ssn|phone)\]$/);
      }),
      { numRuns: 40 },
    );
  });

  it('digit strings under a phone key, joined, are a phone number: masked, or the attribute dropped', () => {
    expect(sanitize({ 'app.phone': ['202', '555', '0143'] })).toEqual({ 'app.phone': ['[REDACTED:phone]'] });
    const dropped = policyWith('drop')
      .sanitizer('logs')
      .sanitize({ 'app.phone': ['202', '555', '0143'] } as never);
    expect(dropped).toEqual({});
  });
});

describe('nested arrays: every string, number, bigint and UTF-8 bytes leaf is joined', () => {
  it('a card split between a string and a bigint in nested arrays is masked', () => {
    const out = sanitize({ 'app.nested': [['41111111'], [11111111n]] });
    expect(JSON.stringify(out, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('11111111');
  });

  it('an e-mail address split between a string and bytes in nested arrays is masked', () => {
    const out = sanitize({ 'app.nested': [['jane.doe@'], [Buffer.from('example.com')]] });
    expect(JSON.stringify(out)).not.toContain('jane.doe');
  });

  it('a half at the 32nd level (the deepest kept) is joined with a half at the first', () => {
    let chain: unknown = 'example.com';
    for (let i = 0; i < 31; i++) chain = [chain];
    const out = sanitize({ 'app.deep': ['jane.doe@', chain] });
    expect(JSON.stringify(out)).not.toContain('jane.doe');
  });

  it('null elements and null map entries are kept as they are', () => {
    expect(sanitize({ 'app.list': [null, 'a', [null, { k: null }]] })).toEqual({
      'app.list': [null, 'a', [null, { k: null }]],
    });
  });

  it('binary bytes do not separate the halves (nor add text); a clean nested array stays as it was', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00]);
    // binary bytes are kept only under `values.bytes: keep` and a key named literally
    const keepBytes = definePolicy({
      version: 1,
      attributes: { allow: ['app.*', 'app.nested'], default: 'drop' },
      values: { detectors: 'all', bytes: 'keep' },
    });
    const out = keepBytes.sanitizer('logs').sanitize({ 'app.nested': [['4111111111'], [binary], ['111111']] } as never);
    expect(out['app.nested']).toEqual(['[REDACTED:payment-card]']);
    const clean = sanitize({
      'app.nested': [
        ['a', 1],
        ['b', [2n]],
      ],
    });
    expect(clean).toEqual({
      'app.nested': [
        ['a', 1],
        ['b', [2n]],
      ],
    });
  });
});

describe('maps and bytes: UTF-8 bytes join like strings', () => {
  it('an e-mail address split between a bytes entry and a string entry of a map is masked', () => {
    const out = sanitize({ 'app.m': { local: Buffer.from('jane.doe@'), domain: 'example.com' } });
    expect(JSON.stringify(out)).not.toContain('example.com');
  });

  it('an e-mail address split between a string element and a map in an array is masked', () => {
    const out = sanitize({ 'app.list': ['jane.doe@', { domain: 'example.com' }] });
    expect(JSON.stringify(out)).not.toContain('example.com');
    expect(JSON.stringify(out)).not.toContain('jane.doe');
  });

  it('clean UTF-16 bytes are exported as the bytes they were; a finding read as UTF-16 is rewritten as UTF-8', () => {
    const clean = Buffer.from('hello world, all fine', 'utf16le');
    const out = sanitize({ 'app.b': clean });
    expect(Buffer.from(out['app.b'] as Uint8Array).equals(clean)).toBe(true);
    const found = sanitize({ 'app.b': Buffer.from('mail jane.doe@example.com', 'utf16le') });
    const text = Buffer.from(found['app.b'] as Uint8Array).toString('utf8');
    expect(text).toContain('[REDACTED:email]');
    expect(text.replaceAll('\0', '')).not.toContain('example.com');
  });

  it('a byte order mark is kept: the rewritten text is the bytes as written, with the finding masked', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('mail jane.doe@example.com')]);
    const out = sanitize({ 'app.b': bom });
    expect(Buffer.from(out['app.b'] as Uint8Array).toString('utf8')).toBe('\uFEFFmail [REDACTED:email]');
  });
});

describe('the 32-level bound', () => {
  it('a value nested deeper is dropped and counted once as `too-deep`', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    const before = policy.counters.findings['too-deep'] ?? 0;
    expect(sanitize({ 'app.deep': deep, 'app.ok': 'y' })).toEqual({ 'app.ok': 'y' });
    expect(policy.counters.findings['too-deep']).toBe(before + 1);
  });
});

describe('a pass that trusts what an earlier pass recorded (`sanitizeInto` with `alreadyClean`)', () => {
  const pseudonym = (raw: string) =>
    `k1:${createHmac('sha256', KEY).update(raw).digest().subarray(0, 16).toString('base64url')}`;

  it('keys in another order: a recorded pseudonym is copied, not hashed again; a changed value is decided anew', () => {
    const r = policy.sanitizer('traces');
    const first: unknown[] = [];
    const firstOut = {} as Record<string, unknown>;
    r.sanitizeInto({ 'app.a': 'x', 'user.id': 'u-1', 'app.b': 'y' }, firstOut as never, undefined, first);
    expect(firstOut['user.id']).toBe(pseudonym('u-1'));
    // the second pass sees the sanitized entries in another order, one value replaced since and one key added
    const again = {} as Record<string, unknown>;
    r.sanitizeInto(
      {
        'app.c': 'to jane.doe@example.com',
        'app.b': 'from jane.doe@example.com',
        'user.id': firstOut['user.id'],
        'app.a': 'x',
      } as never,
      again as never,
      first,
    );
    expect(again).toEqual({
      'app.c': 'to [REDACTED:email]',
      'app.b': 'from [REDACTED:email]',
      'user.id': pseudonym('u-1'),
      'app.a': 'x',
    });
    // a value that is not the recorded one is hashed (the recorded pseudonym of another key does not count)
    const other = {} as Record<string, unknown>;
    r.sanitizeInto({ 'app.a': 'x', 'user.id': 'u-2' } as never, other as never, first);
    expect(other['user.id']).toBe(pseudonym('u-2'));
  });
});

describe('the position memo never writes a value through under another key', () => {
  it('a clean value remembered at the first position is hashed when it comes back under a hashed key past position 64', () => {
    const r = policyWith().sanitizer('traces'); // a fresh engine: nothing remembered yet
    // two kinds of object put two keys at position 0, each with the same clean value (remembered as clean there)
    r.sanitize({ 'app.x': 'same-value' });
    r.sanitize({ 'app.y': 'same-value' });
    r.sanitize({ 'app.x': 'same-value' });
    r.sanitize({ 'app.y': 'same-value' });
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 70; i++) wide[`app.f${i}`] = i;
    wide['user.id'] = 'same-value';
    const out = r.sanitize(wide as never) as Record<string, unknown>;
    expect(out['user.id']).toBe(
      `k1:${createHmac('sha256', KEY).update('same-value').digest().subarray(0, 16).toString('base64url')}`,
    );
  });

  it('only own keys are read: an enumerable key inherited from a prototype is not exported', () => {
    const attributes = Object.create({ 'app.inherited': 'jane.doe@example.com' }) as Record<string, unknown>;
    attributes['app.own'] = 'kept';
    expect(policy.sanitizer('traces').sanitize(attributes as never)).toEqual({ 'app.own': 'kept' });
  });

  it('a key the rules drop is left out even when its value is undefined', () => {
    const r = policy.sanitizer('traces');
    for (let i = 0; i < 3; i++)
      expect(Object.keys(r.sanitize({ 'other.key': undefined, 'app.a': 'x' } as never))).toEqual(['app.a']);
  });
});

describe('the counts and symbols the redactor returns', () => {
  it('sanitizeInto returns the number of entries it wrote', () => {
    const r = policy.sanitizer('traces');
    const out = {} as Record<string, unknown>;
    const n = r.sanitizeInto({ 'app.a': 'x', 'other.key': 'y', 'user.id': 'u', 'app.b': 2 } as never, out as never);
    expect(n).toBe(3);
    expect(Object.keys(out)).toEqual(['app.a', 'user.id', 'app.b']);
  });

  it('sanitizeValue and sanitizeKept return DROPPED for a value nested too deep, counted as `too-deep`', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const r = policy.sanitizer('logs');
    const before = policy.counters.findings['too-deep'] ?? 0;
    expect(r.sanitizeValue('app.deep', deep)).toBe(DROPPED);
    expect(r.sanitizeKept('app.body', deep)).toBe(DROPPED);
    expect(policy.counters.findings['too-deep']).toBe(before + 2);
  });
});

describe('every action on values that are not strings, and the rule counts', () => {
  const actions = definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'M13A_TEST_HMAC' }, encryption: { id: 'e1', env: 'M13A_TEST_ENC' } },
    attributes: { allow: ['a.*'], encrypt: ['e.*'], generalize: { 'g.*': 'ip-prefix' }, default: 'mask' },
    values: { detectors: 'all' },
  });

  it('encrypt keeps null and undefined as they are; mask writes the mask for a string only; generalize reads strings', () => {
    const r = actions.sanitizer('logs');
    const out = r.sanitize({ 'e.null': null, 'e.undef': undefined, 'e.s': 's' } as never) as Record<string, unknown>;
    expect(out['e.null']).toBe(null);
    expect('e.undef' in out && out['e.undef'] === undefined).toBe(true);
    expect(String(out['e.s'])).toMatch(/^enc:v1:e1:/);
    expect(r.sanitize({ 'm.s': 'anything', 'm.n': 5, 'g.ip': '203.0.113.7', 'g.n': 7 } as never)).toEqual({
      'm.s': '[REDACTED]',
      'g.ip': '203.0.113.0',
    });
  });

  it('sanitizeValue counts the rule that decided the key, once per value', () => {
    const fresh = definePolicy({ version: 1, attributes: { allow: ['a.*'], default: 'drop' } });
    const r = fresh.sanitizer('logs');
    r.sanitizeValue('a.one', 'x');
    r.sanitizeValue('a.two', 'y');
    r.sanitizeValue('a.three', 3);
    const stat = fresh.ruleStats().find((s) => s.signal === 'logs' && s.rule.includes('"a.*"'));
    expect(stat?.count).toBe(3);
  });
});

describe('the output caches of the URL and statement sanitizers store clean results only', () => {
  const withSanitizers = definePolicy({
    version: 1,
    attributes: { allow: ['url.full', 'db.query.text', 'db.system.name'], default: 'drop' },
    sanitizers: { url: { attributes: ['url.full'] }, sql: { attributes: ['db.query.text'] } },
    values: { detectors: 'all' },
  });

  it('a sanitized URL the scanner still finds something in is masked at every sighting', () => {
    const r = withSanitizers.sanitizer('traces');
    const outs = Array.from({ length: 4 }, () => r.sanitize({ 'url.full': 'https://203.0.113.7/orders' })['url.full']);
    expect(String(outs[0])).not.toContain('203.0.113.7');
    expect(new Set(outs).size).toBe(1);
  });

  it('a sanitized statement the scanner still finds something in is masked at every sighting', () => {
    const r = withSanitizers.sanitizer('traces');
    const statement = 'SELECT name FROM users_203_0_113_7 WHERE host = 203.0.113.7';
    const outs = Array.from(
      { length: 4 },
      () => r.sanitize({ 'db.system.name': 'postgresql', 'db.query.text': statement })['db.query.text'],
    );
    expect(String(outs[0])).not.toContain('203.0.113.7');
    expect(new Set(outs).size).toBe(1);
  });
});

describe('digit strings read with the context of their key, and values under a policy that scans nothing', () => {
  it('an unformatted phone number or SSN under a key naming it is masked; the same digits under a plain key are kept', () => {
    expect(sanitize({ 'app.phone': '2025550143', 'app.ssn': '123456789', 'app.count': '2025550143' })).toEqual({
      'app.phone': '[REDACTED:phone]',
      'app.ssn': '[REDACTED:us-ssn]',
      'app.count': '2025550143',
    });
  });

  it('without value scanning, bytes, numbers, booleans and null are kept as they are', () => {
    const plain = definePolicy({ version: 1, attributes: { allow: ['app.*'], default: 'drop' } }); // no `values` block
    const bytes = new Uint8Array([1, 2, 3]);
    const out = plain.sanitizer('logs').sanitize({ 'app.b': bytes, 'app.n': 5, 'app.t': true, 'app.z': null } as never);
    expect(out['app.b']).toBeInstanceOf(Uint8Array);
    expect([...(out['app.b'] as Uint8Array)]).toEqual([1, 2, 3]);
    expect(out).toMatchObject({ 'app.n': 5, 'app.t': true, 'app.z': null });
  });
});

describe('typed arrays, booleans and dropped elements', () => {
  it('a typed array whose values spell an e-mail address as character codes becomes that text, masked', () => {
    const codes = (C: { from(a: ArrayLike<number>): ArrayLike<number> }) =>
      C.from([...'mail jane.doe@example.com'].map((c) => c.charCodeAt(0)));
    for (const typed of [codes(Uint16Array), codes(Int32Array), codes(Float64Array)])
      expect(sanitize({ 'app.t': typed })['app.t']).toBe('mail [REDACTED:email]');
  });

  it('booleans stay booleans; an array holding an element that is dropped is dropped whole', () => {
    expect(sanitize({ 'app.t': true, 'app.f': false })).toEqual({ 'app.t': true, 'app.f': false });
    expect(sanitize({ 'app.list': ['a', Buffer.from([0xff, 0xfe, 0xfd])], 'app.k': 'x' })).toEqual({ 'app.k': 'x' });
  });

  it('binary bytes under a key named literally are dropped and counted unless values.bytes is keep', () => {
    const literal = definePolicy({
      version: 1,
      attributes: { allow: ['app.bin'], default: 'drop' },
      values: { detectors: 'all' },
    });
    expect(literal.sanitizer('logs').sanitize({ 'app.bin': Buffer.from([0xff, 0xfe, 0xfd]) } as never)).toEqual({});
    expect(literal.counters.findings.bytes).toBe(1);
  });
});
