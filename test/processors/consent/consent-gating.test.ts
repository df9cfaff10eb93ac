import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, defaultTextMapSetter, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSENT_SUPPRESSED_ATTRIBUTE,
  PrivacyLogRecordProcessor,
  PrivacyMetricExporter,
  PrivacySpanProcessor,
  loadPolicy,
  privacyViews,
  registerPrivacySelfMetrics,
  watchOptOut,
  withConsentSubject,
} from '../../../index';
import type { Policy } from '../../../index';
import type { BloomFilter } from '../../../engine/consent/bloom-filter';
import { fakeHmacKey, fakeIds, notReported, pseudonymOf, tempDir, writeOptOut } from './consent-kit';

// A fixed fake key: the filter (100 000 entries at 1 %) reports the same false positives every run; subjects meant to
// be opted in are picked among those it does not report (`notReported`), and the measured rate is checked on its own.
const KEY = fakeHmacKey('consent-gating');
const RATE = 0.01;
let dir: string;
let filter: BloomFilter;

/** 100 000 opted-out subjects; the workload uses some of them and subjects never opted out. */
const OPTED_OUT = fakeIds('fake-optout-user', 100_000);

function policyFile(name: string, action: 'drop' | 'minimize', extra = ''): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: k1, env: CONSENT_TEST_HMAC }
attributes:
  hash: [user.id, enduser.id]
  allow: [app.plan, app.step, http.route]
  generalize: { client.address: ip-prefix }
consent:
  subject:
    attributes: [enduser.id, user.id]
    baggage: [app.subject]
    context: true
  optOut: { file: optout.bloom, falsePositiveRate: ${RATE} }
  action: ${action}
  personal: [app.step]
${extra}`,
  );
  return path;
}

function pipelines(policy: Policy) {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const logs = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: new PrivacyMetricExporter({ policy, exporter: metrics }),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  // a second meter provider without views: raw measurement attributes reach PrivacyMetricExporter
  const rawMetrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const rawReader = new PeriodicExportingMetricReader({
    exporter: new PrivacyMetricExporter({ policy, exporter: rawMetrics }),
    exportIntervalMillis: 3_600_000,
  });
  const rawMeterProvider = new MeterProvider({ readers: [rawReader] });
  return {
    tracer: tracerProvider.getTracer('consent-test'),
    logger: loggerProvider.getLogger('consent-test'),
    counter: meterProvider.getMeter('consent-test').createCounter('fake.requests'),
    rawCounter: rawMeterProvider.getMeter('consent-test').createCounter('fake.raw.requests'),
    spans,
    logs,
    async points(): Promise<DataPoint<number>[]> {
      await meterProvider.forceFlush();
      await rawMeterProvider.forceFlush();
      return [...metrics.getMetrics(), ...rawMetrics.getMetrics()].flatMap((r) =>
        r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => m.dataPoints as DataPoint<number>[])),
      );
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await loggerProvider.shutdown();
      await meterProvider.shutdown();
      await rawMeterProvider.shutdown();
    },
  };
}

/** Every string an exported item carries in its attributes (spans: also events and links). */
function attributeStrings(attrs: Attributes | undefined): string[] {
  return Object.values(attrs ?? {}).flatMap((v) => (Array.isArray(v) ? v.map(String) : [String(v)]));
}

beforeAll(() => {
  process.env.CONSENT_TEST_HMAC = KEY;
  dir = tempDir();
  filter = writeOptOut(join(dir, 'optout.bloom'), KEY, OPTED_OUT, RATE);
});
afterAll(() => {
  delete process.env.CONSENT_TEST_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

describe('consent: drop, real SDK providers, 100 000 opted-out pseudonyms', () => {
  it('a mixed workload exports nothing about opted-out subjects and everything about the others', async () => {
    const policy = loadPolicy(policyFile('drop', 'drop'));
    const p = pipelines(policy);
    const optedOut = OPTED_OUT.filter((_, i) => i % 250 === 0); // 400 of them
    // opted-in subjects the filter does not report (false positives, ~1 %, are measured in their own test)
    const optedIn = notReported(filter, KEY, 'fake-kept-user', 400);
    const bannedNeedles = new Set(optedOut.flatMap((id) => [id, pseudonymOf(KEY, id)]));
    /** Opted-out traces → names of the spans that ended before the decision (they carry nothing of the subject). */
    const optedOutTraces = new Map<string, string[]>();
    const expected = { traces: 0, logs: 0, metrics: 0 };
    let earlyLogs = 0;
    const users = optedOut.map((id) => ({ id, out: true })).concat(optedIn.map((id) => ({ id, out: false })));
    // interleaved: opted-out and opted-in requests alternate in blocks
    users.sort((a, b) => (Number(a.id.split('-').pop()) % 17) - (Number(b.id.split('-').pop()) % 17));
    for (const [n, u] of users.entries()) {
      const style = n % 5;
      const root = p.tracer.startSpan('GET /orders', {
        attributes: style === 0 ? { 'enduser.id': u.id, 'app.plan': 'fake-gold' } : { 'app.plan': 'fake-gold' },
      });
      let ctx: Context = trace.setSpan(context.active(), root);
      if (style === 1) ctx = withConsentSubject(ctx, u.id);
      if (style === 2) ctx = propagation.setBaggage(ctx, propagation.createBaggage({ 'app.subject': { value: u.id } }));
      const early = p.tracer.startSpan('auth', { attributes: { 'app.step': 'fake-auth' } }, ctx);
      early.end();
      if (style === 4) p.tracer.startSpan('db', { attributes: { 'user.id': u.id } }, ctx).end();
      // a span and a log record without the subject on them
      p.tracer.startSpan('render', { attributes: { 'app.step': 'fake-render' } }, ctx).end();
      p.logger.emit({ body: 'fake order listed', attributes: { 'app.plan': 'fake-gold' }, context: ctx });
      if (style === 3) root.setAttribute('user.id', u.id); // known only at the end of the request
      p.logger.emit({ body: 'fake audit', attributes: { 'user.id': u.id } });
      p.counter.add(1, { 'user.id': u.id, 'http.route': '/orders' }, ctx);
      p.rawCounter.add(1, { 'user.id': u.id, 'http.route': '/orders' });
      root.end();
      if (!u.out) continue;
      // what ended before the first span carrying the subject is not about it and is exported
      const before = style === 3 ? ['auth', 'render'] : style === 4 ? ['auth'] : [];
      optedOutTraces.set(root.spanContext().traceId, before);
      expected.traces += 1 + (style === 4 ? 1 : 0) + 2 - before.length;
      if (style === 3) earlyLogs++;
      expected.logs += style === 3 ? 1 : 2;
      expected.metrics += 2;
    }

    const spans = p.spans.getFinishedSpans();
    const logs = p.logs.getFinishedLogRecords();
    const points = await p.points();
    // zero exported items about opted-out subjects: no pseudonym or raw id anywhere, and of their traces only the
    // spans and records that ended before the subject was known
    for (const s of spans) {
      const strings = [
        s.name,
        ...attributeStrings(s.attributes),
        ...s.events.flatMap((e) => attributeStrings(e.attributes)),
      ];
      expect(strings.filter((x) => bannedNeedles.has(x))).toEqual([]);
      const before = optedOutTraces.get(s.spanContext().traceId);
      if (before !== undefined) expect(before).toContain(s.name);
    }
    for (const r of logs) {
      expect(attributeStrings(r.attributes).filter((x) => bannedNeedles.has(x))).toEqual([]);
      if (r.spanContext && optedOutTraces.has(r.spanContext.traceId)) expect(r.body).toBe('fake order listed');
    }
    for (const pt of points) {
      expect(attributeStrings(pt.attributes).filter((x) => bannedNeedles.has(x))).toEqual([]);
      expect(pt.attributes[CONSENT_SUPPRESSED_ATTRIBUTE]).toBeUndefined();
    }
    // everything about the others is there
    expect(optedIn.filter((id) => policy.compiled.consent!.optedOut(id))).toEqual([]);
    expect(spans.filter((s) => s.name === 'GET /orders')).toHaveLength(400);
    expect(spans.filter((s) => s.name === 'render')).toHaveLength(400 + earlyLogs);
    const pointUsers = new Set(points.map((pt) => String(pt.attributes['user.id'])));
    expect(optedIn.every((id) => pointUsers.has(pseudonymOf(KEY, id)))).toBe(true);
    expect(points.reduce((sum, pt) => sum + pt.value, 0)).toBe(800); // 400 users × 2 counters
    expect(logs.filter((r) => r.body === 'fake audit')).toHaveLength(400);
    expect(logs.filter((r) => r.body === 'fake order listed')).toHaveLength(400 + earlyLogs);
    expect(policy.counters.consentSuppressed).toEqual(expected);
    await p.shutdown();
  });

  it('the decision never reaches downstream: same traceparent flags, trace state and baggage as an opted-in request', () => {
    const policy = loadPolicy(policyFile('drop-propagation', 'drop'));
    const p = pipelines(policy);
    const propagator = { traceContext: new W3CTraceContextPropagator(), baggage: new W3CBaggagePropagator() };
    const headersFor = (user: string) => {
      const root = p.tracer.startSpan('GET /x', { attributes: { 'enduser.id': user } });
      const child = p.tracer.startSpan('call downstream', {}, trace.setSpan(context.active(), root));
      const carrier: Record<string, string> = {};
      const ctx = trace.setSpan(context.active(), child);
      propagator.traceContext.inject(ctx, carrier, defaultTextMapSetter);
      propagator.baggage.inject(ctx, carrier, defaultTextMapSetter);
      child.end();
      root.end();
      return carrier;
    };
    const out = headersFor(OPTED_OUT[7]);
    const kept = headersFor(notReported(filter, KEY, 'fake-kept-user-propagation')[0]);
    expect(policy.counters.consentSuppressed.traces).toBe(2);
    expect(Object.keys(out).sort()).toEqual(Object.keys(kept).sort());
    expect(out.traceparent.slice(-2)).toBe('01');
    expect(kept.traceparent.slice(-2)).toBe('01');
    expect(out.tracestate).toBe(kept.tracestate);
    expect(out.baggage).toBe(kept.baggage);
  });

  it('measured false-positive rate through the real pipeline is within the configured bound', async () => {
    const policy = loadPolicy(policyFile('drop-fp', 'drop'));
    const p = pipelines(policy);
    const n = 20_000;
    for (const id of fakeIds('fake-never-opted-out', n))
      p.tracer.startSpan('GET /a', { attributes: { 'user.id': id } }).end();
    const dropped = n - p.spans.getFinishedSpans().length;
    expect(dropped).toBe(policy.counters.consentSuppressed.traces);
    // binomial(20 000, ≤ 0.01): the bound plus 4 standard deviations (≈ 0.0028) is never reached by chance
    const rate = dropped / n;
    expect(rate).toBeLessThanOrEqual(RATE + 4 * Math.sqrt((RATE * (1 - RATE)) / n));
    expect(policy.compiled.consent!.optOut.expectedFalsePositiveRate).toBeLessThanOrEqual(RATE);
    // and every one of 20 000 opted-out subjects is found (a Bloom filter has no false negatives)
    const gate = policy.compiled.consent!;
    expect(OPTED_OUT.slice(0, 20_000).filter((id) => !gate.optedOut(id))).toEqual([]);
    await p.shutdown();
  });

  it('reloads a changed opt-out file without a restart; a broken file is refused and the filter stays', async () => {
    const local = join(dir, 'reload');
    rmSync(local, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(local);
    const path = join(local, 'policy.yaml');
    writeFileSync(path, readFileSync(policyFile('reload-source', 'drop'), 'utf8'));
    const first = writeOptOut(join(local, 'optout.bloom'), KEY, ['fake-first-user'], RATE);
    // a subject the one-entry filter does not report (it would at its 1 % rate for some ids)
    const late = notReported(first, KEY, 'fake-late-user')[0];
    const policy = loadPolicy(path);
    const p = pipelines(policy);
    const errors: string[] = [];
    const watcher = watchOptOut(policy, { onError: (e) => errors.push(e.message), pollIntervalMillis: 50 });
    try {
      p.tracer.startSpan('a', { attributes: { 'user.id': late } }).end();
      expect(p.spans.getFinishedSpans()).toHaveLength(1);
      writeOptOut(join(local, 'optout.bloom'), KEY, ['fake-first-user', late], RATE);
      expect(watcher.check()).toBe('reloaded');
      p.tracer.startSpan('b', { attributes: { 'user.id': late } }).end();
      expect(p.spans.getFinishedSpans().map((s) => s.name)).toEqual(['a']);
      // a truncated file: refused with a one-line reason; the filter in effect stays
      const bytes = readFileSync(join(local, 'optout.bloom'));
      writeFileSync(join(local, 'optout.bloom'), bytes.subarray(0, bytes.length - 10));
      expect(watcher.check()).toBe('rejected');
      expect(errors[0]).toMatch(/optout\.bloom: checksum mismatch/);
      p.tracer.startSpan('c', { attributes: { 'user.id': late } }).end();
      expect(p.spans.getFinishedSpans().map((s) => s.name)).toEqual(['a']);
      // and the file watch itself picks a change up (no check() call)
      writeOptOut(join(local, 'optout.bloom'), KEY, ['fake-first-user'], RATE);
      await expect.poll(() => policy.compiled.consent!.optedOut(late), { timeout: 5000 }).toBe(false);
    } finally {
      watcher.close();
      await p.shutdown();
    }
  });

  it('a subject named only in a span event or a link attribute opts the span out too', async () => {
    const policy = loadPolicy(policyFile('drop-events-links', 'drop'));
    const p = pipelines(policy);
    const linked = p.tracer.startSpan('linked');
    linked.end();
    const withEvent = p.tracer.startSpan('event only');
    withEvent.addEvent('e', { 'user.id': OPTED_OUT[5] });
    withEvent.end();
    const withLink = p.tracer.startSpan('link only', {
      links: [{ context: linked.spanContext(), attributes: { 'user.id': OPTED_OUT[6] } }],
    });
    withLink.end();
    const names = p.spans.getFinishedSpans().map((s) => s.name);
    expect(names).toEqual(['linked']);
    expect(policy.counters.consentSuppressed.traces).toBe(2);
    await p.shutdown();
  });

  it('reports otel_privacy.consent.suppressed per signal', async () => {
    const policy = loadPolicy(policyFile('drop-selfmetrics', 'drop'));
    const p = pipelines(policy);
    p.tracer.startSpan('a', { attributes: { 'user.id': OPTED_OUT[3] } }).end();
    p.logger.emit({ body: 'x', attributes: { 'user.id': OPTED_OUT[3] } });
    p.logger.emit({ body: 'y', attributes: { 'user.id': OPTED_OUT[4] } });
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const self = new MeterProvider({ readers: [reader] });
    registerPrivacySelfMetrics({ policy, meterProvider: self });
    await self.forceFlush();
    const metric = exporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
      .find((m) => m.descriptor.name === 'otel_privacy.consent.suppressed');
    const bySignal = Object.fromEntries(metric!.dataPoints.map((d) => [d.attributes.signal, d.value]));
    expect(bySignal).toEqual({ traces: 1, logs: 2, metrics: 0 });
    await self.shutdown();
    await p.shutdown();
  });
});

describe('consent: minimize', () => {
  it('removes hashed, generalized, personal and subject attributes of opted-out subjects, keeps the rest', async () => {
    const policy = loadPolicy(policyFile('minimize', 'minimize'));
    const p = pipelines(policy);
    const attrs = {
      'user.id': OPTED_OUT[11],
      'client.address': '192.0.2.44',
      'app.plan': 'fake-gold',
      'app.step': 'fake-pay',
      'http.route': '/pay',
    };
    const span = p.tracer.startSpan('pay', { attributes: attrs });
    span.addEvent('fake event', { 'user.id': OPTED_OUT[11], 'app.plan': 'fake-gold' });
    span.end();
    const kept = notReported(filter, KEY, 'fake-kept-user-m')[0];
    p.tracer.startSpan('pay', { attributes: { ...attrs, 'user.id': kept } }).end();
    p.logger.emit({ body: 'fake', attributes: attrs });
    p.counter.add(1, { 'user.id': OPTED_OUT[11], 'http.route': '/pay' });
    const [out, keptSpan] = p.spans.getFinishedSpans();
    expect(out.attributes).toEqual({ 'app.plan': 'fake-gold', 'http.route': '/pay' });
    expect(out.events[0].attributes).toEqual({ 'app.plan': 'fake-gold' });
    expect(Object.keys(keptSpan.attributes).sort()).toEqual([
      'app.plan',
      'app.step',
      'client.address',
      'http.route',
      'user.id',
    ]);
    expect(p.logs.getFinishedLogRecords()[0].attributes).toEqual({ 'app.plan': 'fake-gold', 'http.route': '/pay' });
    const points = await p.points();
    expect(points.map((pt) => pt.attributes)).toEqual([{ 'http.route': '/pay' }]);
    expect(policy.counters.consentSuppressed).toEqual({ traces: 0, metrics: 0, logs: 0 });
    await p.shutdown();
  });
});

describe('consent: policy errors name the problem', () => {
  it('a missing file, a filter of another key id, a filter above the bound, a missing HMAC key', () => {
    const missing = policyFile('missing', 'drop').replace('missing.yaml', 'missing.yaml');
    writeFileSync(missing, readFileSync(missing, 'utf8').replace('optout.bloom', 'absent.bloom'));
    expect(() => loadPolicy(missing)).toThrow(
      /missing\.yaml:\d+ consent\.optOut\.file: cannot read consent\.optOut\.file .*absent\.bloom: ENOENT/,
    );
    writeOptOut(join(dir, 'other-key.bloom'), KEY, ['fake-a'], RATE, 'k2');
    const other = policyFile('other', 'drop');
    writeFileSync(other, readFileSync(other, 'utf8').replace('optout.bloom', 'other-key.bloom'));
    expect(() => loadPolicy(other)).toThrow(
      /holds pseudonyms of key id\(s\) \["k2"\], the policy hashes with key id "k1"/,
    );
    writeOptOut(join(dir, 'loose.bloom'), KEY, fakeIds('fake-loose', 1000), 0.05);
    const loose = policyFile('loose', 'drop');
    writeFileSync(loose, readFileSync(loose, 'utf8').replace('optout.bloom', 'loose.bloom'));
    expect(() => loadPolicy(loose)).toThrow(
      /expected false-positive rate 0\.0[45]\d* with 1000 entries is above consent\.optOut\.falsePositiveRate 0\.01/,
    );
    const nokey = join(dir, 'nokey.yaml');
    writeFileSync(
      nokey,
      'version: 1\nconsent:\n  subject: { attributes: [user.id] }\n  optOut: { file: optout.bloom }\n',
    );
    expect(() => loadPolicy(nokey)).toThrow(/consent hashes values but keys\.hmac is not set/);
    const nosubject = join(dir, 'nosubject.yaml');
    writeFileSync(
      nosubject,
      'version: 1\nkeys: { hmac: { id: k1, env: CONSENT_TEST_HMAC } }\nconsent:\n  subject: {}\n  optOut: { file: optout.bloom }\n',
    );
    expect(() => loadPolicy(nosubject)).toThrow(
      /consent\.subject: expected at least one of "attributes", "baggage" or "context: true"/,
    );
  });
});
