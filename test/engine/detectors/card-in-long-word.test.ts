import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';

// A card number glued inside a long hexadecimal word (a digest, a trace id) is not read as a card; glued inside a
// word that is not all hexadecimal, it is. An outside tester pads the word with hex characters between a non-hex
// letter and the card, farther than the detector used to look (64 characters): the card must still be masked.

const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0 });

const cards = fc.constantFrom('4111111111111111', '5555555555554444', '378282246310005');
const hex = (min: number, max: number) => fc.stringMatching(new RegExp(`^[a-f0-9]{${min},${max}}$`));
const nonHex = fc.constantFrom('g', 'z', 'x', '_', 'Q');
/** Hex characters ending (before the card) or starting (after it) with a letter, so the card's digit run stays its own. */
const long = () => fc.oneof(hex(0, 20), hex(60, 150));
const before = fc.tuple(long(), fc.constantFrom(...'abcdef')).map(([h, l]) => h + l);
const after = fc.tuple(fc.constantFrom(...'abcdef'), long()).map(([l, h]) => l + h);
/**
 * `after` without a `d`, an expiry (`YYMM`, month 01-12) and a digit first: that is track 2 data (the card, `D`, the
 * expiry and the service code, as EMV tag 57 writes them inside hexadecimal TLV data), read as a card on purpose.
 */
const afterNoTrack2 = after.filter((t) => !/^d\d\d(?:0[1-9]|1[0-2])\d/.test(t));

describe('a card glued inside a long word', () => {
  it('is masked when the word is not all hexadecimal, however far the non-hex character is', () => {
    fc.assert(
      fc.property(nonHex, before, cards, after, fc.boolean(), (odd, pad, card, tail, left) => {
        // the non-hex character on the left or on the right of the card
        const word = left ? `${odd}${pad}${card}${tail}` : `${pad}${card}${tail}${odd}`;
        const r = scanner.scan(`ref=${word} end`);
        expect(r.value, word).not.toContain(card);
      }),
      { numRuns: 300 },
    );
  });

  it('is left alone inside a word that is all hexadecimal (a digest)', () => {
    fc.assert(
      fc.property(hex(70, 150), before, cards, afterNoTrack2, (lead, pad, card, tail) => {
        const word = `${lead}${pad}${card}${tail}`;
        expect(scanner.scan(`digest ${word} end`).value).toBe(`digest ${word} end`);
      }),
      { numRuns: 100 },
    );
  });
});
