import { generateKeyPairSync } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBinary, runCli } from './cli-harness';

// `otel-privacy sign` runs where the policy's writers can write too (the policy's folder). Its temporary file must not
// be a name they can plant a symlink at: the signer would write through it into any file it can write.
let bin: string;
let work: string;
beforeAll(async () => {
  bin = await cliBinary();
  work = mkdtempSync(join(tmpdir(), 'otel-privacy-sign-tmp-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('otel-privacy sign writes its signature without following planted symlinks', () => {
  it('a symlink planted at the pid-named temporary file is not written through', async () => {
    const signer = generateKeyPairSync('ed25519');
    const keyFile = join(work, 'signing.pem');
    writeFileSync(keyFile, signer.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
    const policy = join(work, 'privacy.yaml');
    writeFileSync(policy, 'version: 1\nname: checkout\nattributes: { allow: [http.route] }\n');
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'a file of the signer that must stay as it is\n');
    // Runs in the CLI's own process before it starts (so it knows the pid): plants the symlinks an attacker with
    // write access to the folder would plant, at the names a pid-named temporary file would have.
    const plant = join(work, 'plant.mjs');
    writeFileSync(
      plant,
      [
        "import { symlinkSync } from 'node:fs';",
        `for (const name of [\`privacy.yaml.sig.\${process.pid}.tmp\`, \`.privacy.yaml.sig.\${process.pid}.tmp\`])`,
        `  symlinkSync(${JSON.stringify(victim)}, ${JSON.stringify(work)} + '/' + name);`,
        '',
      ].join('\n'),
    );
    const run = await runCli(bin, ['sign', '--key', keyFile, policy], {
      env: { NODE_OPTIONS: `--import=${plant}` },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('a file of the signer that must stay as it is\n');
    expect(lstatSync(`${policy}.sig`).isSymbolicLink()).toBe(false);
    expect(readFileSync(`${policy}.sig`, 'utf8')).toMatch(/^\{\n {2}"format": "otel-privacy\.policy-manifest\.v1"/);
  });
});
