import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';

// National numbers with a trunk 0 written in groups (UK `020 7946 0123`, French `01 99 00 12 34`): fictional ranges
// (Ofcom's drama numbers, ARCEP's 01 99 00), any last digits, a blank or `-` between groups, in a sentence.

const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0 });
const digits = (k: number) => fc.stringMatching(new RegExp(`^[0-9]{${k}}$`));

const numbers = fc.oneof(
  fc.tuple(digits(3), fc.constantFrom(' ', '-')).map(([d, sep]) => `020${sep}7946${sep}0${d}`),
  fc
    .tuple(digits(2), digits(2), fc.constantFrom(' ', '.'))
    .map(([a, b, sep]) => `01${sep}99${sep}00${sep}${a}${sep}${b}`),
);

describe('national phone numbers in groups', () => {
  it('are masked', () => {
    fc.assert(
      fc.property(numbers, (written) => {
        const r = scanner.scan(`call me on ${written} today`);
        expect(r.types, written).toContain('phone');
        expect(r.value, written).not.toContain(written);
      }),
      { numRuns: 200 },
    );
  });
});
