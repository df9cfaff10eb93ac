import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coarsenTimesInText } from '../../engine/time-in-text';

// ISO week dates with a time (`2026-W49-6T10:11:12`) in free text, rounded to a precision of one or more days: the
// date part is rewritten, so the week-numbering year, the week and the weekday written must be those of the rounded
// time. The oracle below computes them the textbook way (the Thursday of the date's week decides the year), written
// independently of engine/time-in-text.ts.

const DAY = 86_400_000;
const FROM_MS = 946_684_800_000; // 2000-01-01
const TO_MS = 4_102_444_800_000; // 2100-01-01

/** [ISO week-numbering year, week, weekday 1-7] of a UTC instant. */
function isoWeekDate(ms: number): [number, number, number] {
  const d = new Date(ms);
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - weekday));
  const year = thursday.getUTCFullYear();
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY) + 1;
  return [year, Math.ceil(dayOfYear / 7), weekday];
}

const two = (n: number) => String(n).padStart(2, '0');

/** `ms` written as an ISO week date with a time, extended (`2026-W49-6T10:11:12`) or basic (`2026W496T101112`). */
function weekText(ms: number, basic: boolean): string {
  const [y, w, wd] = isoWeekDate(ms);
  const d = new Date(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return basic ? `${y}W${two(w)}${wd}T${time}` : `${y}-W${two(w)}-${wd}T${time}`;
}

describe('ISO week dates in text, rounded to days', () => {
  it('the rounded instant is written with its own week-numbering year, week and weekday', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FROM_MS / 1000, max: TO_MS / 1000 }).map((s) => s * 1000),
        fc.constantFrom(1, 2, 3, 7, 30).map((days) => days * DAY),
        fc.boolean(),
        (ms, precision, basic) => {
          const floored = ms - (ms % precision);
          const expected = floored === ms ? undefined : `at ${weekText(floored, basic)} ok`;
          expect(coarsenTimesInText(`at ${weekText(ms, basic)} ok`, precision)).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('across a year boundary the week-numbering year follows the week, not the calendar', () => {
    // 2027-01-02 (a Saturday) is in week 53 of 2026; 2021-01-03 in week 53 of 2020; 2024-12-30 in week 1 of 2025.
    for (const [calendar, week] of [
      [Date.UTC(2027, 0, 2), '2026-W53-6'],
      [Date.UTC(2021, 0, 3), '2020-W53-7'],
      [Date.UTC(2024, 11, 30), '2025-W01-1'],
    ] as const) {
      expect(weekText(calendar, false).slice(0, 10)).toBe(week);
      const text = `${week}T10:11:12`;
      expect(coarsenTimesInText(text, DAY)).toBe(`${week}T00:00:00`);
      // rounded a week down: the Thursday on or before, by the epoch's week boundaries (1970-01-01 was a Thursday)
      const floored = calendar + 10 * 3_600_000 - ((calendar + 10 * 3_600_000) % (7 * DAY));
      expect(coarsenTimesInText(text, 7 * DAY)).toBe(weekText(floored, false));
    }
  });
});
