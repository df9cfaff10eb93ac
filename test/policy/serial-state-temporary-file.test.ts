import { generateKeyPairSync } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../index';
import { signPolicyFile } from '../../policy/policy-signature';

// The serial state file is written through a temporary file beside it; a symlink planted at a name that temporary
// file could have must not be written through (the process would overwrite whatever file it points at).
const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-state-tmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policy serial state file', () => {
  it('is written without following a symlink planted at its pid-named temporary file', () => {
    const signer = generateKeyPairSync('ed25519');
    const policy = join(dir, 'privacy.yaml');
    writeFileSync(policy, 'version: 1\nname: state-tmp\nattributes: { allow: [http.route] }\n');
    const signed = signPolicyFile(
      policy,
      Buffer.from(signer.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string),
      { serial: 7 },
    );
    writeFileSync(`${policy}.sig`, signed.text);
    const state = join(dir, 'policy-state.json');
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'must stay\n');
    for (const name of [`policy-state.json.${process.pid}.tmp`, `.policy-state.json.${process.pid}.tmp`])
      symlinkSync(victim, join(dir, name));
    loadPolicy(policy, { publicKey: signer.publicKey, stateFile: state });
    expect(readFileSync(victim, 'utf8')).toBe('must stay\n');
    expect(lstatSync(state).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(state, 'utf8')).policies['state-tmp'].serial).toBe(7);
  });
});
