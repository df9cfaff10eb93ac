import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';

// National numbers of countries without a trunk prefix (Spain, Norway, Denmark, Poland, Portugal, Brazil, Singapore,
// …) are written as grouped digits with no `0` or `+` to mark them: after a phone word they are phone numbers. Found
// by the independent labeled set (testdata/labeled-set.ts, phone/national), which exported `Customer phone: 912 345
// 686` and `SMS to 22 12 34 47` raw.

const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0, prefilter }),
);

const keyword = fc.constantFrom(
  'phone',
  'Customer phone:',
  'tel:',
  'mobile',
  'SMS to',
  'callback number',
  'contact',
  'dial',
);
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

/** The groupings these countries print (9 digits 3-3-3, 8 digits in pairs, 2-3-2-2, 2-3-4, …). */
const national = fc
  .tuple(
    fc.constantFrom([3, 3, 3], [2, 2, 2, 2], [2, 3, 2, 2], [2, 3, 4], [3, 2, 2, 2], [2, 4, 4], [3, 3, 2, 2]),
    fc.constantFrom(' ', '-'),
    fc.integer({ min: 1, max: 9 }),
    digits(12),
  )
  .map(([groups, sep, first, rest]) => {
    const all = String(first) + rest;
    let at = 0;
    // four dashed groups of up to three digits read as an address in a host name: blanks there
    const joiner = groups.length === 4 && groups.every((g) => g <= 3) ? ' ' : sep;
    return groups.map((g) => all.slice(at, (at += g))).join(joiner);
  });
const brazilian = fc
  .tuple(fc.integer({ min: 11, max: 99 }), digits(4), digits(4), fc.boolean())
  .map(([ddd, a, b, mobile]) => `(${ddd}) ${mobile ? '9' : ''}${a}-${b}`);

describe('phone: national numbers without a trunk prefix after a phone word', () => {
  it('are masked after the word, in log lines and JSON', () => {
    fc.assert(
      fc.property(keyword, fc.oneof(national, brazilian), fc.boolean(), (word, number, json) => {
        const text = json ? `{"note":"${word} ${number}","ok":true}` : `${word} ${number} (customer ${'#'}42)`;
        for (const s of scanners) {
          const r = s.scan(text);
          expect(r.value, text).not.toContain(number);
          expect(r.types, text).toContain('phone');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('dates, times, versions and counts after a phone word stay', () => {
    const date = fc
      .tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
      .chain(([y, m, d]) => {
        const mm = String(m).padStart(2, '0');
        const dd = String(d).padStart(2, '0');
        return fc.constantFrom(`${y}-${mm}-${dd}`, `${dd}.${mm}.${y}`, `${y}.${mm}.${dd}`, `${mm}-${dd}-${y}`);
      });
    const other = fc.oneof(
      date,
      fc.tuple(fc.nat(23), fc.nat(59), fc.nat(59)).map(([h, m, s]) => `${h}:${m}:${s}`),
      fc.tuple(fc.nat(20), fc.nat(30), fc.nat(300)).map(([a, b, c]) => `${a}.${b}.${c}`),
      fc.integer({ min: 1, max: 99999 }).map(String),
      // dotted quads and dashed host names of short octets: addresses, not national numbers (ten digits or more
      // after a country code are international numbers, another rule)
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((q) => q.join('.')),
      fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99)).map((q) => `${q.join('-')}.example.net`),
    );
    fc.assert(
      fc.property(keyword, other, (word, value) => {
        const text = `${word} updated ${value}`;
        for (const s of scanners) expect(s.scan(text).types, text).not.toContain('phone');
      }),
      { numRuns: 400 },
    );
  });
});
