import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy } from '../../../index';
import type { Policy } from '../../../index';
import { coarsenEpochNumber, coarsenHrTime, coarsenIsoString, isTimeKey } from '../../../engine/time-precision';

// Timestamp minimization on real SDK providers: logs.timestampPrecision, traces.eventTimestampPrecision and
// values.timestamps: coarsen.

/** 2026-01-05T10:15:42.123456789Z as an HrTime. */
const T: [number, number] = [1767608142, 123456789];

function logs(policy: Policy) {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
  });
  return { exporter, logger: provider.getLogger('time-test') };
}

function spans(policy: Policy) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  return { exporter, tracer: provider.getTracer('time-test') };
}

describe('logs.timestampPrecision', () => {
  it.each([
    ['1s', [1767608142, 0]],
    ['1m', [1767608100, 0]],
    ['1h', [1767607200, 0]],
    ['10ms', [1767608142, 120000000]],
  ])('%s rounds record and observed times down', (precision, expected) => {
    const { exporter, logger } = logs(
      definePolicy({ version: 1, logs: { timestampPrecision: precision, attributes: { allow: ['log.body'] } } }),
    );
    logger.emit({ body: 'hello', timestamp: T, observedTimestamp: [T[0] + 1, 987654321] });
    const [record] = exporter.getFinishedLogRecords();
    expect(record.hrTime).toEqual(expected);
    expect(record.hrTimeObserved).toEqual(
      coarsenHrTime([T[0] + 1, 987654321], { '1s': 1000, '1m': 60000, '1h': 3600000, '10ms': 10 }[precision]!),
    );
    expect(record.hrTimeObserved[1] % 10_000_000).toBe(0);
  });

  it('absent: times untouched', () => {
    const { exporter, logger } = logs(definePolicy({ version: 1 }));
    logger.emit({ body: 'hello', timestamp: T });
    expect(exporter.getFinishedLogRecords()[0].hrTime).toEqual(T);
  });
});

describe('traces.eventTimestampPrecision', () => {
  it('rounds event times down; span start and end are kept', () => {
    const { exporter, tracer } = spans(definePolicy({ version: 1, traces: { eventTimestampPrecision: '1s' } }));
    const span = tracer.startSpan('work', { startTime: T });
    span.addEvent('checkpoint', T);
    span.addEvent('later', [T[0] + 5, 5]);
    span.end([T[0] + 9, 1]);
    const [s] = exporter.getFinishedSpans();
    expect(s.events.map((e) => e.time)).toEqual([
      [T[0], 0],
      [T[0] + 5, 0],
    ]);
    expect(s.startTime).toEqual(T);
    expect(s.endTime).toEqual([T[0] + 9, 1]);
  });
});

describe('values.timestamps: coarsen', () => {
  const policy = definePolicy({
    version: 1,
    attributes: { allow: ['app.*', 'order.*', 'event.ts', 'job.start_time_unix_nano', 'http.route'] },
    values: { timestamps: 'coarsen', timestampPrecision: '1m' },
  });

  it('coarsens ISO-8601 strings and epoch numbers under time keys, and nothing else', () => {
    const { exporter, tracer } = spans(policy);
    tracer
      .startSpan('work', {
        attributes: {
          'app.createdAt': '2026-01-05T10:15:42.123Z',
          'app.seen': '2026-01-05 10:15:42.123456',
          'app.updated_at': '2026-01-05T12:15:42+02:00',
          'app.created_at': 1767608142123, // ms
          'event.ts': 1767608142123456, // µs
          'app.expires': 1767608142.5, // seconds with a fraction
          'app.date': '2026-01-05', // a date only: kept
          'order.amount': 1767608142123, // 13 digits under a key that is no time: kept
          'order.id': 1767608142, // whole seconds: kept (too many ordinary numbers look like them)
          'http.route': '/orders/:id',
        },
      })
      .end();
    const a = exporter.getFinishedSpans()[0].attributes;
    expect(a).toEqual({
      'app.createdAt': '2026-01-05T10:15:00Z',
      'app.seen': '2026-01-05T10:15:00',
      'app.updated_at': '2026-01-05T10:15:00Z',
      'app.created_at': 1767608100000,
      'event.ts': 1767608100000000,
      'app.expires': 1767608100,
      'app.date': '2026-01-05',
      'order.amount': 1767608142123,
      'order.id': 1767608142,
      'http.route': '/orders/:id',
    });
  });

  it('log attributes and nanosecond bigints too', () => {
    const { exporter, logger } = logs(policy);
    logger.emit({ body: 'x', attributes: { 'job.start_time_unix_nano': '1767608142123456789' } });
    const record = exporter.getFinishedLogRecords()[0];
    // digits under a time key are the epoch number they write (OTLP/JSON writes 64-bit times so), rounded down
    expect(record.attributes['job.start_time_unix_nano']).toBe('1767608100000000000');
    expect(policy.sanitizer('logs').sanitizeValue('job.start_time_unix_nano', 1767608142123456789n)).toBe(
      1767608100000000000n,
    );
  });

  it('properties: never later, a multiple of the precision, idempotent', () => {
    const precisions = [1, 10, 250, 1000, 60_000, 3_600_000];
    fc.assert(
      fc.property(
        fc.integer({ min: 946_684_800_000, max: 4_102_444_799_999 }),
        fc.constantFrom(...precisions),
        fc.constantFrom(1, 1000, 1_000_000),
        (ms, p, unit) => {
          const v = ms * unit;
          if (!Number.isSafeInteger(v)) return;
          const out = (coarsenEpochNumber(v, p) ?? v) as number;
          expect(out).toBeLessThanOrEqual(v);
          expect(v - out).toBeLessThan(p * unit);
          expect(out % (p * unit)).toBe(0);
          expect(coarsenEpochNumber(out, p)).toBeUndefined();
          const iso = new Date(ms).toISOString();
          const coarse = coarsenIsoString(iso, p) ?? iso;
          expect(Date.parse(coarse)).toBe(ms - (ms % p));
          expect(coarsenIsoString(coarse, p)).toBeUndefined();
          const hr = coarsenHrTime([Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + 999], p);
          expect(hr[0] * 1000 + hr[1] / 1e6).toBe(ms - (ms % p));
        },
      ),
    );
  });

  it('time keys by the documented rule', () => {
    const yes = [
      'createdAt',
      'app.created_at',
      'event.ts',
      'start_time_unix_nano',
      'x.timestamp',
      'expires',
      'lastSeen',
    ];
    const no = ['order.amount', 'bytes', 'user.id', 'app.status', 'http.route', 'latitude', 'data'];
    expect(yes.filter((k) => !isTimeKey(k))).toEqual([]);
    expect(no.filter((k) => isTimeKey(k))).toEqual([]);
  });

  it('bad precisions fail with the path named', () => {
    expect(() => definePolicy({ version: 1, logs: { timestampPrecision: '7ms' } })).toThrow(
      /logs\.timestampPrecision.*divides one second/,
    );
    expect(() => definePolicy({ version: 1, traces: { eventTimestampPrecision: '1500ms' } })).toThrow(
      /traces\.eventTimestampPrecision/,
    );
    expect(() => definePolicy({ version: 1, values: { timestamps: 'round' as never } })).toThrow(/values\.timestamps/);
  });
});
