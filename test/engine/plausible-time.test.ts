import type { HrTime } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EARLIEST_PLAUSIBLE_MILLIS,
  FUTURE_SLACK_MILLIS,
  clockTime,
  isPlausibleTime,
  laterTime,
} from '../../engine/plausible-time';

// The time window of exported times, against a reference written from the doc comments: a time is plausible when it
// is a pair of finite numbers whose exported value (the truncated seconds times 10⁹ plus the truncated nanoseconds,
// read here in exact BigInt arithmetic to the millisecond) lies from 2000-01-01 up to one day after the clock. The
// generated times sit on both sides of each edge (the first millisecond of 2000, the last one of the slack), with
// nanoseconds at their own edges, fractions, and values that are no number pair.

const EARLIEST = 946_684_800_000; // Date.UTC(2000, 0, 1), written out independently of the module's constant
const DAY = 86_400_000;

/** The reference: "a time from 2000-01-01 up to one day after nowMillis"; not a finite number pair: false. */
function reference(t: unknown, nowMillis: number): boolean {
  if (!Array.isArray(t)) return false;
  const [s, n] = t as unknown[];
  if (typeof s !== 'number' || typeof n !== 'number' || !Number.isFinite(s) || !Number.isFinite(n)) return false;
  // the exported *TimeUnixNano, exactly, then compared in nanoseconds with the window's edges (milliseconds)
  const nanos = BigInt(Math.trunc(s)) * 1_000_000_000n + BigInt(Math.trunc(n));
  return nanos >= BigInt(EARLIEST) * 1_000_000n && nanos <= BigInt(nowMillis + DAY) * 1_000_000n;
}

/** Seconds and nanoseconds that put a time `delta` nanoseconds from the edge `edgeMillis`, written in one of the SDK's splits. */
const nearEdge = (edgeMillis: () => number) =>
  fc
    .record({
      // whole microseconds: the window's edges are milliseconds, and a time within a microsecond of one is no question
      // of privacy (floating-point milliseconds in this range resolve to well under a microsecond)
      delta: fc.integer({ min: -3_000, max: 3_000 }).map((us) => us * 1000),
      split: fc.constantFrom('normal', 'nanos-over', 'negative-nanos', 'fraction'),
    })
    .map(({ delta, split }) => {
      const total = BigInt(edgeMillis()) * 1_000_000n + BigInt(delta);
      const s = Number(total / 1_000_000_000n);
      const n = Number(total % 1_000_000_000n);
      if (split === 'nanos-over') return [s - 1, n + 1_000_000_000] as unknown;
      if (split === 'negative-nanos') return [s + 1, n - 1_000_000_000] as unknown;
      if (split === 'fraction') return [s + 0.75, n + 0.5] as unknown;
      return [s, n] as unknown;
    });

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0, 250);
const notAPair = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity),
  fc.integer({ min: 946_684_800, max: 1_800_000_000 }).map(String),
  fc.constant(null),
  fc.constant(undefined),
);
const time = fc.oneof(
  nearEdge(() => EARLIEST),
  nearEdge(() => NOW + DAY),
  nearEdge(() => NOW),
  fc.tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: -2e9, max: 2e9 })),
  // a number pair with one entry that is no finite number, and objects shaped like a pair
  fc.tuple(fc.integer({ min: 946_684_800, max: 1_700_000_000 }), notAPair),
  fc.tuple(notAPair, fc.integer({ min: 0, max: 999_999_999 })),
  fc
    .tuple(fc.integer({ min: 946_684_800, max: 1_700_000_000 }), fc.integer({ min: 0, max: 999_999_999 }))
    .map(([s, n]) => ({ 0: s, 1: n, length: 2 }) as unknown),
  fc.integer({ min: 946_684_800, max: 1_700_000_000 }).map((s) => `${s},0` as unknown),
);

describe('isPlausibleTime: 2000-01-01 up to a day after the clock, as exported', () => {
  it('the window constants are the documented ones', () => {
    expect(EARLIEST_PLAUSIBLE_MILLIS).toBe(Date.UTC(2000, 0, 1));
    expect(FUTURE_SLACK_MILLIS).toBe(24 * 60 * 60 * 1000);
  });

  it('agrees with the reference around each edge', () => {
    fc.assert(
      fc.property(time, (t) => {
        expect(isPlausibleTime(t as HrTime, NOW), JSON.stringify(t)).toBe(reference(t, NOW));
      }),
      { numRuns: 3000 },
    );
  });

  it('both sides of each edge, to the millisecond', () => {
    const at = (millis: number, extraNanos = 0): HrTime => [
      Math.floor(millis / 1000),
      (millis % 1000) * 1e6 + extraNanos,
    ];
    expect(isPlausibleTime(at(EARLIEST), NOW)).toBe(true);
    expect(isPlausibleTime(at(EARLIEST - 1, 999_000), NOW)).toBe(false);
    expect(isPlausibleTime(at(NOW + DAY), NOW)).toBe(true);
    expect(isPlausibleTime(at(NOW + DAY, 1000), NOW)).toBe(false);
    // no number pair: a string pair, a pair-shaped object, a pair holding a bigint
    expect(isPlausibleTime(['1700000000', '0'] as unknown as HrTime, NOW)).toBe(false);
    expect(isPlausibleTime({ 0: 1_700_000_000, 1: 0, length: 2 } as unknown as HrTime, NOW)).toBe(false);
    expect(isPlausibleTime([1_700_000_000, 0n] as unknown as HrTime, NOW)).toBe(false);
  });
});

describe('clockTime and laterTime', () => {
  const nanos = (t: HrTime) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
  const hr = fc.tuple(fc.integer({ min: 1_600_000_000, max: 1_600_000_003 }), fc.integer({ min: 0, max: 3 }));

  it('clockTime writes the milliseconds as the SDK does (whole seconds, the rest as nanoseconds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: EARLIEST, max: 4_102_444_800_000 }), (ms) => {
        const t = clockTime(ms);
        expect(nanos(t)).toBe(BigInt(ms) * 1_000_000n);
        expect(t[1] >= 0 && t[1] < 1e9).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('laterTime is the later of two times, the first when they are equal', () => {
    fc.assert(
      fc.property(hr, hr, (a, b) => {
        const later = laterTime(a, b);
        expect(later).toBe(nanos(b) > nanos(a) ? b : a);
      }),
      { numRuns: 300 },
    );
  });
});
