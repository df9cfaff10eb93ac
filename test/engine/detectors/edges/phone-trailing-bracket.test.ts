import { describe, expect, it } from 'vitest';
import { phoneDetector } from '../../../../engine/detectors/phone';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// docs/detectors.md (`phone` row): sentence punctuation after a number and an unmatched bracket around it are no part
// of it. An opening bracket that ends the word after a separator (`202-555-0143-(`, `… 0958.(`, `0143)(`) is such
// punctuation too: before this fix it hid the whole number, or its last group.

/** The text `phone` finds in `text`. */
function found(text: string): string[] {
  const out: Finding[] = [];
  phoneDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

const phone = edges('phone');
const NUMBERS = ['202-555-0143', '(202) 555-0143', '+44 20 7946 0958', '+1 202 555 0143', '020 7946 0958'];
const TAILS = ['-(', '.(', '/(', '+(', ')(', '-((', '.-('];

describe('phone: an opening bracket after the number ends it', () => {
  it('every number, every tail of separators and an opening bracket: the number is found whole', () => {
    for (const n of NUMBERS)
      for (const tail of TAILS) {
        expect(found(`${n}${tail}`), JSON.stringify(n + tail)).toEqual([n]);
        expect(found(`x ${n}${tail} y`), JSON.stringify(n + tail)).toEqual([n]);
      }
  });

  it('through the scanner, pre-filter on and off', () => {
    for (const n of NUMBERS) for (const tail of TAILS) phone.masks('call ', n, `${tail} now`);
  });
});
