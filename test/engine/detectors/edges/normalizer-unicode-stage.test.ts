import { describe, expect, it } from 'vitest';
import { normalizeView } from '../../../../engine/detectors/normalizer';
import { edgeScanners } from './secret-edges-helpers';

// The normalized view's Unicode step (engine/detectors/normalizer.ts, docs/detectors.md "Normalized views"): the
// blanks NFKC leaves alone (braille blank, Ogham space mark, line and paragraph separators, NEL, VT, FF) read as a
// space, and every combining mark (`\p{Mn}`, `\p{Me}`, the Unicode property as the oracle) is removed, so a card
// number or an address written with them is found.

const cards = edgeScanners(['payment-card']);
const emails = edgeScanners(['email']);

const OTHER_BLANKS = [0x2800, 0x1680, 0x2028, 0x2029, 0x85, 0x0b, 0x0c];
const MARK = /^[\p{Mn}\p{Me}]$/u;

describe('the Unicode step reads the blanks NFKC leaves alone and removes every combining mark', () => {
  it('each other blank separating the groups of a card number reads as a space and the card is found', () => {
    for (const cp of OTHER_BLANKS) {
      const b = String.fromCodePoint(cp);
      expect(normalizeView(`a${b}b`)?.text, cp.toString(16)).toBe('a b');
      cards.found(`card 4111${b}1111${b}1111${b}1111 ok`, '4111');
    }
  });

  it('every combining mark (Unicode property) between two letters is removed, and one after each digit of a card hides nothing', () => {
    let checked = 0;
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (!MARK.test(ch)) continue;
      checked++;
      const view = normalizeView(`a${ch}b`);
      if (view?.text !== 'ab') expect(view?.text, cp.toString(16)).toBe('ab');
    }
    expect(checked).toBeGreaterThan(1900);
    for (const cp of [0x300, 0x301, 0x36f, 0x20dd]) {
      const m = String.fromCodePoint(cp);
      cards.found(`4111111111111111`.split('').join(m), '4');
      emails.found(`mail jane.doe${m}@example${m}.com now`, 'example');
    }
  });

  it('text NFKC leaves alone (letters of other scripts, no mark, digit, dash, dot, blank or invisible) has no view', () => {
    for (const t of [
      'é',
      'Ωmega',
      'жена',
      'straße',
      '中文',
      'Ñandú',
      'jane.doe@exämple.com',
      'ﬀ'.normalize('NFKC') + 'ø',
    ])
      expect(normalizeView(t), t).toBeUndefined();
  });
});
