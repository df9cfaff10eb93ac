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
