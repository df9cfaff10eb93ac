/**
 * Readings of values an application split across structures, for the attribute redactor's second scan: the string
 * values of a map in key order (`{ local: 'jane.doe@', domain: 'example.com' }`), the elements of a typed array as
 * character codes, bytes as UTF-16 text. Pure functions; the redactor scans what they return (the value scanner reads
 * byte lists that are no UTF-8 text with `codeUnitsText` too).
 */

/** Most string values of one map read into its joined text (a bigger map is joined in its first ones only). */
export const MAX_MAP_JOIN_VALUES = 64;

/** Fewest printable code units a typed array, byte list or UTF-16 byte run needs to be read as text. */
const MIN_TEXT_UNITS = 5;

/** Most code units read as text from one typed array or byte run (a longer one is read in its first ones). */
const MAX_TEXT_UNITS = 4096;

const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

const BLANK = /\s/;
const DIGIT = /\d/;

/** How many ASCII letters run from `at` in direction `step` (at most 3 counted). */
function lettersFrom(text: string, at: number, step: 1 | -1): number {
  let n = 0;
  for (let i = at; n < 3 && i >= 0 && i < text.length && isAsciiLetter(text.charCodeAt(i)); i += step) n++;
  return n;
}

/**
 * True when the word that ends `left` and the word that starts `right` (up to a blank) hold no digit. The last word of
 * `left` is found by reading back from its end (`/\S+$/` reads from every start of a long word to its end: quadratic,
 * 4 096 letters took 68 ms per map).
 */
function wordsWithoutDigits(left: string, right: string): boolean {
  let l = left.length;
  while (l > 0 && !BLANK.test(left[l - 1]!)) l--;
  const r = right.search(/\s/);
  return !DIGIT.test(l === left.length ? left : left.slice(l)) && !DIGIT.test(r === -1 ? right : right.slice(0, r));
}

/**
 * The separators a map's string values are joined with, one per junction (`seps[i]` after `texts[i]`). `' '`: a space
 * at every one. `''`: nothing, except a space where two words without digits meet letter to letter and one of the values
 * has a blank in it (a value with words is text: gluing two sentences makes `consent=rejectedUser …` a labeled
 * secret; the pieces of a spaced identifier meet at a digit, `G` | `B82 WEST …`, or are put together by the space
 * join). `undefined`: as `''`, and also a space where a word of three or more letters meets a digit
 * (`1` | `23-45-6789` | `checkout` → `123-45-6789 checkout`: an identifier glued to a word is no identifier to the
 * detectors; `GB` | `82 WEST …` stays glued, an IBAN's country); `undefined` when that is the `''` join.
 */
export function junctionSeparators(texts: readonly string[], sep: string | undefined): string[] | undefined {
  const out: string[] = [];
  let spaced = false;
  let blankBefore = BLANK.test(texts[0]!);
  for (let i = 1; i < texts.length; i++) {
    const blank = BLANK.test(texts[i]!);
    const a = texts[i - 1]!.charCodeAt(texts[i - 1]!.length - 1);
    const b = texts[i]!.charCodeAt(0);
    if (sep === ' ') out.push(' ');
    else if (
      (blankBefore || blank) &&
      isAsciiLetter(a) &&
      isAsciiLetter(b) &&
      wordsWithoutDigits(texts[i - 1]!, texts[i]!)
    )
      out.push(' ');
    else if (sep === '') out.push('');
    else {
      const space =
        (isDigit(a) && isAsciiLetter(b) && lettersFrom(texts[i]!, 0, 1) >= 3) ||
        (isAsciiLetter(a) && isDigit(b) && lettersFrom(texts[i - 1]!, texts[i - 1]!.length - 1, -1) >= 3);
      if (space) spaced = true;
      out.push(space ? ' ' : '');
    }
    blankBefore = blank;
  }
  return sep === undefined && !spaced ? undefined : out;
}

/** `texts` joined with `seps` (`seps[i]` after `texts[i]`). */
export function joinWith(texts: readonly string[], seps: readonly string[]): string {
  let out = texts[0] ?? '';
  for (let i = 1; i < texts.length; i++) out += seps[i - 1]! + texts[i]!;
  return out;
}

/**
 * Where a rewrite of `joined` (texts joined with `seps`) changed it: the first and last index of the texts whose
 * characters (or the separator after them) lie in the changed region, found from the longest common prefix and
 * suffix of `joined` and `out`, and the rewritten text of those entries (`out` without the unchanged text before and
 * after them).
 */
export function changedEntries(
  texts: readonly string[],
  seps: readonly string[],
  joined: string,
  out: string,
): { lo: number; hi: number; text: string } {
  let p = 0;
  const limit = Math.min(joined.length, out.length);
  while (p < limit && joined.charCodeAt(p) === out.charCodeAt(p)) p++;
  let s = 0;
  while (s < limit - p && joined.charCodeAt(joined.length - 1 - s) === out.charCodeAt(out.length - 1 - s)) s++;
  const regionEnd = joined.length - s;
  let lo = -1;
  let hi = -1;
  let start = 0;
  let loStart = 0;
  let hiEnd = 0;
  for (let i = 0; i < texts.length; i++) {
    const end = start + texts[i]!.length + (i < texts.length - 1 ? seps[i]!.length : 0);
    if (lo === -1 && end > p) {
      lo = i;
      loStart = start;
    }
    if (start < Math.max(regionEnd, p + 1)) {
      hi = i;
      hiEnd = start + texts[i]!.length;
    }
    start = end;
  }
  if (lo === -1) {
    lo = hi = texts.length - 1;
    loStart = joined.length - texts[lo]!.length;
    hiEnd = joined.length;
  }
  if (hi < lo) {
    hi = lo;
    hiEnd = loStart + texts[lo]!.length;
  }
  const from = Math.min(loStart, p);
  const to = Math.max(hiEnd, regionEnd);
  return { lo, hi, text: out.slice(from, out.length - (joined.length - to)) };
}

/**
 * Numbers as the text they spell as character codes, when at least `MIN_TEXT_UNITS` of them are printable code units
 * (`isPrintableUnit`); else `undefined`. Every other element reads as a line break, so
 * that one element that is no character (a terminating `0`, a leading `1`, `-1`, a lone surrogate) cannot hide the
 * text around it, and numbers out of range between small ones are no run of digits. Read this way: the elements of a
 * typed array other than bytes (`Uint16Array`, `Int32Array`, `Float64Array`, `BigInt64Array`, …), the code units of
 * UTF-16 bytes, and those of a decimal or hex byte list in a string that is no UTF-8 text (`106,97,110,101,…,0`; an
 * array of numbers is scanned as such a list, its elements joined with a space). At most `max` elements are read (a byte list's run is bounded by the scanner).
 */
export function codeUnitsText(units: ArrayLike<number | bigint>, max = MAX_TEXT_UNITS): string | undefined {
  const n = Math.min(units.length, max);
  if (typeof units.length !== 'number' || n < MIN_TEXT_UNITS) return undefined;
  let text = '';
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = Number(units[i]);
    if (isPrintableUnit(c)) {
      text += String.fromCharCode(c);
      printable++;
    } else text += '\n';
  }
  return printable < MIN_TEXT_UNITS ? undefined : text;
}

/**
 * Bytes as UTF-16 text (little or big endian by where the zero bytes are), when they read as mostly Latin text that
 * way: an even number of at least `2 × MIN_TEXT_UNITS` bytes and nine in ten of the high bytes zero; the code units are
 * read as `codeUnitsText` reads them (one that is no character a line break). `undefined` otherwise (UTF-8 text, binary
 * data).
 */
export function utf16Text(bytes: Uint8Array): string | undefined {
  const n = Math.min(bytes.length, 2 * MAX_TEXT_UNITS) & ~1;
  if (n < 2 * MIN_TEXT_UNITS) return undefined;
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const units = new Uint16Array(n / 2);
  const little = zeroOdd * 10 >= units.length * 9;
  if (!little && zeroEven * 10 < units.length * 9) return undefined;
  for (let i = 0; i < n; i += 2)
    units[i / 2] = little ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
  return codeUnitsText(units);
}

/**
 * A printable code unit: tab, line breaks and U+0020 and above, but not DEL and the C1 controls (U+007F-U+009F),
 * surrogates or the non-characters U+FFFE and U+FFFF.
 */
function isPrintableUnit(c: number): boolean {
  return (
    Number.isInteger(c) &&
    (c === 9 ||
      c === 10 ||
      c === 13 ||
      (c >= 0x20 && c < 0x7f) ||
      (c > 0x9f && c < 0xd800) ||
      (c > 0xdfff && c < 0xfffe))
  );
}
