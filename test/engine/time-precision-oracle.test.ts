import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NOT_TIME_KEY,
  SHAPE_KEY,
  TIME_KEY,
  coarsenHrTime,
  coarsenIsoString,
  isMaybeTimeKey,
  timeKeyClass,
} from '../../engine/time-precision';
import { coarsenTimesInText } from '../../engine/time-in-text';

// References written from docs/minimization.md, not from the code: the word lists as documented (each word, under
// each documented split of a key's last segment), the rounding of an ISO 8601 date-time (days counted from the civil
// date with an arithmetic of its own, the fraction's digits floored to the millisecond, the written form), and the
// rounding of an `HrTime` in exact nanoseconds.

const NOT_TIME =
  'id ids uuid guid count size bytes length len duration elapsed latency offset seq sequence number num amount total price port pid version index idx code ms us ns'.split(
    ' ',
  );
const TIME =
  'time timestamp ts date datetime epoch at created updated modified expires expiry seen when nano unix login logout deadline since until t0 t1 iat nbf exp'.split(
    ' ',
  );
const MAYBE = 'start started end ended begin finish finished stop stopped last next scheduled sent received'.split(' ');
const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);

describe('key classes: every documented word, in every documented split', () => {
  it('time words, not-time words, maybe-time words', () => {
    for (const w of TIME)
      for (const key of [w, `app.${w}`, `my_${w}`, `my-${w}`, `my${cap(w)}`, `x.y.${w}_value`])
        expect(timeKeyClass(key), key).toBe(TIME_KEY);
    for (const w of NOT_TIME)
      for (const key of [w, `app.${w}`, `created_${w}`, `time-${w}`, `login${cap(w)}`])
        expect(timeKeyClass(key), key).toBe(NOT_TIME_KEY);
    for (const w of MAYBE) {
      for (const key of [w, `app.${w}`, `job_${w}`, `job${cap(w)}`]) {
        expect(timeKeyClass(key), key).toBe(SHAPE_KEY);
        expect(isMaybeTimeKey(key), key).toBe(true);
      }
      expect(isMaybeTimeKey(`${w}_at`)).toBe(false);
      expect(isMaybeTimeKey(`${w}.value`)).toBe(false);
    }
    // words only as whole words of the last segment: a prefix or an earlier segment is no word
    for (const key of [
      'attempt',
      'status',
      'app.ts.value',
      'idle',
      'sizes_x',
      'startup',
      'timer',
      'data',
      'app.id.value',
    ])
      expect(timeKeyClass(key), key).toBe(SHAPE_KEY);
    for (const key of ['runtime', 'lastTimestamp', 'app.uptime']) expect(timeKeyClass(key), key).toBe(TIME_KEY);
  });
});

/** Days since 1970-01-01 of a civil date (proleptic Gregorian), by counting whole years and months. */
function daysFromCivil(y: number, m: number, d: number): number {
  const leap = (yy: number) => (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0;
  let days = 0;
  for (let yy = 1970; yy < y; yy++) days += leap(yy) ? 366 : 365;
  const lengths = [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  for (let mm = 1; mm < m; mm++) days += lengths[mm - 1]!;
  return days + d - 1;
}
function civilFromDays(days: number): [number, number, number] {
  let y = 1970;
  const leap = (yy: number) => (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0;
  while (days >= (leap(y) ? 366 : 365)) days -= leap(y++) ? 366 : 365;
  const lengths = [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let m = 0;
  while (days >= lengths[m]!) days -= lengths[m++]!;
  return [y, m + 1, days + 1];
}
const p = (n: number, w = 2) => String(n).padStart(w, '0');

/** A generated date-time: its fields, written in an ISO form, and the reference rounding of it. */
const isoCase = fc
  .record({
    y: fc.integer({ min: 1999, max: 2101 }),
    mo: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    h: fc.constantFrom(0, 1, 12, 23),
    mi: fc.constantFrom(0, 1, 30, 59),
    s: fc.constantFrom(0, 1, 29, 59),
    // fractions of every length, with the tails that float arithmetic gets wrong (…999999999)
    fraction: fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^[0-9]{1,9}$/),
      fc.constantFrom('9', '99', '999', '9999', '999999999', '123999999', '000999999', '0', '000000001'),
    ),
    sep: fc.constantFrom(',', '.'),
    zone: fc.constantFrom('', 'Z', 'z', '+00:00', '+05:30', '-0800', '+01'),
    basic: fc.boolean(),
    precision: fc.constantFrom(1, 10, 250, 1000, 60_000, 3_600_000, 86_400_000, 604_800_000),
  })
  .filter(
    ({ y, mo, d }) =>
      d <=
      [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!,
  );

function writeIso(c: {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  fraction: string;
  sep: string;
  zone: string;
  basic: boolean;
}): string {
  const date = c.basic ? `${c.y}${p(c.mo)}${p(c.d)}T` : `${c.y}-${p(c.mo)}-${p(c.d)}T`;
  const clock = c.basic ? `${p(c.h)}${p(c.mi)}${p(c.s)}` : `${p(c.h)}:${p(c.mi)}:${p(c.s)}`;
  return `${date}${clock}${c.fraction ? c.sep + c.fraction : ''}${c.zone}`;
}

/** The documented rounding: the instant (UTC), floored to the precision from the epoch, written `YYYY-MM-DDTHH:MM:SS(.sss)Z`. */
function referenceIso(c: Parameters<typeof writeIso>[0] & { precision: number }, text: string): string | undefined {
  const offsetMinutes =
    c.zone === '' || c.zone === 'Z' || c.zone === 'z'
      ? 0
      : (c.zone[0] === '-' ? -1 : 1) *
        (Number(c.zone.slice(1, 3)) * 60 + Number(c.zone.replace(':', '').slice(3, 5) || 0));
  const millis = Number(c.fraction.padEnd(3, '0').slice(0, 3));
  const ms =
    ((daysFromCivil(c.y, c.mo, c.d) * 24 + c.h) * 60 + c.mi) * 60_000 + c.s * 1000 + millis - offsetMinutes * 60_000;
  const floored = ms - (((ms % c.precision) + c.precision) % c.precision);
  const day = Math.floor(floored / 86_400_000);
  const [y, mo, d] = civilFromDays(day);
  const rest = floored - day * 86_400_000;
  const clock = `${p(Math.floor(rest / 3_600_000))}:${p(Math.floor(rest / 60_000) % 60)}:${p(Math.floor(rest / 1000) % 60)}`;
  const fractionOut = c.precision % 1000 === 0 ? '' : `.${p(rest % 1000, 3)}`;
  const out = `${y}-${p(mo)}-${p(d)}T${clock}${fractionOut}${c.zone === '' ? '' : 'Z'}`;
  if (floored === ms && c.fraction.length <= 3 && out === text) return undefined;
  return out;
}

describe('coarsenIsoString against the documented rounding', () => {
  it('every ISO form, fractions of any length, zones, precisions from 1 ms to 7 days', () => {
    fc.assert(
      fc.property(isoCase, (c) => {
        const text = writeIso(c);
        expect(coarsenIsoString(text, c.precision), `${text} @${c.precision}`).toBe(referenceIso(c, text));
      }),
      { numRuns: 1500 },
    );
  });

  it('a fraction of nine nines is rounded down, never up into the next second (in text too)', () => {
    expect(coarsenIsoString('2026-12-05T10:11:12.999999999Z', 1000)).toBe('2026-12-05T10:11:12Z');
    expect(coarsenIsoString('2026-12-05T10:11:12.123999999Z', 1)).toBe('2026-12-05T10:11:12.123Z');
    expect(coarsenTimesInText('at 2026-12-05T10:11:12.999999999Z', 1000)).toBe('at 2026-12-05T10:11:12.000000000Z');
    expect(coarsenTimesInText('at 2026-12-05T10:11:12.123999999Z', 1)).toBe('at 2026-12-05T10:11:12.123000000Z');
  });
});

describe('coarsenTimesInText: documented edges', () => {
  it('zeros already written below the precision are no edit; a minute of 60 is no time; names keep their case', () => {
    expect(coarsenTimesInText('at 2026-12-05T10:11:12.1230000Z', 1)).toBeUndefined();
    expect(coarsenTimesInText('at 2026-12-05T10:11:12.1230001Z', 1)).toBe('at 2026-12-05T10:11:12.1230000Z');
    expect(coarsenTimesInText('at 2026-12-05T10:60:12.5Z', 1000)).toBeUndefined();
    expect(coarsenTimesInText('at 2026-12-05T10:59:12.5Z', 1000)).toBe('at 2026-12-05T10:59:12.0Z');
    expect(coarsenTimesInText('SAT, 01 MAY 1999 10:11:12 GMT', 30 * 86_400_000)).toBe('THU, 29 APR 1999 00:00:00 GMT');
  });
});

describe('coarsenHrTime in exact nanoseconds', () => {
  it('floors to the precision from the epoch, the same pair when already coarse', () => {
    const precisions = [
      1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, 1000, 2000, 5000, 60_000, 3_600_000, 86_400_000,
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 946_684_800, max: 4_102_444_799 }),
        fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom(0, 1, 999_999, 1_000_000, 999_999_999)),
        fc.constantFrom(...precisions),
        (s, n, precision) => {
          const t: [number, number] = [s, n];
          const total = BigInt(s) * 1_000_000_000n + BigInt(n);
          const step = BigInt(precision) * 1_000_000n;
          const want = total - (total % step);
          const got = coarsenHrTime(t, precision);
          expect(BigInt(got[0]) * 1_000_000_000n + BigInt(got[1])).toBe(want);
          expect(got[1] >= 0 && got[1] < 1e9).toBe(true);
          if (want === total) expect(got).toBe(t);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
