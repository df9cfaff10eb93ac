import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy } from '../../../index';
import { NOT_TIME_KEY, SHAPE_KEY, TIME_KEY, timeKeyClass } from '../../../engine/time-precision';
import { corpus } from '../../../test/engine/detectors/testdata/corpus';
import { generateNegatives } from '../../../test/engine/detectors/testdata/generate';

// Times decided by their value's shape, not only by their key's words: HrTime pairs, epoch numbers and digit strings
// under keys such as `start`, `t0`, `deadline`, `last_login`; and what must not be touched (ids, counters,
// durations, card numbers), measured on the detectors' labeled corpus.

const policy = (p = '1m') =>
  definePolicy({
    version: 1,
    attributes: { allow: ['app.*', 'log.body'] },
    values: { detectors: 'all', timestamps: 'coarsen', timestampPrecision: p },
  });

function logPipeline(p = '1m') {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [
      new PrivacyLogRecordProcessor({ policy: policy(p), next: new SimpleLogRecordProcessor({ exporter }) }),
    ],
  });
  const logger = provider.getLogger('shapes');
  return (attributes: Record<string, unknown>) => {
    exporter.reset();
    logger.emit({ body: 'x', attributes: attributes as never });
    return exporter.getFinishedLogRecords()[0].attributes as Record<string, unknown>;
  };
}

const MS = 1_767_608_142_123; // 2026-01-05T10:15:42.123Z
const MINUTE = 1_767_608_100_000;

describe('values.timestamps: coarsen by value shape', () => {
  it('HrTime pairs ([seconds, nanoseconds]) as attribute values, on a real tracer provider (span, event, link)', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy: policy(), next: new SimpleSpanProcessor({ exporter }) })],
    });
    const tracer = provider.getTracer('shapes');
    const other = tracer.startSpan('other');
    other.end();
    const hr = [1767608142, 123456789];
    const span = tracer.startSpan('work', {
      attributes: { 'app.t0': hr, 'app.window': hr, 'app.duration': hr, 'app.pair': [1767608142, 0] },
      links: [{ context: other.spanContext(), attributes: { 'app.started': hr } }],
    });
    span.addEvent('tick', { 'app.at': hr });
    span.end();
    const s = exporter.getFinishedSpans().find((x) => x.name === 'work')!;
    expect(s.attributes).toEqual({
      'app.t0': [1767608100, 0],
      'app.window': [1767608100, 0],
      'app.duration': hr, // a duration key: kept
      'app.pair': [1767608100, 0],
    });
    expect(s.links[0].attributes).toEqual({ 'app.started': [1767608100, 0] });
    expect(s.events[0].attributes).toEqual({ 'app.at': [1767608100, 0] });
  });

  it('keys outside the time words: epoch milliseconds, fractional seconds and milliseconds, ISO strings', () => {
    const out = logPipeline()({
      'app.last_login': MS,
      'app.start': MS,
      'app.t0': MS / 1000,
      'app.deadline': String(MS / 1000),
      'app.begin': MS + 0.25,
      'app.finish': '2026-01-05T10:15:42.123456Z',
      'app.checkpoint': ' 2026-01-05T10:15:42.123456Z',
      'app.iat': 1767608142, // a time word (JWT's issued-at): whole seconds too
    });
    expect(out).toEqual({
      'app.last_login': MINUTE,
      'app.start': MINUTE,
      'app.t0': MINUTE / 1000,
      'app.deadline': String(MINUTE / 1000),
      'app.begin': MINUTE,
      'app.finish': '2026-01-05T10:15:00Z',
      'app.checkpoint': ' 2026-01-05T10:15:00.000000Z',
      'app.iat': MINUTE / 1000,
    });
  });

  it('generated: epoch values in every unit and representation under generated keys leave at the precision', () => {
    const run = logPipeline();
    const words = fc.constantFrom('start', 'begin', 'stop', 'checkpoint', 'moment', 'value', 'marker', 't9', 'x');
    const keys = fc.tuple(words, words, fc.constantFrom('_', '.', '-')).map(([a, b, sep]) => `app.${a}${sep}${b}`);
    // (unit, representation): by shape alone, milliseconds (13-digit integers) and fractions of seconds or ms
    const shapes = fc.constantFrom(
      { unit: 1000, number: true, fraction: true },
      { unit: 1000, number: false, fraction: true },
      { unit: 1, number: true, fraction: false },
      { unit: 1, number: true, fraction: true },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2001, 9, 1), max: Date.UTC(2099, 0, 1) }),
        fc.integer({ min: 1, max: 999 }),
        keys,
        shapes,
        (ms, extra, key, shape) => {
          const fine = shape.unit === 1000 ? ms / 1000 + extra / 1e6 : shape.fraction ? ms + extra / 1000 : ms;
          if (shape.fraction && Number.isInteger(fine)) return;
          const value = shape.number ? fine : String(fine);
          const out = run({ [key]: value })[key];
          // the detectors read some as phone numbers (as they do without coarsening): masked, no time left
          if (typeof out === 'string' && out.startsWith('[REDACTED:')) return;
          expect(typeof out, key).toBe(typeof value);
          const read = Number(out) * (shape.unit === 1000 ? 1000 : 1);
          // never later, a whole minute, less than a minute earlier
          expect(Math.round(read) % 60_000, `${key}=${value} → ${String(out)}`).toBe(0);
          expect(read).toBeLessThanOrEqual(fine * (shape.unit === 1000 ? 1000 : 1) + 1e-3);
          expect(fine * (shape.unit === 1000 ? 1000 : 1) - read).toBeLessThan(60_000);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('not mangled: ids, counters, durations, snowflakes, long integers without a time key, card numbers', () => {
    const out = logPipeline()({
      'app.order_id': MS,
      'app.orderId': String(MS),
      'app.retry_count': MS,
      'app.duration_ms': MS,
      'app.elapsed': 1767608142.5,
      'app.start': '1541815603606036480', // a snowflake id under a key that is no time word
      'app.begin': 1767608142123456, // 16 digits: ids and card numbers look like microseconds
      'app.marker': String(MS), // an integer digit string under a key that is no time word: an id as often
      'app.version': '1767608142.123',
    });
    expect(out).toEqual({
      'app.order_id': MS,
      'app.orderId': String(MS),
      'app.retry_count': MS,
      'app.duration_ms': MS,
      'app.elapsed': 1767608142.5,
      'app.start': '1541815603606036480',
      'app.begin': 1767608142123456,
      'app.marker': String(MS),
      'app.version': '1767608142.123',
    });
    // a 13-digit card number in the millisecond range is masked as a card, not rounded into something Luhn-invalid
    const card = logPipeline()({ 'app.start': 4000000000006, 'app.created_at': '4000000000006' });
    expect(card['app.start']).toBe('[REDACTED:payment-card]');
    expect(card['app.created_at']).toBe('[REDACTED:payment-card]');
  });

  it('key classes by the documented rule', () => {
    const cls = (k: string) => timeKeyClass(k);
    expect(['createdAt', 'app.last_login', 'app.t0', 'app.deadline', 'jwt.iat', 'token.exp'].map(cls)).toEqual(
      Array(6).fill(TIME_KEY),
    );
    expect(['app.start', 'app.window', 'app.value', 'app.begin'].map(cls)).toEqual(Array(4).fill(SHAPE_KEY));
    expect(['order.id', 'app.retry_count', 'app.duration_ms', 'http.response.size', 'updated_count'].map(cls)).toEqual(
      Array(5).fill(NOT_TIME_KEY),
    );
  });

  it('false-positive cost on the labeled corpus: only values that hold a date-time change', () => {
    // Every corpus value (positives and negatives) and generated look-alike negatives, under a key that is no time
    // word and under one that is, exported with coarsening and without: the values that differ must all hold a
    // date-time (a date with a time of day, or an epoch number in a time key) and nothing else may change.
    const on = definePolicy({
      version: 1,
      attributes: { allow: ['app.*'] },
      values: { detectors: 'all', timestamps: 'coarsen', timestampPrecision: '1s' },
    }).sanitizer('logs');
    const off = definePolicy({ version: 1, attributes: { allow: ['app.*'] }, values: { detectors: 'all' } }).sanitizer(
      'logs',
    );
    const texts = [...corpus.map((s) => s.text), ...generateNegatives(40).map((s) => s.text)];
    const written = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}/;
    // as written, or percent-encoded (`2022-02-09T11%3A23%3A13.631Z`, a query's `%20` or `+` for the space)
    const holdsTime = { test: (t: string) => written.test(t.replace(/%3a/gi, ':').replace(/%20|\+/g, ' ')) };
    const changed = { shape: [] as string[], time: [] as string[] };
    for (const text of texts) {
      for (const [kind, key] of [
        ['shape', 'app.value'],
        ['time', 'app.created_at'],
      ] as const) {
        const a = on.sanitizeValue(key, text);
        const b = off.sanitizeValue(key, text);
        if (a !== b) changed[kind].push(text);
      }
    }
    // under a plain key: only date-times in text, and the corpus's epoch-milliseconds sample read as a 13-digit string
    // is not one of them (integer digit strings are ids as often)
    expect(changed.shape.filter((t) => !holdsTime.test(t))).toEqual([]);
    // under a time key also digit strings in an epoch range (the documented rule for time keys)
    expect(changed.time.filter((t) => !holdsTime.test(t) && !/^\d{10,19}$/.test(t))).toEqual([]);
    expect(changed.shape.length).toBeGreaterThan(0);
    console.log(
      `corpus: ${texts.length} values; changed under a plain key ${changed.shape.length}, under a time key ` +
        `${changed.time.length} (digit strings among them: ${JSON.stringify(changed.time.filter((t) => /^\d+$/.test(t)))})`,
    );
  });
});
