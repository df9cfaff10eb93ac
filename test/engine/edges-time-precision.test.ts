import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../cli/policy-lint';
import {
  NOT_TIME_KEY,
  SHAPE_KEY,
  TIME_KEY,
  coarsenEpochNumber,
  coarsenEpochString,
  coarsenHrTime,
  coarsenHrTimeValue,
  coarsenIsoString,
  isMaybeTimeKey,
  isTimePrecision,
  timeKeyClass,
} from '../../engine/time-precision';
import { definePolicy } from '../../index';
import { inCodeSource } from '../../policy/policy-source';
import type { PolicyDocument } from '../../policy/schema';
import { privacyPipelines } from '../assurance/helpers/outside-attack';

// Rule edges of `values.timestamps: coarsen` and the time precisions (docs/minimization.md, "What counts as a time
// value"): the 2000-2100 range in each unit, key classes by words, the ISO lengths, whole seconds.

const RUNS = { numRuns: 200, seed: 20261206 };
const FROM_MS = 946_684_800_000; // 2000-01-01
const TO_MS = 4_102_444_800_000; // 2100-01-01
const MINUTE = 60_000;

describe('precisions and HrTimes', () => {
  it('a precision divides a second or is whole seconds', () => {
    for (const ok of [1, 2, 10, 250, 500, 1000, 2000, 60_000, 86_400_000])
      expect(isTimePrecision(ok), String(ok)).toBe(true);
    for (const no of [0, -1000, 7, 1500, 999, 1001, 0.5, 2.5]) expect(isTimePrecision(no), String(no)).toBe(false);
  });

  it('coarsenHrTime rounds down below and above a second, and returns the same pair when already coarse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 946_684_800, max: 4_102_444_799 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.constantFrom(1, 10, 250, 1000, 2000, 60_000),
        (s, n, p) => {
          const out = coarsenHrTime([s, n], p);
          const total = BigInt(s) * 1_000_000_000n + BigInt(n);
          const step = BigInt(p) * 1_000_000n;
          expect(BigInt(out[0]) * 1_000_000_000n + BigInt(out[1])).toBe(total - (total % step));
          const again: [number, number] = [out[0], out[1]];
          expect(coarsenHrTime(again, p)).toBe(again);
        },
      ),
      RUNS,
    );
    // whole seconds but nanos left: not coarse yet at 1s
    expect(coarsenHrTime([1_767_608_142, 5], 1000)).toEqual([1_767_608_142, 0]);
  });

  it('an HrTime attribute pair: two integers, seconds in 2000-2100, nanoseconds below 1e9', () => {
    const s = 1_767_608_142;
    expect(coarsenHrTimeValue([s, 123_456_789], 1000)).toEqual([s, 0]);
    expect(coarsenHrTimeValue([946_684_800, 1], 1000)).toEqual([946_684_800, 0]);
    expect(coarsenHrTimeValue([946_684_799, 1], 1000)).toBeUndefined();
    expect(coarsenHrTimeValue([4_102_444_799, 1], 1000)).toEqual([4_102_444_799, 0]);
    expect(coarsenHrTimeValue([4_102_444_800, 1], 1000)).toBeUndefined();
    expect(coarsenHrTimeValue([s, 999_999_999], 1000)).toEqual([s, 0]);
    expect(coarsenHrTimeValue([s, 1e9], 1000)).toBeUndefined();
    expect(coarsenHrTimeValue([s, -1], 1000)).toBeUndefined();
    expect(coarsenHrTimeValue([s, 0.5], 1000)).toBeUndefined();
    expect(coarsenHrTimeValue([s + 0.5, 1], 1000)).toBeUndefined();
    expect(coarsenHrTimeValue([s, 1, 2], 1000)).toBeUndefined();
    expect(coarsenHrTimeValue([String(s), 1], 1000)).toBeUndefined();
    expect(coarsenHrTimeValue([s, 0], 1000)).toBeUndefined(); // already coarse
  });
});

describe('key classes', () => {
  const timeWord = fc.constantFrom(
    'time',
    'timestamp',
    'ts',
    'date',
    'at',
    'created',
    'login',
    'deadline',
    'iat',
    'exp',
    't0',
  );
  const notWord = fc.constantFrom('id', 'count', 'duration', 'ms', 'us', 'ns', 'total', 'idx', 'code', 'version');
  const maybeWord = fc.constantFrom(
    'start',
    'ended',
    'begin',
    'finish',
    'stop',
    'last',
    'next',
    'scheduled',
    'sent',
    'received',
  );
  const joined = (a: string, b: string, style: number) =>
    style === 0 ? `${a}_${b}` : style === 1 ? `${a}-${b}` : `${a}${b[0]!.toUpperCase()}${b.slice(1)}`;

  it('a time word in the last segment makes a time key unless a not-time word is there too', () => {
    fc.assert(
      fc.property(timeWord, notWord, maybeWord, fc.nat(2), (t, n, m, style) => {
        expect(timeKeyClass(`app.${joined(m, t, style)}`)).toBe(TIME_KEY);
        expect(timeKeyClass(`app.${joined(t, n, style)}`)).toBe(NOT_TIME_KEY);
        expect(timeKeyClass(`app.${joined(n, t, style)}`)).toBe(NOT_TIME_KEY);
        // only the last segment decides
        expect(timeKeyClass(`${t}.app`)).toBe(SHAPE_KEY);
        expect(timeKeyClass(`${n}.${t}`)).toBe(TIME_KEY);
        // words ending in time/timestamp count, words that only contain one do not
        expect(timeKeyClass(`app.up${t === 'timestamp' ? 'timestamp' : 'time'}`)).toBe(TIME_KEY);
        expect(timeKeyClass('app.timer')).toBe(SHAPE_KEY);
      }),
      RUNS,
    );
  });

  it('isMaybeTimeKey: a maybe-time word in the last segment of a key that is neither a time nor a not-time key', () => {
    fc.assert(
      fc.property(maybeWord, timeWord, notWord, fc.nat(2), (m, t, n, style) => {
        expect(isMaybeTimeKey(`app.${m}`)).toBe(true);
        expect(isMaybeTimeKey(`app.${joined('job', m, style)}`)).toBe(true);
        expect(isMaybeTimeKey(`app.${joined(m, t, style)}`)).toBe(false); // a time key
        expect(isMaybeTimeKey(`app.${joined(m, n, style)}`)).toBe(false); // a not-time key
        expect(isMaybeTimeKey(`${m}.app`)).toBe(false);
        expect(isMaybeTimeKey(`app.re${m}x`)).toBe(false);
      }),
      RUNS,
    );
  });

  it('otel-privacy validate names an allowed maybe-time key, and not a plain one', () => {
    const lint = (allow: string[], coarsen: boolean) => {
      const doc: PolicyDocument = {
        version: 1,
        attributes: { allow },
        values: coarsen ? { detectors: 'all', timestamps: 'coarsen' } : { detectors: 'all' },
      };
      return lintPolicy(doc, inCodeSource, definePolicy(doc), process.cwd()).map((f) => f.message);
    };
    expect(lint(['app.sent'], false)).toEqual([expect.stringMatching(/may hold a time/)]);
    expect(lint(['app.sent'], true)).toEqual([expect.stringMatching(/is not named like a time/)]);
    expect(lint(['app.plan'], false)).toEqual([]);
    expect(lint(['app.plan'], true)).toEqual([]);
  });
});

describe('epoch numbers: the 2000-2100 range in each unit', () => {
  it('milliseconds from 2000-01-01 (12 digits) to before 2100-01-01 are read, outside not', () => {
    expect(coarsenEpochNumber(FROM_MS + 1, MINUTE)).toBe(FROM_MS);
    expect(coarsenEpochNumber(FROM_MS - 1, MINUTE)).toBeUndefined();
    expect(coarsenEpochNumber(TO_MS - 1, MINUTE)).toBe(TO_MS - MINUTE);
    expect(coarsenEpochNumber(TO_MS, MINUTE)).toBeUndefined();
    expect(coarsenEpochNumber((TO_MS - 1) * 1000, MINUTE)).toBe((TO_MS - MINUTE) * 1000);
    expect(coarsenEpochNumber(TO_MS * 1000, MINUTE)).toBeUndefined();
    expect(coarsenEpochNumber(0, MINUTE)).toBeUndefined();
    expect(coarsenEpochNumber(-(FROM_MS + 1), MINUTE)).toBeUndefined();
    expect(coarsenEpochNumber(Infinity, MINUTE)).toBeUndefined();
    // the range ends exactly: at a precision that does not divide them (7 days from the epoch)
    const WEEK = 7 * 86_400_000;
    expect(coarsenEpochNumber(FROM_MS, WEEK)).toBe(FROM_MS - (FROM_MS % WEEK));
    expect(coarsenEpochNumber(TO_MS, WEEK)).toBeUndefined();
    expect(coarsenEpochNumber(FROM_MS, WEEK, SHAPE_KEY)).toBe(FROM_MS - (FROM_MS % WEEK));
    expect(coarsenEpochNumber(TO_MS, WEEK, SHAPE_KEY)).toBeUndefined();
    // bigints (nanoseconds, microseconds, milliseconds) at the same ends
    expect(coarsenEpochNumber(BigInt(TO_MS) * 1_000_000n + 7n, MINUTE)).toBeUndefined();
    expect(coarsenEpochNumber(BigInt(TO_MS - 1) * 1_000_000n + 7n, MINUTE)).toBe(BigInt(TO_MS - MINUTE) * 1_000_000n);
    expect(coarsenEpochNumber(BigInt(FROM_MS) * 1000n + 7n, MINUTE)).toBe(BigInt(FROM_MS) * 1000n);
    expect(coarsenEpochNumber(BigInt(FROM_MS - 1), MINUTE)).toBeUndefined();
    expect(coarsenEpochNumber(BigInt(TO_MS), MINUTE)).toBeUndefined();
  });

  it('by key class: not-time keys never; shape keys milliseconds and fractions only; time keys every unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM_MS, max: TO_MS - 2000 }), (ms) => {
        const floored = ms - (ms % MINUTE);
        const changed = floored !== ms;
        for (const [v, unit] of [
          [ms, 1],
          [ms * 1000, 1000],
        ] as const) {
          const expected = changed ? floored * unit : undefined;
          expect(coarsenEpochNumber(v, MINUTE, TIME_KEY)).toBe(expected);
          expect(coarsenEpochNumber(v, MINUTE, NOT_TIME_KEY)).toBeUndefined();
          expect(coarsenEpochNumber(v, MINUTE, SHAPE_KEY)).toBe(unit === 1 ? expected : undefined);
        }
        const ns = BigInt(ms) * 1_000_000n + 7n;
        expect(coarsenEpochNumber(ns, MINUTE, TIME_KEY)).toBe(BigInt(floored) * 1_000_000n);
        expect(coarsenEpochNumber(ns, MINUTE, SHAPE_KEY)).toBeUndefined();
        expect(coarsenEpochNumber(ns, MINUTE, NOT_TIME_KEY)).toBeUndefined();
        // fractional milliseconds and microseconds, and fractional seconds: under shape keys too
        expect(coarsenEpochNumber(ms + 0.5, MINUTE, SHAPE_KEY)).toBe(floored);
        expect(coarsenEpochNumber(ms * 1000 + 0.5, MINUTE, SHAPE_KEY)).toBe(floored * 1000);
        const seconds = ms / 1000 + 0.25;
        expect(coarsenEpochNumber(seconds, MINUTE, SHAPE_KEY)).toBe(Math.floor(seconds / 60) * 60);
      }),
      RUNS,
    );
  });

  it('whole seconds: only under a time key and a precision coarser than a second', () => {
    const s = 1_767_608_142;
    expect(coarsenEpochNumber(s, MINUTE, TIME_KEY)).toBe(1_767_608_100);
    expect(coarsenEpochNumber(s, 1000, TIME_KEY)).toBeUndefined();
    expect(coarsenEpochNumber(s, 2000, TIME_KEY)).toBeUndefined(); // already a multiple of 2 s
    expect(coarsenEpochNumber(s + 1, 2000, TIME_KEY)).toBe(s);
    expect(coarsenEpochNumber(s, MINUTE, SHAPE_KEY)).toBeUndefined();
    expect(coarsenEpochNumber(946_684_799, MINUTE, TIME_KEY)).toBeUndefined();
    expect(coarsenEpochNumber(946_684_801, MINUTE, TIME_KEY)).toBe(946_684_800);
    expect(coarsenEpochNumber(1_767_608_100, MINUTE, TIME_KEY)).toBeUndefined(); // already coarse
  });

  it('digit strings: 10-19 digits under time keys, fractions of 10 or 12-13 digits under shape keys', () => {
    const ms = '1767608142123';
    expect(coarsenEpochString(ms, MINUTE, TIME_KEY)).toBe('1767608100000');
    expect(coarsenEpochString(ms, MINUTE, SHAPE_KEY)).toBeUndefined();
    expect(coarsenEpochString(ms, MINUTE, NOT_TIME_KEY)).toBeUndefined();
    expect(coarsenEpochString('1767608142123456789', MINUTE)).toBe('1767608100000000000');
    expect(coarsenEpochString('17676081421234567890', MINUTE)).toBeUndefined(); // 20 digits
    expect(coarsenEpochString('176760814', MINUTE)).toBeUndefined(); // 9 digits
    expect(coarsenEpochString('1767608142.5', MINUTE, SHAPE_KEY)).toBe('1767608100');
    expect(coarsenEpochString('1767608142.1234567891', MINUTE)).toBeUndefined(); // 10 fraction digits
    expect(coarsenEpochString('1767608142123.5', MINUTE, SHAPE_KEY)).toBe('1767608100000');
    expect(coarsenEpochString('1767608142123.1234567', MINUTE, SHAPE_KEY)).toBeUndefined(); // 7 fraction digits
    expect(coarsenEpochString('946684800000.5', MINUTE, SHAPE_KEY)).toBe('946684800000'); // 12 digits
    expect(coarsenEpochString('1767608142123456.5', MINUTE, SHAPE_KEY)).toBeUndefined(); // 16 digits: time keys only
    expect(coarsenEpochString('1767608142123456.5', MINUTE, TIME_KEY)).toBe('1767608100000000');
  });
});

describe('ISO strings: lengths, fields, zones', () => {
  it('15 to 35 characters, fields in range, offsets up to 23:59', () => {
    expect(coarsenIsoString('20261205T101112', MINUTE)).toBe('2026-12-05T10:11:00');
    expect(coarsenIsoString('2026-12-05T10:11:12.123456789+05:30', MINUTE)).toBe('2026-12-05T04:41:00Z'); // 35
    expect(coarsenIsoString('2026-12-05T10:11:12.1234567890+05:30', MINUTE)).toBeUndefined(); // 36
    expect(coarsenIsoString('2026-12-05T10:11:12-23:59', MINUTE)).toBe('2026-12-06T10:10:00Z');
    expect(coarsenIsoString('2026-12-05T10:11:12+24:00', MINUTE)).toBeUndefined();
    expect(coarsenIsoString('2026-12-05T10:11:12+23:60', MINUTE)).toBeUndefined();
    expect(coarsenIsoString('2026-02-29T10:11:12Z', MINUTE)).toBeUndefined();
    expect(coarsenIsoString('2028-02-29T10:11:12Z', MINUTE)).toBe('2028-02-29T10:11:00Z');
    expect(coarsenIsoString('2026-12-05T24:00:00Z', MINUTE)).toBeUndefined();
    expect(coarsenIsoString('2026-12-31T23:59:60Z', 1)).toBe('2026-12-31T23:59:59.999Z'); // leap second
    expect(coarsenIsoString('2026-13-05T10:11:12Z', MINUTE)).toBeUndefined();
    expect(coarsenIsoString('2026-12-05 10:11:12,5z', 1000)).toBe('2026-12-05T10:11:12Z');
    expect(coarsenIsoString('2026-12-05T10:11:12', 1000)).toBeUndefined(); // already whole seconds, as written
    expect(coarsenIsoString('2026-12-05t10:11:12', 1000)).toBe('2026-12-05T10:11:12'); // written back with `T`
    expect(coarsenIsoString('2026-12-05T10:11:12.000Z', 1000)).toBe('2026-12-05T10:11:12Z');
    expect(coarsenIsoString('2026-12-05T10:11:12.100Z', 100)).toBeUndefined();
    expect(coarsenIsoString('2026-12-05T10:11:12.1000Z', 100)).toBe('2026-12-05T10:11:12.100Z');
  });
});

describe('through a real LoggerProvider and TracerProvider', () => {
  const policy = definePolicy({
    version: 1,
    attributes: { allow: ['app.*'] },
    logs: { attributes: { allow: ['app.*'] } },
    values: { detectors: 'all', timestamps: 'coarsen', timestampPrecision: '1m' },
  });
  const pipes = privacyPipelines(policy);

  it('rounds each documented form at its edge and keeps the values just outside', () => {
    const attributes = {
      'app.created_at': FROM_MS + 1,
      'app.updated_at': FROM_MS - 1,
      'app.seen_at': TO_MS - 1,
      'app.expires_at': TO_MS,
      'app.start': 1_767_608_142_123,
      'app.end': 1_767_608_142_123_456,
      'app.order_id': 1_767_608_142_123,
      'app.login': '1767608142',
      'app.window': [1_767_608_142, 5],
    };
    pipes.loggerProvider.getLogger('edges').emit({ body: 'x', attributes });
    pipes.tracerProvider.getTracer('edges').startSpan('work', { attributes }).end();
    const out = [pipes.logs.getFinishedLogRecords()[0]!.attributes, pipes.spans.getFinishedSpans()[0]!.attributes];
    for (const a of out)
      expect(a).toMatchObject({
        'app.created_at': FROM_MS,
        'app.updated_at': FROM_MS - 1,
        'app.seen_at': TO_MS - MINUTE,
        'app.expires_at': TO_MS,
        'app.start': 1_767_608_100_000,
        'app.end': 1_767_608_142_123_456, // 16 digits under a shape key: kept
        'app.order_id': 1_767_608_142_123,
        'app.login': '1767608100',
        'app.window': [1_767_608_100, 0],
      });
  });
});
