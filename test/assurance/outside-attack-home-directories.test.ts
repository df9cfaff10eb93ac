import { context, createTraceState, trace } from '@opentelemetry/api';
import type { Meter, Tracer } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  AggregationType,
  InMemoryMetricExporter,
  MeterProvider,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacyMetricReader, PrivacySpanProcessor, defaultPolicy } from '../../index';
import type { Policy } from '../../index';
import type { OtlpFieldId } from '../../engine/otlp-fields';
import {
  EXPONENTIAL_INSTRUMENT,
  appWritableFields,
  canaryPolicy,
  resourceAttributes,
  schemaUrlOf,
  tagOf,
  writeFieldCanaries,
} from './field-canaries';
import type { CanaryApi } from './field-canaries';
import { fuzzParameters } from './fuzz-runs';

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

/** A user name (fake, `zq` first so a search cannot meet it by chance): letters, digits, `.`, `-`, `_`. */
const userName = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-_'), { minLength: 2, maxLength: 12 })
  .map((a) => `zq${a.join('')}`);
/** Operators writing a path under a user's home directory, as systems and formats write one. */
const homePath = fc.constantFrom(
  (u: string) => `/home/${u}/shop/data/app.db`,
  (u: string) => `/var/home/${u}/.config/shop.yaml`,
  (u: string) => `/Users/${u}/src/shop/tracing.mjs`,
  (u: string) => `file:///Users/${u}/src/shop/tracing.mjs`,
  (u: string) => `C:\\Users\\${u}\\AppData\\Local\\shop.db`,
  (u: string) => `C:/Users/${u}/shop/app.db`,
  (u: string) => `/c/Users/${u}/shop/app.db`,
  (u: string) => `Error: boom\n    at load (/home/${u}/shop/app.js:10:5)`,
  (u: string) => JSON.stringify({ path: `C:\\Users\\${u}\\shop.db` }),
  (u: string) => `/mnt/c/Users/${u}/shop/app.db`,
  (u: string) => `/mnt/d/users/${u}/shop/app.db`,
  (u: string) => `~${u}/shop/app.db`,
  (u: string) => `https://www.example.edu/~${u}/index.html`,
);
/** Where the path stands in the text. */
const around = fc.constantFrom(
  (p: string) => p,
  (p: string) => `open ${p} failed`,
  (p: string) => `path=${p}`,
  (p: string) => `cache:${p}`,
  (p: string) => `"${p}"`,
);

/** One run of the field writers through real providers with the suite's policy: every exported request as JSON. */
async function throughEveryField(text: (id: OtlpFieldId) => string, extra: (tracer: Tracer) => void): Promise<string> {
  const policy = canaryPolicy();
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const canary = (id: OtlpFieldId) => text(id);
  const resource = (signal: 'traces' | 'logs' | 'metrics', schemaUrlField: OtlpFieldId) =>
    resourceFromAttributes(
      signal === 'traces' ? resourceAttributes('shop', signal, canary) : { 'service.name': 'shop' },
      { schemaUrl: schemaUrlOf(schemaUrlField, signal, canary) },
    );
  const tracing = new TracerProvider({
    resource: resource('traces', 'ResourceSpans.schema_url'),
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const logging = new LoggerProvider({
    resource: resource('logs', 'ResourceLogs.schema_url'),
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  const reader = new PrivacyMetricReader({ policy, exporter: metrics, exportIntervalMillis: 60_000 });
  const metering = new MeterProvider({
    resource: resource('metrics', 'ResourceMetrics.schema_url'),
    readers: [reader],
    views: [{ instrumentName: EXPONENTIAL_INSTRUMENT, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const api: CanaryApi = {
    tracer: (name, version, options) => tracing.getTracer(name, version, options),
    logger: (name, version, options) => logging.getLogger(name, version, options),
    meter: (name, version, options) => metering.getMeter(name, version, options) as Meter,
    createTraceState,
    withSpanContext: (spanContext) => trace.setSpanContext(context.active(), spanContext),
    exponentialHistograms: true,
  };
  writeFieldCanaries(api, canary);
  extra(tracing.getTracer('home-directories'));
  await Promise.all([tracing.forceFlush(), logging.forceFlush(), reader.forceFlush()]);
  const out = [
    Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans()) as Uint8Array).toString(),
    Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords()) as Uint8Array).toString(),
    ...metrics.getMetrics().map((m) => Buffer.from(JsonMetricsSerializer.serializeRequest(m) as Uint8Array).toString()),
  ].join('\n');
  await Promise.all([tracing.shutdown(), logging.shutdown(), metering.shutdown()]);
  return out;
}

describe('user names of home directories in every field an application writes', () => {
  it('no field exports the user name of a home-directory path (db.namespace, log bodies, events, status, stack traces)', async () => {
    await fc.assert(
      fc.asyncProperty(userName, homePath, around, async (user, path, wrap) => {
        const written = new Set<OtlpFieldId>();
        const text = (id: OtlpFieldId) => {
          written.add(id);
          return `${tagOf(id)} ${wrap(path(user))}`;
        };
        const out = await throughEveryField(text, (tracer) =>
          tracer
            .startSpan('SELECT orders', {
              attributes: { 'db.system.name': 'sqlite', 'db.namespace': path(user), 'code.trace': path(user) },
            })
            .end(),
        );
        // every field an application can write got the path (the list comes from the OTLP inventory)
        expect(appWritableFields().filter((id) => !written.has(id))).toEqual([]);
        expect(out, path(user)).not.toContain(user);
        // the fields kept as text hold the path with `{user}` (the test cannot pass by dropping everything)
        expect(out.split('{user}').length - 1, out).toBeGreaterThanOrEqual(4);
      }),
      fuzzParameters(25),
    );
  }, 60_000);
});
