import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ENCRYPTION_DATA_KEY_ATTRIBUTE,
  PrivacySpanProcessor,
  decryptRecipientToken,
  decryptToken,
  definePolicy,
  loadPolicy,
  unwrapDataKey,
} from '../../index';
import type { Policy } from '../../index';
import { DeterministicSealer } from '../../engine/crypto/deterministic-sealer';
import { FieldEncryptor, GcmSealer, parseToken } from '../../engine/crypto/field-encryption';
import { keyMaterial } from '../../engine/crypto/key-material';
import { RecipientFieldEncryptor, parseRecipientKey } from '../../engine/crypto/recipient-encryption';

// The deterministic mode of `encrypt` rules ({ key, deterministic: true }): equal values under the same attribute key
// and key give equal tokens, in the same token format as the random mode (so the same decryption), and nothing else
// about the random mode changes.

const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-deterministic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const E1 = randomBytes(32);
const E2 = randomBytes(32);
process.env.DETERMINISTIC_TEST_E1 = `base64:${E1.toString('base64')}`;
process.env.DETERMINISTIC_TEST_E2 = `base64:${E2.toString('base64')}`;

const ENCRYPT = ['user.email', { key: 'user.id', deterministic: true }, { key: 'id.*', deterministic: true }];

function sharedKeyPolicy(env = 'DETERMINISTIC_TEST_E1', id = 'e1'): Policy {
  return definePolicy({ version: 1, keys: { encryption: { id, env } }, attributes: { encrypt: ENCRYPT } });
}

const x25519 = generateKeyPairSync('x25519');
const recipientFile = join(dir, 'ops.pub.pem');
writeFileSync(recipientFile, x25519.publicKey.export({ format: 'pem', type: 'spki' }));

function recipientPolicy(): Policy {
  const file = join(dir, 'recipient.yaml');
  writeFileSync(
    file,
    `version: 1\nkeys:\n  encryption: { id: ops, recipient: ${JSON.stringify(recipientFile)} }\n` +
      `attributes:\n  encrypt: ${JSON.stringify(ENCRYPT)}\n`,
  );
  return loadPolicy(file);
}

/** Exports one span per attribute map through a real SDK provider with the privacy processor; returns the spans. */
function exportSpans(policy: Policy, items: Record<string, string>[]) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  for (const attributes of items) provider.getTracer('t').startSpan('op', { attributes }).end();
  return exporter.getFinishedSpans();
}

/** Opens any token of these tests: enc:v1 with the key ring, enc:v2 with the private key and the data key. */
function open(token: string, attributeKey: string, dataKey?: string): string {
  if (token.startsWith('enc:v1:'))
    return decryptToken(token, [keyMaterial('e1', E1), keyMaterial('e2', E2)], attributeKey);
  const { id, bytes } = unwrapDataKey(dataKey!, x25519.privateKey);
  return decryptRecipientToken(token, new Map([[id, bytes]]), attributeKey);
}

const modes = [
  { name: 'enc:v1 (shared key)', policy: () => sharedKeyPolicy(), prefix: /^enc:v1:e1:/ },
  { name: 'enc:v2 (recipient key)', policy: () => recipientPolicy(), prefix: /^enc:v2:[A-Za-z0-9_-]+:/ },
];

describe('deterministic field encryption (encrypt: [{ key, deterministic: true }])', () => {
  for (const mode of modes) {
    it(`${mode.name}: equal values give equal tokens only under a deterministic rule; every token decrypts`, () => {
      const policy = mode.policy();
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (value) => {
          const spans = exportSpans(policy, [
            { 'user.id': value, 'user.email': value },
            { 'user.id': value, 'user.email': value },
          ]);
          const [a, b] = spans.map((s) => s.attributes);
          const dataKey = spans[0]!.resource.attributes[ENCRYPTION_DATA_KEY_ATTRIBUTE] as string | undefined;
          expect(a!['user.id']).toMatch(mode.prefix);
          expect(a!['user.id']).toBe(b!['user.id']); // deterministic: linkable, like a pseudonym
          expect(a!['user.email']).not.toBe(b!['user.email']); // random: never
          for (const s of [a!, b!]) {
            expect(open(s['user.id'] as string, 'user.id', dataKey)).toBe(value);
            expect(open(s['user.email'] as string, 'user.email', dataKey)).toBe(value);
          }
        }),
        { numRuns: 60 },
      );
    });

    it(`${mode.name}: the attribute key is bound (different keys, different tokens; no cross-decryption)`, () => {
      const policy = mode.policy();
      const s = policy.sanitizer('traces');
      const dataKey = exportSpans(policy, [{}])[0]!.resource.attributes[ENCRYPTION_DATA_KEY_ATTRIBUTE] as
        string | undefined;
      fc.assert(
        fc.property(fc.string({ maxLength: 30 }), fc.string({ minLength: 1, maxLength: 8 }), (value, suffix) => {
          const keyA = 'id.a';
          const keyB = `id.a${suffix}`;
          const ta = s.sanitizeValue(keyA, value) as string;
          const tb = s.sanitizeValue(keyB, value) as string;
          expect(ta).not.toBe(tb);
          // and the synthetic IVs differ: the attribute key is in the IV's input, length-prefixed
          expect(parseToken(ta).body.subarray(0, 12).equals(parseToken(tb).body.subarray(0, 12))).toBe(false);
          expect(() => open(ta, keyB, dataKey)).toThrow(/failed authentication/);
          expect(() => open(tb, keyA, dataKey)).toThrow(/failed authentication/);
          // a repeat through the cache still gives each attribute key its own token
          expect(s.sanitizeValue(keyA, value)).toBe(ta);
          expect(s.sanitizeValue(keyB, value)).toBe(tb);
        }),
        { numRuns: 80 },
      );
    });
  }

  it('attribute key and value cannot trade characters: ("id.a", "bc") and ("id.ab", "c") get different IVs', () => {
    const s = sharedKeyPolicy().sanitizer('traces');
    const ivOf = (key: string, value: string) => parseToken(s.sanitizeValue(key, value) as string).body.subarray(0, 12);
    expect(ivOf('id.a', 'bc').equals(ivOf('id.ab', 'c'))).toBe(false);
    expect(ivOf('id.a', '').equals(ivOf('id.', 'a'))).toBe(false);
  });

  it('another key (or key id) gives other tokens, and each decrypts with its own key from a ring', () => {
    const t1 = sharedKeyPolicy('DETERMINISTIC_TEST_E1', 'e1').sanitizer('traces').sanitizeValue('user.id', 'u-1');
    const t2 = sharedKeyPolicy('DETERMINISTIC_TEST_E2', 'e2').sanitizer('traces').sanitizeValue('user.id', 'u-1');
    expect(t1).toMatch(/^enc:v1:e1:/);
    expect(t2).toMatch(/^enc:v1:e2:/);
    expect((t1 as string).slice(10)).not.toBe((t2 as string).slice(10));
    expect(open(t1 as string, 'user.id')).toBe('u-1');
    expect(open(t2 as string, 'user.id')).toBe('u-1');
  });

  it('enc:v2: two processes (two data keys) give different tokens for one value; each opens with its data key', () => {
    const recipient = parseRecipientKey(
      'ops',
      Buffer.from(x25519.publicKey.export({ format: 'pem', type: 'spki' })),
      'test',
    );
    const a = new RecipientFieldEncryptor(recipient);
    const b = new RecipientFieldEncryptor(recipient); // same process: the same data key, the same token
    expect(b.encryptDeterministic('u-1', 'user.id')).toBe(a.encryptDeterministic('u-1', 'user.id'));
    const span = exportSpans(recipientPolicy(), [{ 'user.id': 'u-1' }])[0]!;
    expect(span.attributes['user.id']).toBe(a.encryptDeterministic('u-1', 'user.id'));
    expect(open(span.attributes['user.id'] as string, 'user.id', a.wrappedDataKey)).toBe('u-1');
  });

  it('any tampering with a deterministic token fails authentication (generated single-character edits)', () => {
    const token = sharedKeyPolicy().sanitizer('traces').sanitizeValue('user.id', 'fake-user-42') as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const body = token.indexOf(':', 'enc:v1:'.length) + 1;
    fc.assert(
      fc.property(fc.integer({ min: body, max: token.length - 1 }), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(token[at] !== ch);
        const edited = token.slice(0, at) + ch + token.slice(at + 1);
        // The last character carries only 4 bits of the tag plus padding; an edit there can decode to the same
        // bytes (base64url is not canonical), which is not a tampered token.
        fc.pre(!parseToken(edited).body.equals(parseToken(token).body));
        expect(() => open(edited, 'user.id')).toThrow(/failed authentication/);
      }),
      { numRuns: 200 },
    );
  });

  it('the token cache is bounded and never changes a token: evicted values come back with the same token', () => {
    const key = randomBytes(32);
    const sealer = new DeterministicSealer(key, new GcmSealer(key), 'enc:v1:t:', 8);
    const cache = (sealer as unknown as { cache: { current: Map<string, unknown>; previous: Map<string, unknown> } })
      .cache;
    const first = sealer.seal('value-0', 'user.id');
    let most = 0;
    // 20 values over and over (more than two generations of 8 hold), then 500 new ones, then the 20 again
    const offer = (i: number) => {
      const t = sealer.seal(`value-${i}`, 'user.id');
      if (i === 0) expect(t).toBe(first);
      most = Math.max(most, cache.current.size + cache.previous.size);
    };
    for (let round = 0; round < 10; round++) for (let i = 0; i < 20; i++) offer(i);
    for (let i = 1000; i < 1500; i++) offer(i);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 20; i++) offer(i);
    expect(most).toBeGreaterThan(8); // it does cache (values seen twice are stored)
    expect(most).toBeLessThanOrEqual(16); // at most two generations of 8
    expect(decryptToken(first, key, 'user.id')).toBe('value-0');
    // a value over 256 characters is encrypted but never cached
    const long = 'x'.repeat(257);
    for (let i = 0; i < 3; i++) sealer.seal(long, 'user.id');
    expect(cache.current.has(long) || cache.previous.has(long)).toBe(false);
  });

  it('a cached token is the token of that value under that attribute key (generated interleavings of keys)', () => {
    // The cache holds bare tokens for the first attribute key it saw and wrapped ones for the others; whatever the
    // order, a hit must be exactly what sealing afresh gives, never another attribute key's token.
    const key = randomBytes(32);
    const fresh = new GcmSealer(key);
    const ivs = new DeterministicSealer(key, fresh, 'enc:v1:t:');
    const expected = (value: string, attributeKey: string) =>
      'enc:v1:t:' + fresh.sealWithIv(value, fresh.associatedData(attributeKey), ivs.syntheticIv(value, attributeKey));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('user.id', 'enduser.id', 'id.a', ''), fc.constantFrom('u-1', 'u-2', '')), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 4 }),
        (offers, cacheSize) => {
          const sealer = new DeterministicSealer(key, new GcmSealer(key), 'enc:v1:t:', cacheSize);
          for (const [attributeKey, value] of offers) {
            const token = sealer.seal(value, attributeKey);
            expect(token).toBe(expected(value, attributeKey));
            expect(decryptToken(token, key, attributeKey)).toBe(value);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the encryptors and the sealer print no key and no cached value', () => {
    const enc = new FieldEncryptor(keyMaterial('e1', E1));
    enc.encryptDeterministic('fake-secret-value@example.test', 'user.id');
    enc.encryptDeterministic('fake-secret-value@example.test', 'user.id');
    const printed = inspect(enc, { depth: 10, showHidden: true }) + JSON.stringify(enc);
    expect(printed).not.toContain('fake-secret-value');
    expect(printed).not.toContain(E1.toString('hex').slice(0, 16));
    const sealer = (enc as unknown as { deterministic: DeterministicSealer }).deterministic;
    expect(inspect(sealer, { depth: 10, showHidden: true })).toBe('DeterministicSealer {}');
  });
});

describe('the deterministic option in the policy', () => {
  it('a bad option is refused in one line naming where it is', () => {
    const bad = (encrypt: unknown[]) => () =>
      definePolicy({
        version: 1,
        keys: { encryption: { id: 'e1', env: 'DETERMINISTIC_TEST_E1' } },
        attributes: { encrypt: encrypt as never },
      });
    for (const [encrypt, where] of [
      [[{ key: 'user.id', deterministic: 'yes' }], /attributes\.encrypt\[0\]/],
      [[{ key: '', deterministic: true }], /attributes\.encrypt\[0\]/],
      [['user.email', { key: 'user.id', deterministc: true }], /attributes\.encrypt\[1\]/],
      [[{ deterministic: true }], /attributes\.encrypt\[0\]/],
    ] as const) {
      expect(bad(encrypt as unknown as unknown[])).toThrow(where);
      try {
        bad(encrypt as unknown as unknown[])();
      } catch (err) {
        expect((err as Error).message.trim().split('\n').length).toBeLessThanOrEqual(3);
      }
    }
  });

  it('a glob listed both ways stays random (the stronger mode wins); the rule names the mode', () => {
    const policy = definePolicy({
      version: 1,
      keys: { encryption: { id: 'e1', env: 'DETERMINISTIC_TEST_E1' } },
      attributes: {
        encrypt: ['user.id', { key: 'user.id', deterministic: true }, { key: 'user.name', deterministic: true }],
      },
    });
    const s = policy.sanitizer('traces');
    expect(s.sanitizeValue('user.id', 'u')).not.toBe(s.sanitizeValue('user.id', 'u'));
    expect(s.sanitizeValue('user.name', 'u')).toBe(s.sanitizeValue('user.name', 'u'));
    expect(s.rules.decide('user.name').rule).toBe('encrypt "user.name" (deterministic)');
    expect(s.rules.decide('user.id').rule).toBe('encrypt "user.id"');
  });

  it('a per-signal block can make a key deterministic for that signal only', () => {
    const policy = definePolicy({
      version: 1,
      keys: { encryption: { id: 'e1', env: 'DETERMINISTIC_TEST_E1' } },
      attributes: { encrypt: ['user.email'] },
      logs: { attributes: { encrypt: [{ key: 'user.id', deterministic: true }] } },
    });
    const logs = policy.sanitizer('logs');
    expect(logs.sanitizeValue('user.id', 'u')).toBe(logs.sanitizeValue('user.id', 'u'));
    const traces = policy.sanitizer('traces');
    expect(String(traces.sanitizeValue('user.id', 'u'))).not.toMatch(/^enc:/);
  });
});
