import { trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PrivacyLogRecordProcessor,
  PrivacySpanProcessor,
  definePolicy,
  registerPrivacySelfMetrics,
} from '../../../index';
import type { Policy } from '../../../index';

// The wall clock is the only thing faked (windows pass without waiting); policy, processor, providers are real.
const HMAC = 'fake-leak-label-hmac-key-0123456789abcdef';

function policy(): Policy {
  return definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'LEAK_LABEL_HMAC' } },
    attributes: { allow: ['customer.*', 'messaging.*', 'app.contact', 'http.route'] },
    values: { detectors: 'all' },
    alarms: { leak: { window: '10s', factor: 4, minCount: 3 } },
  });
}

let warnings: string[];
beforeEach(() => {
  process.env.LEAK_LABEL_HMAC = HMAC;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  warnings = [];
});
afterEach(() => {
  delete process.env.LEAK_LABEL_HMAC;
  vi.useRealTimers();
  trace.disable();
});

/** A learning window, then three windows in which each key carries an e-mail address once a second. */
function release(p: Policy, keys: readonly string[]) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy: p, next: new SimpleSpanProcessor({ exporter }) })],
  });
  const tracer = provider.getTracer('labels');
  // a finding elsewhere starts the learning window (the first window after the first finding only learns)
  tracer.startSpan('warm-up', { attributes: { 'http.route': 'fake.warmup@example.test' } }).end();
  vi.advanceTimersByTime(11_000);
  for (let s = 0; s < 30; s++) {
    for (const key of keys) tracer.startSpan('work', { attributes: { [key]: `fake.person${s}@example.test` } }).end();
    vi.advanceTimersByTime(1000);
  }
}

describe('leak alarm: what it prints for a key', () => {
  it('a key allowed only by a glob is printed as the pattern and a keyed tag, never as itself', async () => {
    const p = policy();
    p.onLeakWarning((line) => warnings.push(line));
    const keys = [
      'customer.jane_doe_1984.visits',
      'customer.john_roe_1990.visits',
      'app.contact',
      'messaging.destination.name',
    ];
    release(p, keys);
    expect(warnings).toHaveLength(4);
    const text = warnings.join('\n');
    expect(text).not.toMatch(/jane|john|doe|roe|1984|1990/);
    const labels = warnings.map((w) => /key=(.*?) detector=/.exec(w)![1]);
    // named literally by the policy / a semantic-convention key: as is
    expect(labels).toContain('app.contact');
    expect(labels).toContain('messaging.destination.name'); // allowed by `messaging.*`, but a semantic-convention key
    // the two glob keys: the pattern and two different tags
    const globbed = labels.filter((l) => l.startsWith('customer.* #'));
    expect(globbed).toHaveLength(2);
    expect(new Set(globbed).size).toBe(2);
    for (const l of globbed) expect(l).toMatch(/^customer\.\* #[A-Za-z0-9_-]{8}$/);
    // the same policy key gives the same tag in another process (keyed with the policy's HMAC key)
    const again = policy();
    release(again, keys);
    expect(
      again
        .leakAlarm!.suspicions()
        .map((s) => s.key)
        .sort(),
    ).toEqual([...labels].sort());

    // the self-metric's key label is the same printable label
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const unregister = registerPrivacySelfMetrics({ policy: p, meterProvider });
    await reader.forceFlush();
    const points = metrics
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
      .filter((m) => m.descriptor.name === 'otel_privacy.leak_suspected')
      .flatMap((m) => m.dataPoints.map((d) => d.attributes.key as string));
    expect(points.sort()).toEqual([...labels].sort());
    unregister();
    await meterProvider.shutdown();
  });
});

describe('leak alarm: the pattern printed is the one that decided the key in that signal', () => {
  it('a key allowed by one glob in traces and by another in logs is labelled by the pattern of each signal', () => {
    const p = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'LEAK_LABEL_HMAC' } },
      attributes: { allow: ['http.route'] },
      traces: { attributes: { allow: ['customer.*'] } },
      logs: { attributes: { allow: ['customer.profile.*'] } },
      values: { detectors: 'all' },
      alarms: { leak: { window: '10s', factor: 4, minCount: 3 } },
    });
    p.onLeakWarning((line) => warnings.push(line));
    const spans = new TracerProvider({
      spanProcessors: [
        new PrivacySpanProcessor({
          policy: p,
          next: new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }),
        }),
      ],
    });
    const logs = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({
          policy: p,
          next: new SimpleLogRecordProcessor({ exporter: new InMemoryLogRecordExporter() }),
        }),
      ],
    });
    const tracer = spans.getTracer('labels');
    const logger = logs.getLogger('labels');
    const key = 'customer.profile.jane_doe_1984';
    tracer.startSpan('warm-up', { attributes: { 'http.route': 'fake.warmup@example.test' } }).end();
    vi.advanceTimersByTime(11_000);
    for (let s = 0; s < 30; s++) {
      tracer.startSpan('work', { attributes: { [key]: `fake.person${s}@example.test` } }).end();
      logger.emit({ body: 'work', attributes: { [key]: `fake.person${s}@example.test` } });
      vi.advanceTimersByTime(1000);
    }
    const labels = new Map(
      warnings.map((w) => [/signal=(\w+)/.exec(w)![1], /key=(.*?) detector=/.exec(w)![1]] as const),
    );
    expect(warnings.join('\n')).not.toMatch(/jane|doe|1984/);
    expect(labels.get('traces')).toMatch(/^customer\.\* #[A-Za-z0-9_-]{8}$/);
    expect(labels.get('logs')).toMatch(/^customer\.profile\.\* #[A-Za-z0-9_-]{8}$/);
    // the same key: the same tag
    expect(labels.get('traces')!.split(' ')[1]).toBe(labels.get('logs')!.split(' ')[1]);
  });
});
