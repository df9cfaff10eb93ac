import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coarsenTimesInText } from '../../engine/time-in-text';

// Texts longer than 256 characters are searched in a window around each `h:mm` or `T` between digits; shorter ones
// whole. Property: a date-time is rounded the same in a long text as alone (the windows find what the whole search
// finds), with fractions of any length (docs/minimization.md: "a fraction of any length … every digit of it is
// rounded"), padding before and after it of any length, and several date-times in one text.

const dateTime = fc
  .record({
    ms: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
    fraction: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 10, max: 90 })),
    sep: fc.constantFrom('T', ' '),
    zone: fc.constantFrom('Z', '+05:30', ''),
  })
  .map(({ ms, fraction, sep, zone }) => {
    const iso = new Date(ms).toISOString().slice(0, 19).replace('T', sep);
    return `${iso}${fraction === 0 ? '' : '.' + '7'.repeat(fraction)}${zone}`;
  });
const filler = fc.constantFrom('x', ' ', 'word ', '1', '-', '\n');

describe('coarsenTimesInText: long texts are rounded like short ones', () => {
  it('each date-time in a long text is rounded as it is alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: filler, minLength: 1, maxLength: 300 }), dateTime), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.string({ unit: filler, maxLength: 200 }),
        fc.constantFrom(1, 1000, 60_000, 3_600_000),
        (parts, tail, precision) => {
          const text = parts.map(([pad, t]) => `${pad} ${t} `).join('') + tail;
          const want =
            parts.map(([pad, t]) => `${pad} ${coarsenTimesInText(` ${t} `, precision)?.slice(1, -1) ?? t} `).join('') +
            tail;
          expect(coarsenTimesInText(text, precision) ?? text, text.length > 256 ? 'long' : 'short').toBe(want);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a fraction of 40 digits after 300 characters', () => {
    const t = `${'x'.repeat(300)} 2026-12-05T10:11:12.${'7'.repeat(40)}Z`;
    expect(coarsenTimesInText(t, 3_600_000)).toBe(`${'x'.repeat(300)} 2026-12-05T10:00:00.${'0'.repeat(40)}Z`);
  });
});
