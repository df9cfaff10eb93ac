import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptToken, defaultPolicy, definePolicy, loadPolicy } from '../../index';
import { DROPPED, MASK } from '../../engine/attribute-redactor';
import { policyJsonSchema } from '../../policy/json-schema';
import { policyDocumentTypes } from '../../scripts/policy-document-types';
import { HmacSha256 } from '../../engine/crypto/hmac-sha256';
import { TwoGenerationCache } from '../../engine/two-generation-cache';
import { Pseudonymizer } from '../../engine/crypto/pseudonymizer';

const valid = resolve(__dirname, 'testdata/valid');
const HMAC_KEY = 'fake-hmac-key-for-tests-0123456789abcdef';
const ENC_KEY = Buffer.alloc(32, 7);

beforeEach(() => {
  process.env.OTEL_PRIVACY_TEST_HMAC = HMAC_KEY;
  process.env.OTEL_PRIVACY_TEST_ENC = `base64:${ENC_KEY.toString('base64')}`;
  process.env.OTEL_PRIVACY_HMAC_KEY = HMAC_KEY;
});
afterEach(() => {
  delete process.env.OTEL_PRIVACY_TEST_HMAC;
  delete process.env.OTEL_PRIVACY_TEST_ENC;
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

const expectedPseudonym = (input: string, key = HMAC_KEY, id = 'k1') =>
  `${id}:${createHmac('sha256', key).update(input).digest().subarray(0, 16).toString('base64url')}`;

describe('policy compilation', () => {
  it('has a content hash independent of key order, list order, format and name', () => {
    const a = loadPolicy(join(valid, 'checkout.yaml'));
    const b = loadPolicy(join(valid, 'checkout-reordered.json'));
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(b.hash).toBe(a.hash);
    const c = definePolicy({
      ...(a.document as object),
      extends: undefined,
      attributes: { ...a.document.attributes, allow: [...(a.document.attributes?.allow ?? []), 'extra.key'] },
    } as never);
    expect(c.hash).not.toBe(a.hash);
  });

  it('does not put key material into the hash, only key ids', () => {
    const a = loadPolicy(join(valid, 'checkout.yaml'));
    process.env.OTEL_PRIVACY_TEST_HMAC = 'another-fake-hmac-key-0123456789abcdef!';
    expect(loadPolicy(join(valid, 'checkout.yaml')).hash).toBe(a.hash);
  });

  it('extends: default lays the user lists over the default policy', () => {
    const p = loadPolicy(join(valid, 'checkout.yaml'));
    const s = p.sanitizer('traces');
    expect(s.rules.decide('http.request.method').rule).toBe('allow "http.request.method"'); // from the default
    expect(s.rules.decide('app.cart.size').rule).toBe('allow "app.cart.*"'); // from the user
    expect(s.rules.decide('app.cart.note').action).toBe('drop');
    // the user names user.email literally: the user's encrypt overrides the default's drop (layering)
    expect(s.rules.decide('user.email').action).toBe('encrypt');
    expect(s.rules.decide('order.customer_id').action).toBe('hash');
    expect(s.rules.decide('user.id').action).toBe('hash');
    expect(s.rules.decide('unknown.key').rule).toBe('default: drop');
    expect(p.name).toBe('checkout');
  });

  it('decides in the order drop > encrypt > hash > generalize > allow > default', () => {
    const p = definePolicy({
      version: 1,
      keys: {
        hmac: { id: 'k1', env: 'OTEL_PRIVACY_TEST_HMAC' },
        encryption: { id: 'e1', env: 'OTEL_PRIVACY_TEST_ENC' },
      },
      attributes: {
        allow: ['a.*'],
        generalize: { 'a.*': 'ip-prefix' },
        hash: ['a.*'],
        encrypt: ['a.*'],
        drop: ['a.x'],
        default: 'mask',
      },
    });
    const r = p.sanitizer('logs').rules;
    expect([r.decide('a.x').action, r.decide('a.y').action, r.decide('b').action]).toEqual(['drop', 'encrypt', 'mask']);
    const p2 = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'OTEL_PRIVACY_TEST_HMAC' } },
      attributes: { allow: ['a.*'], generalize: { 'a.*': 'ip-prefix' }, hash: ['a.h'] },
    });
    const r2 = p2.sanitizer('traces').rules;
    expect([r2.decide('a.h').action, r2.decide('a.g').action]).toEqual(['hash', 'generalize']);
  });

  it('merges signal and scope blocks over the top level', () => {
    const p = loadPolicy(join(valid, 'checkout.yaml'));
    expect(p.sanitizer('traces').rules.decide('db.password').action).toBe('drop');
    const pg = p.sanitizer('traces', '@opentelemetry/instrumentation-pg');
    expect(pg.rules.decide('db.pool.name').action).toBe('allow');
    expect(pg.rules.decide('db.password').action).toBe('drop'); // drop still wins
    expect(pg.rules.decide('db.query.text').rule).toBe('allow "db.query.text" + statement sanitizer');
    expect(p.sanitizer('traces', '@opentelemetry/instrumentation-http').rules.decide('db.pool.name').action).toBe(
      'drop',
    );
    expect(p.sanitizer('traces', '@opentelemetry/instrumentation-http')).toBe(p.sanitizer('traces'));
  });

  it('is immutable', () => {
    const p = loadPolicy(join(valid, 'checkout.yaml'));
    expect(() => {
      (p.document.attributes!.allow as string[]).push('*');
    }).toThrow(TypeError);
  });

  it('ships a documented default policy that needs an HMAC key', () => {
    const yaml = readFileSync(resolve(__dirname, '../../policy/default-policy.yaml'), 'utf8');
    expect(yaml).toMatch(/^# otel-privacy default policy/);
    const p = defaultPolicy();
    const r = p.sanitizer('traces').rules;
    for (const k of [
      'http.request.method',
      'http.route',
      'http.response.status_code',
      'url.scheme',
      'url.path',
      'server.address',
      'rpc.method',
      'db.system.name',
      'exception.type',
    ])
      expect([k, r.decide(k).action]).toEqual([k, 'allow']);
    for (const k of ['user.id', 'enduser.id', 'session.id']) expect([k, r.decide(k).action]).toEqual([k, 'hash']);
    for (const k of [
      'http.request.header.authorization',
      'user.email',
      'user_agent.original',
      'exception.message',
      'exception.stacktrace',
      'app.password',
    ])
      expect([k, r.decide(k).action]).toEqual([k, 'drop']);
    for (const k of ['url.full', 'url.query', 'http.url', 'http.target'])
      expect([k, r.decide(k).rule]).toEqual([k, `allow "${k}" + url sanitizer`]);
    for (const k of ['db.query.text', 'db.statement'])
      expect([k, r.decide(k).rule]).toEqual([k, `allow "${k}" + statement sanitizer`]);
    expect(r.decide('client.address').action).toBe('generalize');
    delete process.env.OTEL_PRIVACY_HMAC_KEY;
    expect(() => defaultPolicy()).toThrowError(
      /^default-policy\.yaml:\d+ keys\.hmac\.env: environment variable OTEL_PRIVACY_HMAC_KEY is not set$/,
    );
  });

  it('the published JSON Schema is generated from the zod schema and up to date (run `npm run schema`)', () => {
    const committed = JSON.parse(readFileSync(resolve(__dirname, '../../policy/policy.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(policyJsonSchema())));
    expect(committed.additionalProperties).toBe(false);
  });

  it('the TypeScript document types are generated from the same schema and up to date (run `npm run schema`)', async () => {
    const committed = readFileSync(resolve(__dirname, '../../policy/policy-document.ts'), 'utf8');
    expect(committed).toBe(await policyDocumentTypes());
  });
});

describe('the engine', () => {
  const policy = () =>
    definePolicy({
      version: 1,
      keys: {
        hmac: { id: 'k1', env: 'OTEL_PRIVACY_TEST_HMAC' },
        encryption: { id: 'e1', env: 'OTEL_PRIVACY_TEST_ENC' },
      },
      attributes: {
        allow: ['http.*', 'tags', 'ok.*'],
        hash: ['user.id', 'http.request.body.user.id'],
        encrypt: ['user.email', 'http.request.body.user.email'],
        drop: ['*password*'],
        generalize: { 'client.address': 'ip-prefix' },
      },
    });

  it('hashes with HMAC-SHA256 and the documented output format', () => {
    const s = policy().sanitizer('traces');
    expect(s.sanitizeValue('user.id', 'alice-0001')).toBe(expectedPseudonym('alice-0001'));
    expect(s.sanitizeValue('user.id', 4711)).toBe(expectedPseudonym('4711'));
    expect(s.sanitizeValue('user.id', ['a', 'b'])).toBe(expectedPseudonym('["a","b"]'));
  });

  it('caches pseudonyms in bounded generations without changing results', () => {
    const p = new Pseudonymizer({ id: 'k1', bytes: Buffer.from(HMAC_KEY) }, 100);
    const cache = Object.values(p).find((v) => v instanceof TwoGenerationCache);
    const maps = Object.values(cache as object).filter((v): v is Map<string, string> => v instanceof Map);
    const first = Array.from({ length: 350 }, (_, i) => p.pseudonym(`fake-id-${i}`));
    // ids seen once are not kept (stored at their second sighting)
    expect(Object.values(cache as object).filter((v) => v instanceof Map && v.size > 0)).toHaveLength(0);
    const again = Array.from({ length: 350 }, (_, i) => p.pseudonym(`fake-id-${i}`));
    expect(again).toEqual(first);
    expect(first[349]).toBe(expectedPseudonym('fake-id-349'));
    expect(Object.values(cache as object).some((v) => v instanceof Map && v.has('fake-id-349'))).toBe(true);
    expect(maps).toHaveLength(2);
    for (const m of maps) expect(m.size).toBeLessThanOrEqual(100);
    expect(p.pseudonym('x'.repeat(300))).toBe(expectedPseudonym('x'.repeat(300)));
  });

  it('computes exactly the HMAC-SHA256 of node:crypto (precomputed pads, every input length and key length)', () => {
    const keys = [Buffer.from(HMAC_KEY), Buffer.alloc(64, 0xa5), Buffer.alloc(65, 0x3c), Buffer.alloc(200, 0x11)];
    const out = new Uint8Array(32);
    for (const key of keys) {
      const h = new HmacSha256(key);
      const check = (input: string) => {
        h.mac(input, out);
        expect(Buffer.from(out).toString('hex'), JSON.stringify(input)).toBe(
          createHmac('sha256', key).update(input, 'utf8').digest('hex'),
        );
      };
      // Every length around the block boundaries (55/56/64/119/120 bytes), ASCII and multi-byte, and the native fallback.
      for (let n = 0; n <= 300; n++) check('x'.repeat(n));
      for (let n = 0; n <= 100; n++) check('ü'.repeat(n));
      for (const s of ['\ud800', 'a\udc00b', '😀', '€'.repeat(85), 'ab'.repeat(200)]) check(s);
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => check(s)),
        { numRuns: 300 },
      );
    }
  });

  it('encrypts with AES-256-GCM bound to the attribute key, and decryptToken round-trips', () => {
    const s = policy().sanitizer('traces');
    const t1 = s.sanitizeValue('user.email', 'fake.person@example.com') as string;
    const t2 = s.sanitizeValue('user.email', 'fake.person@example.com') as string;
    expect(t1).toMatch(/^enc:v1:e1:[A-Za-z0-9_-]+$/);
    expect(t1).not.toBe(t2); // random IV
    expect(decryptToken(t1, ENC_KEY, 'user.email')).toBe('fake.person@example.com');
    expect(decryptToken(t2, { id: 'e1', bytes: ENC_KEY }, 'user.email')).toBe('fake.person@example.com');
    expect(() => decryptToken(t1, ENC_KEY, 'user.name')).toThrow(/failed authentication/);
    expect(() => decryptToken(t1, Buffer.alloc(32, 8), 'user.email')).toThrow(/failed authentication/);
    expect(() => decryptToken(t1, { id: 'e2', bytes: ENC_KEY }, 'user.email')).toThrow(/key "e1"/);
    const flipped = t1.slice(0, -2) + (t1.at(-2) === 'A' ? 'B' : 'A') + t1.at(-1);
    expect(() => decryptToken(flipped, ENC_KEY, 'user.email')).toThrow();
  });

  it('generalizes IP addresses and drops values that are not IPs', () => {
    const s = policy().sanitizer('traces');
    expect(s.sanitizeValue('client.address', '203.0.113.77')).toBe('203.0.113.0');
    expect(s.sanitizeValue('client.address', '2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::');
    expect(s.sanitizeValue('client.address', '2001:db8::1')).toBe('2001:db8::');
    expect(s.sanitizeValue('client.address', '::ffff:198.51.100.9')).toBe('::ffff:198.51.100.0');
    expect(s.sanitizeValue('client.address', 'fake.host.example')).toBe(DROPPED);
    expect(s.sanitizeValue('client.address', 12345)).toBe(DROPPED);
  });

  it('recurses into maps under kept keys with dotted keys, and into arrays', () => {
    const s = policy().sanitizer('traces');
    const out = s.sanitize({
      'http.request.body': {
        user: { id: 'u-1', email: 'fake@example.com', password: 'hunter2', nickname: 'x' },
        items: [{ sku: 'A1' }],
      },
      tags: ['a', 'b'],
      'other.key': 'gone',
      'db.password': 'hunter2',
    });
    const body = out['http.request.body'] as Record<string, Record<string, unknown>>;
    expect(body.user.id).toBe(expectedPseudonym('u-1'));
    expect(decryptToken(body.user.email as string, ENC_KEY, 'http.request.body.user.email')).toBe('fake@example.com');
    expect(body.user).not.toHaveProperty('password');
    expect(body.user.nickname).toBe('x'); // http.* allows http.request.body.user.nickname
    expect(body.items).toEqual([{ sku: 'A1' }]);
    expect(out.tags).toEqual(['a', 'b']);
    expect(out).not.toHaveProperty('other.key');
    expect(out).not.toHaveProperty('db.password');
  });

  it('keeps bytes and nulls, masks with default: mask, pseudonymizes with default: hash', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(policy().sanitizer('traces').sanitize({ 'http.body': bytes, 'http.none': null })).toEqual({
      'http.body': bytes,
      'http.none': null,
    });
    const masked = definePolicy({ version: 1, attributes: { default: 'mask' } }).sanitizer('traces');
    // a string becomes the mask; a number, boolean, array or map goes (no attribute changes type)
    expect(masked.sanitize({ a: 'secret', b: 3, c: true, d: ['x'], e: 'y', f: null })).toEqual({ a: MASK, e: MASK });
    const hashed = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'OTEL_PRIVACY_TEST_HMAC' } },
      attributes: { default: 'hash' },
    }).sanitizer('traces');
    expect(hashed.sanitize({ a: 'v' })).toEqual({ a: expectedPseudonym('v') });
  });

  it('handles prototype keys as plain keys and bounds nesting depth (fail closed)', () => {
    const s = definePolicy({ version: 1, attributes: { allow: ['ok*'] } }).sanitizer('traces');
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "ok": {"__proto__": "x", "constructor": "y"}}');
    const out = s.sanitize(evil);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['ok']);
    expect(Object.keys(out.ok as object).sort()).toEqual(['__proto__', 'constructor']);
    let deep: Record<string, unknown> = { leaf: 'v' };
    for (let i = 0; i < 100; i++) deep = { n: deep };
    expect(s.sanitize({ ok: deep })).toEqual({});
  });

  it('counts every decision per rule', () => {
    const p = policy();
    p.sanitizer('traces').sanitize({ 'user.id': 'a', 'http.route': '/x', 'x.password': 'p', zzz: 1 });
    p.sanitizer('traces').sanitize({ 'user.id': 'b' });
    const stats = Object.fromEntries(p.ruleStats().map((r) => [`${r.signal} ${r.rule}`, r.count]));
    expect(stats).toMatchObject({
      'traces hash "user.id"': 2,
      'traces allow "http.*"': 1,
      'traces drop "*password*"': 1,
      'traces default: drop': 1,
    });
  });
});

describe('Policy.sanitizer with scopes blocks', () => {
  it('compiles one rule set per combination of matching patterns, also for more scope names than the cache holds', () => {
    const p = definePolicy({
      version: 1,
      attributes: { allow: ['http.route'] },
      scopes: {
        '@fake/db-*': { attributes: { allow: ['db.system'] } },
        '@fake/*': { attributes: { allow: ['fake.tier'] } },
      },
    });
    const first = p.sanitizer('traces', '@fake/db-0');
    expect(first.sanitize({ 'http.route': '/a', 'db.system': 'pg', 'fake.tier': 'gold', 'user.id': 'u' })).toEqual({
      'http.route': '/a',
      'db.system': 'pg',
      'fake.tier': 'gold',
    });
    for (let i = 1; i < 600; i++) expect(p.sanitizer('traces', `@fake/db-${i}`)).toBe(first);
    const other = p.sanitizer('traces', '@fake/http');
    expect(other).not.toBe(first);
    expect(other.sanitize({ 'db.system': 'pg', 'fake.tier': 'gold' })).toEqual({ 'fake.tier': 'gold' });
    expect(p.sanitizer('traces', 'unrelated')).toBe(p.sanitizer('traces'));
    expect(p.sanitizer('logs', '@fake/db-0')).not.toBe(first);
    expect(
      p
        .ruleStats()
        .filter((r) => r.scope === '@fake/db-*, @fake/*' && r.signal === 'traces')
        .map((r) => r.rule),
    ).toContain('allow "db.system"');
  });
});
