/**
 * Normalized views of a value for the value scanner: the same text as a reader (or a decoder
 * downstream) would see it, with every character of the view mapped back to the range of the
 * original it came from, so findings in the view are masked in the original.
 *
 * One view undoes representation tricks, in this order:
 * 1. Unicode compatibility forms and invisibles: NFKC per code point (`＠` → `@`, `１` → `1`, NBSP and
 *    the other spaces → ` `), dashes and minus signs → `-`, the full stops IDNA treats as dots (`。` `．` `｡`)
 *    → `.`, zero-width, bidi-control, soft-hyphen,
 *    variation-selector and tag characters removed.
 * 2. Up to `MAX_DECODE_ROUNDS` rounds, until nothing changes: percent-decoding (`%40`, `%2540`,
 *    UTF-8 sequences), JSON/JS escapes (`\u0040`, `\u{40}`, `\x40`, `\/`) and HTML character
 *    references (`&#64;`, `&#x40;`, `&commat;`, `&amp;`, …), and the forms of `encoded-forms.ts`:
 *    quoted-printable (`=40`, soft line breaks), octal and CSS escapes (`\100`, `\40 `), `%u0040`, UTF-7
 *    (`+AEA-`); then step 1 again when a round produced non-ASCII text or a control character (`%01`).
 *
 * Base64 and base64url runs of at least `MIN_BASE64_RUN` characters (also wrapped across lines), hex runs
 * of at least `MIN_HEX_RUN` digits and base32 runs are found separately (`base64Runs`, `hexRuns`) and
 * decoded (`decodeBase64Text`, `decodeHexText`, `decodeBase32Text`) when they decode to readable text.
 *
 * Whether a value needs any of this is decided in the scanner's single pass over the value (`classify` in
 * `prefilter.ts`, which also picks the candidate detectors), with the helpers exported here: the view only when a
 * character the view changes is there (non-ASCII, a control character, `%XX`, `\…`, `&…;`), the runs alone (no
 * view) only when a base64, base32 or hex run of the right length and letter mix starts with bytes the decoder
 * would accept as text (`runMayDecode`, `hexMayDecode`): browser user agents (`AppleWebKit/537`), camelCase names
 * with digits, UUIDs and numbers pay nothing beyond that pass.
 */

import {
  compressedStart,
  cssEscapeAt,
  defangAt,
  hexByteEscapesAt,
  octalEscapesAt,
  percentUAt,
  quotedPrintableAt,
  utf7At,
  utf8TextByte,
} from './encoded-forms';
import { codeAt, isAlnum } from './chars';

/** Characters a backslash escapes needlessly in shells, Lucene query strings and Markdown: ` : _ + ( ) [ ] { } ! ^ ~ * ? # =`. */
const NEEDLESS = new Set([32, 58, 95, 43, 40, 41, 91, 93, 123, 125, 33, 94, 126, 42, 63, 35, 61]);

/** A normalized view: `text` and, for each of its code units, the original range it came from. */
export interface NormalizedView {
  /** The normalized text. */
  readonly text: string;
  /** `from[k]`: index in the original of the first code unit that produced `text[k]`. */
  readonly from: Int32Array;
  /** `to[k]`: index in the original one past the last code unit that produced `text[k]`. */
  readonly to: Int32Array;
  /** True when the view removed an invisible character (zero-width space, word joiner, BOM, Hangul filler, …). */
  readonly invisibles?: boolean;
}

/**
 * Most percent/escape/entity decoding rounds (`%252540` needs three; a lone quoted-printable triplet between two other
 * escapes waits one round for its neighbours, so three nested layers of mixed escapes can need six).
 */
export const MAX_DECODE_ROUNDS = 8;

/**
 * Shortest base64/base64url run that is decoded and scanned: 12 characters (9 bytes) with upper case
 * letters and lower case letters or digits (base64 of `111-22-3333` is `MTExLTIyLTMzMzM=`).
 */
export const MIN_BASE64_RUN = 12;

/** Shortest base64 run decoded when `=` padding follows it (`OC44LjguOA==` is `8.8.8.8`). */
export const MIN_PADDED_BASE64_RUN = 8;

/** Shortest hex run decoded and scanned: 12 hex digits (6 bytes; `a@b.co` and `1.2.3.4` are longer). */
export const MIN_HEX_RUN = 12;

/** Shortest base32 run decoded and scanned (10 characters: 6 bytes). */
export const MIN_BASE32_RUN = 10;

/** Shortest base64 line continued across a line break (MIME wraps at 76 columns, PEM at 64). */
export const MIN_WRAPPED_LINE = 40;

/** Longest base64 run decoded (longer runs are not text a person wrote; the rest of the value is still scanned). */
export const MAX_BASE64_RUN = 64 * 1024;

/** Invisible code points removed from the view: zero-width, bidi controls, soft hyphen, joiners, BOM, … */
function isInvisible(cp: number): boolean {
  return (
    cp === 0xad ||
    cp === 0x34f ||
    cp === 0x61c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x180e ||
    (cp >= 0x180b && cp <= 0x180f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0xfff0 && cp <= 0xfff8) ||
    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0000 && cp <= 0xe0fff)
  );
}

/** ASCII control characters removed from the view (NUL and the other C0 controls but tab, LF and CR; DEL). */
export function isControl(c: number): boolean {
  return c < 32 ? c !== 9 && c !== 10 && c !== 13 : c === 127;
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * The value of a decimal digit of another script that NFKC leaves alone (Arabic-Indic `٤`, Devanagari `४`, Thai
 * `๔`, …), or -1. Unicode lays every script's digits out as runs of ten from zero, so the value is the distance
 * from the start of the run modulo 10. Only reached for non-ASCII characters NFKC did not change.
 */
function otherScriptDigit(cp: number, ch: string): number {
  if (!DECIMAL_DIGIT.test(ch)) return -1;
  let start = cp;
  for (let k = 0; k < 60 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1)); k++) start--;
  return (cp - start) % 10;
}

/** Dashes and minus signs NFKC leaves alone, written as `-` in the view. */
function isDash(cp: number): boolean {
  return (cp >= 0x2010 && cp <= 0x2015) || cp === 0x2212 || cp === 0xfe58 || cp === 0xfe63 || cp === 0x2e3a;
}

/**
 * Full stops IDNA reads as the label separator `.` (UTS #46): ideographic `。` (U+3002), fullwidth `．`
 * (U+FF0E), halfwidth ideographic `｡` (U+FF61); NFKC leaves the first alone and maps the last to it.
 */
function isFullStop(cp: number): boolean {
  return cp === 0x3002 || cp === 0xff0e || cp === 0xff61;
}

/**
 * Middle dots and bullets people group digits with (`4111·1111`, `GB82•WEST`): `·` (and the Greek ano teleia NFKC
 * maps to it), `•`, `‧`, `∙`, `⋅`, `・` (and halfwidth `･`), `⸱`, `●`; written as `.` in the view.
 */
function isMiddleDot(cp: number): boolean {
  return (
    cp === 0xb7 ||
    cp === 0x387 ||
    cp === 0x2022 ||
    cp === 0x2027 ||
    cp === 0x2219 ||
    cp === 0x22c5 ||
    cp === 0x30fb ||
    cp === 0xff65 ||
    cp === 0x2e31 ||
    cp === 0x25cf
  );
}

/**
 * Blanks NFKC leaves alone that read as a space: the braille pattern blank (U+2800), the ogham space mark (U+1680),
 * the line and paragraph separators (U+2028, U+2029), next line (U+0085), vertical tab and form feed
 * (`Authorization: Bearer\u2028…` read `Bearer…` glued or not at all).
 */
function isOtherBlank(cp: number): boolean {
  return cp === 0x2800 || cp === 0x1680 || cp === 0x2028 || cp === 0x2029 || cp === 0x85 || cp === 11 || cp === 12;
}

/** Combining marks (nonspacing and enclosing, `\p{Mn}` `\p{Me}`), removed from the view: `4\u03011` reads `41`. */
const COMBINING_MARK = /^[\p{Mn}\p{Me}]+$/u;

export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

function isBase64Char(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 43 ||
    c === 47 ||
    c === 45 ||
    c === 95
  );
}

/** Set in the pre-filter's result (`classify`) when the value needs a normalized view (and its runs decoded). */
export const NEEDS_VIEW = 1 << 30;

/**
 * Set in the pre-filter's result (`classify`) when the value's view is the value itself (clean ASCII) but it holds a
 * base64, base32 or hex run that may decode to text: only the runs are decoded, no view is built.
 */
export const NEEDS_RUNS = 1 << 29;

/**
 * Set in the pre-filter's result (`classify`) when the value may hold quoted-printable (`=40`, soft line breaks):
 * a second view that also decodes it is scanned (`normalizeView(text, true)`). Apart from the first view because
 * `key=4111…` would read `keyA11…` there.
 */
export const NEEDS_QP = 1 << 28;

/** The normalization flags of the pre-filter's result. */
export const PREPASS_FLAGS = NEEDS_VIEW | NEEDS_RUNS | NEEDS_QP;

/**
 * Whether the hex run `text[start, end)` is one `hexRuns` returns: its first six bytes, from its first digit or
 * (odd length) its second, are printable text.
 */
export function hexMayDecode(text: string, start: number, end: number): boolean {
  return hexTextAt(text, start) || ((end - start) % 2 === 1 && end - start > MIN_HEX_RUN && hexTextAt(text, start + 1));
}

/**
 * Whether the base64 run `text[start, end)` (with the letter mix `looksBase64` wants) may decode to text: the
 * decoder (`decodeBase64Text`, `decodeBase32Text`, whole or per `/` segment) would refuse it otherwise. Reads
 * the first bytes it decodes to (six for base64 from eight characters, six for base32 from ten) and refuses
 * non-text bytes and malformed UTF-8, exactly as the decoder would; a run wrapped across lines is always
 * decoded. No allocation.
 */
export function runMayDecode(text: string, start: number, end: number): boolean {
  const line = end - start;
  if (line >= MIN_WRAPPED_LINE && line % 4 === 0) {
    let next = end;
    if (text.charCodeAt(next) === 13) next++;
    if (text.charCodeAt(next) === 10) return true;
  }
  if (segmentMayDecode(text, start, end)) return true;
  // gzip or zlib data (decompressed), reversed base64 (its last eight characters read backwards start text).
  if (compressedStart(text, start) || (end - start >= MIN_BASE64_RUN && reversedTextStart(text, end))) return true;
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 47) continue;
    // A `/` segment of `MIN_BASE64_RUN` or more characters (padding included) is decoded on its own.
    if (from > start || i < end) {
      let stop = i;
      if (i === end) while (stop < text.length && stop - end < 2 && text.charCodeAt(stop) === 61) stop++;
      if (stop - from >= MIN_BASE64_RUN && segmentMayDecode(text, from, i)) return true;
    }
    from = i + 1;
  }
  return false;
}

/** Whether `text[start, end)` may decode to text as base64 or as base32. */
function segmentMayDecode(text: string, start: number, end: number): boolean {
  if (end - start >= 8 && base64TextStart(text, start)) return true;
  if (end - start < MIN_BASE32_RUN) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 50 && c <= 55))) return false;
  }
  return base32TextStart(text, start);
}

/** The six bytes of the eight base64 characters at `start` are text (see `textBytes`). */
function base64TextStart(text: string, start: number): boolean {
  const a = (base64Value(text.charCodeAt(start)) << 18) | (base64Value(text.charCodeAt(start + 1)) << 12);
  const b = (base64Value(text.charCodeAt(start + 2)) << 6) | base64Value(text.charCodeAt(start + 3));
  const c = (base64Value(text.charCodeAt(start + 4)) << 18) | (base64Value(text.charCodeAt(start + 5)) << 12);
  const d = (base64Value(text.charCodeAt(start + 6)) << 6) | base64Value(text.charCodeAt(start + 7));
  return textBytes(a | b, c | d);
}

/** The six bytes of the eight base64 characters before `end`, read backwards (reversed base64), are text. */
function reversedTextStart(text: string, end: number): boolean {
  const v = (k: number) => base64Value(text.charCodeAt(end - 1 - k));
  const a = (v(0) << 18) | (v(1) << 12) | (v(2) << 6) | v(3);
  const b = (v(4) << 18) | (v(5) << 12) | (v(6) << 6) | v(7);
  return a >= 0 && b >= 0 && textBytes(a, b);
}

/** The six bytes of the ten base32 characters at `start` are text (see `textBytes`). */
function base32TextStart(text: string, start: number): boolean {
  let hi = 0;
  for (let k = 0; k < 5; k++) {
    const c = text.charCodeAt(start + k);
    hi = hi * 32 + (c >= 65 ? c - 65 : c - 24);
  }
  let lo = 0;
  for (let k = 5; k < 10; k++) {
    const c = text.charCodeAt(start + k);
    lo = lo * 32 + (c >= 65 ? c - 65 : c - 24);
  }
  // 50 bits: the first 48 are the six bytes; hi holds bits 49..25, lo bits 24..0.
  const bytes = hi * 33554432 + lo; // hi << 25 | lo, exact in a double
  const top = Math.floor(bytes / 4); // drop the two trailing bits: 48 bits
  return textBytes(Math.floor(top / 16777216), top % 16777216);
}

/**
 * Whether six bytes (two 24-bit groups) could start text `readableText` accepts: tab, line breaks, printable
 * ASCII and well-formed UTF-8 sequences (one cut off at the end counts as well-formed).
 */
function textBytes(first: number, second: number): boolean {
  return utf8TextBytes(first, second) || utf16TextBytes(first, second);
}

/** The UTF-8 half of `textBytes`. */
function utf8TextBytes(first: number, second: number): boolean {
  let need = 0;
  for (let k = 0; k < 6; k++) {
    const group = k < 3 ? first : second;
    if ((need = utf8TextByte((group >> (16 - 8 * (k % 3))) & 0xff, need)) < 0) return false;
  }
  return true;
}

/** A UTF-16 code unit's low byte that text starts with: tab, line breaks, printable ASCII or Latin-1 letters (`é`). */
function utf16LowText(b: number): boolean {
  return b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || (b >= 0xc0 && b !== 0xd7 && b !== 0xf7);
}

/**
 * Whether six bytes (two 24-bit groups) could start UTF-16 text (`Buffer.from(text, 'utf16le')`, what Windows and
 * .NET APIs write): three code units, little or big endian (a byte order mark first counts as one), each a Latin-1
 * text character (zero high byte: tab, line breaks, printable ASCII, Latin-1 letters), one of them ASCII.
 */
function utf16TextBytes(first: number, second: number): boolean {
  const b0 = first >> 16;
  const b1 = (first >> 8) & 0xff;
  const b2 = first & 0xff;
  const b3 = second >> 16;
  const b4 = (second >> 8) & 0xff;
  const b5 = second & 0xff;
  return utf16LatinBytes(b0, b1, b2, b3, b4, b5) || utf16ScriptBytes(b0, b1, b2, b3, b4, b5);
}

/** The Latin-1 half of `utf16TextBytes`: three code units with a zero high byte (or a byte order mark first). */
function utf16LatinBytes(b0: number, b1: number, b2: number, b3: number, b4: number, b5: number): boolean {
  const bomLe = b0 === 0xff && b1 === 0xfe;
  const bomBe = b0 === 0xfe && b1 === 0xff;
  // At least one of the units is ASCII (`00ff00ff…` is binary, not `ÿÿÿ`).
  return (
    ((bomLe || utf16Unit(b0, b1)) &&
      utf16Unit(b2, b3) &&
      utf16Unit(b4, b5) &&
      (b2 < 0x80 || b4 < 0x80 || (!bomLe && b0 < 0x80))) ||
    ((bomBe || utf16Unit(b1, b0)) &&
      utf16Unit(b3, b2) &&
      utf16Unit(b5, b4) &&
      (b3 < 0x80 || b5 < 0x80 || (!bomBe && b1 < 0x80)))
  );
}

/**
 * A UTF-16 code unit of text in another script: U+0100-U+DFFF (Latin Extended, IPA and the alphabets up to U+1FFF,
 * punctuation and symbols, Glagolitic to the CJK radicals, CJK, kana, Yi, Hangul, surrogates (emoji)) and the
 * fullwidth forms (U+FF00-U+FFEF).
 */
function scriptUnit(u: number): boolean {
  return (u >= 0x100 && u < 0xe000) || (u >= 0xff00 && u < 0xfff0);
}

/**
 * A UTF-16 code unit of text: Latin-1 text (`utf16LowText` with a zero high byte), `scriptUnit`, or the byte order
 * mark (Windows writes one before UTF-16 text).
 */
function textUnit(u: number): boolean {
  return u < 0x100 ? utf16LowText(u) : scriptUnit(u) || u === 0xfeff;
}

/**
 * Whether three code units start UTF-16 text in another script (`Клиент`, `客户 jane@…`, `😀 …`): all text units,
 * the first a byte order mark, one of them printable ASCII or two of them in one alphabet (same high byte, U+0300-U+1FFF or kana). Random bytes
 * pass about once in 110 (either byte order; 2 000 000 random six-byte starts).
 */
function scriptUnits(u0: number, u1: number, u2: number): boolean {
  if (!textUnit(u0) || !textUnit(u1) || !textUnit(u2)) return false;
  // A byte order mark before two text units is UTF-16 (random bytes start `FF FE` once in 65 536).
  if (u0 === 0xfeff || (u0 >= 32 && u0 < 127) || (u1 >= 32 && u1 < 127) || (u2 >= 32 && u2 < 127)) return true;
  const h0 = u0 >> 8;
  const h1 = u1 >> 8;
  const h2 = u2 >> 8;
  const alphabet = (h: number) => (h >= 3 && h < 0x20) || h === 0x30;
  return (h0 === h1 && alphabet(h0)) || (h1 === h2 && alphabet(h1)) || (h0 === h2 && alphabet(h0));
}

/** The script half of `utf16TextBytes`: three units of `scriptUnits`, little or big endian. */
function utf16ScriptBytes(b0: number, b1: number, b2: number, b3: number, b4: number, b5: number): boolean {
  return (
    scriptUnits((b1 << 8) | b0, (b3 << 8) | b2, (b5 << 8) | b4) ||
    scriptUnits((b0 << 8) | b1, (b2 << 8) | b3, (b4 << 8) | b5)
  );
}

/**
 * Script UTF-16 text of `bytes` (see `utf16ScriptBytes`): the byte order with more Latin-1 units (ASCII in the other
 * order is a unit with a zero low byte, which is a text unit too), else the one with more text units (little endian
 * first), when at least nine in ten of its units are text units; else undefined.
 */
function scriptUtf16(bytes: Uint8Array): string | undefined {
  const end = bytes.length - (bytes.length % 2);
  let le = 0;
  let be = 0;
  let leLatin = 0;
  let beLatin = 0;
  for (let k = 0; k < end; k += 2) {
    if (textUnit(bytes[k] | (bytes[k + 1] << 8))) {
      le++;
      if (bytes[k + 1] === 0) leLatin++;
    }
    if (textUnit((bytes[k] << 8) | bytes[k + 1])) {
      be++;
      if (bytes[k] === 0) beLatin++;
    }
  }
  const units = end >> 1;
  const bigEndian = beLatin !== leLatin ? beLatin > leLatin : be > le;
  if ((bigEndian ? be : le) * 10 < units * 9) return undefined;
  return (bigEndian ? utf16be : utf16le).decode(bytes.subarray(0, end));
}

/** One UTF-16 code unit (`low`, `high`) of Latin-1 text: tab, line breaks, printable ASCII or Latin-1 letters. */
function utf16Unit(low: number, high: number): boolean {
  return high === 0 && utf16LowText(low);
}

/**
 * The text of decoded bytes: UTF-16 (little endian, or big endian after a byte order mark or with the zero bytes
 * first) when its first six bytes start UTF-16 text (`utf16TextBytes`, which the scanner's pre-pass also checks) and
 * at least nine in ten code units have a zero high byte, else UTF-8.
 */
function bytesToText(bytes: Uint8Array): string {
  const n = bytes.length;
  const first = n >= 6 ? (bytes[0] << 16) | (bytes[1] << 8) | bytes[2] : 0;
  const second = n >= 6 ? (bytes[3] << 16) | (bytes[4] << 8) | bytes[5] : 0;
  if (n >= 6 && !utf16LatinBytes(bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5])) {
    // UTF-16 in another script, only when the bytes do not start UTF-8 text.
    if (!utf8TextBytes(first, second) && utf16ScriptBytes(bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5])) {
      const text = scriptUtf16(bytes);
      if (text !== undefined) return text;
    }
  } else if (n >= 6) {
    const bomLe = bytes[0] === 0xff && bytes[1] === 0xfe;
    const bomBe = bytes[0] === 0xfe && bytes[1] === 0xff;
    const from = bomLe || bomBe ? 2 : 0;
    let le = 0;
    let be = 0;
    for (let k = from; k + 1 < n; k += 2) {
      if (bytes[k + 1] === 0 && bytes[k] !== 0) le++;
      else if (bytes[k] === 0 && bytes[k + 1] !== 0) be++;
    }
    const units = (n - from) >> 1;
    const bigEndian = bomBe || (!bomLe && be > le);
    if ((bigEndian ? be : le) * 10 >= units * 9)
      return (bigEndian ? utf16be : utf16le).decode(bytes.subarray(from, n - ((n - from) % 2)));
  }
  return utf8.decode(bytes);
}

const utf16le = new TextDecoder('utf-16le', { fatal: false, ignoreBOM: true });
const utf16be = new TextDecoder('utf-16be', { fatal: false, ignoreBOM: true });

/**
 * Whether a run of base64 characters has the letter mix of encoded text rather than of an
 * identifier: upper case letters, and two or more digits or at least one upper case letter in five
 * (`am9obkBleGFtcGxlLmNvbQ`, `MTExLTIyLTMzMzM`; not `handleOrdersForUser`, `/api/v1/Users/Get`).
 */
export function looksBase64(run: number, upper: number, digits: number, padded = false): boolean {
  return upper > 0 && (upper < run || run >= MIN_UPPER_RUN || padded) && (digits >= 2 || upper * 5 >= run);
}

/**
 * Shortest run of upper-case letters only read as base32 (base32 of text with no digit in it); shorter ones
 * only before `=` padding.
 */
const MIN_UPPER_RUN = 16;

/** Named HTML character references worth decoding (the ones that spell identifiers). */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  commat: '@',
  period: '.',
  plus: '+',
  minus: '-',
  dash: '-',
  hyphen: '-',
  colon: ':',
  semi: ';',
  sol: '/',
  bsol: '\\',
  equals: '=',
  num: '#',
  percnt: '%',
  lpar: '(',
  rpar: ')',
  comma: ',',
  lowbar: '_',
  excl: '!',
  quest: '?',
  dollar: '$',
  ast: '*',
  tilde: '~',
};

/** The decoded text and length of an HTML character reference at `i` (`&…;`), or undefined. */
export function entityAt(text: string, i: number): { value: string; length: number } | undefined {
  const n = text.length;
  if (i + 3 >= n) return undefined;
  if (text.charCodeAt(i + 1) === 35) {
    // &#NNN; or &#xHH;
    let j = i + 2;
    let hex = false;
    if ((text.charCodeAt(j) | 32) === 120) {
      hex = true;
      j++;
    }
    let v = 0;
    const start = j;
    while (j < n && j - start < 8) {
      const c = text.charCodeAt(j);
      if (hex ? isHex(c) : c >= 48 && c <= 57) {
        v = hex ? v * 16 + hexValue(c) : v * 10 + (c - 48);
        j++;
      } else break;
    }
    if (j === start || v > 0x10ffff || v === 0) return undefined;
    // Digits cut short by a quoted-printable triplet (`&#x2=65;`: a layer of quoted-printable over the reference)
    // wait for the round that decodes the triplet.
    if (text.charCodeAt(j) === 61 && isHex(text.charCodeAt(j + 1)) && isHex(text.charCodeAt(j + 2))) return undefined;
    // The terminating ';' is optional in HTML for numeric references.
    const length = (j < n && text.charCodeAt(j) === 59 ? j + 1 : j) - i;
    return { value: String.fromCodePoint(v), length };
  }
  let j = i + 1;
  while (j < n && j - i <= 7) {
    const c = text.charCodeAt(j);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) j++;
    else break;
  }
  if (j >= n || text.charCodeAt(j) !== 59 || j === i + 1) return undefined;
  const value = NAMED_ENTITIES[text.slice(i + 1, j).toLowerCase()];
  return value === undefined ? undefined : { value, length: j + 1 - i };
}

/** Builds a view stage: appends output code units with their source range in the stage's input. */
class StageWriter {
  out = '';
  from: number[] = [];
  to: number[] = [];
  changed = false;
  /** Invisible characters this stage removed (or wrote as a space). */
  invisibles = 0;

  push(s: string, start: number, end: number): void {
    this.out += s;
    for (let k = 0; k < s.length; k++) {
      this.from.push(start);
      this.to.push(end);
    }
  }

  /** Rewrites the last unit written (the copy of the input's `text[at]`) as a space. */
  blankLast(at: number): void {
    this.out = this.out.slice(0, -1) + ' ';
    this.from[this.from.length - 1] = at;
    this.to[this.to.length - 1] = at + 1;
  }

  copy(text: string, start: number, end: number): void {
    this.out += text.slice(start, end);
    for (let k = start; k < end; k++) {
      this.from.push(k);
      this.to.push(k + 1);
    }
  }
  /**
   * Writes `text[plain, at)` as it is, then `value` for the encoded form `text[at, at + length)`; returns where the
   * text goes on (`at + length`, the next `plain`).
   */
  decoded(text: string, plain: number, at: number, value: string, length: number): number {
    this.copy(text, plain, at);
    this.push(value, at, at + length);
    this.changed = true;
    return at + length;
  }
}

/** Whether an invisible character next to `c` may stand for a blank: printable ASCII or a fullwidth form. */
function mayStandForBlank(c: number): boolean {
  return (c > 32 && c < 127) || (c >= 0xff01 && c <= 0xff5e);
}

/**
 * Step 1: NFKC per code point, digits of other scripts to ASCII digits, dashes to `-`, middle dots and bullets to
 * `.`, the braille blank to a space, invisibles, combining marks and control characters removed; undefined when nothing changed.
 * `invisible`: what an invisible character becomes (`''`, or `' '` for the reading as a blank).
 */
function unicodeStage(text: string, invisible = ''): StageWriter | undefined {
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || isControl(c)) {
      first = i;
      break;
    }
  }
  if (first === -1) return undefined;
  const w = new StageWriter();
  w.copy(text, 0, first);
  let plain = first; // start of the pending unchanged stretch
  let i = first;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c <= 127 && !isControl(c)) {
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    let replacement: string;
    if (isOtherBlank(cp)) replacement = ' ';
    else if (c > 127 && isInvisible(cp)) {
      replacement = invisible;
      // Only one next to printable ASCII or a fullwidth form may stand for a blank (a run's ends check its
      // neighbours); emoji sequences (variation selectors, joiners between emoji) do not.
      if (mayStandForBlank(codeAt(text, i - 1)) || mayStandForBlank(codeAt(text, i + len))) w.invisibles++;
    } else if (c <= 127 || (cp >= 0x300 && cp <= 0x36f)) replacement = '';
    else if (isDash(cp)) replacement = '-';
    else if (isFullStop(cp) || isMiddleDot(cp)) replacement = '.';
    else {
      const ch = text.slice(i, i + len);
      replacement = ch.normalize('NFKC');
      if (replacement !== ch && hasNonAscii(replacement)) replacement = readNfkc(replacement, invisible);
      else if (replacement === ch) {
        if (cp > 0x36f && COMBINING_MARK.test(ch)) {
          w.copy(text, plain, i);
          w.changed = true;
          i += len;
          plain = i;
          continue;
        }
        const digit = otherScriptDigit(cp, ch);
        if (digit < 0) {
          i += len;
          continue;
        }
        replacement = String(digit);
      }
    }
    // A `\` before a character this step rewrites to a letter or digit escapes nothing (escape letters are ASCII): it
    // is read as a blank, so the character starts no escape the next step would decode (`\１23-45-6789` is no octal
    // `\123`, `\４111 1111…` no CSS escape `\4111 `, `C:\scans\１23…` keeps its digits).
    w.copy(text, plain, i);
    if (text.charCodeAt(i - 1) === 92 && isAlnum(replacement.charCodeAt(0))) w.blankLast(i - 1);
    w.push(replacement, i, i + len);
    w.changed = true;
    i += len;
    plain = i;
  }
  w.copy(text, plain, text.length);
  return w.changed ? w : undefined;
}

/**
 * The NFKC form of a character as step 1 reads it: the marks, dashes, dots, blanks and digits NFKC writes (`¨` is
 * a space and a combining diaeresis, `Ŀ` is `L·`) read as they do written directly, so the step gives the same text
 * once or twice (a character decoded from an escape is read by one more pass only).
 */
function readNfkc(nfkc: string, invisible: string): string {
  let out = '';
  for (const part of nfkc) {
    const cp = part.codePointAt(0)!;
    if (cp < 128) out += part;
    else if (isOtherBlank(cp)) out += ' ';
    else if (isInvisible(cp)) out += invisible;
    else if (isDash(cp)) out += '-';
    else if (isFullStop(cp) || isMiddleDot(cp)) out += '.';
    else if (!COMBINING_MARK.test(part)) {
      const digit = otherScriptDigit(cp, part);
      out += digit < 0 ? part : String(digit);
    }
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Step 2: one round of percent-decoding, JS/JSON escapes and HTML references; undefined when nothing changed. */
function decodeStage(text: string, quotedPrintable: boolean): StageWriter | undefined {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 37 || c === 92 || c === 38 || c === 43 || (c === 61 && quotedPrintable)) break;
    if ((c === 91 || c === 40 || c === 123) && defangAt(text, i) !== undefined) break;
    i++;
  }
  if (i === n) return undefined;
  const w = new StageWriter();
  w.copy(text, 0, i);
  let plain = i;
  const bytes: number[] = [];
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 37 && i + 2 < n && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      // A run of %XX triplets, decoded as UTF-8 (each ASCII byte maps to its own triplet).
      const start = i;
      bytes.length = 0;
      while (i + 2 < n && text.charCodeAt(i) === 37 && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
        bytes.push(hexValue(text.charCodeAt(i + 1)) * 16 + hexValue(text.charCodeAt(i + 2)));
        i += 3;
      }
      w.copy(text, plain, start);
      if (bytes.every((b) => b < 128))
        for (let k = 0; k < bytes.length; k++) w.push(String.fromCharCode(bytes[k]), start + 3 * k, start + 3 * k + 3);
      else w.push(utf8.decode(Uint8Array.from(bytes)), start, i);
      w.changed = true;
      plain = i;
      continue;
    }
    if ((c === 61 && quotedPrintable) || c === 43 || (c === 37 && (text.charCodeAt(i + 1) | 32) === 117) || c === 92) {
      // Quoted-printable, UTF-7, `%uXXXX`, octal and CSS escapes (`encoded-forms.ts`).
      const piece =
        c === 61
          ? quotedPrintableAt(text, i, true)
          : c === 43
            ? utf7At(text, i)
            : c === 37
              ? percentUAt(text, i)
              : (octalEscapesAt(text, i) ??
                (isHex(text.charCodeAt(i + 1))
                  ? (hexByteEscapesAt(text, i, true) ?? cssEscapeAt(text, i))
                  : text.charCodeAt(i + 1) === 120
                    ? hexByteEscapesAt(text, i, false)
                    : undefined));
      if (piece !== undefined) {
        plain = i = w.decoded(text, plain, i, piece.value, piece.length);
        continue;
      }
    }
    if (c === 92 && i + 1 < n) {
      const e = text.charCodeAt(i + 1);
      let value: string | undefined;
      let length = 0;
      if (e === 117 /* u */) {
        if (text.charCodeAt(i + 2) === 123 /* { */) {
          let j = i + 3;
          let v = 0;
          while (j < n && j - i < 10 && isHex(text.charCodeAt(j))) v = v * 16 + hexValue(text.charCodeAt(j++));
          if (j > i + 3 && j < n && text.charCodeAt(j) === 125 && v <= 0x10ffff) {
            value = String.fromCodePoint(v);
            length = j + 1 - i;
          }
        } else {
          let v = 0;
          let ok = i + 6 <= n;
          for (let k = 2; ok && k < 6; k++) {
            const h = text.charCodeAt(i + k);
            if (!isHex(h)) ok = false;
            else v = v * 16 + hexValue(h);
          }
          if (ok) {
            value = String.fromCharCode(v);
            length = 6;
          }
        }
      } else if (e === 120 /* x */) {
        if (i + 4 <= n && isHex(text.charCodeAt(i + 2)) && isHex(text.charCodeAt(i + 3))) {
          value = String.fromCharCode(hexValue(text.charCodeAt(i + 2)) * 16 + hexValue(text.charCodeAt(i + 3)));
          length = 4;
        }
      } else if (
        (e === 47 || e === 92 || e === 34 || e === 39 || e === 64 || e === 46 || e === 45 || NEEDLESS.has(e)) &&
        // In the quoted-printable view, `\=34` is an escape's backslash before a triplet that writes its first digit
        // (`jane.doe\=340 example.com`: CSS `\40 `), not an escaped `=`.
        !(e === 61 && quotedPrintable && quotedPrintableAt(text, i + 1, true) !== undefined)
      ) {
        // \/ \\ \" \' and needless escapes of @ . - and of the characters shells, Lucene/Elasticsearch query strings
        // and Markdown escape (`4111\ 1111`, `2001\:db8`, `ghp\_…`)
        value = String.fromCharCode(e);
        length = 2;
      }
      if (value !== undefined) {
        plain = i = w.decoded(text, plain, i, value, length);
        continue;
      }
    } else if (c === 91 || c === 40 || c === 123) {
      // defanged dots (`example[.]com`, `192[.]0[.]2[.]44`, `[dot]`) and `[@]` (`encoded-forms.ts`)
      const defanged = defangAt(text, i);
      if (defanged !== undefined) {
        plain = i = w.decoded(text, plain, i, defanged.value, defanged.length);
        continue;
      }
    } else if (c === 38) {
      const entity = entityAt(text, i);
      if (entity !== undefined) {
        plain = i = w.decoded(text, plain, i, entity.value, entity.length);
        continue;
      }
    }
    i++;
  }
  w.copy(text, plain, n);
  return w.changed ? w : undefined;
}

/** Composes a stage onto the current view (maps through to the original). */
function compose(view: NormalizedView | undefined, stage: StageWriter): NormalizedView {
  const invisibles = stage.invisibles > 0 || view?.invisibles === true;
  const len = stage.out.length;
  const from = new Int32Array(len);
  const to = new Int32Array(len);
  for (let k = 0; k < len; k++) {
    const f = stage.from[k];
    const t = stage.to[k];
    if (view === undefined) {
      from[k] = f;
      to[k] = t;
    } else {
      from[k] = view.from[f];
      to[k] = t > f ? view.to[t - 1] : view.to[f];
    }
  }
  return invisibles ? { text: stage.out, from, to, invisibles } : { text: stage.out, from, to };
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return true;
  return false;
}

/** Whether decoded text needs the Unicode step again: non-ASCII text or a control character (`%01`, `\x00`). */
function needsUnicodeStage(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || isControl(c)) return true;
  }
  return false;
}

/**
 * The normalized view of `text` (see the module comment), or `undefined` when it equals `text`.
 * Linear in the length of `text` (at most `MAX_DECODE_ROUNDS` + 2 passes). `invisible`: what an invisible character
 * becomes; the scanner reads a view that removed one a second time with `' '` (`Bearer\u200b<token>`,
 * `020\u200b7946\u200b0958`: an invisible written instead of a blank).
 */
export function normalizeView(text: string, quotedPrintable = false, invisible = ''): NormalizedView | undefined {
  let view: NormalizedView | undefined;
  const first = unicodeStage(text, invisible);
  if (first !== undefined) view = compose(undefined, first);
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const stage = decodeStage(view === undefined ? text : view.text, quotedPrintable);
    if (stage === undefined) break;
    view = compose(view, stage);
  }
  if (view !== undefined && needsUnicodeStage(view.text)) {
    const last = unicodeStage(view.text, invisible);
    if (last !== undefined) view = compose(view, last);
  }
  return view;
}

/**
 * Whether `view` of `text` holds a quoted-printable triplet whose `=` another escape wrote and that no `key=value` pair
 * explains: its hex digits were escaped too (`%3D%37%32`), its `=` was written with an escape that is no URL's (`\075`,
 * `\u{3d}`, `\x3d`), or nothing but a blank or punctuation follows it (`Beare%3D72 tok…`). A URL's own encoded
 * query (`id%3D414660…`, `id%253D41…`) keeps its digits. The scanner then builds the view that decodes every triplet:
 * a layer of quoted-printable under a layer of other escapes (`Beare\07572 …`).
 */
export function hasEscapedTriplet(text: string, view: NormalizedView): boolean {
  const v = view.text;
  for (let i = v.indexOf('='); i !== -1; i = v.indexOf('=', i + 1)) {
    if (view.to[i] - view.from[i] < 2 || quotedPrintableAt(v, i, true) === undefined) continue;
    if (text.charCodeAt(view.from[i]) !== 37) return true;
    if (view.to[i + 1] - view.from[i + 1] > 1 && view.to[i + 2] - view.from[i + 2] > 1) return true;
    if (i + 3 >= v.length || !isAlnum(v.charCodeAt(i + 3))) return true;
  }
  return false;
}

/**
 * The base64/base64url runs in `text` worth decoding: `[start, end)` pairs (flat, `=` padding
 * included) of runs of at least `MIN_BASE64_RUN` characters (`MIN_PADDED_BASE64_RUN` before `=`)
 * with the letter mix of encoded text (see `looksBase64`). A line of at least `MIN_WRAPPED_LINE`
 * characters (a whole number of quads) followed by CRLF or LF and more base64 continues the run: base64
 * wrapped at 76 (MIME) or 64 (PEM) columns is one run, decoded whole (the decoder skips the line breaks).
 */
export function base64Runs(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isBase64Char(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let upper = 0;
    let digits = 0;
    let chars = 0;
    for (;;) {
      const lineStart = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (!isBase64Char(c)) break;
        if (c >= 65 && c <= 90) upper++;
        else if (c >= 48 && c <= 57) digits++;
        i++;
      }
      chars += i - lineStart;
      // A wrapped line (MIME, PEM: a whole number of quads, then CRLF or LF, maybe folded) continues the run.
      const line = i - lineStart;
      if (line < MIN_WRAPPED_LINE || line % 4 !== 0) break;
      let next = i;
      if (text.charCodeAt(next) === 13) next++;
      if (text.charCodeAt(next) !== 10) break;
      next++;
      if (text.charCodeAt(next) === 32 || text.charCodeAt(next) === 9) next++;
      if (next >= n || !isBase64Char(text.charCodeAt(next))) break;
      i = next;
    }
    const runLength = chars;
    let end = i;
    while (end < n && end - i < 2 && text.charCodeAt(end) === 61) end++;
    const wanted =
      looksBase64(runLength, upper, digits, end > i) &&
      (runLength >= MIN_BASE64_RUN || (end > i && runLength >= MIN_PADDED_BASE64_RUN));
    if (wanted && i - start <= MAX_BASE64_RUN) out.push(start, end);
    // A path whose words dilute the letter mix (`org/orders/s/users/<base64>`): its `/` segments on their own.
    else if (!wanted && upper > 0 && i - start <= MAX_BASE64_RUN) pathSegmentRuns(text, start, i, end, out);
    i = end > i ? end : i;
  }
  return out;
}

/**
 * Appends the `/` segments of the run `text[start, stop)` (padding up to `end`) that are base64 runs on their own
 * (`base64Runs`' length and letter-mix rules) as `[start, end)` pairs; nothing when the run holds no `/`.
 */
function pathSegmentRuns(text: string, start: number, stop: number, end: number, out: number[]): void {
  let from = start;
  while (from < stop) {
    let upper = 0;
    let digits = 0;
    let i = from;
    for (; i < stop; i++) {
      const c = text.charCodeAt(i);
      if (c === 47) break;
      if (c >= 65 && c <= 90) upper++;
      else if (c >= 48 && c <= 57) digits++;
    }
    if (from === start && i === stop) return; // no `/`: the run was judged whole
    const padded = i === stop && end > stop;
    const length = i - from;
    if (
      looksBase64(length, upper, digits, padded) &&
      (length >= MIN_BASE64_RUN || (padded && length >= MIN_PADDED_BASE64_RUN))
    )
      out.push(from, padded ? end : i);
    from = i + 1;
  }
}

/**
 * Whether a `/` segment of the run `text[start, stop)` is a base64 run of its own (`base64Runs`) that may decode to
 * text: the pre-filter's test for a path whose words dilute the letter mix of the whole run.
 */
export function pathSegmentMayDecode(text: string, start: number, stop: number): boolean {
  let end = stop;
  while (end < text.length && end - stop < 2 && text.charCodeAt(end) === 61) end++;
  const segments: number[] = [];
  pathSegmentRuns(text, start, stop, end, segments);
  for (let s = 0; s < segments.length; s += 2) if (segmentMayDecode(text, segments[s], segments[s + 1])) return true;
  return false;
}

/** Value of a base64/base64url character, or -1. */
function base64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43 || c === 45) return 62;
  if (c === 47 || c === 95) return 63;
  return -1;
}

/** A text byte: tab, line breaks, printable ASCII, or part of a multi-byte UTF-8 sequence. */
function isTextByte(b: number): boolean {
  return b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0x80;
}

/**
 * Cheap refusal before decoding: the first six bytes (eight characters) must be text bytes; random
 * (non-base64) words pass with a probability of well under 1 %.
 */
function plausibleTextStart(run: string): boolean {
  if (run.length < 8) return false;
  const first = base64Quad(run, 0);
  const second = base64Quad(run, 4);
  if (first < 0 || second < 0) return false;
  return (
    (isTextByte(first >> 16) &&
      isTextByte((first >> 8) & 0xff) &&
      isTextByte(first & 0xff) &&
      isTextByte(second >> 16) &&
      isTextByte((second >> 8) & 0xff) &&
      isTextByte(second & 0xff)) ||
    utf16TextBytes(first, second)
  );
}

/** The 24 bits of the four base64 characters at `q`, or -1 when one is not base64. */
function base64Quad(run: string, q: number): number {
  const a = base64Value(run.charCodeAt(q));
  const b = base64Value(run.charCodeAt(q + 1));
  const c = base64Value(run.charCodeAt(q + 2));
  const d = base64Value(run.charCodeAt(q + 3));
  if (a < 0 || b < 0 || c < 0 || d < 0) return -1;
  return (a << 18) | (b << 12) | (c << 6) | d;
}

/**
 * The bytes of a base64 or base64url run whose first six bytes start UTF-8 text (`utf8TextByte`), `undefined` otherwise:
 * for a run `decodeBase64Text` refuses as a whole (a C string's terminating NUL after an address, a binary field
 * between text fields), which the scanner then reads as it reads byte runs (a byte that is part of no character as a
 * line break).
 */
export function base64TextStartBytes(run: string): Uint8Array | undefined {
  if (!plausibleTextStart(run)) return undefined;
  const bytes = Buffer.from(run, 'base64');
  // The first six bytes UTF-8 text, as the pre-filter's run gate reads them (a lone high byte, UTF-16: refused).
  let need = 0;
  for (let k = 0; k < 6; k++) if ((need = utf8TextByte(bytes[k] ?? -1, need)) < 0) return undefined;
  return bytes;
}

/**
 * Decodes a base64 or base64url run to text, or `undefined` when it is not text a person would read:
 * invalid UTF-8, control characters other than tab and line breaks, or less than 90 % letters,
 * digits, punctuation and spaces.
 */
export function decodeBase64Text(run: string): string | undefined {
  if (!plausibleTextStart(run)) return undefined;
  // Node decodes both alphabets (`+/` and `-_`) and ignores padding.
  const bytes = Buffer.from(run, 'base64');
  if (bytes.length < 6) return undefined; // `a@b.co` and `1.2.3.4` are longer
  // Invalid UTF-8 decodes to U+FFFD, which the check below refuses (no exception on the common path).
  const s = bytesToText(bytes);
  return readableText(s) ? s : undefined;
}

/**
 * Whether the 12 hex digits at `i` decode to 6 bytes that start text: printable ASCII (tab and line breaks
 * included), well-formed UTF-8 (`c3a96a…` is `éj…`) or UTF-16 (see `textBytes`).
 */
function hexTextAt(text: string, i: number): boolean {
  let need = 0;
  for (let k = 0; k < 12; k += 2) {
    const b = hexValue(text.charCodeAt(i + k)) * 16 + hexValue(text.charCodeAt(i + k + 1));
    let ok: boolean;
    if (need > 0) {
      ok = (b & 0xc0) === 0x80;
      need--;
    } else if (b < 0x80) ok = b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127);
    else {
      ok = b >= 0xc2 && b < 0xf5;
      need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    }
    // Not ASCII or UTF-8 text: maybe UTF-16 (Latin-1 with a zero byte, or another script, whose first unit may be
    // two printable bytes: `ひ` is 72 30).
    if (!ok) return hexUtf16At(text, i);
  }
  return true;
}

/** Whether the 12 hex digits at `i` start UTF-16 text (`utf16TextBytes`). */
function hexUtf16At(text: string, i: number): boolean {
  return utf16TextBytes(
    (hexByte(text, i) << 16) | (hexByte(text, i + 2) << 8) | hexByte(text, i + 4),
    (hexByte(text, i + 6) << 16) | (hexByte(text, i + 8) << 8) | hexByte(text, i + 10),
  );
}

/** The byte of the two hex digits at `i`. */
function hexByte(text: string, i: number): number {
  return hexValue(text.charCodeAt(i)) * 16 + hexValue(text.charCodeAt(i + 1));
}

/**
 * The hex runs in `text` worth decoding: `[start, end)` pairs (flat) of runs of at least `MIN_HEX_RUN` hex
 * digits whose first six bytes are printable text (so digests and trace ids are skipped without decoding).
 * A run of odd length is tried from its second digit too (`0x` prefixes, a digit glued on): both pairs are returned
 * when both readings may be text.
 */
export function hexRuns(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isHex(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isHex(text.charCodeAt(i))) i++;
    if (i - start < MIN_HEX_RUN || i - start > MAX_BASE64_RUN) continue;
    if (hexTextAt(text, start)) out.push(start, start + ((i - start) & ~1));
    // Both readings when both may be text: shifted by a nibble, hex of ASCII text often looks like UTF-16 of CJK.
    if ((i - start) % 2 === 1 && i - start > MIN_HEX_RUN && hexTextAt(text, start + 1)) out.push(start + 1, i);
  }
  return out;
}

/** Whether decoded text is text a person would read (see `decodeBase64Text`). */
function readableText(s: string): boolean {
  let printable = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
    if (c === 127 || c === 0xfffd) return false;
    if (c >= 32 || c === 10 || c === 13) printable++; // line breaks count: a short text with one is text
  }
  return printable >= s.length * 0.9;
}

/**
 * Decoded bytes as text (UTF-8, or UTF-16 as for base64 and hex runs), or `undefined` when fewer than six bytes or
 * not text a person would read (see `decodeBase64Text`). Used for the runs of `encoded-forms.ts`.
 */
export function decodeBytesText(bytes: Uint8Array): string | undefined {
  if (bytes.length < 6) return undefined;
  const s = bytesToText(bytes);
  return readableText(s) ? s : undefined;
}

/** Decodes an even-length hex run to text, or `undefined` when it is not readable UTF-8 text. */
export function decodeHexText(run: string): string | undefined {
  const bytes = Buffer.from(run, 'hex');
  if (bytes.length < 6) return undefined;
  const s = bytesToText(bytes);
  return readableText(s) ? s : undefined;
}

const BASE32_RUN = /^[A-Z2-7]+=*$/;

/**
 * Decodes an RFC 4648 base32 run (upper case `A-Z2-7`, padding optional) to text, or `undefined` when it is
 * not base32 or not readable UTF-8 text.
 */
export function decodeBase32Text(run: string): string | undefined {
  if (run.length < MIN_BASE32_RUN || !BASE32_RUN.test(run)) return undefined;
  let end = run.length;
  while (end > 0 && run.charCodeAt(end - 1) === 61) end--;
  const bytes = new Uint8Array(Math.floor((end * 5) / 8));
  let acc = 0;
  let bits = 0;
  let k = 0;
  for (let i = 0; i < end; i++) {
    const c = run.charCodeAt(i);
    acc = ((acc << 5) | (c >= 65 ? c - 65 : c - 24)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[k++] = (acc >>> bits) & 0xff;
    }
  }
  if (k < 6) return undefined;
  const s = bytesToText(bytes.subarray(0, k));
  return readableText(s) ? s : undefined;
}
