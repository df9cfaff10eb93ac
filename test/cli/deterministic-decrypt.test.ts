import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTION_DATA_KEY_ATTRIBUTE, PrivacySpanProcessor, loadPolicy } from '../../index';
import { cliBinary, runCli } from './cli-harness';

// Tokens of the deterministic mode (encrypt: [{ key, deterministic: true }]) decrypt with the unchanged
// `otel-privacy decrypt`, by key ring (enc:v1, key picked by the token's id) and by private key + data key (enc:v2),
// exactly like tokens of the random mode written by the same policy.
let bin: string;
let work: string;
beforeAll(async () => {
  bin = await cliBinary();
  work = mkdtempSync(join(tmpdir(), 'otel-privacy-deterministic-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const RULES = 'attributes:\n  encrypt: [user.email, { key: user.id, deterministic: true }]\n';
const VALUES = ['fake-user-7', 'Fake Ünïcode 名前 🙂', ''];

/** Two spans per value through a real provider; the tokens of user.id and user.email, and the wrapped data key. */
function export2(policyFile: string) {
  const policy = loadPolicy(policyFile);
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  for (const v of VALUES)
    for (let i = 0; i < 2; i++)
      provider
        .getTracer('t')
        .startSpan('op', { attributes: { 'user.id': v, 'user.email': v } })
        .end();
  const spans = exporter.getFinishedSpans();
  return {
    ids: spans.map((s) => s.attributes['user.id'] as string),
    emails: spans.map((s) => s.attributes['user.email'] as string),
    dataKey: spans[0]!.resource.attributes[ENCRYPTION_DATA_KEY_ATTRIBUTE] as string | undefined,
  };
}

const expected = VALUES.flatMap((v) => [v, v])
  .map((v) => `${v}\n`)
  .join('');

describe('otel-privacy decrypt opens deterministic tokens', () => {
  it('enc:v1 through a key ring: both modes decrypt; only the deterministic tokens repeat', async () => {
    const k1 = `base64:${randomBytes(32).toString('base64')}`;
    const k0 = `base64:${randomBytes(32).toString('base64')}`;
    writeFileSync(join(work, 'e1.key'), `${k1}\n`);
    const policy = join(work, 'v1.yaml');
    writeFileSync(policy, `version: 1\nkeys:\n  encryption:\n    - { id: e1, file: e1.key }\n${RULES}`);
    const { ids, emails } = export2(policy);
    for (const t of [...ids, ...emails]) expect(t).toMatch(/^enc:v1:e1:/);
    for (let i = 0; i < ids.length; i += 2) {
      expect(ids[i]).toBe(ids[i + 1]);
      expect(emails[i]).not.toBe(emails[i + 1]);
    }
    const ring = join(work, 'ring.yaml');
    writeFileSync(ring, 'encryption:\n  - { id: e0, env: CLI_DET_E0 }\n  - { id: e1, file: e1.key }\n');
    const env = { CLI_DET_E0: k0 };
    const byId = await runCli(bin, ['decrypt', '--key-ring', ring, '--attribute', 'user.id', ...ids], { env });
    expect(byId.stderr).toBe('');
    expect(byId.stdout).toBe(expected);
    const byEmail = await runCli(bin, ['decrypt', '--key-ring', ring, '--attribute', 'user.email', ...emails], { env });
    expect(byEmail.stdout).toBe(expected);
    // bound to the attribute key: user.id tokens do not open as user.email
    const crossed = await runCli(bin, ['decrypt', '--key-ring', ring, '--attribute', 'user.email', ids[0]!], { env });
    expect(crossed.code).toBe(1);
    expect(crossed.stderr).toMatch(/failed authentication/);
    // tampered: one byte of the ciphertext changed
    const body = Buffer.from(ids[0]!.slice('enc:v1:e1:'.length), 'base64url');
    body[13] = body[13]! ^ 1;
    const tampered = `enc:v1:e1:${body.toString('base64url')}`;
    const bad = await runCli(bin, ['decrypt', '--key-ring', ring, '--attribute', 'user.id', tampered], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/failed authentication/);
    for (const r of [byId, byEmail, crossed, bad]) expect(r.stdout + r.stderr).not.toContain(k1.slice(7, 30));
    // explain names the mode of each rule
    const det = await runCli(bin, ['explain', '--policy', policy, 'user.id']);
    expect(det.stdout).toContain('decision: encrypt, by encrypt "user.id" (deterministic)');
    expect(det.stdout).toMatch(/value: .*deterministic: equal values give equal tokens/);
    const random = await runCli(bin, ['explain', '--policy', policy, 'user.email']);
    expect(random.stdout).toContain('decision: encrypt, by encrypt "user.email" (');
    expect(random.stdout).not.toContain('deterministic');
  }, 120_000);

  it('enc:v2 with the private key and the data key: both modes decrypt; only the deterministic tokens repeat', async () => {
    const prefix = join(work, 'ops');
    expect((await runCli(bin, ['keygen', '--type', 'recipient', '--out', prefix])).code).toBe(0);
    const policy = join(work, 'v2.yaml');
    writeFileSync(policy, `version: 1\nkeys:\n  encryption:\n    - { id: ops, recipient: ops.pub.pem }\n${RULES}`);
    const { ids, emails, dataKey } = export2(policy);
    for (const t of [...ids, ...emails]) expect(t).toMatch(/^enc:v2:/);
    for (let i = 0; i < ids.length; i += 2) {
      expect(ids[i]).toBe(ids[i + 1]);
      expect(emails[i]).not.toBe(emails[i + 1]);
    }
    const args = ['decrypt', '--key', `${prefix}.pem`, '--data-key', dataKey!];
    const byId = await runCli(bin, [...args, '--attribute', 'user.id', ...ids]);
    expect(byId.stderr).toBe('');
    expect(byId.stdout).toBe(expected);
    const byEmail = await runCli(bin, [...args, '--attribute', 'user.email', ...emails]);
    expect(byEmail.stdout).toBe(expected);
    const crossed = await runCli(bin, [...args, '--attribute', 'user.email', ids[0]!]);
    expect(crossed.code).toBe(1);
    expect(crossed.stderr).toMatch(/failed authentication/);
  }, 120_000);
});
