import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';

// A 3-3-4 number whose codes no North American number has (an area code starting with 1 or with 9 in the middle, an
// exchange starting with 0 or 1) is an order, ticket or part number: left as written, not masked as a phone.

const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0 });
const d = (from: number, to: number) => fc.integer({ min: from, max: to }).map(String);

/** Area code and exchange, valid or with one invalid digit. */
const codes = fc.oneof(
  fc.tuple(fc.constant('1'), d(0, 8), d(0, 9), d(2, 9)), // area code starting with 1 (a 0 is a national trunk prefix)
  fc.tuple(d(2, 9), fc.constant('9'), d(0, 9), d(2, 9)), // area code with 9 in the middle
  fc.tuple(d(2, 9), d(0, 8), d(0, 9), d(0, 1)), // exchange starting with 0 or 1
);

describe('3-3-4 numbers with codes no North American number has', () => {
  it('are not masked as phones', () => {
    fc.assert(
      fc.property(
        codes,
        d(0, 9),
        d(0, 9),
        fc.stringMatching(/^[0-9]{4}$/),
        fc.constantFrom('-', '.'),
        (c, e1, e2, line, sep) => {
          const number = `${c[0]}${c[1]}${c[2]}${sep}${c[3]}${e1}${e2}${sep}${line}`;
          expect(scanner.scan(`order ${number} shipped`).types, number).not.toContain('phone');
        },
      ),
      { numRuns: 200 },
    );
  });
});
