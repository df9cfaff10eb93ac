import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimpleSpanProcessor, InMemorySpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { PrivacySpanProcessor, loadPolicy } from '../../index';
import { cliBinary, runCli } from '../cli/cli-harness';

// Layering under `extends: default`: a key the user's document names literally is decided by the user's rules, so
// the user's rule overrides the default policy's rule for that key; within the user's document `drop` still beats
// everything; the user's globs do not loosen the defaults. The README's main policy example is the fixture.
const root = resolve(__dirname, '../..');
const env = {
  OTEL_PRIVACY_HMAC_KEY: `base64:${randomBytes(32).toString('base64')}`,
  OTEL_PRIVACY_ENCRYPTION_KEY: `base64:${randomBytes(32).toString('base64')}`,
};
let work: string;
let bin: string;

/** The README's main policy example: its first yaml block that extends the default policy. */
function readmePolicy(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```yaml[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const block = blocks.find((b) => /^extends: default/m.test(b) && /encrypt:.*user\.email/.test(b));
  if (!block) throw new Error('README.md has no yaml policy example that extends default and encrypts user.email');
  return block;
}

function write(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  Object.assign(process.env, env);
  work = mkdtempSync(join(tmpdir(), 'otel-privacy-layering-'));
  bin = await cliBinary();
});
afterAll(() => {
  for (const name of Object.keys(env)) delete process.env[name];
  rmSync(work, { recursive: true, force: true });
});

describe("the user's document over extends: default", () => {
  it('the README example encrypts user.email (the default drops it) and decrypt --attribute user.email round-trips', async () => {
    const path = write('privacy.yaml', readmePolicy());
    const policy = loadPolicy(path);
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    provider
      .getTracer('layering')
      .startSpan('checkout', {
        attributes: { 'user.email': 'fake.person@example.com', 'user.id': 'u-1', 'user.full_name': 'Fake Person' },
      })
      .end();
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    const token = span!.attributes['user.email'] as string;
    expect(token).toMatch(/^enc:v1:e1:/);
    expect(span!.attributes['user.id']).toMatch(/^k1:/); // hashed (both documents say so)
    expect(span!.attributes['user.full_name']).toBeUndefined(); // still dropped by the default policy
    await provider.shutdown();

    const r = await runCli(
      bin,
      ['decrypt', '--key', 'env:OTEL_PRIVACY_ENCRYPTION_KEY', '--attribute', 'user.email', token],
      { env },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('fake.person@example.com\n');

    const explained = await runCli(bin, ['explain', '--policy', path, 'user.email'], { env: {} });
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('decision: encrypt, by encrypt "user.email" (from your policy)');
    expect(explained.stdout).toContain('only your rules decide it');
    const other = await runCli(bin, ['explain', '--policy', path, 'user.full_name'], { env: {} });
    expect(other.stdout).toContain('decision: drop, by drop "user.full_name" (from default policy)');
  });

  it("a literal key overrides the default's glob; the user's globs do not; drop still wins within the user's document", () => {
    const path = write(
      'layers.yaml',
      [
        'version: 1',
        'extends: default',
        'keys:',
        '  hmac: { id: k1, env: OTEL_PRIVACY_HMAC_KEY }',
        '  encryption: { id: e1, env: OTEL_PRIVACY_ENCRYPTION_KEY }',
        'attributes:',
        '  allow: [http.request.header.content-type, "user.*", app.note]',
        '  encrypt: [app.note]',
        '  drop: [app.note]',
      ].join('\n'),
    );
    const out = loadPolicy(path).sanitizer('traces').sanitize({
      'http.request.header.content-type': 'application/json',
      'http.request.header.authorization': 'Bearer fake-token',
      'user.email': 'fake.person@example.com',
      'app.note': 'fake note',
    });
    expect(out['http.request.header.content-type']).toBe('application/json'); // named literally: the user's allow
    expect(out['http.request.header.authorization']).toBeUndefined(); // not named: the default's drop glob
    expect(out['user.email']).toBeUndefined(); // a user glob does not loosen the default's literal drop
    expect(out['app.note']).toBeUndefined(); // drop beats encrypt and allow in one document
  });

  it('without extends, nothing changes: one document, drop > encrypt > hash > generalize > allow', () => {
    const path = write(
      'plain.yaml',
      ['version: 1', 'attributes:', '  allow: [a.b]', '  drop: ["a.*"]', '  default: drop'].join('\n'),
    );
    expect(loadPolicy(path).sanitizer('traces').sanitize({ 'a.b': 'x' })).toEqual({});
  });
});
