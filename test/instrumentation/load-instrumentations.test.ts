import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUTO_INSTRUMENTATIONS, loadInstrumentations } from '../../instrumentation/load-instrumentations';
import { privacyInstrumentationConfig } from '../../instrumentation/privacy-instrumentation-config';
import { definePolicy } from '../../policy/load-policy';

// The register hook's `auto` path: @opentelemetry/auto-instrumentations-node resolved from the APPLICATION's folder
// (not from otel-privacy's) and called with the options the policy derives. The package itself is large and not a
// dependency here, so the test application gets a minimal package of that name whose getNodeAutoInstrumentations
// builds the real HTTP instrumentation from the options it is given, and records them.
const app = mkdtempSync(join(tmpdir(), 'otel-privacy-auto-app-'));
const httpInstrumentation = createRequire(import.meta.url).resolve('@opentelemetry/instrumentation-http');
const pkg = join(app, 'node_modules', '@opentelemetry', 'auto-instrumentations-node');
mkdirSync(pkg, { recursive: true });
writeFileSync(
  join(pkg, 'package.json'),
  JSON.stringify({ name: AUTO_INSTRUMENTATIONS, version: '0.0.0-test', main: 'index.js' }),
);
writeFileSync(
  join(pkg, 'index.js'),
  `const { HttpInstrumentation } = require(${JSON.stringify(httpInstrumentation)});
exports.calls = [];
exports.getNodeAutoInstrumentations = (config) => {
  exports.calls.push(config);
  return [new HttpInstrumentation({ ...config['@opentelemetry/instrumentation-http'], enabled: false })];
};`,
);

afterAll(() => rmSync(app, { recursive: true, force: true }));

describe('loadInstrumentations (OTEL_PRIVACY_INSTRUMENTATIONS unset or auto)', () => {
  const policy = definePolicy({
    version: 1,
    attributes: { allow: ['http.request.header.x-request-id'] },
    sanitizers: { url: { attributes: ['url.full'], sensitiveParams: ['fake_token'] } },
  });

  it.each(['', 'auto'])(
    "uses the application's auto-instrumentations with the policy's options (setting %j)",
    (setting) => {
      const loaded = loadInstrumentations(policy, { OTEL_PRIVACY_INSTRUMENTATIONS: setting }, app);
      expect(loaded.description).toBe(AUTO_INSTRUMENTATIONS);
      expect(loaded.instrumentations.map((i) => i.instrumentationName)).toEqual([
        '@opentelemetry/instrumentation-http',
      ]);
      const calls = createRequire(join(app, 'index.js'))(AUTO_INSTRUMENTATIONS).calls as unknown[];
      expect(calls.at(-1)).toEqual(privacyInstrumentationConfig(policy));
      const http = (
        calls.at(-1) as Record<
          string,
          { headersToSpanAttributes?: { server?: { requestHeaders?: string[] } }; redactedQueryParams?: string[] }
        >
      )['@opentelemetry/instrumentation-http'];
      expect(http.headersToSpanAttributes?.server?.requestHeaders).toEqual(['x-request-id']);
      expect(http.redactedQueryParams).toContain('fake_token');
    },
  );

  it('falls back to no instrumentations, and says so, when the application does not have the package', () => {
    const empty = mkdtempSync(join(tmpdir(), 'otel-privacy-no-auto-'));
    try {
      const loaded = loadInstrumentations(policy, {}, empty);
      expect(loaded.instrumentations).toEqual([]);
      expect(loaded.description).toMatch(
        /^none \(install @opentelemetry\/auto-instrumentations-node or list packages in OTEL_PRIVACY_INSTRUMENTATIONS\)$/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
