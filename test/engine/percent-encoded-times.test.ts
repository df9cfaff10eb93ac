import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coarsenPercentEncodedTimes } from '../../engine/percent-encoded-times';
import { coarsenTimesInText } from '../../engine/time-in-text';

// A date-time written percent-encoded is rounded like the same date-time written plainly, each escape kept as written.
// Property: a plain text holding a date-time (ISO 8601 with `T` or a space, fractions, `Z` or an offset; RFC 2822 with
// a day name and commas; `/` dates) is encoded character by character with a generated choice per separator (`:` as
// `%3A`, `%3a` or kept; a space as `%20` or `+`; `,` `%2C`/`%2c`; `+` `%2B`; `/` `%2F`/`%2f` or kept), next to
// escapes that are not read back (`%41`, `%25`). The result must be the plain rounding encoded with the same choices,
// and `undefined` when no `:` between digits is encoded or the plain text needs no rounding.

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const plainTime = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1999, 11, 31), max: Date.UTC(2040, 0, 1) }),
    form: fc.constantFrom('iso-t', 'iso-space', 'rfc2822', 'slash'),
    fraction: fc.constantFrom('', '.1', '.123', '.123456', '.000'),
    zone: fc.constantFrom('Z', '+02:00', '-0530', ''),
  })
  .map(({ ms, form, fraction, zone }) => {
    const d = new Date(ms);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    if (form === 'rfc2822')
      return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${clock} +0000`;
    if (form === 'slash') return `${date.replaceAll('-', '/')} ${clock}${fraction}`;
    return `${date}${form === 'iso-t' ? 'T' : ' '}${clock}${fraction}${zone}`;
  });

const ESCAPES: Record<string, string[]> = {
  ':': ['%3A', '%3a', ':'],
  ' ': ['%20', '+'],
  ',': ['%2C', '%2c', ','],
  '+': ['%2B', '%2b'],
  '/': ['%2F', '%2f', '/'],
};
const encode = (text: string, choices: number[]) => {
  let k = 0;
  return [...text]
    .map((c) => (ESCAPES[c] ? ESCAPES[c]![choices[k++ % choices.length]! % ESCAPES[c]!.length] : c))
    .join('');
};
const context = fc.constantFrom('', 'at=', '?from=', '/api/v1/', 'q=%41&t=', '%25', '=%25', 'id=7&');

describe('coarsenPercentEncodedTimes: rounded like the plain date-time, escapes kept', () => {
  it('agrees with the plain rounding, encoded back', () => {
    fc.assert(
      fc.property(
        plainTime,
        fc.array(fc.nat(5), { minLength: 1, maxLength: 12 }),
        context,
        context,
        fc.constantFrom(1, 1000, 60_000, 3_600_000, 86_400_000),
        (time, choices, before, after, precision) => {
          const encodedTime = encode(time, choices);
          const encoded = `${before}${encodedTime}${after ? '&' + after : ''}`;
          const plain = `${before}${time}${after ? '&' + after : ''}`;
          const rounded = coarsenTimesInText(plain, precision);
          const got = coarsenPercentEncodedTimes(encoded, precision);
          if (!/\d%3a\d/i.test(encoded) || rounded === undefined) {
            expect(got, encoded).toBeUndefined();
            return;
          }
          // the rounding keeps every character but digits: re-encode the rounded time with the same choices
          const at = plain.indexOf(time);
          const roundedTime = rounded.slice(at, at + time.length);
          expect(got, encoded).toBe(`${before}${encode(roundedTime, choices)}${after ? '&' + after : ''}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('examples', () => {
    expect(coarsenPercentEncodedTimes('t=2026-01-05T10%3A15%3A42.123Z', 3_600_000)).toBe(
      't=2026-01-05T10%3A00%3A00.000Z',
    );
    expect(coarsenPercentEncodedTimes('t=2026-01-05+10%3a15%3a42', 60_000)).toBe('t=2026-01-05+10%3a15%3a00');
    expect(coarsenPercentEncodedTimes('t=2026-01-05T10:15:42Z', 60_000)).toBeUndefined();
    expect(coarsenPercentEncodedTimes('t=2026-01-05T10%3A15%3A00Z', 60_000)).toBeUndefined();
    expect(coarsenPercentEncodedTimes('no escapes', 60_000)).toBeUndefined();
  });
});
