import { codeAt, isAlnum, isAsciiLetter, isDigit, isWordChar } from './chars';
import type { Detector, Finding } from './types';

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

/** File extensions that follow `@` in asset names (`icon@2x.png`) and are no top-level domain. */
export const FILE_EXTENSIONS: ReadonlySet<string> = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'avif',
  'ico',
  'bmp',
  'tif',
  'tiff',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'css',
  'scss',
  'map',
  'json',
  'html',
  'htm',
  'txt',
  'log',
  'md',
  'pdf',
  'woff',
  'woff2',
  'ttf',
  'mp4',
  'webm',
  'wasm',
  'lock',
  'gz',
  'tgz',
  'zip',
  'tar',
  'bz2',
  'xz',
  'zst',
  'jar',
  'whl',
  'gem',
  'deb',
  'rpm',
  'exe',
  'dll',
  'so',
  'bin',
  'csv',
  'xml',
  'yaml',
  'yml',
]);

/**
 * Characters taken into the local part: letters, digits, `.`, `_`, `%`, `+`, `-`, `'` and non-ASCII
 * (RFC 6531). RFC 5322 also allows `= & ? # | ! $ * / ^ { } ~`, but in telemetry those separate
 * keys from values (`user=jane@example.com`, `a&b`), so the match starts after them; except right before the `@`
 * (`isAtextTail`) and braces in pairs (`localRunStart`).
 */
function isLocalChar(c: number): boolean {
  return isAlnum(c) || isNonAsciiLetter(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39;
}

/**
 * Characters that end a local part right before its `@` (`jane.doe.@docomo.ne.jp`, as Japanese carriers issued them;
 * `jane.doe!@`, `=` `~` `#` `$` `&` `*` `?` `^` `|` `/` `` ` ``): `.` and the RFC 5322 symbols, no separator there (a `}`
 * there is `localRunStart`'s).
 */
function isAtextTail(c: number): boolean {
  return (
    c === 46 ||
    c === 33 ||
    c === 61 ||
    c === 126 ||
    c === 35 ||
    c === 36 ||
    c === 38 ||
    c === 42 ||
    c === 63 ||
    c === 94 ||
    c === 124 ||
    c === 47 ||
    c === 96
  );
}

/**
 * Where the run of local-part characters ending at `end` starts, not before `min`: over `isLocalChar` and braces in
 * pairs (`{jane.doe}@`, `jane{doe}@`, `{jane}doe@`: RFC 5322 atext) and a `}` at `end` (`jane.doe}@`). Another
 * brace without its pair ends the run (`key{jane@`, `key}jane@`: a separator).
 */
function localRunStart(text: string, end: number, min: number): number {
  let start = end;
  let close = -1; // a `}` whose `{` is not yet seen
  while (start > min) {
    const c = text.charCodeAt(start - 1);
    if (c === 125) {
      if (close !== -1) break;
      close = start;
    } else if (c === 123) {
      if (close === -1 || close === start) break;
      close = -1;
    } else if (!isLocalChar(c)) break;
    start--;
  }
  return close === -1 || close === end ? start : close;
}

function isDomainChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46 || isNonAsciiLetter(c);
}

/** Letters and digits of any script (non-ASCII code units of a letter or number category). */
const NON_ASCII_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * A coarse script of a non-ASCII code point, for `oneScript`: Latin, Greek, Cyrillic, Hebrew, Arabic, the Indic
 * blocks, and Han (also planes 2 and 3), kana and Hangul together (Japanese mixes kanji and kana); any other block on
 * its own.
 */
function scriptOf(c: number): number {
  if (c < 0x250 || (c >= 0x1e00 && c <= 0x1eff)) return 1;
  if (c >= 0x370 && c <= 0x3ff) return 2;
  if (c >= 0x400 && c <= 0x52f) return 3;
  if (c >= 0x590 && c <= 0x5ff) return 4;
  if (c >= 0x600 && c <= 0x77f) return 5;
  if (c >= 0x900 && c <= 0xdff) return 6;
  if ((c >= 0x3040 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) return 7;
  if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x20000 && c <= 0x3ffff)) return 7;
  return 16 + (c >> 7);
}

/**
 * Whether the non-ASCII characters of `text[start, end)` are of one script (`scriptOf`): an internationalized local
 * part (`иван.петров`, `ジェーン`, `élodie`), not the units a misaligned decoding puts before an `@` (`筪þ@mail…`,
 * base64 of UTF-16 read one byte off). Private-use characters are of no script (`山田\uE000`: legacy Japanese systems
 * write rare name kanji with them).
 */
function oneScript(text: string, start: number, end: number): boolean {
  let script = 0;
  for (let i = start; i < end; i++) {
    const c = text.codePointAt(i)!;
    if (c < 128) continue;
    if (c > 0xffff) i++; // a surrogate pair is one character (`𠮷`, U+20BB7, in the surname `𠮷田`)
    if ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000) continue; // private use
    const sc = scriptOf(c);
    if (script === 0) script = sc;
    else if (sc !== script) return false;
  }
  return true;
}

/**
 * Whether `text[start, end)`, starting with a non-ASCII letter, reads as an internationalized local part: two
 * characters or more, its non-ASCII ones of one script (a lone `þ` or `筪þ` before an `@` is what base64 of UTF-16
 * read one byte off gives).
 */
function intlLocalPart(text: string, start: number, end: number): boolean {
  const length = end - start;
  return (length > 2 || (length === 2 && text.codePointAt(start)! <= 0xffff)) && oneScript(text, start, end);
}

/**
 * Where the local part in `text[start, end)` starts: after leading punctuation (it belongs to the sentence), at a
 * letter or digit of any script (`иван.петров@…`, `ジェーン@…`: RFC 6531) when what follows reads as an internationalized
 * local part (`intlLocalPart`), else at the first ASCII letter, digit or `_` or after the last non-ASCII punctuation
 * (`afterSentencePunctuation`), whichever comes first; `end` when there is none.
 */
function localPartStart(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && !startsLocalPart(text, i)) i++;
  if (i < end && text.charCodeAt(i) > 127 && !intlLocalPart(text, i, end)) {
    // The first ASCII letter, digit or `_`, or a local part after the sentence's punctuation, whichever comes first.
    i = Math.min(asciiLocalStart(text, i, end), afterSentencePunctuation(text, i, end));
  }
  return i;
}

/** Non-ASCII punctuation and symbols (`、`, `。`, `「`, `・`): local-part characters, but no part of a name. */
const NON_ASCII_PUNCTUATION = /[\p{P}\p{S}]/u;

/**
 * Where an internationalized local part starts after the last non-ASCII punctuation or symbol in `text[start, end)`
 * (`お願いします、山田@…`: Japanese and Chinese write no blank before it, so the run before the `@` is the whole
 * sentence and mixes scripts), or `end` when there is none or what follows it is no local part (`intlLocalPart`).
 */
function afterSentencePunctuation(text: string, start: number, end: number): number {
  let k = end;
  while (k > start && !(text.charCodeAt(k - 1) > 127 && NON_ASCII_PUNCTUATION.test(text[k - 1]!))) k--;
  if (k === start) return end;
  while (k < end && !startsLocalPart(text, k)) k++;
  return k < end && intlLocalPart(text, k, end) ? k : end;
}

/** The first character of `text[start, end)` that starts an ASCII local part (a letter, digit or `_`), or `end`. */
function asciiLocalStart(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && !isAlnum(text.charCodeAt(i)) && text.charCodeAt(i) !== 95) i++;
  return i;
}

/**
 * Whether `text[i]` can start a local part: an ASCII letter, digit or `_`, or a letter or digit of another script
 * (outside the BMP too: a surrogate pair read as one character).
 */
function startsLocalPart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return isAlnum(c) || c === 95;
  if (!isNonAsciiLetter(c)) return false;
  return NON_ASCII_LETTER_OR_DIGIT.test(c >= 0xd800 && c <= 0xdbff ? text.slice(i, i + 2) : text[i]);
}

/** Non-ASCII code units that can be part of internationalized names (not spaces or punctuation). */
function isNonAsciiLetter(c: number): boolean {
  // Fullwidth punctuation and digits (U+FF00-U+FF20) are no letters: `lodash@０.１０.１０` is a version.
  return c > 127 && c !== 0xa0 && !(c >= 0x2000 && c <= 0x206f) && c !== 0x3000 && !(c >= 0xff00 && c <= 0xff20);
}

/**
 * The end of a valid domain starting at `from` (exclusive), or -1. Labels of letters, digits and
 * inner hyphens, at least two labels, the last one (TLD) alphabetic, 2-24 letters. `lenient` (when the domain is
 * none without it): `_` is a label character too (`sub_domain.example.com`; one in the last label ends the domain
 * there) and a label may start or end with `-` (`-example.com`, `example-.com`); -1 unless one of them is read, or
 * unless the top-level domain is a valid one as it stands (no `gluedOrDottedEnd`: `clip@2x.mp4-.x` is a file name).
 */
function domainEnd(text: string, from: number, lenient = false): number {
  let i = from;
  const limit = Math.min(text.length, from + MAX_DOMAIN);
  while (i < limit && (isDomainChar(text.charCodeAt(i)) || (lenient && text.charCodeAt(i) === 95))) i++;
  // Trim trailing dots and hyphens (sentence punctuation, `a@b.com.`).
  while (i > from && (text.charCodeAt(i - 1) === 46 || text.charCodeAt(i - 1) === 45)) i--;
  let underscore = false;
  if (lenient) {
    let j = i;
    while (j > from && text.charCodeAt(j - 1) !== 46) j--;
    while (j < i && text.charCodeAt(j) !== 95) j++;
    i = j; // at a `_` in the last label (`jane@sub_domain.example.com_2026`)
    while (i > from && (text.charCodeAt(i - 1) === 46 || text.charCodeAt(i - 1) === 45)) i--;
    for (j = from; j < i && !underscore; j++) underscore = text.charCodeAt(j) === 95;
  }
  let edgeHyphen = false;
  // `_` is no domain character, so it ends the domain (`export_jane@example.com_2026.csv`); other word characters glue.
  if (i < limit && isWordChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 95) return -1;
  let labels = 0;
  let labelStart = from;
  for (let j = from; j <= i; j++) {
    if (j === i || text.charCodeAt(j) === 46) {
      const len = j - labelStart;
      if (len === 0 || len > 63) return -1;
      if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(j - 1) === 45) {
        if (!lenient) return -1;
        edgeHyphen = true;
      }
      if (lenient) {
        let k = labelStart;
        while (k < j && (text.charCodeAt(k) === 45 || text.charCodeAt(k) === 95)) k++;
        if (k === j) return -1; // a label of `-` and `_` alone (`jane@-.com`)
      }
      labels++;
      labelStart = j + 1;
    }
  }
  if (labels < 2 || (lenient && !underscore && !edgeHyphen)) return -1;
  const tldStart = text.lastIndexOf('.', i - 1) + 1;
  const tldLen = i - tldStart;
  if (tldLen < 2 || tldLen > 24) return lenient ? -1 : gluedOrDottedEnd(text, from, i);
  for (let j = tldStart; j < i; j++)
    if (!isAsciiLetter(text.charCodeAt(j)) && !isNonAsciiLetter(text.charCodeAt(j)))
      return lenient ? -1 : gluedOrDottedEnd(text, from, i);
  if (isFileExtension(text, tldStart, i)) return lenient ? -1 : gluedOrDottedEnd(text, from, i);
  // Glued to the next address (`jane@example.comjohn@example.org`): both addresses, not one up to the second `@`.
  if (text.charCodeAt(i) === 64) {
    const chained = chainedTldEnd(text, from, i);
    if (chained !== -1) return chained;
  }
  return i;
}

/**
 * `gluedTldEnd`, else `dottedTldEnd`, else `chainedTldEnd`: where a domain whose last label is no top-level domain
 * ends, or -1.
 */
function gluedOrDottedEnd(text: string, from: number, end: number): number {
  const glued = gluedTldEnd(text, from, end);
  if (glued !== -1) return glued;
  const dotted = dottedTldEnd(text, from, end);
  return dotted !== -1 ? dotted : chainedTldEnd(text, from, end);
}

/**
 * The end of a domain glued to the next address's local part (`a0@example.coma1@example.com`: the domain runs into
 * the `@` after it), or -1: after the longest common top-level domain (see `COMMON_TLDS`) or the two letters that
 * start its last label.
 */
function chainedTldEnd(text: string, from: number, end: number): number {
  if (text.charCodeAt(end) !== 64) return -1;
  const labelStart = text.lastIndexOf('.', end - 1) + 1;
  if (labelStart <= from) return -1;
  let letters = 0;
  while (labelStart + letters < end && isAsciiLetter(text.charCodeAt(labelStart + letters))) letters++;
  for (let n = Math.min(letters, 24); n > 2; n--)
    if (COMMON_TLDS.has(text.slice(labelStart, labelStart + n).toLowerCase())) return labelStart + n;
  return letters >= 2 ? labelStart + 2 : -1;
}

/**
 * The end of a domain followed by `.` and a label that is no top-level domain (`jane@example.com.1`,
 * `jane@example.co.uk.v2`, `jane@example.com.z`: a file or key suffix), or -1: the last dot after which the domain
 * read so far has at least two labels and ends in a two-letter or common top-level domain (see `COMMON_TLDS`).
 */
function dottedTldEnd(text: string, from: number, end: number): number {
  for (let dot = text.lastIndexOf('.', end - 1); dot > from; dot = text.lastIndexOf('.', dot - 1)) {
    const tldStart = text.lastIndexOf('.', dot - 1) + 1;
    if (tldStart <= from) return -1; // one label left
    let j = tldStart;
    while (j < dot && isAsciiLetter(text.charCodeAt(j))) j++;
    if (j !== dot) continue;
    const letters = dot - tldStart;
    if (letters === 2 || (letters > 2 && COMMON_TLDS.has(text.slice(tldStart, dot).toLowerCase()))) return dot;
  }
  return -1;
}

/** `c` as a digit of base 37 (`a`-`z`: 1-26, `0`-`9`: 27-36, other ASCII: 0 and never part of an extension). */
function extensionDigit(c: number): number {
  const lower = c | 32;
  if (lower >= 97 && lower <= 122 && c >= 65) return lower - 96;
  return c >= 48 && c <= 57 ? c - 21 : 0;
}

/** `FILE_EXTENSIONS` as numbers: their characters as base-37 digits (all fit a small integer). */
const EXTENSION_CODES = new Set(
  [...FILE_EXTENSIONS].map((e) => {
    let n = 0;
    for (let k = 0; k < e.length; k++) n = n * 37 + extensionDigit(e.charCodeAt(k));
    return n;
  }),
);
const LONGEST_EXTENSION = Math.max(...[...FILE_EXTENSIONS].map((e) => e.length));

/**
 * Whether `text[start, end)` is one of `FILE_EXTENSIONS` in any case: `FILE_EXTENSIONS.has(slice.toLowerCase())`
 * without the two strings per address (a non-ASCII character takes that path).
 */
export function isFileExtension(text: string, start: number, end: number): boolean {
  if (end - start > LONGEST_EXTENSION) return false;
  let n = 0;
  for (let j = start; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c > 127) return FILE_EXTENSIONS.has(text.slice(start, end).toLowerCase());
    const d = extensionDigit(c);
    if (d === 0) return false;
    n = n * 37 + d;
  }
  return EXTENSION_CODES.has(n);
}

/**
 * The end of a domain whose top-level domain has a digit or a `-word` glued to it (`jane@example.com2026`,
 * `jane@example.com-backup`, `jane@example.com2026.csv`), or -1: the first label after the first one that starts
 * with two or more letters forming a two-letter or common top-level domain (see `COMMON_TLDS`) directly followed by
 * a digit or `-`. The domain ends after those letters.
 */
function gluedTldEnd(text: string, from: number, end: number): number {
  let labelStart = text.indexOf('.', from) + 1;
  while (labelStart > 0 && labelStart < end) {
    let j = labelStart;
    while (j < end && j - labelStart <= 24 && isAsciiLetter(text.charCodeAt(j))) j++;
    const letters = j - labelStart;
    const next = codeAt(text, j);
    const dot = text.indexOf('.', labelStart);
    // A file extension that starts with a top-level domain is still one (`clip@2x.mp4`, `logs@2x.bz2`).
    const labelEnd = dot === -1 || dot >= end ? end : dot;
    if (letters >= 2 && j < end && (isDigit(next) || next === 45) && !isFileExtension(text, labelStart, labelEnd)) {
      const tld = text.slice(labelStart, j).toLowerCase();
      if (letters === 2 || COMMON_TLDS.has(tld)) return j;
    }
    labelStart = dot === -1 || dot >= end ? 0 : dot + 1;
  }
  return -1;
}

/**
 * Top-level domains accepted after an obfuscated or spaced `@` (`john(at)example.com`, `jane @ example.org`):
 * any two-letter (country) domain and these generic ones. Narrower than for a plain `@`, because `svc @
 * node-1.cluster.local` or `retry at db.internal` is how logs say where something ran.
 */
const COMMON_TLDS = new Set([
  'com',
  'net',
  'org',
  'edu',
  'gov',
  'mil',
  'int',
  'info',
  'biz',
  'name',
  'pro',
  'app',
  'dev',
  'email',
  'mail',
  'online',
  'site',
  'tech',
  'store',
  'shop',
  'cloud',
  'xyz',
  'live',
  'blog',
  'news',
  'museum',
  'travel',
  'jobs',
  'aero',
  'coop',
  'asia',
  'mobi',
  'company',
  'group',
  'global',
  'world',
]);

/** A blank inside a spaced or obfuscated address. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** An obfuscated `@`: `(at)`, `[at]`, `{at}`, `<at>` (any case, blanks inside and before). */
const BRACKETED_AT = /[ \t]{0,2}[([{<][ \t]?at[ \t]?[)\]}>]/gi;
/**
 * An `@` written as a bracketed `a` glued to the local part and the domain (`info(a)example.de`, as German and Nordic
 * web pages write it; `[a]`, `{a}`, `<a>`): no blanks, so a lettered list (`choose (a) github.com`) is none.
 */
const GLUED_A = /[([{<]a[)\]}>]/gi;
/** The word ` at ` between blanks (taken only with an obfuscated dot in the domain). */
const PLAIN_AT = /[ \t]at[ \t]/gi;

/** An obfuscated `.` in a domain: `(dot)`, `[dot]`, `[.]`, `(.)`, ` dot ` (any case). */
const OBFUSCATED_DOT = /[ \t]{0,2}[([{<][ \t]?(?:dot|\.)[ \t]?[)\]}>][ \t]{0,2}|[ \t]{1,2}dot[ \t]{1,2}/iy;

/** Words that are no domain label after the word ` at ` (`look at the dot com bubble` is prose). */
const PROSE_LABELS = new Set(['the', 'a', 'an', 'this', 'that', 'my', 'your', 'our', 'their', 'his', 'her', 'its']);

/**
 * Whether a text may hold an obfuscated address (the detector's trigger for those forms). Without it, `find` is
 * `findAt`; the scanner's single pass (`classify`) has a bit for it and calls `findAt` directly when it is unset.
 */
export const OBFUSCATION_HINT = /[([{<][ \t]?at?[ \t]?[)\]}>]|[([{<][ \t]?(?:dot|\.)[ \t]?[)\]}>]|\sdot\s/i;

/**
 * The end of a domain written with obfuscated dots (`example dot com`, `example[.]com`, `example(dot)co(dot)uk`)
 * or plain ones, starting at `from`; -1 unless it has two labels or more, an alphabetic top-level domain that
 * is a common one (see `COMMON_TLDS`; with `anyTld`, any but a file extension) and, when `needObfuscatedDot`,
 * at least one obfuscated dot.
 */
function obfuscatedDomainEnd(text: string, from: number, needObfuscatedDot: boolean, anyTld = false): number {
  const limit = Math.min(text.length, from + MAX_DOMAIN);
  let i = from;
  let labels = 0;
  let obfuscated = false;
  let tldStart = -1;
  let end = -1;
  for (;;) {
    const labelStart = i;
    while (i < limit && (startsLabel(text.charCodeAt(i)) || text.charCodeAt(i) === 45)) i++;
    if (i === labelStart || i - labelStart > 63) break;
    if (needObfuscatedDot && i - labelStart <= 5 && PROSE_LABELS.has(text.slice(labelStart, i).toLowerCase()))
      return -1;
    labels++;
    tldStart = labelStart;
    end = i;
    if (i < limit && text.charCodeAt(i) === 46 && startsLabel(codeAt(text, i + 1))) {
      i++;
      continue;
    }
    OBFUSCATED_DOT.lastIndex = i;
    const m = OBFUSCATED_DOT.exec(text);
    if (m === null || !startsLabel(codeAt(text, i + m[0].length))) break;
    obfuscated = true;
    i += m[0].length;
  }
  if (labels < 2 || (needObfuscatedDot && !obfuscated) || isWordChar(codeAt(text, end))) return -1;
  for (let j = tldStart; j < end; j++) if (!isAsciiLetter(text.charCodeAt(j))) return -1;
  const tld = text.slice(tldStart, end).toLowerCase();
  if (anyTld) return end - tldStart <= 24 && !FILE_EXTENSIONS.has(tld) ? end : -1;
  return tld.length === 2 || COMMON_TLDS.has(tld) ? end : -1;
}

/**
 * The start of the local part ending at `end` (exclusive), or -1 (none). From a run longer than 64 characters, its
 * last 64 (an identifier glued to an address, `<64 hex>.jane@example.com`: the masked text covers any real local
 * part and the rest of the run is left; not the whole run, since walking back over it from every anchor would be
 * quadratic on `a%40a%40…`).
 */
function localStart(text: string, end: number): number {
  let start = end;
  const min = Math.max(0, end - MAX_LOCAL);
  while (start > min && isLocalChar(text.charCodeAt(start - 1))) start--;
  start = localPartStart(text, start, end);
  if (start === end || text.charCodeAt(end - 1) === 46) return -1;
  return start;
}

/** The start of a quoted local part (`"john.doe"`, `"jane@home"`) whose closing quote is at `close`, or -1. */
function quotedLocalStart(text: string, close: number): number {
  const min = Math.max(0, close - MAX_LOCAL - 1);
  let alnum = false;
  for (let j = close - 1; j >= min; j--) {
    const c = text.charCodeAt(j);
    if (c === 34) return alnum ? j : -1;
    if (c === 10 || c === 13) return -1; // an `@` is a character of a quoted local part (`"jane@home"@…`)
    if (isAlnum(c)) alnum = true;
  }
  return -1;
}

/**
 * Where a local part written with obfuscated dots starts when its last word starts at `start` (`jane dot doe at …`,
 * `jane[dot]doe(at)…`): before it, up to three words of local-part characters each followed by an obfuscated dot
 * (`OBFUSCATED_DOT`), none of them a prose word (`PROSE_LABELS`: `the dot jane at …`).
 */
function dottedLocalStart(text: string, start: number): number {
  for (let words = 0; words < 3; words++) {
    let dot = -1;
    for (let k = start - 3; k >= Math.max(1, start - 12) && dot === -1; k--) {
      OBFUSCATED_DOT.lastIndex = k;
      const m = OBFUSCATED_DOT.exec(text);
      if (m !== null && k + m[0].length === start && isLocalChar(text.charCodeAt(k - 1))) dot = k;
    }
    if (dot === -1) return start;
    let w = dot;
    while (w > 0 && dot - w < MAX_LOCAL && isLocalChar(text.charCodeAt(w - 1))) w--;
    w = asciiLocalStart(text, w, dot);
    if (w === dot || (dot - w <= 5 && PROSE_LABELS.has(text.slice(w, dot).toLowerCase()))) return start;
    start = w;
  }
  return start;
}

/** Addresses with an obfuscated `@` (`(at)`, `[at]`, ` at ` with an obfuscated dot), appended to `out`. */
function findObfuscated(text: string, out: Finding[]): void {
  for (const [re, plain] of [
    [BRACKETED_AT, false],
    [GLUED_A, false],
    [PLAIN_AT, true],
  ] as const) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      // `(a)` only glued on both sides to letters or digits (of any script).
      if (re === GLUED_A && !(startsLocalPart(text, m.index + 3) && isLocalChar(codeAt(text, m.index - 1)))) continue;
      let atEnd = m.index + m[0].length;
      while (atEnd < text.length && atEnd - m.index - m[0].length < 2 && isBlank(text.charCodeAt(atEnd))) atEnd++;
      let start = localStart(text, m.index);
      if (start === -1 || codeAt(text, start - 1) === 64) continue;
      // A local part written one character apart (`j a n e (at) …`): the spaced view keeps `(at)` as it is, so only
      // the last character touches it; three or more single characters before it with the same blank are the local
      // part too (one or two are prose: `x a [at] …`).
      const blank = codeAt(text, start + 1);
      if (start + 1 === m.index && isBlank(blank)) {
        let from = start;
        while (
          from >= 2 &&
          text.charCodeAt(from - 1) === blank &&
          isLocalChar(text.charCodeAt(from - 2)) &&
          !isLocalChar(codeAt(text, from - 3))
        )
          from -= 2;
        if (start - from >= 4) start = from;
      }
      // A bracketed `(at)` is deliberate (no prose writes it): any top-level domain. The word ` at ` needs an
      // obfuscated dot and a common top-level domain.
      const end = obfuscatedDomainEnd(text, atEnd, plain, !plain);
      if (end === -1) continue;
      start = dottedLocalStart(text, start);
      out.push({ start, end, type: 'email' });
      re.lastIndex = end;
    }
  }
}

/**
 * `email`: `local@domain.tld`. Anchors on `@`, expands left over at most 64 local-part characters (a longer run is masked from its 64th character) and
 * right over at most 253 domain characters. Also found: a quoted local part (`"john.doe"@example.com`),
 * blanks around the `@` (`jane @ example.com`), and obfuscated forms: `(at)`, `[at]`, `{at}`, `<at>`, with
 * plain or obfuscated dots (`john(at)example.com`, `john [at] example [dot] com`), and the word ` at ` when the
 * domain has an obfuscated dot too (`john.doe at example dot com`); the spaced and obfuscated forms need a
 * common top-level domain (any two-letter one, `com`, `org`, …) except after a bracketed `(at)`. Not matched: npm scopes and versions
 * (`@scope/pkg`, `lodash@4.17.21`), image variants (`icon@2x.png`), digests (`img@sha256:…`), hosts without a
 * TLD (`root@localhost`), and ` at ` with a plain dot (`deployed 1.2 at api.example.com` is prose).
 */
export const emailDetector: Detector = {
  name: 'email',
  trigger: /@|%40|[([{<] ?at? ?[)\]}>]|\sdot\s/i,
  mayMatch: (text) => text.indexOf('@') !== -1 || text.indexOf('%40') !== -1 || OBFUSCATION_HINT.test(text),
  find(text: string, out: Finding[]): void {
    const first = out.length;
    findAt(text, out);
    if (OBFUSCATION_HINT.test(text)) {
      findObfuscated(text, out);
      if (out.length - first > 1) {
        const mine = out.splice(first).sort((x, y) => x.start - y.start);
        for (const f of mine) out.push(f);
      }
    }
  },
};

/** Longest comment read next to an `@` (`jane(work)@example.com`). */
const MAX_COMMENT = 64;

/** The other half of a bracket around an `@` (`[@]`, `(@)`, `{@}`, `<@>`), or -1. */
function closingBracket(c: number): number {
  return c === 40 ? 41 : c === 91 ? 93 : c === 123 ? 125 : c === 60 ? 62 : -1;
}

/**
 * Where the local part ends before `at`, over what RFC 5322 allows around an `@` (comments and folding white space:
 * `jane(c)@`, `jane\r\n @`, `jane (work) @`): up to two blanks, a line break, a comment of at most `MAX_COMMENT`
 * characters, in any order, three steps at most.
 */
function cfwsBefore(text: string, at: number): number {
  let k = at;
  for (let step = 0; step < 3; step++) {
    const was = k;
    while (k > 0 && was - k < 2 && isBlank(text.charCodeAt(k - 1))) k--;
    if (codeAt(text, k - 1) === 10) k -= codeAt(text, k - 2) === 13 ? 2 : 1;
    else if (codeAt(text, k - 1) === 13) k--; // a lone CR (an old Mac line break) reads as one too
    if (codeAt(text, k - 1) === 41) {
      let j = k - 2;
      while (j >= 0 && k - j <= MAX_COMMENT + 1 && !isCommentStop(text.charCodeAt(j))) j--;
      if (j >= 0 && text.charCodeAt(j) === 40 && j < k - 2) k = j;
    }
    if (k === was) break;
  }
  return k;
}

/** Where the domain starts after `from` (one past the `@`), over comments and folding white space (see `cfwsBefore`). */
function cfwsAfter(text: string, from: number): number {
  let k = from;
  for (let step = 0; step < 3; step++) {
    const was = k;
    while (k - was < 2 && isBlank(codeAt(text, k))) k++;
    if (codeAt(text, k) === 13 && codeAt(text, k + 1) === 10) k += 2;
    else if (codeAt(text, k) === 10 || codeAt(text, k) === 13) k++;
    while (k - was < 4 && isBlank(codeAt(text, k))) k++;
    if (codeAt(text, k) === 40) {
      let j = k + 1;
      while (j < text.length && j - k <= MAX_COMMENT && !isCommentStop(text.charCodeAt(j))) j++;
      if (codeAt(text, j) === 41 && j > k + 1) k = j + 1;
    }
    if (k === was) break;
  }
  return k;
}

/** Characters that end a comment's search: brackets and line breaks (an `@` is a character of it: `jane(c@d)@…`). */
function isCommentStop(c: number): boolean {
  return c === 40 || c === 41 || c === 10 || c === 13;
}

/**
 * The end of a domain literal at `from` (`[203.0.113.7]`, `[IPv6:2001:db8::1]`), or -1: at most 64 characters of hex
 * digits, `.` and `:` (after an optional `IPv6:` tag) with a digit and three dots or two colons, between brackets.
 */
function domainLiteralEnd(text: string, from: number): number {
  if (codeAt(text, from) !== 91) return -1;
  let j = from + 1;
  if (text.startsWith('IPv6:', j) || text.startsWith('ipv6:', j)) j += 5;
  const first = j;
  let digit = false;
  let dots = 0;
  let colons = 0;
  while (j < text.length && j - first <= 64) {
    const c = text.charCodeAt(j);
    if (isDigit(c)) digit = true;
    else if (c === 46) dots++;
    else if (c === 58) colons++;
    else if (!((c | 32) >= 97 && (c | 32) <= 102)) break;
    j++;
  }
  // An address: a dotted quad or an IPv6 address (`items@[0]` is an index).
  return digit && (dots === 3 || colons >= 2) && codeAt(text, j) === 93 ? j + 1 : -1;
}

/**
 * Addresses anchored on `@` or `%40` (plain, quoted local part, blanks around the `@`), appended to `out`. `percent`:
 * false when the caller knows the text holds no `%40` (the scanner's single pass saw no `%XX`: no `NEEDS_VIEW`), so
 * the text is not searched for it.
 */
export function findAt(text: string, out: Finding[], percent = true): void {
  let from = 0;
  // Two anchors: '@' and its URL-encoded form '%40' (`?email=jane%40example.com`).
  let nextAt = -2;
  let nextPct = percent ? -2 : -1;
  let lastStart = -1;
  let lastEnd = -1;
  for (;;) {
    if (nextAt !== -1 && nextAt < from) nextAt = text.indexOf('@', from);
    if (nextPct !== -1 && nextPct < from) nextPct = text.indexOf('%40', from);
    if (nextAt === -1 && nextPct === -1) return;
    const pct = nextAt === -1 || (nextPct !== -1 && nextPct < nextAt);
    const at = pct ? nextPct : nextAt;
    const atLen = pct ? 3 : 1;
    from = at + atLen;
    // Blanks, comments and folded lines around a plain `@` (`jane @ example.com`, `jane(c)@…`, `jane\r\n @…`), and a
    // bracketed `@` (`jane[@]example.com`).
    let localEnd = at;
    let domainStart = at + atLen;
    if (!pct) {
      const close = closingBracket(codeAt(text, at - 1));
      if (close !== -1 && codeAt(text, at + 1) === close) {
        localEnd = at - 1;
        domainStart = at + 2;
      }
      localEnd = cfwsBefore(text, localEnd);
      domainStart = cfwsAfter(text, domainStart);
    }
    const spaced = localEnd !== at || domainStart !== at + atLen;
    let start: number;
    if (codeAt(text, localEnd - 1) === 34) {
      start = quotedLocalStart(text, localEnd - 1);
      // No quoted local part (no opening quote in reach, a line break or `@` between, a stray quote: `jane"@…`): the
      // local part before the quote, so the address is not left readable (fail closed).
      if (start === -1) start = localStart(text, localEnd - 1);
    } else {
      const min = Math.max(0, localEnd - MAX_LOCAL);
      // A dot or RFC 5322 symbols right before a plain `@` end the local part (`jane.doe.@`, `jane.doe!@`).
      let runEnd = localEnd;
      if (localEnd === at) while (runEnd > min && isAtextTail(text.charCodeAt(runEnd - 1))) runEnd--;
      else if (text.charCodeAt(localEnd - 1) === 46) continue; // `Done. @example.com`: a sentence's end
      const run = localRunStart(text, runEnd, min);
      start = localPartStart(text, run, runEnd);
      if (start === runEnd) continue;
      if (runEnd === at && codeAt(text, start - 1) === 61) start = verpStart(text, start, at);
      if (start > run && text.charCodeAt(start - 1) === 123) start--; // `{jane.doe}@`: from its brace
      // A URL's host and a path segment starting with `@` (`https://medium.com/@jane.doe`): no local part.
      if (runEnd < localEnd && text.charCodeAt(localEnd - 1) === 47 && text.startsWith('//', start - 2)) continue;
      // Longer than a local part can be (`<64 hex>.jane@example.com`, 65 letters of any script): its last 64
      // characters, from the first that starts a local part (`localPartStart`), and the domain are masked (fail
      // closed), not skipped.
    }
    if (start === -1) continue;
    // `a@b@c`: an address whose local part is the domain of the address found just before it (`jane@example.com@host`)
    // is that address's tail. After an `@` that ends no finding (`@jane.doe@example.com`, a mention) it is one, also
    // when the address before is inside it (`@jane(x@example.com)@example.org`: a comment holding an address).
    if (codeAt(text, start - 1) === 64 && start < lastEnd && lastStart < start) {
      if (lastEnd >= localEnd) continue;
      // The address before ended inside this run, short of this `@` (its top-level domain glued to more:
      // `jane@example.comjohn@example.org`, `jane@example.com2026@…`): what follows it is this local part.
      start = localPartStart(text, lastEnd, localEnd);
      if (start === localEnd) continue;
    }
    let end = domainLiteralEnd(text, domainStart);
    if (end === -1) end = spaced ? obfuscatedDomainEnd(text, domainStart, false) : domainEnd(text, domainStart);
    // `_` in a label (`jane@sub_domain.example.com`, `@example_shop.com`) or `-` at its edge (`jane@-example.com`):
    // read again with them when the domain is none without, or stops short of a `_` (`jane@a0.b1_c.com`, read as
    // `a0.b` and a glued `1`); the longer reading is taken (`jane@example.com_2026.csv` ends at its `_`).
    if (!spaced) {
      let k = end === -1 ? domainStart : end;
      while (k - domainStart < MAX_DOMAIN && isDomainChar(codeAt(text, k))) k++;
      if (end === -1 || codeAt(text, k) === 95) end = Math.max(end, domainEnd(text, domainStart, true));
    }
    if (end === -1) continue;
    if (!spaced && !pct && sshRemote(text, start, at, end)) continue;
    out.push({ start, end, type: 'email' });
    from = end;
    lastStart = start;
    lastEnd = end;
  }
}

/**
 * Whether `text[start, end)` reads as a domain: two or more labels of ASCII letters, digits and inner `-`, the last a
 * two-letter or common top-level domain (`COMMON_TLDS`).
 */
function encodedDomain(text: string, start: number, end: number): boolean {
  let labels = 0;
  let labelStart = start;
  let lastLabel = start;
  for (let j = start; j <= end; j++) {
    const c = j === end ? 46 : text.charCodeAt(j);
    if (c === 46) {
      if (j === labelStart || text.charCodeAt(labelStart) === 45 || text.charCodeAt(j - 1) === 45) return false;
      labels++;
      lastLabel = labelStart;
      labelStart = j + 1;
    } else if (!isAlnum(c) && c !== 45) return false;
  }
  // the last label, read within the range (a search back for its dot would read the text before `start` too)
  const tld = text.slice(lastLabel, end).toLowerCase();
  return labels >= 2 && /^[a-z]+$/.test(tld) && (tld.length === 2 || COMMON_TLDS.has(tld));
}

/**
 * A VERP return path (`bounce-1-jane=example.com@lists.example.org`, `bounces+12345-jane.doe=example.com@…`: mailing
 * lists write the recipient into the sender's local part, its `@` as `=`): where the local part starts when the one
 * read so far, `text[start, at)`, follows a `=` and reads as a domain (`encodedDomain`) and the word before that `=`
 * holds a `+` or a digit (a key before an address, `user=jane.doe@…`, `reply-to=…`, holds neither): that word's start;
 * else `start`.
 */
function verpStart(text: string, start: number, at: number): number {
  if (!encodedDomain(text, start, at)) return start;
  const eq = start - 1;
  const word = localPartStart(text, localRunStart(text, eq, Math.max(0, at - MAX_LOCAL)), eq);
  for (let k = word; k < eq; k++) {
    const c = text.charCodeAt(k);
    if (c === 43 || isDigit(c)) return word;
  }
  return start;
}

/**
 * Whether the address `text[start, end)` with its `@` at `at` is the user `git` of an SSH remote: `git@github.com:org/
 * repo.git` (scp-like: a `:` and a path after the host, not a port) or `ssh://git@host/…` (a URL's user). Git hosts
 * serve every repository as that user; it is nobody's mailbox.
 */
function sshRemote(text: string, start: number, at: number, end: number): boolean {
  if (at - start !== 3) return false;
  if ((text.charCodeAt(start) | 32) !== 103 || (text.charCodeAt(start + 1) | 32) !== 105) return false;
  if ((text.charCodeAt(start + 2) | 32) !== 116) return false;
  const after = codeAt(text, end);
  if (text.startsWith('://', start - 3)) return after === 47 || after === 58;
  const next = codeAt(text, end + 1);
  return after === 58 && (isAlnum(next) || next === 126 || next === 47) && !isDigit(next);
}

/** A letter or digit starting a label of an obfuscated or spaced domain: ASCII, or a non-ASCII name character (IDN). */
function startsLabel(c: number): boolean {
  return isAlnum(c) || isNonAsciiLetter(c);
}
