/**
 * Character-class helpers shared by the detectors. They work on UTF-16 code units (`charCodeAt`)
 * so scanning allocates nothing.
 */

/** `0`-`9`. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ASCII letter. */
export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** ASCII uppercase letter. */
export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** ASCII letter or digit. */
export function isAlnum(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c);
}

/** `0`-`9`, `a`-`f`, `A`-`F`. */
export function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Part of a word for boundary checks: ASCII letters and digits, `_`, and any non-ASCII letter-ish
 * code unit (conservative: a match glued to such a character is not a standalone token).
 */
export function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 95 || (c > 127 && c !== 0xa0 && !(c >= 0x2000 && c <= 0x206f) && c !== 0x3000);
}

/**
 * A CJK letter or punctuation mark: CJK symbols and punctuation (`、` `。` `「」` `【】`), kana, the ideographs (and
 * extension A and the compatibility block), Hangul syllables, and the fullwidth and halfwidth punctuation (`：` `，`
 * `（）`, not the fullwidth letters and digits). Japanese and Chinese are written without blanks: a value glued to
 * such a character is no part of an ASCII word (`IBANはDE89…です`, `、2001:db8::7、`), so the detectors whose values are
 * ASCII read it as a word boundary.
 */
export function isCjkBoundary(c: number): boolean {
  if (c < 0x3001) return false;
  return (
    c <= 0x30ff ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xff01 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}

/** The base64url alphabet (`A-Z a-z 0-9 - _`). */
export function isBase64UrlChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 95;
}

/** Space, tab, CR, LF, FF, VT, NBSP. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

/** Code unit at `i`, or -1 outside the text (so boundary checks need no range tests). */
export function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : -1;
}

/**
 * Whether one of `keywords` (lowercase ASCII) occurs in the `window` characters before `pos`,
 * case-insensitively. Bounded: inspects at most `window` characters.
 */
export function keywordBefore(text: string, pos: number, keywords: RegExp, window: number): boolean {
  const from = pos - window < 0 ? 0 : pos - window;
  return keywords.test(text.slice(from, pos));
}

/**
 * `re` (a module's compiled global or sticky pattern) reset to search from the start. Detectors loop over
 * `re.exec` with it instead of compiling a copy per call (`new RegExp(re.source, re.flags)` cost about 0.5 µs per
 * value: a new regex object starts in V8's regex interpreter). Safe because a detector's `find` never calls back
 * into another `find` that uses the same pattern.
 */
export function fromStart(re: RegExp): RegExp {
  re.lastIndex = 0;
  return re;
}

/** Hexadecimal digits and `-` (what a UUID is made of). */
function isUuidChar(c: number): boolean {
  return isHexDigit(c) || c === 45;
}

/** Whether `[start, end)` lies inside a UUID (`8-4-4-4-12` hexadecimal digits). Inspects at most 36 characters each side. */
export function inUuid(text: string, start: number, end: number): boolean {
  let a = start;
  while (a > 0 && start - a < 36 && isUuidChar(text.charCodeAt(a - 1))) a--;
  let b = end;
  while (b < text.length && b - end < 36 && isUuidChar(text.charCodeAt(b))) b++;
  if (b - a < 36) return false;
  const re = fromStart(UUID);
  const slice = text.slice(a, b);
  for (let m = re.exec(slice); m !== null; m = re.exec(slice))
    if (a + m.index <= start && end <= a + m.index + 36) return true;
  return false;
}
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** An ASCII letter, digit or `_`: what glues a number to a word (a non-ASCII letter or sign is a boundary). */
function asciiGlue(c: number): boolean {
  return c < 128 && (isAlnum(c) || c === 95);
}

/**
 * Most characters of a USPS tracking number printed in groups (`9400  0638  8306  6814  1846  24`: 22 digits, 5 gaps
 * of at most two characters).
 */
const USPS_SPAN = 32;
/** One separator throughout: a blank, two blanks, `-` or a no-break space. */
const USPS = /^9[1-5]\d\d( {1,2}|-|\u00a0)\d{4}(?:\1\d{4}){3}\1\d\d$/;

/** A character between the groups of a USPS tracking number: a blank, `-` or a no-break space. */
function uspsSeparator(c: number): boolean {
  return c === 32 || c === 45 || c === 0xa0;
}

/**
 * Whether `[start, end)` lies inside a USPS tracking number printed in its groups (`9400 0638 8306 6814 1846 24`: 22
 * digits starting `91`-`95` in 4-4-4-4-4-2, one separator throughout — a blank, two blanks, `-` or a no-break space —
 * no ASCII letter, digit or `_` glued to it). Its windows read as phone or card numbers (`0638 8306 6814`, `3638 1739
 * 4391 3612` when the Luhn check passes by chance) but are a parcel's. Inspects at most 32 characters each side.
 */
export function inUspsTracking(text: string, start: number, end: number): boolean {
  let a = start;
  while (a > 0 && start - a < USPS_SPAN && (isDigit(text.charCodeAt(a - 1)) || uspsSeparator(text.charCodeAt(a - 1))))
    a--;
  while (a < start && uspsSeparator(text.charCodeAt(a))) a++;
  let b = end;
  while (b < text.length && b - end < USPS_SPAN && (isDigit(text.charCodeAt(b)) || uspsSeparator(text.charCodeAt(b))))
    b++;
  while (b > end && uspsSeparator(text.charCodeAt(b - 1))) b--;
  return (
    b - a <= USPS_SPAN && !asciiGlue(codeAt(text, a - 1)) && !asciiGlue(codeAt(text, b)) && USPS.test(text.slice(a, b))
  );
}
