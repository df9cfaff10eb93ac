import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBinary, runCli } from './cli-harness';

// Whoever can write next to a policy can put a FIFO (or a symlink to a device) where a key file was. Reading it
// must be refused with one line naming the file, never block the process (a FIFO without a writer blocks a read
// forever: a service reloading its policy would stop serving).
let bin: string;
let work: string;
beforeAll(async () => {
  bin = await cliBinary();
  work = mkdtempSync(join(tmpdir(), 'otel-privacy-not-regular-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('files a policy names that are not regular files', () => {
  it('a FIFO or a device in place of a key file is refused at once, naming the field', async () => {
    const signer = generateKeyPairSync('ed25519');
    const keyFile = join(work, 'signing.pem');
    writeFileSync(keyFile, signer.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
    const publicFile = join(work, 'signing.pub.pem');
    writeFileSync(publicFile, signer.publicKey.export({ format: 'pem', type: 'spki' }) as string);
    writeFileSync(join(work, 'hmac.key'), `base64:${randomBytes(32).toString('base64')}\n`);
    const policy = join(work, 'privacy.yaml');
    writeFileSync(
      policy,
      'version: 1\nname: checkout\nkeys:\n  hmac: { id: h1, file: hmac.key }\nattributes: { allow: [http.route], hash: [user.id] }\n',
    );
    const signed = await runCli(bin, ['sign', '--key', keyFile, policy]);
    expect(signed.code, signed.stderr).toBe(0);
    const env = { OTEL_PRIVACY_POLICY_PUBLIC_KEY: publicFile };
    expect((await runCli(bin, ['validate', '--verify', policy], { env })).code).toBe(0);

    renameSync(join(work, 'hmac.key'), join(work, 'hmac.key.good'));
    execFileSync('mkfifo', [join(work, 'hmac.key')]);
    // (a generous bound only so that a regression fails instead of hanging the test run)
    const fifo = await runCli(bin, ['validate', '--verify', policy], { env, timeoutMillis: 30_000 });
    expect(fifo.stdout).toMatch(/error: keys\.hmac\.file: cannot read key file .*hmac\.key: not a regular file/);
    expect(fifo.code).toBe(1);

    rmSync(join(work, 'hmac.key'));
    execFileSync('ln', ['-s', '/dev/zero', join(work, 'hmac.key')]);
    const device = await runCli(bin, ['validate', '--verify', policy], { env, timeoutMillis: 30_000 });
    expect(device.stdout).toMatch(/error: keys\.hmac\.file: cannot read key file .*hmac\.key: not a regular file/);
    expect(device.code).toBe(1);
  }, 120_000);
});
