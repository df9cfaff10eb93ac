import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PrivacyLogRecordProcessor,
  PrivacySpanProcessor,
  definePolicy,
  registerPrivacySelfMetrics,
} from '../../../index';
import type { Policy } from '../../../index';
import { LeakAlarm } from '../../../engine/leak-alarm';
import { PolicyError } from '../../../policy/policy-error';

// The leak alarm on real SDK providers: the wall clock is the only thing faked (vitest moves Date), so windows pass
// without waiting; everything else (policy, processors, exporters, meter provider) is real.
const WINDOW = 10_000;

function leakPolicy(leak: Record<string, unknown> = {}): Policy {
  return definePolicy({
    version: 1,
    attributes: { allow: ['app.*', 'app.note', 'http.route', 'url.full'] }, // app.note literally: printed as is
    values: { detectors: 'all' },
    alarms: { leak: { window: '10s', factor: 4, minCount: 3, ...leak } },
  });
}

function tracing(policy: Policy) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  const tracer = provider.getTracer('leak-test');
  const span = (attributes: Record<string, string>) => tracer.startSpan('work', { attributes }).end();
  return { exporter, provider, span };
}

let warnings: string[];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  warnings = [];
});
afterEach(() => {
  vi.useRealTimers();
  trace.disable();
});

/** One second of steady traffic: clean spans and `perSecond` spans with a bearer token in url.full. */
function steadySecond(span: (a: Record<string, string>) => void, perSecond: number) {
  for (let i = 0; i < 20; i++) span({ 'http.route': '/orders/:id', 'app.plan': 'gold' });
  for (let i = 0; i < perSecond; i++)
    span({ 'url.full': `https://api.example.test/x?q=Bearer fakeTokenAbcdefghijklmnopqrstu${i}` });
  vi.advanceTimersByTime(1000);
}

describe('alarms.leak on real providers', () => {
  it('a steady workload raises nothing; a release that writes e-mail addresses into an allowed key raises exactly one alarm', async () => {
    const policy = leakPolicy();
    policy.onLeakWarning((line) => warnings.push(line));
    const { exporter, span } = tracing(policy);
    // steady: 6 windows with the same rate of findings in url.full (the first window only learns)
    for (let s = 0; s < 60; s++) steadySecond(span, 2);
    expect(warnings).toEqual([]);
    expect(policy.leakAlarm?.suspicions()).toEqual([]);
    expect(policy.counters.findings['bearer-token']).toBe(120);

    // the "new release": app.note (allowed) now carries the customer's e-mail address, for 3 more windows
    for (let s = 0; s < 30; s++) {
      steadySecond(span, 2);
      span({ 'app.note': `order placed by fake.customer${s}@example.test` });
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARN leak suspected: signal=traces key=app\.note detector=email \(3 findings/);
    expect(warnings[0]).not.toContain('example.test');
    expect(policy.leakAlarm?.suspicions()).toEqual([
      { signal: 'traces', key: 'app.note', detector: 'email', count: 1 },
    ]);
    // the values themselves were masked all along
    expect(JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes))).not.toContain('fake.customer');

    // the counter reaches the self-metrics with the same labels
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const unregister = registerPrivacySelfMetrics({ policy, meterProvider });
    await reader.forceFlush();
    const leak = metrics
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
      .find((m) => m.descriptor.name === 'otel_privacy.leak_suspected');
    expect(leak?.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ signal: 'traces', key: 'app.note', detector: 'email' }, 1],
    ]);
    unregister();
    await meterProvider.shutdown();
  });

  it('a rise by the factor alarms; a rise below it does not', () => {
    const policy = leakPolicy();
    policy.onLeakWarning((line) => warnings.push(line));
    const { span } = tracing(policy);
    for (let s = 0; s < 20; s++) steadySecond(span, 1); // 10 per window
    for (let s = 0; s < 10; s++) steadySecond(span, 3); // 30 per window: 3x, below the factor 4
    expect(warnings).toEqual([]);
    for (let s = 0; s < 10; s++) steadySecond(span, 13); // 130 per window: more than 4x the 30 before
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('signal=traces key=url.full detector=bearer-token');
  });

  it('log records: the body and attributes are attributed to the logs signal', () => {
    const policy = leakPolicy({ minCount: 1 });
    policy.onLeakWarning((line) => warnings.push(line));
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
    });
    const logger = provider.getLogger('leak-test');
    // the first window from the first finding only learns
    logger.emit({ body: 'warm-up', attributes: { 'app.warm': 'fake.warm@example.test' } });
    vi.advanceTimersByTime(WINDOW + 1);
    logger.emit({ body: 'hello', attributes: { 'app.note': 'card 4111 1111 1111 1111' } });
    expect(warnings).toEqual([
      expect.stringMatching(/^WARN leak suspected: signal=logs key=app\.note detector=payment-card /),
    ]);
    logger.emit({ body: 'write to fake.body@example.test' });
    expect(warnings[1]).toMatch(/^WARN leak suspected: signal=logs key=log\.body detector=email /);
  });

  it('a key holding a finding is never named; keys beyond maxTrackedKeys are tracked as (other) and counted', () => {
    const policy = leakPolicy({ minCount: 1, maxTrackedKeys: 2 });
    policy.onLeakWarning((line) => warnings.push(line));
    const { span } = tracing(policy);
    span({ 'url.full': 'https://example.test/?q=Bearer fakeTokenAbcdefghijklmnopqrstu' });
    vi.advanceTimersByTime(WINDOW + 1);
    span({ 'app.fake.person@example.test': 'x' });
    for (let i = 0; i < 4; i++) span({ [`app.k${i}`]: `mail fake${i}@example.test` });
    expect(warnings.join('\n')).not.toContain('fake.person');
    const keys = policy.leakAlarm!.suspicions().map((s) => s.key);
    expect(keys).toEqual(['(key holding a finding)', '(other)']);
    expect(policy.leakAlarm!.tracked).toBe(3);
    expect(policy.leakAlarm!.overflowed).toBe(4);
  });

  it('memory stays bounded whatever keys arrive (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        (keys, max) => {
          let now = 0;
          const alarm = new LeakAlarm(
            { windowMillis: 10, factor: 2, minCount: 1, maxTrackedKeys: max },
            () => {},
            () => now,
          );
          for (const k of keys) {
            now += 3;
            alarm.record('traces', k, 'email');
            alarm.record('logs', k, 'iban');
          }
          // at most max triples plus one (other) per (signal, detector) pair used here
          expect(alarm.tracked).toBeLessThanOrEqual(max + 2);
          for (const s of alarm.suspicions()) expect(s.key.length).toBeLessThanOrEqual(128);
        },
      ),
    );
  });

  it('bad settings fail with the path named', () => {
    const bad = (leak: Record<string, unknown>) => () => leakPolicy(leak);
    expect(bad({ window: '5 minutes' })).toThrow(/alarms\.leak\.window.*duration/);
    expect(bad({ factor: 1 })).toThrow(/alarms\.leak\.factor.*greater than 1/);
    expect(bad({ minCount: 0 })).toThrow(/alarms\.leak\.minCount/);
    expect(bad({ maxTrackedKeys: 1e9 })).toThrow(/alarms\.leak\.maxTrackedKeys/);
    expect(bad({ window: '5m', extra: 1 })).toThrow(PolicyError);
  });

  it('without alarms.leak nothing is tracked', () => {
    const policy = definePolicy({ version: 1, attributes: { allow: ['app.*'] }, values: {} });
    const { span } = tracing(policy);
    span({ 'app.note': 'fake.customer@example.test' });
    expect(policy.leakAlarm).toBeUndefined();
    expect(policy.compiled.tools.findingLog).toBeUndefined();
  });
});
