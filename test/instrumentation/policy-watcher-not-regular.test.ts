import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../index';
import { generateRecipientKeyPair } from '../../engine/crypto/recipient-encryption';
import { watchPolicy } from '../../instrumentation/policy-watcher';
import type { PolicyWatcher } from '../../instrumentation/policy-watcher';
import { signPolicyFile } from '../../policy/policy-signature';

// Whoever can write next to a signed policy can put a FIFO where the policy, its signature or a file it names was.
// The watcher reads those files on the application's thread: a FIFO without a writer would block it for good. Each is
// refused like any other bad file instead, the last good policy staying, and the restored file is fine again.
const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-watch-fifo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let watcher: PolicyWatcher | undefined;
afterEach(() => watcher?.close());

describe('policy watcher and files that are not regular files', () => {
  it('a FIFO in place of the policy, its signature, a key file or a recipient key is rejected, not read', () => {
    const signer = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'hmac.key'), `base64:${randomBytes(32).toString('base64')}\n`);
    writeFileSync(join(dir, 'recipient.pub.pem'), generateRecipientKeyPair().publicKey);
    const policyFile = join(dir, 'privacy.yaml');
    writeFileSync(
      policyFile,
      [
        'version: 1',
        'name: fifo',
        'keys:',
        '  hmac: { id: h1, file: hmac.key }',
        '  encryption: { id: r1, recipient: recipient.pub.pem }',
        'attributes: { allow: [http.route], hash: [user.id], encrypt: [user.email] }',
        '',
      ].join('\n'),
    );
    const signerPem = Buffer.from(signer.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    writeFileSync(`${policyFile}.sig`, signPolicyFile(policyFile, signerPem, { serial: 1 }).text);
    const policy = loadPolicy(policyFile, { publicKey: signer.publicKey });
    const hash = policy.hash;
    const errors: string[] = [];
    watcher = watchPolicy(policyFile, {
      policy,
      publicKey: signer.publicKey,
      onError: (e) => errors.push(e.message),
      pollIntervalMillis: 60_000,
    });
    let rejections = 0;
    for (const name of ['hmac.key', 'recipient.pub.pem', 'privacy.yaml.sig', 'privacy.yaml']) {
      const path = join(dir, name);
      renameSync(path, `${path}.good`);
      execFileSync('mkfifo', [path]);
      expect(watcher.check(), name).toBe('rejected');
      expect(watcher.rejections, name).toBe(++rejections);
      expect(errors.at(-1), name).toMatch(/not a regular file \(a FIFO\)/);
      expect(policy.hash, name).toBe(hash);
      rmSync(path);
      renameSync(`${path}.good`, path);
      expect(watcher.check(), name).not.toBe('rejected');
      expect(policy.hash, name).toBe(hash);
    }
  });
});
