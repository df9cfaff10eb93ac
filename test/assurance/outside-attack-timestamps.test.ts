import type { HrTime, TimeInput } from '@opentelemetry/api';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
} from '@opentelemetry/sdk-metrics';
import type { CollectionResult, MetricProducer, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivacyMetricReader, definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// Times the application picks (a span's start and end, an event's time, a log record's timestamp and observed
// timestamp, a metric producer's point times) are exported as `*TimeUnixNano` decimal strings: an outside tester writes
// a card, phone or social security number as such a time, in every form the SDK accepts (an `HrTime`'s seconds or
// nanoseconds, epoch milliseconds as a number or a `Date`, with zeros appended). Real SDK providers with the privacy
// processors; the OTLP/JSON requests are read. Such times lie before 2000 or far in the future: they must be replaced
// by the clock and counted, and the digits must not be in any exported time. Real times (2000 up to now, any
// nanoseconds) must be exported exactly as the SDK writes them without the privacy processors.
const policy = definePolicy({ version: 1, attributes: { allow: ['app.*'] }, values: { detectors: 'all' } });
const { tracerProvider, loggerProvider, exportedJson } = privacyPipelines(policy);
const tracer = tracerProvider.getTracer('timestamps');
const logger = loggerProvider.getLogger('timestamps');

/** The metric points the producer below adds to the next collection (start, end). */
let producerTimes: [HrTime, HrTime] = [
  [1_700_000_000, 0],
  [1_700_000_001, 0],
];
const producer: MetricProducer = {
  async collect(): Promise<CollectionResult> {
    const rm = {
      resource: resourceFromAttributes({}),
      scopeMetrics: [
        {
          scope: { name: 'timestamps-bridge' },
          metrics: [
            {
              descriptor: { name: 'app.bridged', description: '', unit: '', valueType: 1 },
              dataPointType: DataPointType.GAUGE,
              aggregationTemporality: AggregationTemporality.CUMULATIVE,
              dataPoints: [{ startTime: producerTimes[0], endTime: producerTimes[1], attributes: {}, value: 1 }],
            },
          ],
        },
      ],
    } as unknown as ResourceMetrics;
    return { resourceMetrics: rm, errors: [] };
  },
};
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PrivacyMetricReader({
  policy,
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
  metricProducers: [producer],
});
const meterProvider = new MeterProvider({ readers: [reader] });
afterAll(() => meterProvider.shutdown());

/** The OTLP/JSON metrics request of the next collection. */
async function exportedMetricsJson(): Promise<string> {
  metricExporter.reset();
  await reader.forceFlush();
  const out = metricExporter.getMetrics().at(-1);
  return out === undefined ? '' : Buffer.from(JsonMetricsSerializer.serializeRequest(out)!).toString();
}

/** Every `…TimeUnixNano` string of a request. */
function exportedTimes(json: string): string[] {
  return [...json.matchAll(/"(\w*[tT]imeUnixNano)":"?(-?\d+)"?/g)].map((m) => m[2]!);
}

// Fake identifiers whose digits an exported time must not carry (test cards, 555 numbers, a made-up SSN).
const CANARIES = ['4111111111111111', '5555555555554444', '378282246310005', '12025550143', '2025550143', '123456789'];
const canary = fc.constantFrom(...CANARIES);

/** The canary's digits as a time the SDK accepts, with `zeros` zeros appended: every form an application can pass. */
const encodedTime = fc
  .record({
    digits: canary,
    zeros: fc.integer({ min: 0, max: 3 }),
    form: fc.constantFrom('seconds', 'nanos', 'split', 'millis', 'date'),
  })
  .map(({ digits, zeros, form }) => {
    const n = Number(digits + '0'.repeat(zeros));
    let time: TimeInput;
    if (form === 'seconds') time = [n, 0];
    else if (form === 'nanos') time = [0, n];
    else if (form === 'split') time = [Math.floor(n / 1e9), n % 1e9];
    else if (form === 'millis') time = n;
    else time = new Date(Math.min(n, 8.64e15));
    return { digits, time, label: `${form} ${digits}+${zeros} zeros` };
  });

/** The encodings outside the window (the others are read as real times: see `inWindow`). */
const outside = encodedTime.filter((e) => !inWindow(e.time));

const NOW_MILLIS = Date.now();
const nanosOf = (t: HrTime) => (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
/** A real time from 2000 up to now, as `HrTime` (any nanoseconds) and as the `*TimeUnixNano` string the SDK writes. */
const realTime = fc
  .record({
    seconds: fc.integer({ min: 946_684_800, max: Math.floor(NOW_MILLIS / 1000) - 1 }),
    nanos: fc.integer({ min: 0, max: 999_999_999 }),
  })
  .map(({ seconds, nanos }) => [seconds, nanos] as HrTime);

/**
 * The time the SDK makes of `time` (epoch milliseconds as the exporters write them), and whether it lies in the window
 * the processors keep (2000 up to a day ahead). Outside it the digits are the application's only and the time is
 * replaced; inside it (a `+1` phone number as epoch milliseconds with two zeros appended: `1202555014300`, 2008) a real
 * time cannot be told from it and it is exported as given (docs/detectors.md lists it among what still gets through).
 */
function inWindow(time: TimeInput): boolean {
  const millis = Array.isArray(time)
    ? Math.trunc(time[0]) * 1000 + Math.trunc(time[1]) / 1e6
    : time instanceof Date
      ? time.getTime()
      : (time as number);
  return millis >= 946_684_800_000 && millis <= Date.now() + 86_400_000;
}

/** Each exported time carries none of `digits` and is the clock now, or is `time` exactly (`inWindow`). */
function expectClean(json: string, digits: string, label: string): void {
  const times = exportedTimes(json);
  expect(times.length, label).toBeGreaterThan(0);
  for (const t of times) {
    expect(t, label).not.toContain(digits);
    // the clock of this test process, give or take the run
    const millis = Number(BigInt(t) / 1_000_000n);
    expect(millis, `${label}: ${t}`).toBeGreaterThanOrEqual(NOW_MILLIS - 60_000);
    expect(millis, `${label}: ${t}`).toBeLessThanOrEqual(Date.now() + 60_000);
  }
}

describe('app-chosen times carrying an identifier are replaced by the clock, counted', () => {
  it('span start and end, event time', () => {
    fc.assert(
      fc.property(outside, outside, outside, (start, end, event) => {
        const counted = policy.counters.implausibleTimes.traces;
        const span = tracer.startSpan('work', { startTime: start.time });
        span.addEvent('e', {}, event.time);
        span.end(end.time);
        const json = exportedJson();
        for (const c of [start, end, event]) expectClean(json, c.digits, c.label);
        // start, event and end replaced (an end before the start: the SDK clamps it to the start, replaced already)
        expect(policy.counters.implausibleTimes.traces - counted).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 60 },
    );
  });

  it('log record timestamp and observed timestamp', () => {
    fc.assert(
      fc.property(outside, outside, (time, observed) => {
        const counted = policy.counters.implausibleTimes.logs;
        logger.emit({ body: 'fake event', timestamp: time.time, observedTimestamp: observed.time });
        const json = exportedJson();
        for (const c of [time, observed]) expectClean(json, c.digits, c.label);
        expect(policy.counters.implausibleTimes.logs - counted).toBe(2);
      }),
      { numRuns: 60 },
    );
  });

  it("a metric producer's point start and end", async () => {
    await fc.assert(
      fc.asyncProperty(canary, canary, fc.constantFrom('seconds', 'nanos'), async (a, b, form) => {
        const asTime = (d: string): HrTime => (form === 'seconds' ? [Number(d), 0] : [0, Number(d)]);
        producerTimes = [asTime(a), asTime(b)];
        const counted = policy.counters.implausibleTimes.metrics;
        const json = await exportedMetricsJson();
        expect(json).toContain('app.bridged');
        for (const d of [a, b]) expectClean(json, d, `${form} ${d}`);
        expect(policy.counters.implausibleTimes.metrics - counted).toBe(2);
      }),
      { numRuns: 12 },
    );
  });
});

describe('real times are exported exactly as given', () => {
  it('an identifier whose digits make a time in the window is kept as the time it is (the residual)', () => {
    fc.assert(
      fc.property(
        encodedTime.filter((e) => inWindow(e.time)),
        (e) => {
          const counted = policy.counters.implausibleTimes.logs;
          logger.emit({ body: 'fake event', timestamp: e.time });
          const [time] = exportedTimes(exportedJson());
          const ms = e.time instanceof Date ? e.time.getTime() : (e.time as number);
          expect(time).toBe(Array.isArray(e.time) ? nanosOf(e.time as HrTime) : `${ms}000000`);
          expect(policy.counters.implausibleTimes.logs).toBe(counted);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('spans, events and log records', () => {
    fc.assert(
      fc.property(fc.array(realTime, { minLength: 4, maxLength: 4 }), ([a, b, e, l]) => {
        const [start, end] = BigInt(nanosOf(a!)) <= BigInt(nanosOf(b!)) ? [a!, b!] : [b!, a!];
        const counted = { ...policy.counters.implausibleTimes };
        const span = tracer.startSpan('work', { startTime: start });
        span.addEvent('e', {}, e);
        span.end(end);
        logger.emit({ body: 'fake event', timestamp: l, observedTimestamp: e });
        const times = exportedTimes(exportedJson());
        expect(times).toEqual([nanosOf(start), nanosOf(end), nanosOf(e!), nanosOf(l!), nanosOf(e!)]);
        expect(policy.counters.implausibleTimes).toEqual(counted);
      }),
      { numRuns: 60 },
    );
  });

  it('the clock of the SDK (no time given), and a time up to a day ahead (clock skew)', () => {
    const counted = { ...policy.counters.implausibleTimes };
    const ahead: HrTime = [Math.floor(Date.now() / 1000) + 80_000, 123_456_789];
    const span = tracer.startSpan('skewed', { startTime: ahead });
    span.end(ahead);
    logger.emit({ body: 'fake event', timestamp: ahead });
    tracer.startSpan('clock').end();
    const times = exportedTimes(exportedJson());
    expect(times.slice(0, 2)).toEqual([nanosOf(ahead), nanosOf(ahead)]);
    expect(times).toContain(nanosOf(ahead));
    expect(policy.counters.implausibleTimes).toEqual(counted);
  });

  it("a metric producer's real times", async () => {
    producerTimes = [
      [1_700_000_000, 111_111_111],
      [1_700_000_060, 999_999_999],
    ];
    const counted = policy.counters.implausibleTimes.metrics;
    const times = exportedTimes(await exportedMetricsJson());
    expect(times).toEqual(['1700000000111111111', '1700000060999999999']);
    expect(policy.counters.implausibleTimes.metrics).toBe(counted);
  });
});
