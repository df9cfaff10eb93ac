import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpoolKey } from '../../exporters/spool-key';
import { loadPolicy } from '../../policy/load-policy';
import { cliBinary, runCli } from './cli-harness';

// One key format everywhere: what `otel-privacy keygen` prints (base64:…), and hex:… and raw bytes, work in every
// place a key goes: a policy's keys (environment variable and file), the spool key (variable, file, value) and
// `otel-privacy decrypt --key`. And the commands that never use keys run without them.
let bin: string;
let work: string;
const keygen = async (type: string): Promise<string> => {
  const r = await runCli(bin, ['keygen', '--type', type]);
  expect(r.code).toBe(0);
  return r.stdout;
};

beforeAll(async () => {
  bin = await cliBinary();
  work = mkdtempSync(join(tmpdir(), 'otel-privacy-key-format-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writePolicy(name: string, keys: string): string {
  const path = join(work, name);
  writeFileSync(
    path,
    `version: 1\nname: keys\nkeys:\n${keys}\nattributes:\n  allow: [http.route]\n  hash: [user.id]\n  encrypt: [user.email]\n  default: drop\n`,
  );
  return path;
}

describe('keygen output works wherever a key goes', () => {
  it('policy keys (env and file) and decrypt --key (env and file) take keygen output; the token round-trips', async () => {
    const hmac = await keygen('hmac');
    const encryption = await keygen('encryption');
    expect(encryption).toMatch(/^base64:[A-Za-z0-9+/]{43}=\n$/);
    const encFile = join(work, 'enc.key');
    writeFileSync(encFile, encryption); // with keygen's trailing newline, as `keygen > file` writes it
    const path = writePolicy(
      'keygen.yaml',
      `  hmac: { id: k1, env: KEY_FORMAT_HMAC }\n  encryption: { id: e1, file: ${encFile} }`,
    );
    process.env.KEY_FORMAT_HMAC = hmac.trim();
    try {
      const policy = loadPolicy(path);
      const out = policy.sanitizer('traces').sanitize({ 'user.email': 'fake.person@example.com', 'user.id': 'u-1' });
      const token = out['user.email'] as string;
      expect(token).toMatch(/^enc:v1:e1:/);
      for (const key of [encFile, 'env:KEY_FORMAT_ENC']) {
        const r = await runCli(bin, ['decrypt', '--key', key, '--attribute', 'user.email', token], {
          env: { KEY_FORMAT_ENC: encryption.trim() },
        });
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe('fake.person@example.com\n');
      }
    } finally {
      delete process.env.KEY_FORMAT_HMAC;
    }
  });

  it('the spool key takes keygen output from a variable, a file or a value, and hex:… and raw bytes too', async () => {
    const encryption = await keygen('encryption');
    const bytes = Buffer.from(encryption.trim().slice('base64:'.length), 'base64');
    const file = join(work, 'spool.key');
    writeFileSync(file, encryption);
    const rawFile = join(work, 'spool.raw');
    writeFileSync(rawFile, bytes);
    const env = { OTEL_PRIVACY_SPOOL_KEY: encryption.trim() };
    for (const source of [
      undefined,
      { env: 'OTEL_PRIVACY_SPOOL_KEY' },
      { file },
      { file: rawFile },
      { value: encryption },
      { value: `hex:${bytes.toString('hex')}` },
    ]) {
      expect(loadSpoolKey(source, env).key).toEqual(bytes);
    }
    expect(loadSpoolKey({ value: 'a'.repeat(32) }, {}).key).toEqual(Buffer.from('a'.repeat(32)));
    // unprefixed base64 is raw text of the wrong length: refused with a pointer to the format
    expect(() => loadSpoolKey({ value: bytes.toString('base64') }, {})).toThrow(/base64:…, hex:… or raw bytes/);
  });
});

describe('commands that never use key material run without it', () => {
  const keys = `  hmac: { id: k1, env: KEY_FORMAT_UNSET_HMAC }\n  encryption: { id: e1, file: ./absent-enc.key }`;

  it('explain and collector-config need no keys', async () => {
    const path = writePolicy('no-keys.yaml', keys);
    const explain = await runCli(bin, ['explain', '--policy', path, 'user.email']);
    expect(explain.stderr).toBe('');
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('encrypt');
    const collector = await runCli(bin, ['collector-config', '--policy', path]);
    expect(collector.stderr).toBe('');
    expect(collector.code).toBe(0);
    expect(collector.stdout).toContain('processors:');
  });

  it('validate fails on missing keys; --ignore-missing-keys covers an unset variable and an absent file', async () => {
    const path = writePolicy('ci.yaml', keys);
    const strict = await runCli(bin, ['validate', path]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/keys\.hmac\.env: environment variable KEY_FORMAT_UNSET_HMAC is not set/);
    expect(strict.stdout).toMatch(/keys\.encryption\.file: cannot read key file .*absent-enc\.key: ENOENT/);
    const ci = await runCli(bin, ['validate', '--ignore-missing-keys', path]);
    expect(ci.stdout).toMatch(/ci\.yaml: ok/);
    expect(ci.code).toBe(0);
    expect(ci.stderr).toMatch(/KEY_FORMAT_UNSET_HMAC is not set; checked with a throwaway key/);
    expect(ci.stderr).toMatch(/absent-enc\.key: ENOENT; checked with a throwaway key/);
  });
});
