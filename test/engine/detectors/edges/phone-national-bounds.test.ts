import { describe, expect, it } from 'vitest';
import { phoneDetector } from '../../../../engine/detectors/phone';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// docs/detectors.md (`phone` row): after a phone word, a national number without a trunk prefix has 8-11 digits in
// three or more groups with one blank or `-`, two groups of four with a blank, or a bracketed area code of two or three
// digits. The edges of those counts, read by the detector directly (its doc comment is the contract) and through the
// scanner.

/** The text `phone` finds in `text`. */
function found(text: string): string[] {
  const out: Finding[] = [];
  phoneDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('phone: national numbers without a trunk prefix, at the edges of their counts', () => {
  it('twelve digits in groups starting with 1 are no national number: only the first 9-11 digits that are one are found', () => {
    expect(found('phone: 123 456 789 012')).toEqual(['123 456 789']);
    expect(found('phone: 123 456 789 01')).toEqual(['123 456 789 01']); // control: eleven digits
  });

  it('two groups of four need a blank; a one-digit bracketed code is no area code', () => {
    expect(found('phone: (1) 2345-6789 x')).toEqual([]);
    expect(found('phone: (21) 2345-6789 x')).toEqual(['(21) 2345-6789']); // control
  });

  it('through the scanner, pre-filter on and off', () => {
    const phone = edges('phone');
    phone.masks('phone: ', '123 456 789', ' 012');
    phone.keeps('phone: (1) 2345-6789 x');
  });
});
