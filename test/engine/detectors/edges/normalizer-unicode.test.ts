import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeView } from '../../../../engine/detectors/normalizer';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// The normalized view's Unicode step (engine/detectors/normalizer.ts, docs/detectors.md "Normalized views"):
// compatibility forms read through NFKC, invisible characters removed. Each range of the invisible list is pinned at
// both of its ends and inside; the compatibility forms outside the Basic Multilingual Plane (mathematical
// alphanumerics, U+1D400 on) are read as the letters and digits they stand for, not dropped as invisibles.

const cards = edgeScanners(['payment-card']);
const emails = edgeScanners(['email']);
const ssns = edgeScanners(['us-ssn']);

/** The invisible code points the view removes, as inclusive ranges (the list in the normalizer). */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0xad, 0xad], // soft hyphen
  [0x34f, 0x34f], // combining grapheme joiner
  [0x61c, 0x61c], // Arabic letter mark
  [0x115f, 0x1160], // Hangul fillers
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian variation selectors and vowel separator
  [0x200b, 0x200f], // zero-width space, joiners, direction marks
  [0x202a, 0x202e], // bidi embeddings and overrides
  [0x2060, 0x206f], // word joiner, invisible operators, bidi isolates
  [0x3164, 0x3164], // Hangul filler
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff], // byte order mark
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff0, 0xfff8], // unassigned specials
  [0x1bca0, 0x1bca3], // shorthand format controls
  [0x1d173, 0x1d17a], // musical symbol format controls
  [0xe0000, 0xe0fff], // tags and variation selectors supplement
];

/** One invisible: an end of a range or a code point inside it. */
const invisible = fc
  .tuple(fc.constantFrom(...INVISIBLE_RANGES), fc.constantFrom('lo', 'hi', 'in'), fc.nat())
  .map(([[lo, hi], where, k]) =>
    String.fromCodePoint(where === 'lo' ? lo : where === 'hi' ? hi : lo + (k % (hi - lo + 1))),
  );

/** Test card numbers (Luhn-valid, from the card networks' documentation). */
const card = fc.constantFrom('4111111111111111', '5555555555554444', '4012888888881881', '6011111111111117');

/** `text` with `marks` inserted after the characters at the given positions (1 .. length - 1). */
function insertAt(text: string, positions: readonly number[], marks: readonly string[]): string {
  const order = positions.map((p, k) => [p, marks[k]] as const).sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [p, m] of order) out = out.slice(0, p) + m + out.slice(p);
  return out;
}

describe('invisible characters: every range of the list, at both ends and inside, is removed from the view', () => {
  it('a card number with invisibles between its digits is found and masked whole', () => {
    fc.assert(
      fc.property(
        card,
        fc.array(fc.tuple(fc.integer({ min: 1, max: 15 }), invisible), { minLength: 1, maxLength: 4 }),
        (number, inserts) => {
          const hidden = insertAt(
            number,
            inserts.map(([p]) => p),
            inserts.map(([, m]) => m),
          );
          for (const s of cards.scanners)
            expect(s.scan(`card ${hidden} ok`).value, JSON.stringify(hidden)).toBe('card [REDACTED:payment-card] ok');
        },
      ),
      { numRuns: 120 },
    );
  });

  it('the view of a value holding one is the value without it, each character mapped to its own place', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9 .@-]{1,12}$/),
        invisible,
        fc.stringMatching(/^[a-z0-9 .@-]{1,12}$/),
        (a, x, b) => {
          const view = normalizeView(a + x + b);
          expect(view?.text).toBe(a + b);
          const from = [...view!.from];
          expect(from).toEqual([...a].map((_, k) => k).concat([...b].map((_, k) => a.length + x.length + k)));
        },
      ),
      { numRuns: 200 },
    );
  });
});

// NFKC maps the mathematical alphanumeric symbols (U+1D400-U+1D7FF) to ASCII letters and digits: `𝟒𝟏𝟏𝟏…` is a card
// number to a reader. They lie above the last invisible range but one, so the view must read them, not drop them.
const DIGIT_STYLES = [0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6]; // bold, double-struck, sans, sans bold, monospace
const LETTER_STYLES = [0x1d400, 0x1d5a0, 0x1d5d4, 0x1d670]; // bold, sans, sans bold, monospace (A-Z then a-z)

/** `text` with each ASCII letter and digit written in a mathematical style chosen by `styles[k]`. */
function mathematical(text: string, styles: readonly number[]): string {
  return [...text]
    .map((ch, k) => {
      const c = ch.charCodeAt(0);
      const pick = styles[k % styles.length];
      if (c >= 48 && c <= 57) return String.fromCodePoint(DIGIT_STYLES[pick % DIGIT_STYLES.length] + c - 48);
      if (c >= 65 && c <= 90) return String.fromCodePoint(LETTER_STYLES[pick % LETTER_STYLES.length] + c - 65);
      if (c >= 97 && c <= 122) return String.fromCodePoint(LETTER_STYLES[pick % LETTER_STYLES.length] + 26 + c - 97);
      return ch;
    })
    .join('');
}

describe('mathematical alphanumeric symbols (outside the Basic Multilingual Plane) read as ASCII', () => {
  const styles = fc.array(fc.nat({ max: 19 }), { minLength: 1, maxLength: 8 });

  it('a card number, an SSN and an address written in them are found and masked whole', () => {
    fc.assert(
      fc.property(card, styles, fc.stringMatching(/^[a-z]{3,8}$/), (number, pick, name) => {
        const shown = mathematical(number, pick);
        for (const s of cards.scanners)
          expect(s.scan(`card ${shown} ok`).value).toBe('card [REDACTED:payment-card] ok');
        ssns.found(`ssn ${mathematical('123-45-6789', pick)} ok`, mathematical('6789', pick), 'us-ssn');
        const address = mathematical(`${name}@example.com`, pick);
        for (const s of emails.scanners) expect(s.scan(`to ${address} ok`).value).toBe('to [REDACTED:email] ok');
      }),
      { numRuns: 60 },
    );
  });

  it('through real SDK providers with the default policy, the card number is not exported', () => {
    const pipeline = defaultPipeline();
    const shown = mathematical('4111111111111111', [0, 1, 2, 3, 4]);
    const json = pipeline.exported(`paid with ${shown}`);
    expect(json).not.toContain(shown);
    expect(json).toContain('paid with');
  });
});
