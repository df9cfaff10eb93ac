import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTION_DATA_KEY_ATTRIBUTE, PrivacySpanProcessor, loadPolicy } from '../../index';
import { cliBinary, runCli } from './cli-harness';

// The key lifecycle commands end to end through the built binary: keygen key pairs, decrypt by key ring (picked by
// the token's id) and with a recipient's private key, sign and validate --verify. No key material in any output.
let bin: string;
let work: string;
beforeAll(async () => {
  bin = await cliBinary();
  work = mkdtempSync(join(tmpdir(), 'otel-privacy-keys-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tokensOf(policyFile: string, env: Record<string, string>, value: string) {
  Object.assign(process.env, env);
  const policy = loadPolicy(policyFile);
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  provider
    .getTracer('t')
    .startSpan('op', { attributes: { 'user.email': value } })
    .end();
  const span = exporter.getFinishedSpans()[0]!;
  return {
    token: span.attributes['user.email'] as string,
    dataKey: span.resource.attributes[ENCRYPTION_DATA_KEY_ATTRIBUTE] as string | undefined,
  };
}

describe('otel-privacy decrypt with key rings and recipient keys', () => {
  it('--key-ring picks each token’s key by its id (two eras); an unknown id is named, never a key', async () => {
    const k1 = `base64:${randomBytes(32).toString('base64')}`;
    const k2 = `base64:${randomBytes(32).toString('base64')}`;
    writeFileSync(join(work, 'e2.key'), `${k2}\n`);
    const old = join(work, 'era1.yaml');
    writeFileSync(
      old,
      'version: 1\nkeys: { encryption: { id: e1, env: CLI_RING_E1 } }\nattributes: { encrypt: [user.email] }\n',
    );
    const cur = join(work, 'era2.yaml');
    writeFileSync(
      cur,
      'version: 1\nkeys:\n  encryption:\n    - { id: e2, file: e2.key }\n    - { id: e1, env: CLI_RING_E1 }\nattributes: { encrypt: [user.email] }\n',
    );
    const t1 = tokensOf(old, { CLI_RING_E1: k1 }, 'era-one@example.test').token;
    const t2 = tokensOf(cur, { CLI_RING_E1: k1 }, 'era-two@example.test').token;
    expect(t1).toMatch(/^enc:v1:e1:/);
    expect(t2).toMatch(/^enc:v1:e2:/);
    const ring = join(work, 'ring.yaml');
    writeFileSync(ring, 'encryption:\n  - { id: e2, file: e2.key }\n  - { id: e1, env: CLI_RING_E1 }\n');
    const ok = await runCli(bin, ['decrypt', '--key-ring', ring, '--attribute', 'user.email', t1, t2], {
      env: { CLI_RING_E1: k1 },
    });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('era-one@example.test\nera-two@example.test\n');
    expect(ok.code).toBe(0);

    writeFileSync(ring, 'encryption:\n  - { id: e2, file: e2.key }\n');
    const partial = await runCli(bin, ['decrypt', '--key-ring', ring, '--attribute', 'user.email', t1, t2]);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toBe('era-two@example.test\n');
    expect(partial.stderr).toMatch(/token 1: token was encrypted with key "e1", which the key ring does not hold/);
    for (const out of [ok.stdout + ok.stderr, partial.stdout + partial.stderr])
      for (const k of [k1, k2]) expect(out).not.toContain(k.slice(7, 30));
  }, 120_000);

  it('keygen --type recipient writes a key pair; tokens of that recipient decrypt with --key <private.pem> and --data-key', async () => {
    const prefix = join(work, 'ops');
    const gen = await runCli(bin, ['keygen', '--type', 'recipient', '--out', prefix]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toBe(`${prefix}.pem\n${prefix}.pub.pem\n`);
    expect(statSync(`${prefix}.pem`).mode & 0o077).toBe(0);
    expect(readFileSync(`${prefix}.pub.pem`, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await runCli(bin, ['keygen', '--type', 'recipient', '--out', prefix]);
    expect(again.code).toBe(1); // never overwrites
    expect(again.stderr).toMatch(/EEXIST/);

    const policy = join(work, 'recipient.yaml');
    writeFileSync(
      policy,
      `version: 1\nkeys:\n  encryption:\n    - { id: ops, recipient: ops.pub.pem }\nattributes: { encrypt: [user.email] }\n`,
    );
    const { token, dataKey } = tokensOf(policy, {}, 'recipient@example.test');
    expect(token).toMatch(/^enc:v2:/);
    const dataKeys = join(work, 'data-keys.txt');
    writeFileSync(dataKeys, `# collected from the resources\n${dataKey}\n`);
    for (const given of [dataKey!, `@${dataKeys}`]) {
      const r = await runCli(bin, [
        'decrypt',
        '--key',
        `${prefix}.pem`,
        '--data-key',
        given,
        '--attribute',
        'user.email',
        token,
      ]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('recipient@example.test\n');
    }
    // the key ring form: a privateKey entry, picked by the recipient id
    const ring = join(work, 'ops-ring.yaml');
    writeFileSync(ring, 'encryption:\n  - { id: ops, privateKey: ops.pem }\n');
    const byRing = await runCli(bin, [
      'decrypt',
      '--key-ring',
      ring,
      '--data-key',
      dataKey!,
      '--attribute',
      'user.email',
      token,
    ]);
    expect(byRing.stdout).toBe('recipient@example.test\n');
    // without the wrapped data key, or with the public key, it says what is missing
    const noData = await runCli(bin, ['decrypt', '--key', `${prefix}.pem`, '--attribute', 'user.email', token]);
    expect(noData.code).toBe(1);
    expect(noData.stderr).toMatch(/no wrapped data key given has that id/);
    const pub = await runCli(bin, ['decrypt', '--key', `${prefix}.pub.pem`, '--attribute', 'user.email', token]);
    expect(pub.stderr).toMatch(/holds a public key; decrypting enc:v2 tokens needs the private key/);
    const priv = readFileSync(`${prefix}.pem`, 'utf8').split('\n')[1]!;
    for (const r of [gen, byRing, noData, pub]) expect(r.stdout + r.stderr).not.toContain(priv);
  }, 120_000);
});

describe('otel-privacy sign and validate --verify', () => {
  it('signs a manifest of the policy and the files it names; validate --verify checks each, identity and serial', async () => {
    const prefix = join(work, 'policy-signing');
    expect((await runCli(bin, ['keygen', '--type', 'signing', '--out', prefix])).code).toBe(0);
    expect((await runCli(bin, ['keygen', '--type', 'recipient', '--out', join(work, 'audit')])).code).toBe(0);
    const hmac = `base64:${randomBytes(32).toString('base64')}`;
    writeFileSync(join(work, 'signed-hmac.key'), `${hmac}\n`);
    const policy = join(work, 'signed.yaml');
    const body = (allow: string) =>
      `version: 1\nkeys:\n  hmac: { id: h1, file: signed-hmac.key }\n  encryption: { id: r1, recipient: audit.pub.pem }\nattributes: { allow: [${allow}], hash: [user.id], encrypt: [user.email] }\n`;
    writeFileSync(policy, body('http.route'));

    // no identity: refused; --name gives one
    const unnamed = await runCli(bin, ['sign', '--key', `${prefix}.pem`, policy]);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toMatch(/signed\.yaml has no name: give one with --name/);
    const signed = await runCli(bin, ['sign', '--key', `${prefix}.pem`, '--name', 'checkout', '--json', policy]);
    expect(signed.code, signed.stderr).toBe(0);
    const out = JSON.parse(signed.stdout);
    expect(out).toMatchObject({ policy, signature: `${policy}.sig`, name: 'checkout' });
    expect(out.serial).toBeGreaterThan(1_700_000_000); // from the clock
    expect(out.files).toEqual([
      { field: 'keys.hmac.file', path: 'signed-hmac.key' },
      { field: 'keys.encryption.recipient', path: 'audit.pub.pem' },
    ]);
    const sig = readFileSync(`${policy}.sig`, 'utf8');
    expect(sig).toMatch(
      /^\{\n {2}"format": "otel-privacy\.policy-manifest\.v1",[\s\S]*\n\}\ned25519:[A-Za-z0-9+/]{86}==\n$/,
    );
    expect(sig).not.toContain(hmac.slice(7));

    const env = { OTEL_PRIVACY_POLICY_PUBLIC_KEY: `${prefix}.pub.pem` };
    const ok = await runCli(bin, ['validate', '--verify', policy], { env });
    expect(ok.stdout).toMatch(
      new RegExp(`signed\\.yaml: ok \\(policy hash [0-9a-f]+; signed for "checkout", serial ${out.serial}, `),
    );
    expect(ok.code).toBe(0);

    // each referenced file and the policy itself, swapped: one error naming it
    const recipient = readFileSync(join(work, 'audit.pub.pem'));
    expect((await runCli(bin, ['keygen', '--type', 'recipient', '--out', join(work, 'attacker')])).code).toBe(0);
    writeFileSync(join(work, 'audit.pub.pem'), readFileSync(join(work, 'attacker.pub.pem')));
    const swapped = await runCli(bin, ['validate', '--verify', policy], { env });
    expect(swapped.code).toBe(1);
    expect(swapped.stdout).toMatch(
      /signed\.yaml:4: error: keys\.encryption\.recipient: file audit\.pub\.pem differs from the signed manifest signed\.yaml\.sig/,
    );
    writeFileSync(join(work, 'audit.pub.pem'), recipient);
    writeFileSync(join(work, 'signed-hmac.key'), `base64:${randomBytes(32).toString('base64')}\n`);
    const hmacSwap = await runCli(bin, ['validate', '--verify', policy], { env });
    expect(hmacSwap.stdout).toMatch(/error: keys\.hmac\.file: file signed-hmac\.key differs from the signed manifest/);
    writeFileSync(join(work, 'signed-hmac.key'), `${hmac}\n`);
    const old = join(work, 'old');
    mkdirSync(old);
    for (const f of ['signed.yaml', 'signed.yaml.sig', 'signed-hmac.key', 'audit.pub.pem'])
      copyFileSync(join(work, f), join(old, f));
    writeFileSync(policy, body('http.route, user.agent.original'));
    const bad = await runCli(bin, ['validate', '--verify', policy], { env });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /signed\.yaml: error: \(signature\): policy file signed\.yaml differs from the signed manifest signed\.yaml\.sig/,
    );

    // re-signed after the legitimate edit: a higher serial, accepted; the wrong identity is refused
    const lower = await runCli(bin, ['sign', '--key', `${prefix}.pem`, '--name', 'checkout', '--serial', '3', policy]);
    expect(lower.code).toBe(1);
    expect(lower.stderr).toMatch(/serial 3 is not above the serial \d+ already signed for "checkout"/);
    const again = await runCli(bin, ['sign', '--key', `${prefix}.pem`, '--name', 'checkout', policy]);
    const serial2 = Number(/serial (\d+),/.exec(again.stdout)?.[1]);
    expect(again.stdout).toBe(`${policy}.sig: "checkout" serial ${serial2}, 2 referenced files\n`);
    expect(serial2).toBeGreaterThan(out.serial);
    expect((await runCli(bin, ['validate', '--verify', policy], { env })).code).toBe(0);
    const other = await runCli(bin, ['validate', '--verify', policy], {
      env: { ...env, OTEL_PRIVACY_POLICY_IDENTITY: 'billing' },
    });
    expect(other.stdout).toMatch(/\(signature\): the policy is signed for "checkout", this process expects "billing"/);

    // rollback across processes: this process accepts the new policy and records its serial in the state file; a
    // child checking the old policy against that file refuses it (without the file, the old one verifies)
    const state = join(work, 'policy-state.json');
    const { readPolicyPublicKey } = await import('../../policy/policy-signature');
    loadPolicy(policy, { publicKey: readPolicyPublicKey(`${prefix}.pub.pem`, 'key'), stateFile: state });
    const oldPolicy = join(old, 'signed.yaml');
    expect((await runCli(bin, ['validate', '--verify', oldPolicy], { env })).code).toBe(0);
    const rollback = await runCli(bin, ['validate', '--verify', oldPolicy], {
      env: { ...env, OTEL_PRIVACY_POLICY_STATE: state },
    });
    expect(rollback.code).toBe(1);
    expect(rollback.stdout).toContain(
      `(signature): policy "checkout" serial ${out.serial} is older than serial ${serial2} already accepted before (state file ${state})`,
    );

    // the old signature format is refused with a migration hint
    const { sign } = await import('node:crypto');
    const { createPrivateKey } = await import('node:crypto');
    const key = createPrivateKey(readFileSync(`${prefix}.pem`));
    writeFileSync(`${policy}.sig`, `ed25519:${sign(null, readFileSync(policy), key).toString('base64')}\n`);
    const legacy = await runCli(bin, ['validate', '--verify', policy], { env });
    expect(legacy.stdout).toMatch(/is in the old format .*; sign the policy again with otel-privacy sign/);

    // without --verify the signature is not looked at; without the variable --verify is a usage error
    expect((await runCli(bin, ['validate', policy])).code).toBe(0);
    const usage = await runCli(bin, ['validate', '--verify', policy], { env: { OTEL_PRIVACY_POLICY_PUBLIC_KEY: '' } });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--verify needs OTEL_PRIVACY_POLICY_PUBLIC_KEY/);
    // signing with the wrong kind of key says so, without the key
    const wrong = await runCli(bin, ['sign', '--key', join(work, 'ops.pem'), '--name', 'checkout', policy]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/is a x25519 key; policies are signed with Ed25519/);
    expect(wrong.stderr).not.toContain('BEGIN');
    for (const r of [unnamed, signed, ok, swapped, hmacSwap, bad, lower, again, other, rollback, legacy, wrong])
      expect(r.stdout + r.stderr).not.toContain(hmac.slice(7));
  }, 180_000);
});
