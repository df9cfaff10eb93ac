import { describe, expect, it } from 'vitest';
import { normalizeView } from '../../../../engine/detectors/normalizer';

// The normalized view's Unicode step (docs/detectors.md "Normalized views"), checked for EVERY code point against a
// reference written from the documentation and Unicode's own properties rather than from the normalizer's tables:
//
// - blanks NFKC leaves alone (White_Space, and the braille blank U+2800) read as a space; vertical tab and form feed
//   too, tab and line breaks stay;
// - invisible characters (Default_Ignorable_Code_Point) are removed (or written as a space in the second reading);
// - the other ASCII control characters (C0 but tab, LF, CR; DEL) are removed;
// - the dashes and minus signs of the documented list read `-`, the IDNA full stops and the middle dots and bullets
//   read `.`;
// - everything else reads as its NFKC form; a character NFKC leaves alone is removed when it is a combining mark
//   (Mn, Me), read as its digit when it is a decimal digit of another script (the value from the CLDR numbering
//   systems, `Intl.NumberFormat`), and kept otherwise;
// - when that produced non-ASCII text the step runs once more on its output.
//
// Each character of the view must map back to the code point it came from.

const WHITE_SPACE = /^\p{White_Space}$/u;
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const COMBINING = /^[\p{Mn}\p{Me}]$/u;
const DIGIT = /^\p{Nd}$/u;

/** Dashes and minus signs NFKC leaves alone (or maps to another dash), as documented: figure to horizontal bar, … */
const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0x2e3a]);
/** IDNA full stops (UTS #46) and the documented middle dots and bullets. */
const DOTS = new Set([
  0x3002, 0xff0e, 0xff61, 0xb7, 0x387, 0x2022, 0x2027, 0x2219, 0x22c5, 0x30fb, 0xff65, 0x2e31, 0x25cf,
]);

/** Decimal digits of every numbering system CLDR knows, from `Intl.NumberFormat` (not from Unicode's layout). */
const DIGIT_VALUE = (() => {
  const map = new Map<number, number>();
  for (const system of Intl.supportedValuesOf('numberingSystem')) {
    const format = new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false });
    if (format.resolvedOptions().numberingSystem !== system) continue;
    for (let d = 0; d < 10; d++) {
      const out = [...format.format(d)];
      if (out.length === 1 && DIGIT.test(out[0])) map.set(out[0].codePointAt(0)!, d);
    }
  }
  return map;
})();

/** What one code point reads as in one pass of the Unicode step. */
function reference(cp: number, invisible: string): string {
  const ch = String.fromCodePoint(cp);
  if (cp < 128) {
    if (cp === 9 || cp === 10 || cp === 13) return ch;
    if (cp === 11 || cp === 12) return ' ';
    return cp < 32 || cp === 127 ? '' : ch;
  }
  const nfkc = ch.normalize('NFKC');
  if ((WHITE_SPACE.test(ch) && nfkc === ch) || cp === 0x2800) return ' ';
  if (IGNORABLE.test(ch)) return invisible;
  if (DASHES.has(cp)) return '-';
  if (DOTS.has(cp)) return '.';
  // The Combining Diacritical Marks block is removed as a whole (a few of its marks NFKC maps to others of it).
  if (cp >= 0x300 && cp <= 0x36f) return '';
  if (nfkc !== ch) return nfkc;
  if (COMBINING.test(ch)) return '';
  const digit = DIGIT_VALUE.get(cp);
  return digit === undefined ? ch : String(digit);
}

/** One pass over a text, code point by code point. */
function referencePass(text: string, invisible: string): string {
  let out = '';
  for (const ch of text) out += reference(ch.codePointAt(0)!, invisible);
  return out;
}

/** The whole Unicode step of a text made only of characters that no decoding round changes (no `%`, `\`, `&`, `+`). */
function referenceView(text: string, invisible: string): string {
  const once = referencePass(text, invisible);
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(once) ? referencePass(once, invisible) : once;
}

/**
 * Code points that are not lone surrogates, in blocks of 512, each between two spaces. Not a backslash (U+005C and
 * what NFKC folds to it): before the blank after it, it is an escaped blank (`\ `, a decoding round's form).
 */
function* blocks(from: number, to: number): Generator<number[]> {
  for (let lo = from; lo < to; lo += 512) {
    const block: number[] = [];
    for (let cp = lo; cp < Math.min(lo + 512, to); cp++)
      if ((cp < 0xd800 || cp > 0xdfff) && !readsAsBackslash(cp)) block.push(cp);
    yield block;
  }
}

/** Whether `cp` is a backslash or NFKC folds it to one (fullwidth `＼`, small `﹨`). */
function readsAsBackslash(cp: number): boolean {
  return (
    cp === 0x5c ||
    (cp > 127 && cp < 0x110000 && (cp < 0xd800 || cp > 0xdfff) && String.fromCodePoint(cp).normalize('NFKC') === '\\')
  );
}

/** The view of ` c1 c2 c3 … ` against the reference, with each character's mapping; the code points that differ. */
function mismatches(block: readonly number[], invisible: string): string[] {
  const bad: string[] = [];
  const text = ` ${block.map((cp) => String.fromCodePoint(cp)).join(' ')} `;
  const view = normalizeView(text, false, invisible);
  const expected = referenceView(text, invisible);
  if ((view?.text ?? text) === expected && view !== undefined) {
    // Every output character maps into the code point (or the space) it came from.
    let pos = 1;
    let k = 1;
    for (const cp of block) {
      const len = cp > 0xffff ? 2 : 1;
      const out = referenceView(String.fromCodePoint(cp), invisible);
      // A character kept as it is maps code unit by code unit; one the step wrote maps whole.
      const kept = out === String.fromCodePoint(cp);
      for (let j = 0; j < out.length; j++, k++)
        if (view.from[k] !== (kept ? pos + j : pos) || view.to[k] !== (kept ? pos + j + 1 : pos + len))
          bad.push(`U+${cp.toString(16)} maps wrong`);
      if (view.from[k] !== pos + len || view.to[k] !== pos + len + 1) bad.push(`space after U+${cp.toString(16)}`);
      k++;
      pos += len + 1;
    }
    return bad;
  }
  if ((view?.text ?? text) === expected) return bad;
  for (const cp of block) {
    const one = ` ${String.fromCodePoint(cp)} `;
    const got = normalizeView(one, false, invisible)?.text ?? one;
    const want = referenceView(one, invisible);
    if (got !== want) bad.push(`U+${cp.toString(16)}: ${JSON.stringify(got)} not ${JSON.stringify(want)}`);
  }
  return bad.length > 0 ? bad : [`block from U+${block[0].toString(16)}: the whole view differs`];
}

describe('the Unicode step, every code point against a reference from Unicode properties and the documented lists', () => {
  // The Basic Multilingual Plane, the Supplementary Multilingual Plane (mathematical alphanumerics, the shorthand
  // and musical format controls), the tag plane and the first code points after it.
  const planes: readonly (readonly [number, number])[] = [
    [0, 0x10000],
    [0x10000, 0x20000],
    [0xe0000, 0xe1200],
    [0xf0000, 0xf0200],
    [0x10fe00, 0x110000],
  ];

  for (const invisible of ['', ' ']) {
    it(`each reads as documented and maps home (invisible characters written as ${JSON.stringify(invisible)})`, () => {
      const bad: string[] = [];
      for (const [from, to] of planes) for (const block of blocks(from, to)) bad.push(...mismatches(block, invisible));
      expect(bad.slice(0, 40)).toEqual([]);
    });
  }

  it('every invisible character between two letters is one the view says it removed', () => {
    const bad: string[] = [];
    for (const [from, to] of planes)
      for (let cp = from; cp < to; cp++) {
        if (!IGNORABLE.test(String.fromCodePoint(cp))) continue;
        const view = normalizeView(`a${String.fromCodePoint(cp)}b`);
        if (view?.text !== 'ab' || view.invisibles !== true) bad.push(`U+${cp.toString(16)}`);
      }
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it('a view that removed an invisible next to printable ASCII or a fullwidth form says so, next to anything else not', () => {
    const bad: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const stands = (c > 32 && c < 127) || (c >= 0xff01 && c <= 0xff5e);
      for (const text of [`${ch}\u200b`, `\u200b${ch}`]) {
        const view = normalizeView(text);
        if ((view?.invisibles === true) !== stands) bad.push(`U+${c.toString(16)} ${JSON.stringify(text)}`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});
