import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SpanKind, SpanStatusCode, TraceFlags, ValueType, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  PrivacyLogRecordProcessor,
  PrivacyMetricExporter,
  PrivacySpanProcessor,
  createSecureExporters,
  defaultPolicy,
  definePolicy,
  sanitizeResource,
} from '../../index';
import type { Policy, SecureExporters } from '../../index';
import { createStandardPki } from '../helpers/test-pki';
import type { StandardPki } from '../helpers/test-pki';
import { CapturingLogger } from '../helpers/capturing-logger';
import { ConformanceReceiver } from '../helpers/conformance-receiver';
import type { ConformanceRequest, Decoded } from '../helpers/conformance-receiver';

// The library's exporter over a real TLS 1.3 handshake (client certificate, as docs/secure-export.md configures it)
// against an independent receiver built on the official opentelemetry-proto files: after privacy processing under the
// default policy and under a policy using every action, what arrives must be clean, standard OTLP.

let pki: StandardPki;
let receiver: ConformanceReceiver;
const open: SecureExporters[] = [];
const ENV = {
  OTEL_PRIVACY_HMAC_KEY: 'fake-conformance-hmac-key-0123456789abcdef',
  CONF_ENC: `hex:${Buffer.alloc(32, 7).toString('hex')}`,
};

beforeAll(async () => {
  pki = createStandardPki();
  receiver = new ConformanceReceiver({ cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem });
  await receiver.start();
});
beforeEach(() => Object.assign(process.env, ENV));
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.shutdown()));
  receiver.requests.length = 0;
  receiver.attempts.length = 0;
  receiver.respond = undefined;
  for (const key of Object.keys(ENV)) delete process.env[key];
});
afterAll(async () => {
  await receiver.stop();
  pki.pki.cleanup();
});

function exporters(extra: Partial<Parameters<typeof createSecureExporters>[0]> = {}): SecureExporters {
  const e = createSecureExporters({
    endpoint: receiver.url,
    tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
    env: {},
    logger: new CapturingLogger(),
    retry: { initialMillis: 20, maxMillis: 100, maxElapsedMillis: 3000 },
    ...extra,
  });
  open.push(e);
  return e;
}

/** Every action: drop, hash, encrypt, generalize, mask (default), value scanning with a short scan bound, sampling. */
const everyAction = (): Policy =>
  definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'OTEL_PRIVACY_HMAC_KEY' }, encryption: { id: 'e1', env: 'CONF_ENC' } },
    attributes: {
      allow: ['http.route', 'http.response.status_code', 'server.port', 'app.note', 'app.notes', 'app.kv'],
      hash: ['user.id', 'app.ids'],
      encrypt: ['user.email'],
      drop: ['*password*'],
      generalize: { 'client.address': 'ip-prefix' },
      default: 'mask',
    },
    resource: { allow: ['service.name', 'app.note'], hash: ['host.name'] },
    values: { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', maxScanLength: 64 },
    traces: { sampling: { ratio: 1 } },
    logs: { body: 'scan' },
    metrics: { attributes: { allow: ['fake.tier'] }, kAnonymity: 2 },
  });

const POLICIES: [string, () => Policy][] = [
  ['default policy', () => defaultPolicy()],
  ['every action', everyAction],
];

const clean = (requests: ConformanceRequest[]): void => {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.utf8Problems).toEqual([]);
    expect(r.modelProblems).toEqual([]);
  }
};

/** Text with multi-byte characters, astral characters (surrogate pairs) and PII next to them. */
const tricky = [
  '😀'.repeat(40) + ' mail fake.user@example.com 😀',
  'ä'.repeat(31) + '😀' + 'x'.repeat(40),
  'x'.repeat(63) + '😀😀😀 card 4111 1111 1111 1111',
  '𝒜fake.person@example.org𝒜 and 𝒜+1 202 555 0147𝒜',
  '\u0301e\u0301 ﷽ 𝄞'.repeat(10),
];

describe.each(POLICIES)('traces under the %s', (_name, policyOf) => {
  it('arrive as valid OTLP: UTF-8 strings, ids, parents, times, schema URLs, unique keys, typed semconv keys', async () => {
    const e = exporters({ compression: 'gzip' });
    const provider = new TracerProvider({
      resource: resourceFromAttributes(
        { 'service.name': 'fake-shop', 'host.name': 'fake-host-1', 'app.note': tricky[0] },
        { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
      ),
      spanProcessors: [
        new PrivacySpanProcessor({ policy: policyOf(), next: new SimpleSpanProcessor({ exporter: e.traces }) }),
      ],
    });
    const tracer = provider.getTracer('fake-scope', '1.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.27.0' });
    const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER });
    const ctx = trace.setSpan(context.active(), parent);
    const child = tracer.startSpan(
      'GET /cart',
      {
        attributes: {
          'http.route': '/cart',
          'http.response.status_code': 200,
          'server.port': 8443,
          'app.retries': 3,
          'app.ratio': 0.5,
          'app.flag': true,
          'user.id': 'fake-user-1',
          'user.email': 'fake.user@example.com',
          'client.address': '198.51.100.23',
          'db.password': 'fake-hunter2',
          'app.ids': ['a', 'b'],
          'app.notes': tricky,
          'app.note': tricky[2],
        },
        links: [
          {
            context: {
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: 'b7ad6b7169203331',
              traceFlags: TraceFlags.SAMPLED,
            },
            attributes: { 'user.id': 'fake-user-2', 'app.note': tricky[1] },
          },
        ],
      },
      ctx,
    );
    for (const text of tricky) child.addEvent('note', { 'app.note': text, 'user.email': 'fake.x@example.com' });
    child.setStatus({ code: SpanStatusCode.ERROR, message: tricky[3] });
    child.end();
    parent.end();
    await provider.forceFlush();
    await provider.shutdown();

    const requests = receiver.of('traces');
    clean(requests);
    const spans = requests.flatMap((r) =>
      (r.decoded.resource_spans as Decoded[]).flatMap((rs) =>
        (rs.scope_spans as Decoded[]).flatMap((ss) => (ss.spans as Decoded[]).map((span) => ({ span, rs, ss }))),
      ),
    );
    const got = spans.find((s) => s.span.name !== 'parent')!;
    const gotParent = spans.find((s) => s.span.name === 'parent')!;
    expect(got.span.trace_id.toString('hex')).toBe(child.spanContext().traceId);
    expect(got.span.span_id.toString('hex')).toBe(child.spanContext().spanId);
    expect(got.span.parent_span_id.toString('hex')).toBe(parent.spanContext().spanId);
    expect(gotParent.span.parent_span_id.length).toBe(0);
    expect(got.span.links[0].span_id.toString('hex')).toBe('b7ad6b7169203331');
    expect(got.rs.schema_url).toBe('https://opentelemetry.io/schemas/1.26.0');
    expect(got.ss.schema_url).toBe('https://opentelemetry.io/schemas/1.27.0');
    // Semantic-convention keys typed int in the conventions stay int (or are gone), never a string.
    for (const key of ['http.response.status_code', 'server.port']) {
      const kv = (got.span.attributes as Decoded[]).find((a) => a.key === key);
      if (kv) expect(kv.value.value).toBe('int_value');
    }
  });
});

describe.each(POLICIES)('typed keys and SDK counts under the %s', (_name, policyOf) => {
  it('int-typed semantic-convention keys arrive as int or not at all; the SDK dropped_attributes_count passes through', async () => {
    const e = exporters();
    const provider = new TracerProvider({
      spanLimits: { attributeCountLimit: 12 },
      spanProcessors: [
        new PrivacySpanProcessor({ policy: policyOf(), next: new SimpleSpanProcessor({ exporter: e.traces }) }),
      ],
    });
    const ints: Record<string, number> = {
      'server.port': 8443,
      'client.port': 50123,
      'network.peer.port': 443,
      'network.local.port': 8080,
      'http.response.status_code': 503,
      'http.request.body.size': 120,
      'http.request.resend_count': 2,
      'process.pid': 4242,
      'thread.id': 7,
      'code.line.number': 12,
      'rpc.grpc.status_code': 14,
      'messaging.batch.message_count': 3,
    };
    // 12 attributes fit the limit; the SDK discards the two after them and counts them
    const span = provider
      .getTracer('typed')
      .startSpan('typed', { attributes: { ...ints, 'app.extra.one': 1, 'app.extra.two': 2 } });
    span.end();
    await provider.forceFlush();
    await provider.shutdown();
    const requests = receiver.of('traces');
    clean(requests);
    const got = requests[0].decoded.resource_spans[0].scope_spans[0].spans[0] as Decoded;
    for (const kv of got.attributes as Decoded[]) {
      if (kv.key in ints) expect([kv.key, kv.value.value]).toEqual([kv.key, 'int_value']);
    }
    expect(got.dropped_attributes_count).toBe(2);
  });
});

describe.each(POLICIES)('array and map values under the %s', (_name, policyOf) => {
  it('arrays stay homogeneous (generalized, hashed, scanned, masked) and log body maps keep unique keys', async () => {
    const e = exporters();
    const tracerProvider = new TracerProvider({
      spanProcessors: [
        new PrivacySpanProcessor({ policy: policyOf(), next: new SimpleSpanProcessor({ exporter: e.traces }) }),
      ],
    });
    tracerProvider
      .getTracer('arrays')
      .startSpan('arrays', {
        attributes: {
          'client.address': ['198.51.100.7', 'not-an-ip', '2001:db8::1'],
          'app.ids': ['fake-1', 'fake-2'],
          'app.notes': ['fake.user@example.com', tricky[1], 'plain'],
          'app.counts': [1, 2, 3],
          'app.flags': [true, false],
          'app.mixed': ['a', 'b'],
        },
      })
      .end();
    await tracerProvider.shutdown();
    const loggerProvider = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({ policy: policyOf(), next: new SimpleLogRecordProcessor({ exporter: e.logs }) }),
      ],
    });
    loggerProvider.getLogger('bodies').emit({
      body: { 'user.email': 'fake.b@example.com', nested: { 'user.id': 'fake-9', list: [1, 2] }, note: tricky[4] },
      attributes: { 'app.kv': { a: 1, b: ['x', 'y'] } },
    });
    await loggerProvider.shutdown();
    clean(receiver.of('traces'));
    clean(receiver.of('logs'));
  });
});

describe('long database statements', () => {
  it('a statement cut at the length bound keeps surrogate pairs whole (strict UTF-8 on the wire)', async () => {
    const e = exporters();
    const provider = new TracerProvider({
      spanProcessors: [
        new PrivacySpanProcessor({
          // no value scanning, so the statement sanitizer's own cut is what is exported
          policy: definePolicy({
            version: 1,
            attributes: { allow: ['db.system.name', 'db.query.text'] },
            sanitizers: { sql: { attributes: ['db.query.text'] } },
          }),
          next: new SimpleSpanProcessor({ exporter: e.traces }),
        }),
      ],
    });
    // 65 536 code units is the bound; the astral character straddles it
    const statement = 'SELECT ' + 'x'.repeat(65_536 - 8) + '😀 FROM fake_table';
    provider
      .getTracer('db')
      .startSpan('SELECT', {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.query.text': statement },
      })
      .end();
    await provider.shutdown();
    const requests = receiver.of('traces');
    clean(requests);
    const kv = (requests[0].decoded.resource_spans[0].scope_spans[0].spans[0].attributes as Decoded[]).find(
      (a) => a.key === 'db.query.text',
    );
    expect(kv?.value.string_value).toMatch(/x \[truncated\]$/);
  });
});

describe.each(POLICIES)('logs under the %s', (_name, policyOf) => {
  it('arrive as valid OTLP with bodies and attributes around multi-byte text', async () => {
    const e = exporters();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'fake-shop' }),
      processors: [
        new PrivacyLogRecordProcessor({ policy: policyOf(), next: new SimpleLogRecordProcessor({ exporter: e.logs }) }),
      ],
    });
    const logger = provider.getLogger('fake-logs', '1.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.27.0' });
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    for (const text of tricky) {
      logger.emit({
        body: text,
        severityText: 'INFO',
        context: trace.setSpan(context.active(), span),
        attributes: {
          'app.note': text,
          'http.response.status_code': 500,
          'user.id': 'fake-user-3',
          'app.kv': { a: text },
        },
      });
      logger.emit({ body: { message: text, 'user.email': 'fake.m@example.com', n: 3 }, severityText: 'WARN' });
    }
    await provider.forceFlush();
    await provider.shutdown();
    const requests = receiver.of('logs');
    clean(requests);
    const records = requests.flatMap((r) =>
      (r.decoded.resource_logs as Decoded[]).flatMap((rl) =>
        (rl.scope_logs as Decoded[]).flatMap((sl) => sl.log_records as Decoded[]),
      ),
    );
    expect(records.length).toBe(tricky.length * 2);
    expect(records[0].trace_id.toString('hex')).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(records[0].span_id.toString('hex')).toBe('b7ad6b7169203331');
  });
});

describe('strings cut or masked next to surrogate pairs (generated)', () => {
  it('every span attribute stays strict UTF-8 on the wire under the every-action policy', async () => {
    const e = exporters();
    const provider = new TracerProvider({
      spanProcessors: [
        new PrivacySpanProcessor({
          policy: everyAction(),
          next: new BatchSpanProcessor({ exporter: e.traces, maxExportBatchSize: 512, scheduledDelayMillis: 10 }),
        }),
      ],
    });
    const tracer = provider.getTracer('fake-gen');
    // A run without separators around the scan bound (64 code units in this policy), so the cut falls inside it,
    // followed by findings and more multi-byte text.
    const unit = fc.constantFrom('a', 'ä', '€', '😀', '𝒜', '1', '\u0301');
    const piece = fc.oneof(
      fc.string({ unit, maxLength: 70 }),
      fc.constantFrom(
        ' fake.user@example.com ',
        ' 4111 1111 1111 1111 ',
        ' +1 202 555 0147 ',
        ' Bearer abcdefghijklmnopqrstuvwxyz012345 ',
      ),
    );
    const texts = fc.sample(
      fc
        .tuple(fc.string({ unit, minLength: 40, maxLength: 80 }), fc.array(piece, { maxLength: 4 }))
        .map(([head, parts]) => head + parts.join('')),
      { numRuns: 300, seed: 42 },
    );
    for (const text of texts) tracer.startSpan('gen', { attributes: { 'app.note': text, 'app.other': text } }).end();
    await provider.forceFlush();
    await provider.shutdown();
    clean(receiver.of('traces'));
  });
});

describe.each([
  ['DELTA', AggregationTemporality.DELTA],
  ['CUMULATIVE', AggregationTemporality.CUMULATIVE],
])('metrics (%s) under the every-action policy with k-anonymity', (_name, temporality) => {
  it('keep point types, temporality, monotonicity, consistent histograms and folded points', async () => {
    const e = exporters();
    const policy = everyAction();
    const inner = e.metrics;
    const exporter = new PrivacyMetricExporter({ policy, exporter: inner });
    (
      exporter as unknown as { selectAggregationTemporality: () => AggregationTemporality }
    ).selectAggregationTemporality = () => temporality;
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({
      resource: sanitizeResource(policy, resourceFromAttributes({ 'service.name': 'fake-shop' })),
      readers: [reader],
      views: [{ instrumentName: 'fake.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const tracerProvider = new TracerProvider();
    const span = tracerProvider.getTracer('t').startSpan('s');
    const ctx = trace.setSpan(context.active(), span);
    const meter = provider.getMeter('fake-meter', '1.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.27.0' });
    const counter = meter.createCounter('fake.orders', { valueType: ValueType.INT });
    const updown = meter.createUpDownCounter('fake.queue');
    const histogram = meter.createHistogram('fake.latency', { advice: { explicitBucketBoundaries: [1, 10, 100] } });
    const gauge = meter.createGauge('fake.temp');
    const exponential = meter.createHistogram('fake.exp');
    for (const [tier, n] of [
      ['gold', 5],
      ['silver', 1],
      ['bronze', 1],
      ['tin', 2],
    ] as const) {
      counter.add(n, { 'fake.tier': tier, 'user.id': 'fake-u' }, ctx);
      updown.add(-n, { 'fake.tier': tier }, ctx);
      for (let i = 0; i < n; i++) histogram.record(i * 30 + 0.5, { 'fake.tier': tier, 'app.note': tricky[1] }, ctx);
      gauge.record(n, { 'fake.tier': tier });
      for (let i = 0; i <= n; i++) exponential.record(i * 7.5 - 3, { 'fake.tier': tier }, ctx);
    }
    await reader.forceFlush();
    await provider.shutdown();
    const requests = receiver.of('metrics');
    clean(requests);
    const metrics = requests.flatMap((r) =>
      (r.decoded.resource_metrics as Decoded[]).flatMap((rm) =>
        (rm.scope_metrics as Decoded[]).flatMap((sm) => sm.metrics as Decoded[]),
      ),
    );
    const byName = new Map<string, Decoded>(metrics.map((m) => [m.name as string, m]));
    const want = temporality === AggregationTemporality.DELTA ? 1 : 2;
    expect(byName.get('fake.orders')!.data).toBe('sum');
    expect(byName.get('fake.orders')!.sum.is_monotonic).toBe(true);
    expect(byName.get('fake.orders')!.sum.aggregation_temporality).toBe(want);
    expect(byName.get('fake.orders')!.sum.data_points.every((p: Decoded) => p.value === 'as_int')).toBe(true);
    expect(byName.get('fake.queue')!.sum.is_monotonic).toBe(false);
    expect(byName.get('fake.latency')!.data).toBe('histogram');
    expect(byName.get('fake.latency')!.histogram.aggregation_temporality).toBe(want);
    expect(byName.get('fake.temp')!.data).toBe('gauge');
    expect(byName.get('fake.exp')!.data).toBe('exponential_histogram');
    // k-anonymity folded the small tiers. (The SDK records no exemplars; the receiver checks their ids if any come.)
    const tiers = (byName.get('fake.orders')!.sum.data_points as Decoded[]).map((p) => p.attributes[0]?.key);
    expect(tiers).toContain('otel_privacy.suppressed');
  });
});
