import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrivacyLogRecordProcessor,
  PrivacySpanProcessor,
  loadPolicy,
  registerPrivacySelfMetrics,
  withConsentSubject,
} from '../../../index';
import type { Policy } from '../../../index';
import { fakeHmacKey, notReported, tempDir, writeOptOut } from './consent-kit';

// Traces an opted-out subject's request starts or points to, through real providers: a span started with
// `root: true` (or given a context without a span) inside the request is the subject's, and a span of another trace
// that links to the request's trace does not carry the link out (drop) or carries it minimized (minimize).

const KEY = fakeHmacKey('consent-new-traces');
const RATE = 0.000001;
const SUBJECT = 'fake-user-13';
let KEPT: string;
let dir: string;

function policy(action: 'drop' | 'minimize'): Policy {
  const path = join(dir, `${action}.yaml`);
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: k1, env: CONSENT_NEW_TRACES_HMAC }
attributes:
  hash: [user.id]
  allow: [app.note, app.plan]
consent:
  subject: { attributes: [user.id], context: true }
  optOut: { file: optout.bloom, falsePositiveRate: ${RATE} }
  action: ${action}
`,
  );
  return loadPolicy(path);
}

function pipelines(p: Policy) {
  const spans = new InMemorySpanExporter();
  const tracing = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy: p, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const logs = new InMemoryLogRecordExporter();
  const logging = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy: p, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  return {
    tracer: tracing.getTracer('new-traces'),
    logger: logging.getLogger('new-traces'),
    spans,
    logs,
    json: () => Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString(),
    shutdown: () => Promise.all([tracing.shutdown(), logging.shutdown()]),
  };
}

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  process.env.CONSENT_NEW_TRACES_HMAC = KEY;
  dir = tempDir();
  const filter = writeOptOut(join(dir, 'optout.bloom'), KEY, [SUBJECT], RATE);
  KEPT = notReported(filter, KEY, 'fake-user-kept')[0];
});
afterAll(() => {
  context.disable();
  delete process.env.CONSENT_NEW_TRACES_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * One request of `user` (subject on the request span at start, or set at its end), and inside it the ways of
 * starting new traces: `root: true` in the active context (startSpan, startActiveSpan), an explicit context without
 * a span, a child of such a new root, and a log record given a context without a span.
 */
function request(pipe: ReturnType<typeof pipelines>, user: string, late: boolean): Span {
  const root = pipe.tracer.startSpan(`GET /u/${user}`, { attributes: late ? {} : { 'user.id': user } });
  // the subject known at start: work started from inside the request follows it
  context.with(trace.setSpan(context.active(), root), () => {
    const job = pipe.tracer.startSpan(`job for ${user}`, { root: true });
    pipe.tracer.startSpan('job step', {}, trace.setSpan(context.active(), job)).end();
    job.end();
    pipe.tracer.startActiveSpan('active job', { root: true }, (s) => s.end());
    pipe.tracer.startSpan('detached job', {}, ROOT_CONTEXT).end();
    pipe.logger.emit({ body: `detached log for ${user}`, context: ROOT_CONTEXT });
  });
  if (late) root.setAttribute('user.id', user);
  root.end();
  return root;
}

describe('consent: a new trace started inside an opted-out request is the subject’s', () => {
  it('drop: root: true spans (and their children), spans and records given a context without a span', async () => {
    const p = policy('drop');
    const pipe = pipelines(p);
    request(pipe, SUBJECT, false);
    request(pipe, KEPT, false);
    // the subject in the context (withConsentSubject) reaches a root span given that context explicitly too
    const ctx = withConsentSubject(context.active(), SUBJECT);
    pipe.tracer.startSpan('explicit root', { root: true }, ctx).end();
    const names = pipe.spans.getFinishedSpans().map((s) => s.name);
    expect(names.sort()).toEqual(
      ['job step', `job for ${KEPT}`, 'active job', 'detached job', `GET /u/${KEPT}`].sort(),
    );
    expect(pipe.logs.getFinishedLogRecords().map((r) => r.body)).toEqual([`detached log for ${KEPT}`]);
    expect(p.counters.consentSuppressed).toEqual({ traces: 6, logs: 1, metrics: 0 });
    expect(pipe.json()).not.toContain(SUBJECT);
    await pipe.shutdown();
  });

  it('minimize: the new traces get the request’s identifier values masked', async () => {
    const p = policy('minimize');
    const pipe = pipelines(p);
    request(pipe, SUBJECT, false);
    request(pipe, KEPT, false);
    const spans = pipe.spans.getFinishedSpans();
    expect(spans.map((s) => s.name)).toContain('job for [REDACTED:subject]');
    expect(spans.map((s) => s.name)).toContain(`job for ${KEPT}`);
    const bodies = pipe.logs.getFinishedLogRecords().map((r) => r.body);
    expect(bodies.sort()).toEqual(['detached log for [REDACTED:subject]', `detached log for ${KEPT}`].sort());
    expect(pipe.json()).not.toContain(SUBJECT);
    await pipe.shutdown();
  });
});

describe('consent: links of other traces into an opted-out trace', () => {
  /** A consumer span (its own trace) linking to the request of `user`, with link attributes naming the user. */
  function consumer(pipe: ReturnType<typeof pipelines>, linked: Span, user: string, at: 'start' | 'later'): void {
    const link = { context: linked.spanContext(), attributes: { 'app.note': `message of ${user}` } };
    const other = pipe.tracer.startSpan(
      `consume ${at}`,
      { root: true, links: at === 'start' ? [link] : [] },
      ROOT_CONTEXT,
    );
    if (at === 'later') other.addLink(link);
    other.end();
  }

  it('drop: a link into an opted-out trace is removed (counted, self-metric); links into other traces stay', async () => {
    const p = policy('drop');
    const pipe = pipelines(p);
    const optedOutIds: string[] = [];
    for (const late of [false, true]) {
      const out = pipe.tracer.startSpan('GET /x', { attributes: late ? {} : { 'user.id': SUBJECT } });
      if (late) out.setAttribute('user.id', SUBJECT);
      out.end();
      optedOutIds.push(out.spanContext().traceId, out.spanContext().spanId);
      const kept = pipe.tracer.startSpan('GET /x', { attributes: { 'user.id': KEPT } });
      kept.end();
      for (const at of ['start', 'later'] as const) {
        consumer(pipe, out, SUBJECT, at);
        consumer(pipe, kept, KEPT, at);
      }
    }
    const consumers = pipe.spans.getFinishedSpans().filter((s) => s.name.startsWith('consume'));
    expect(consumers).toHaveLength(8);
    expect(p.counters.consentSuppressed.traces).toBe(2);
    // every consumer of the kept user keeps its link; none of the subject's does
    const links = consumers.flatMap((s) => s.links);
    expect(links).toHaveLength(4);
    expect(links.every((l) => l.attributes?.['app.note'] === `message of ${KEPT}`)).toBe(true);
    expect(p.counters.consentLinksRemoved).toBe(4);
    // nothing of the opted-out requests in the export: not the subject, not their trace or span ids
    const json = pipe.json();
    expect(json).not.toContain(SUBJECT);
    for (const id of optedOutIds) expect(json).not.toContain(id);
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const self = new MeterProvider({ readers: [reader] });
    registerPrivacySelfMetrics({ policy: p, meterProvider: self });
    await self.forceFlush();
    const metric = exporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
      .find((m) => m.descriptor.name === 'otel_privacy.consent.links_removed');
    expect(metric?.dataPoints.map((d) => d.value)).toEqual([4]);
    await self.shutdown();
    await pipe.shutdown();
  });

  it('minimize: a link into an opted-out trace keeps its ids, its attributes minimized and masked', async () => {
    const p = policy('minimize');
    const pipe = pipelines(p);
    const out = pipe.tracer.startSpan('GET /z', { attributes: { 'user.id': SUBJECT } });
    out.end();
    consumer(pipe, out, SUBJECT, 'start');
    const link = { context: out.spanContext(), attributes: { 'user.id': 'fake-other-field', 'app.plan': 'fake-gold' } };
    pipe.tracer.startSpan('consume ids', { root: true, links: [link] }, ROOT_CONTEXT).end();
    const [first, second] = pipe.spans.getFinishedSpans().filter((s) => s.name.startsWith('consume'));
    expect(first.links.map((l) => l.attributes)).toEqual([{ 'app.note': 'message of [REDACTED:subject]' }]);
    expect(second.links.map((l) => l.attributes)).toEqual([{ 'app.plan': 'fake-gold' }]);
    expect(first.links[0].context.traceId).toBe(out.spanContext().traceId);
    expect(p.counters.consentLinksRemoved).toBe(0);
    expect(pipe.json()).not.toContain(SUBJECT);
    await pipe.shutdown();
  });
});
