import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The built package (npm test builds it first) must load through its `exports` map both as
// CommonJS and as ESM, and work end to end with a real tracer provider in each.
const root = resolve(__dirname, '../..');
const env = { ...process.env, OTEL_PRIVACY_HMAC_KEY: 'fake-hmac-key-for-the-import-test-0123456789' };

const body = (load: string) => `
${load}
const exporter = new sdk.InMemorySpanExporter();
const provider = new sdk.TracerProvider({ spanProcessors: [new op.PrivacySpanProcessor({ policy: op.defaultPolicy(), next: new sdk.SimpleSpanProcessor({ exporter }) })] });
provider.getTracer('import-test').startSpan('GET /x', { attributes: { 'http.route': '/x', 'user.email': 'fake@example.com', 'user.id': 'fake-user' } }).end();
provider.forceFlush().then(() => {
  const [s] = exporter.getFinishedSpans();
  console.log(JSON.stringify({ attributes: s.attributes, hash: s.resource.attributes['privacy.policy.hash'], exports: Object.keys(op).sort() }));
});
`;

function run(args: string[]): { attributes: Record<string, unknown>; hash: string; exports: string[] } {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' }));
}

describe('the built package', () => {
  it('exists (npm test builds it before running the suite)', () => {
    expect(
      existsSync(resolve(root, 'dist/index.js')) &&
        existsSync(resolve(root, 'dist/index.cjs')) &&
        existsSync(resolve(root, 'dist/index.d.ts')),
    ).toBe(true);
  });

  it('declares its types without the validation library (zod types are not part of the public API)', () => {
    for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
      const declarations = readFileSync(resolve(root, file), 'utf8');
      expect(declarations, file).toContain('type PolicyDocument');
      expect(declarations, file).not.toMatch(/['"]zod['"]/);
    }
  });

  it('loads with require() and with import, and both sanitize the same way', () => {
    const cjs = run([
      '-e',
      body("const op = require('otel-privacy'); const sdk = require('@opentelemetry/sdk-trace');"),
    ]);
    const esm = run([
      '--input-type=module',
      '-e',
      body("import * as op from 'otel-privacy'; import * as sdk from '@opentelemetry/sdk-trace';"),
    ]);
    for (const r of [cjs, esm]) {
      expect(Object.keys(r.attributes).sort()).toEqual(['http.route', 'user.id']);
      expect(r.attributes['user.id']).toMatch(/^k0:[A-Za-z0-9_-]{22}$/);
      expect(r.hash).toMatch(/^[0-9a-f]{16}$/);
      expect(r.exports).toEqual(
        expect.arrayContaining([
          'loadPolicy',
          'definePolicy',
          'defaultPolicy',
          'PrivacySpanProcessor',
          'sanitizeResource',
          'privacyResourceDetector',
          'decryptToken',
        ]),
      );
    }
    expect(esm).toEqual({ ...cjs, exports: esm.exports });
    expect(esm.exports).toEqual(cjs.exports);
  });
});
