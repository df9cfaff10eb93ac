import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, decryptToken, definePolicy, loadPolicy } from '../../index';
import type { Policy, PolicyDocument } from '../../index';
import { keyMaterial } from '../../engine/crypto/key-material';
import { PolicyError } from '../../policy/policy-error';

const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-rings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const H1 = randomBytes(32);
const H2 = randomBytes(32);
const E1 = randomBytes(32);
const E2 = randomBytes(32);
process.env.RING_H1 = `base64:${H1.toString('base64')}`;
process.env.RING_H2 = `base64:${H2.toString('base64')}`;
process.env.RING_E1 = `base64:${E1.toString('base64')}`;
process.env.RING_E2 = `base64:${E2.toString('base64')}`;

function policyWith(keys: PolicyDocument['keys']): Policy {
  return definePolicy({ version: 1, keys, attributes: { hash: ['user.id'], encrypt: ['user.email'] } });
}

function exportOne(policy: Policy, attributes: Record<string, string>) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  provider.getTracer('t').startSpan('op', { attributes }).end();
  return exporter.getFinishedSpans()[0]!.attributes;
}

const era1 = { hmac: { id: 'h1', env: 'RING_H1' }, encryption: { id: 'e1', env: 'RING_E1' } };
const era2 = {
  hmac: [
    { id: 'h2', env: 'RING_H2' },
    { id: 'h1', env: 'RING_H1' },
  ],
  encryption: [
    { id: 'e2', env: 'RING_E2' },
    { id: 'e1', env: 'RING_E1' },
  ],
};

describe('key rings (keys.hmac / keys.encryption as lists)', () => {
  it('the first key writes; pseudonyms and tokens carry its id; pseudonymsOf finds the subject under every era', () => {
    const before = exportOne(policyWith(era1), { 'user.id': 'fake-user-42', 'user.email': 'f42@example.test' });
    const ring = policyWith(era2);
    const after = exportOne(ring, { 'user.id': 'fake-user-42', 'user.email': 'f42@example.test' });
    expect(before['user.id']).toMatch(/^h1:[A-Za-z0-9_-]{22}$/);
    expect(after['user.id']).toMatch(/^h2:[A-Za-z0-9_-]{22}$/);
    expect(after['user.email']).toMatch(/^enc:v1:e2:/);
    // Subject lookup: the pseudonyms under both keys, active first, equal to what each era wrote.
    expect(ring.pseudonymsOf('fake-user-42')).toEqual([after['user.id'], before['user.id']]);
    // Decryption by the token's id from the ring, old and new era.
    const keys = [keyMaterial('e2', E2), keyMaterial('e1', E1)];
    expect(decryptToken(before['user.email'] as string, keys, 'user.email')).toBe('f42@example.test');
    expect(decryptToken(after['user.email'] as string, keys, 'user.email')).toBe('f42@example.test');
    expect(() => decryptToken(after['user.email'] as string, [keys[1]!], 'user.email')).toThrow(
      /key "e2", which the key ring does not hold \(it holds "e1"\)/,
    );
  });

  it('a single key and a one-key ring behave the same (same pseudonyms, same token id)', () => {
    const single = exportOne(policyWith(era1), { 'user.id': 'fake-7' });
    const list = exportOne(policyWith({ hmac: [era1.hmac], encryption: [era1.encryption] }), { 'user.id': 'fake-7' });
    expect(list['user.id']).toBe(single['user.id']);
  });

  it('tokens in the format written before key rings still decrypt (an independent AES-256-GCM encoder)', () => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', E1, iv);
    c.setAAD(Buffer.from('user.email'));
    const body = Buffer.concat([iv, c.update('old@example.test', 'utf8'), c.final(), c.getAuthTag()]);
    const legacy = `enc:v1:e1:${body.toString('base64url')}`;
    expect(decryptToken(legacy, [keyMaterial('e2', E2), keyMaterial('e1', E1)], 'user.email')).toBe('old@example.test');
    expect(decryptToken(legacy, E1, 'user.email')).toBe('old@example.test');
  });

  it('a token without a key id (enc:v1::…) is refused as malformed, also with one raw key that would open its body', () => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', E1, iv);
    c.setAAD(Buffer.from('user.email'));
    const body = Buffer.concat([iv, c.update('fake@example.test', 'utf8'), c.final(), c.getAuthTag()]);
    const noId = `enc:v1::${body.toString('base64url')}`;
    expect(decryptToken(`enc:v1:e1:${body.toString('base64url')}`, E1, 'user.email')).toBe('fake@example.test');
    expect(() => decryptToken(noId, E1, 'user.email')).toThrow(/^malformed encryption token: missing key id$/);
    expect(() => decryptToken(noId, [keyMaterial('e1', E1)], 'user.email')).toThrow(/missing key id/);
  });

  it('an empty ring, a repeated id, and a broken later key are refused with the path and line', () => {
    const file = join(dir, 'bad.yaml');
    const cases: [string, RegExp][] = [
      ['keys:\n  hmac: []\n', /bad\.yaml:\d+ keys\.hmac: expected at least one key/],
      [
        'keys:\n  hmac:\n    - { id: h1, env: RING_H1 }\n    - { id: h1, env: RING_H2 }\n',
        /bad\.yaml:5 keys\.hmac\[1\]\.id: key id "h1" appears twice/,
      ],
      [
        'keys:\n  encryption:\n    - { id: e2, env: RING_E2 }\n    - { id: e1, env: RING_NOT_SET_ANYWHERE }\n',
        /bad\.yaml:5 keys\.encryption\[1\]\.env: environment variable RING_NOT_SET_ANYWHERE is not set/,
      ],
      [
        'keys:\n  encryption:\n    - { id: e2, env: RING_E2, recipient: x.pem }\n',
        /keys\.encryption\[0\]: expected exactly one of "env", "file" or "recipient"/,
      ],
    ];
    for (const [keys, message] of cases) {
      writeFileSync(file, `version: 1\n${keys}attributes:\n  hash: [user.id]\n`);
      let err: unknown;
      try {
        loadPolicy(file);
      } catch (e) {
        err = e;
      }
      expect(err, keys).toBeInstanceOf(PolicyError);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('with extends: default, your key replaces the default key whole (a file key is not merged with its env)', () => {
    const keyFile = join(dir, 'own-hmac.key');
    writeFileSync(keyFile, `base64:${H2.toString('base64')}`);
    process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${H1.toString('base64')}`;
    const layered = definePolicy({ version: 1, extends: 'default', keys: { hmac: { id: 'own', file: keyFile } } });
    const alone = definePolicy({
      version: 1,
      keys: { hmac: { id: 'own', file: keyFile } },
      attributes: { hash: ['user.id'] },
    });
    expect(layered.compiled.keys.hmac).toEqual({ id: 'own', file: keyFile });
    expect(layered.pseudonymsOf('fake-user-1')).toEqual(alone.pseudonymsOf('fake-user-1'));
  });

  it('a ring policy prints no key material', () => {
    const policy = policyWith(era2);
    const text = inspect(policy, { showHidden: true, depth: 20 }) + JSON.stringify(policy);
    for (const k of [H1, H2, E1, E2])
      for (const form of [k.toString('hex'), k.toString('base64'), k.toString('base64url')])
        expect(text).not.toContain(form);
  });
});
