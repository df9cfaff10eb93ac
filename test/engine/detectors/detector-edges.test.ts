import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import type { DetectorName } from '../../../policy/schema';

// Edges of single detectors that an independent mutation run (issue #22) found no test for: each is read through the
// value scanner, with and without its pre-filter.

const scanners = (detectors: readonly DetectorName[]) =>
  [true, false].map((prefilter) =>
    createValueScanner({ detectors, action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0, prefilter }),
  );

describe('bearer-token: a Basic credential is base64 of printable user:password', () => {
  const scan = scanners(['bearer-token']);
  const printable = (min: number) =>
    fc.string({
      unit: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)),
      minLength: min,
      maxLength: 12,
    });

  it('masks base64 of user:password after Basic', () => {
    fc.assert(
      fc.property(
        printable(1).filter((u) => !u.includes(':')),
        printable(1),
        (user, pass) => {
          const token = Buffer.from(`${user}:${pass}`, 'latin1').toString('base64');
          fc.pre(token.length >= 8 && !token.endsWith('/'));
          for (const s of scan) expect(s.scan(`Authorization: Basic ${token}`).value).not.toContain(token);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps base64 of binary data after the word basic (a control character is not in a password)', () => {
    fc.assert(
      fc.property(
        printable(1).filter((u) => !u.includes(':')),
        printable(0),
        fc.integer({ min: 0, max: 31 }),
        printable(0),
        (user, head, control, tail) => {
          const token = Buffer.from(`${user}:${head}${String.fromCharCode(control)}${tail}`, 'latin1').toString(
            'base64',
          );
          fc.pre(!token.endsWith('/'));
          const text = `frame basic ${token} decoded`;
          for (const s of scan) expect(s.scan(text).value).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('phone: short labels before an unformatted digit run', () => {
  const scan = scanners(['phone']);
  const anyCase = (s: string) =>
    fc
      .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
      .map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));
  const label = fc.constantFrom('ph#', 'ph:', 'ph.', 'mob#', 'mob:', 'mob.', 'tel#', 'tel.').chain(anyCase);
  // fake NANP numbers of the 555-01xx range, written as one digit run
  const number = fc
    .tuple(fc.constantFrom('202', '312', '415', '617'), fc.integer({ min: 0, max: 99 }))
    .map(([area, n]) => `${area}55501${String(n).padStart(2, '0')}`);

  it('a label (ph., mob., tel. with the dot too) makes the run a phone number', () => {
    fc.assert(
      fc.property(
        label,
        fc.constantFrom(' ', '', ' \t'),
        number,
        fc.constantFrom('', ' (home)', ', thanks'),
        (l, gap, n, after) => {
          const text = `customer ${l}${gap}${n}${after}`;
          for (const s of scan) expect(s.scan(text).value, text).not.toContain(n);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ph and mob starting a dotted name are not a label: the run is kept (tel is a word of its own)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ph', 'mob').chain(anyCase),
        fc.constantFrom('api', 'example', 'internal', 'svc', 'eu', 'prod', 'wiki'),
        number,
        (l, rest, n) => {
          const text = `host ${l}.${rest} build ${n}`;
          for (const s of scan) expect(s.scan(text).value, text).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('phone: four dashed or dotted groups led by a group of 2 to 4 digits', () => {
  // `14-307-371-3053`, `178.093.380.2624`: a part number or an id, not `1` and a North American number.
  const scan = scanners(['phone']);
  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));

  it('are kept as written', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((n) => digits(n)),
        digits(3),
        digits(3),
        digits(4),
        fc.constantFrom('-', '.'),
        fc.constantFrom('order ', 'part ', 'ref=', '{"sku":"'),
        (lead, a, b, c, sep, before) => {
          const text = `${before}1${lead}${sep}${a}${sep}${b}${sep}${c}`;
          for (const s of scan) expect(s.scan(text).value).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
