import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, createTraceState, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Meter, Tracer } from '@opentelemetry/api';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrivacyLogRecordProcessor,
  PrivacyMetricExporter,
  PrivacySpanProcessor,
  loadPolicy,
  privacyViews,
  withConsentSubject,
} from '../../../index';
import type { Policy } from '../../../index';
import { SUBJECT_FIELDS, SUBJECT_MASK } from '../../../engine/consent/subject-mask';
import type { OtlpFieldId } from '../../../engine/otlp-fields';
import { tagOf, writeFieldCanaries } from '../../assurance/field-canary-writer';
import type { CanaryApi } from '../../assurance/field-canary-writer';
import { fakeHmacKey, tempDir, writeOptOut } from './consent-kit';

const KEY = fakeHmacKey('consent-minimize-fields');
/** The opted-out subject (an obviously fake id) and its form in a URL query (percent-encoded). */
const SUBJECT = 'Fake Subject 4711';
let dir: string;

function policyFile(action: 'drop' | 'minimize'): string {
  const path = join(dir, `${action}.yaml`);
  writeFileSync(
    path,
    `version: 1
extends: default
keys:
  hmac: { id: k1, env: CONSENT_FIELDS_HMAC }
attributes:
  allow: [code.*, otel.scope.*]
# the field writer's "vendor" trace-state member is kept by the trace-state filter: only consent removes it
traces:
  traceState: { allow: [vendor] }
consent:
  subject: { attributes: [user.id], context: true }
  optOut: { file: optout.bloom }
  action: ${action}
`,
  );
  return path;
}

/**
 * The subject written into every field the minimization table calls `masked` (as is, percent-encoded, and in
 * another case), a tag only into the others; then the whole OTLP/JSON export of all three signals.
 */
async function exportWithSubjectEverywhere(policy: Policy): Promise<{ json: string; written: Set<OtlpFieldId> }> {
  const spans = new InMemorySpanExporter();
  const tracing = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const logs = new InMemoryLogRecordExporter();
  const logging = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: new PrivacyMetricExporter({ policy, exporter: metrics }),
    exportIntervalMillis: 3_600_000,
  });
  const metering = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  const written = new Set<OtlpFieldId>();
  const forms = [SUBJECT, encodeURIComponent(SUBJECT), SUBJECT.toUpperCase()];
  const text = (id: OtlpFieldId): string => {
    written.add(id);
    return SUBJECT_FIELDS[id] === 'masked' ? `${tagOf(id)} /a/${forms[written.size % 3]}/b` : tagOf(id);
  };
  const api: CanaryApi = {
    tracer: (name, version, options) => tracing.getTracer(name, version, options) as Tracer,
    logger: (name, version, options) =>
      logging.getLogger(name, version, options as Parameters<typeof logging.getLogger>[2]),
    meter: (name, version, options) => metering.getMeter(name, version, options) as Meter,
    createTraceState,
    withSpanContext: (spanContext) => trace.setSpanContext(context.active(), spanContext),
    exponentialHistograms: false,
  };
  context.with(withConsentSubject(context.active(), SUBJECT), () => {
    writeFieldCanaries(api, text);
    // The subject in an attribute key kept by a glob, and in a child span of the same trace that names no subject.
    const root = tracing.getTracer('shop').startSpan('root', { attributes: { [`code.visits.${SUBJECT}`]: 1 } });
    const ctx = trace.setSpan(context.active(), root);
    tracing
      .getTracer('shop')
      .startSpan('child', { attributes: { 'code.note': `/u/${SUBJECT}` } }, ctx)
      .end();
    root.end();
  });
  await metering.forceFlush();
  const json = [
    Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString(),
    Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString(),
    ...metrics.getMetrics().map((m) => Buffer.from(JsonMetricsSerializer.serializeRequest(m)!).toString()),
  ].join('\n');
  await Promise.all([tracing.shutdown(), logging.shutdown(), metering.shutdown()]);
  return { json, written };
}

/** Every string of an OTLP/JSON export (bytes values decoded), for a search that ignores case. */
function allText(json: string): string {
  const out: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === 'string') out.push(key === 'bytesValue' ? Buffer.from(v, 'base64').toString('utf8') : v);
    else if (Array.isArray(v)) v.forEach((e) => walk(e));
    else if (typeof v === 'object' && v !== null)
      for (const [k, e] of Object.entries(v)) {
        out.push(k);
        walk(e, k);
      }
  };
  for (const line of json.split('\n')) walk(JSON.parse(line));
  return out.join('\n').toLowerCase();
}

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  process.env.CONSENT_FIELDS_HMAC = KEY;
  dir = tempDir();
  writeOptOut(join(dir, 'optout.bloom'), KEY, [SUBJECT], 0.001);
});
afterAll(() => {
  context.disable();
  delete process.env.CONSENT_FIELDS_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

describe('consent: the subject in every OTLP field of a minimized or dropped item (real providers)', () => {
  it('minimize: no field the minimization table calls `masked` exports the subject; the items are exported', async () => {
    const policy = loadPolicy(policyFile('minimize'));
    const { json, written } = await exportWithSubjectEverywhere(policy);
    // the writer reached every masked field an application can write (the others are SDK-made or scan-only)
    const masked = (Object.keys(SUBJECT_FIELDS) as OtlpFieldId[]).filter((id) => SUBJECT_FIELDS[id] === 'masked');
    expect(masked.filter((id) => !written.has(id))).toEqual([
      'ExponentialHistogramDataPoint.attributes', // needs a view; the same attributes code as the histogram
      'SummaryDataPoint.attributes',
      'Exemplar.filtered_attributes',
    ]);
    const text = allText(json);
    for (const form of [SUBJECT, encodeURIComponent(SUBJECT)]) expect(text).not.toContain(form.toLowerCase());
    // minimized, not dropped: the span name, event name and log body arrived with the subject masked
    for (const id of ['Span.name', 'Span.Event.name', 'LogRecord.body'] as const) {
      expect(text).toContain(`${tagOf(id)} /a/${SUBJECT_MASK.toLowerCase()}/b`);
    }
    expect(policy.counters.consentSuppressed).toEqual({ traces: 0, metrics: 0, logs: 0 });
  });

  it('drop: nothing of the subject is exported at all, and every item about it is counted', async () => {
    const policy = loadPolicy(policyFile('drop'));
    const { json } = await exportWithSubjectEverywhere(policy);
    const text = allText(json);
    for (const form of [SUBJECT, encodeURIComponent(SUBJECT)]) expect(text).not.toContain(form.toLowerCase());
    expect(text).not.toContain(tagOf('Span.name'));
    expect(text).not.toContain(tagOf('LogRecord.body'));
    expect(policy.counters.consentSuppressed.traces).toBe(3);
    expect(policy.counters.consentSuppressed.logs).toBe(1);
    expect(policy.counters.consentSuppressed.metrics).toBeGreaterThanOrEqual(2);
  });
});
