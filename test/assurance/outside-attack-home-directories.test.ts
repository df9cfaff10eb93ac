import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, defaultPolicy } from '../../index';
import type { Policy } from '../../index';

// An outside attacker's view of names built from paths: the default policy, a real SDK 3.x provider and the exported
// OTLP/JSON request read whole. The SDK names a service without OTEL_SERVICE_NAME `unknown_service:<argv0>`, the
// full path of the node binary when a service manager starts it by path (often under the user's home directory, with
// nvm or volta), and `trace.getTracer(__filename)` or `import.meta.url` names a tracer after a file path. Both were
// exported with the user name of the home directory (the fake `jane-0001` below), which the default policy drops
// wherever a convention key carries a path.
const UID = 'jane-0001';
const PATHS = [
  `/home/${UID}/.nvm/versions/node/v20.11.0/bin/node`,
  `/Users/${UID}/.volta/bin/node`,
  `C:\\Users\\${UID}\\AppData\\Roaming\\nvm\\node.exe`,
  `file:///Users/${UID}/src/shop/tracing.mjs`,
  `/var/home/${UID}/shop/tracing.js`,
];

let policy: Policy;
const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5c).toString('base64')}`; // fake test key
  policy = defaultPolicy();
});
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

/** One span through a real provider with `serviceName` and a tracer named `scope`, as exported (OTLP/JSON). */
async function exported(serviceName: string, scope: string) {
  const spans = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName })),
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  provider.getTracer(scope, '1.0.0').startSpan('work').end();
  await provider.forceFlush();
  const [span] = spans.getFinishedSpans();
  await provider.shutdown();
  return {
    json: Buffer.from(JsonTraceSerializer.serializeRequest([span]) as Uint8Array).toString(),
    service: span.resource.attributes['service.name'],
    scope: span.instrumentationScope.name,
  };
}

describe('user names of home directories in names built from paths', () => {
  for (const path of PATHS)
    it(`service.name and the tracer name: ${path}`, async () => {
      const out = await exported(`unknown_service:${path}`, path);
      expect(out.json).not.toContain(UID);
      expect(out.service).toBe(`unknown_service:${path.replace(UID, '{user}')}`);
      expect(out.scope).toBe(path.replace(UID, '{user}'));
    });

  it('keeps names that are no home-directory paths as they are', async () => {
    for (const [service, scope] of [
      ['checkout', '@opentelemetry/instrumentation-http'],
      ['unknown_service:node', 'shop/users/list'],
      ['unknown_service:/usr/local/bin/node', '/srv/shop/tracing.js'],
      ['users-api', 'home/page'],
    ]) {
      const out = await exported(service, scope);
      expect([out.service, out.scope]).toEqual([service, scope]);
    }
  });
});
