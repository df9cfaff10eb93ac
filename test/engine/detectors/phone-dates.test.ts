import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';

// A calendar date followed by a time is no phone number, even after a phone word (`contact: 2023-08-18 07:35:55`):
// its digits group like a number (`2023-08-18 07` reads as `20` and eight digits, `05-08-2023 07` as a trunk-prefixed
// national number). Found in the generated corpus's look-alike negatives (log timestamps in `<contact>` elements).

const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0, prefilter }),
);
const pad = (n: number) => String(n).padStart(2, '0');

const date = fc
  .tuple(
    fc.integer({ min: 1990, max: 2099 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.constantFrom('-', '/', '.'),
    fc.boolean(),
  )
  .map(([y, m, d, sep, yearFirst]) => (yearFirst ? [y, pad(m), pad(d)] : [pad(d), pad(m), y]).join(sep));
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .chain(([h, m, s]) =>
    fc.constantFrom(`${pad(h)}:${pad(m)}`, `${pad(h)}:${pad(m)}:${pad(s)}`, `${pad(h)}:${pad(m)}:${pad(s)}.465,123`),
  );
const context = fc.constantFrom('', 'at ', 'contact ', 'phone: ', 'Customer phone ', '<contact><value>', 'tel ');

describe('phone: dates with a time', () => {
  it('are not masked, with or without a phone word before them (property)', () => {
    fc.assert(
      fc.property(context, date, fc.constantFrom(' ', 'T'), time, (head, d, joint, t) => {
        const text = `${head}${d}${joint}${t}`;
        for (const scanner of scanners) expect(scanner.scan(text).types, text).not.toContain('phone');
      }),
      { numRuns: 400 },
    );
  });

  it('the last days of a month (29, 30, 31) as well, year or day first', () => {
    // The property draws days up to 28; the date rule reads a day as `0[1-9]`, `[12]\d` or `3[01]`.
    for (const d of ['29', '30', '31'])
      for (const m of ['01', '08', '12'])
        for (const sep of ['-', '/', '.'])
          for (const written of [`2023${sep}${m}${sep}${d}`, `${d}${sep}${m}${sep}2023`]) {
            const text = `contact ${written} 07:35`;
            for (const scanner of scanners) expect(scanner.scan(text).types, text).not.toContain('phone');
          }
  });

  it('phone numbers after a phone word are still found', () => {
    for (const text of ['phone: 020 7946 0958', 'tel 06 12 34 56 78', 'phone 447700900123', 'contact 912 345 678'])
      for (const scanner of scanners) expect(scanner.scan(text).types, text).toContain('phone');
  });
});
