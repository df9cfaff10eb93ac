import { codeAt, inUspsTracking, inUuid, isAsciiLetter, isDigit, isHexDigit, isWordChar } from './chars';
import type { Detector, Finding } from './types';

/** Luhn (mod 10) check over the digits of `text[start, end)`, skipping non-digits. */
export function luhnValid(text: string, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) continue;
    let d = c - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether a card number of `length` digits may start with `digits` (its first six digits as a
 * number, `prefix6`): Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay,
 * Maestro, Mir.
 */
export function validCardPrefix(prefix6: number, length: number): boolean {
  const p1 = Math.floor(prefix6 / 100000);
  const p2 = Math.floor(prefix6 / 10000);
  const p3 = Math.floor(prefix6 / 1000);
  const p4 = Math.floor(prefix6 / 100);
  if (p1 === 4) return length === 13 || length === 16 || length === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return length === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return length === 15; // Amex
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65) return length >= 16 && length <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return length >= 16 && length <= 19; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return length >= 14 && length <= 19; // Diners
  if (p2 === 62) return length >= 16 && length <= 19; // UnionPay
  if (p4 >= 2200 && p4 <= 2204) return length >= 16 && length <= 19; // Mir
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return length >= 12 && length <= 19; // Maestro
  return false;
}

/** The first `count` digits of `text` from `start` (skipping separators) as a number. */
function leadingDigits(text: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < text.length && count > 0; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) continue;
    v = v * 10 + (c - 48);
    count--;
  }
  return v;
}

/**
 * A blank between digit groups: space, tab, CR, LF, NBSP, the Unicode spaces (`U+2000`-`U+200A`, narrow NBSP,
 * medium mathematical space, ideographic space, Ogham space mark).
 */
function isBlank(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    (c > 127 &&
      (c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0x1680))
  );
}

/**
 * Punctuation between digit groups: `-` `.` `_` `:` `|` `/` `+` `*` `~` `,` `;`, and the Unicode forms of a slash,
 * asterisk, tilde or comma people paste (`⁄` `∕` `∗` `⁓` `〜` `،` `؛` `、`); dashes and bullets are `-` and `.` in the
 * normalized view.
 */
function isPunctSep(c: number): boolean {
  if (c > 127) return isListPunct(c) || c === 0x2044 || c === 0x2215 || c === 0x2217 || c === 0x2053 || c === 0x301c;
  return (
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 58 ||
    c === 124 ||
    c === 47 ||
    c === 43 ||
    c === 42 ||
    c === 126 ||
    c === 44 ||
    c === 59
  );
}

/** A comma or semicolon, ASCII or not (Arabic `،` `؛`, ideographic `、`): where list items end. */
function isListPunct(c: number): boolean {
  return c === 44 || c === 59 || c === 0x60c || c === 0x61b || c === 0x3001;
}

/** Longest separator between two digit groups (`4111 - 1111`, `4111 -- 1111`, `4111\r\n1111`). */
const MAX_SEP = 4;

/** Whether `text[j, k)` holds a comma or semicolon (`isListPunct`). */
function hasListPunct(text: string, j: number, k: number): boolean {
  for (let i = j; i < k; i++) if (isListPunct(text.charCodeAt(i))) return true;
  return false;
}

// Outputs of `separatorAt` (detectors run synchronously and never re-enter).
let sepStyle = 0;
let sepCut = false;

/**
 * The separator between two digit groups at `j`: 1-4 blanks and punctuation characters (`4111 1111`,
 * `4111  1111`, `4111,1111`, `4111\r\n1111`, `4111 - 1111`, `4111 -- 1111`) or a single `x` (`4111x1111`), followed by a
 * digit. A `,` or `;` with anything else (`4001, 4002`) separates list items, not digit groups. Returns its length (0: no separator here) and writes its style to `sepStyle` (32 for blanks only,
 * the character for a single punctuation character or `x`, 1 for any other mix) and whether a number may
 * be cut there to `sepCut` (blanks, `,` and `;`: where one value ends and the next begins in text and CSV).
 */
function separatorAt(text: string, j: number): number {
  const c = codeAt(text, j);
  if ((c === 120 || c === 88) && isDigit(codeAt(text, j + 1))) {
    sepStyle = 120;
    sepCut = false;
    return 1;
  }
  let k = j;
  let blanks = 0;
  let cut = false;
  while (k - j < MAX_SEP) {
    const d = codeAt(text, k);
    if (isBlank(d)) {
      blanks++;
      cut = true;
    } else if (isPunctSep(d)) {
      if (isListPunct(d)) cut = true;
    } else break;
    k++;
  }
  const len = k - j;
  if (len === 0 || !isDigit(codeAt(text, k))) return 0;
  // `4001, 4002, 4003, 4004` is a list of numbers: a comma or semicolon joins groups only on its own.
  if (len > 1 && cut && blanks < len && hasListPunct(text, j, k)) return 0;
  sepStyle = blanks === len ? 32 : len === 1 ? c : 1;
  sepCut = cut;
  return len;
}

/** Shortest all-hex word treated as a digest or id (`sha1`, trace id): cards glued inside it are not read. */
const MIN_HEX_WORD = 24;

/** The last word `inHexWord` read whole: `text[wordStart, wordEnd)`, and whether it is a long hexadecimal string. */
let wordText: string | undefined;
let wordStart = 0;
let wordEnd = 0;
let wordHex = false;

/**
 * Whether the word (letters, digits, `_`) around `[start, end)` is a long hexadecimal string (a digest, trace
 * or container id), whose decimal stretches are no card numbers. The whole word is read (a non-hex character
 * anywhere in it makes it no digest, however far from the digits), once per word: the candidates inside the word
 * read last reuse its answer, so a long word with many candidates stays linear.
 */
function inHexWord(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (!isHexDigit(text.charCodeAt(k))) return false;
  // `[start, end)` is hex, so inside one word: the word read last when it holds `[start, end)`.
  if (text === wordText && start >= wordStart && end <= wordEnd) return wordHex;
  let a = start;
  while (a > 0 && isWordChar(text.charCodeAt(a - 1))) a--;
  let b = end;
  while (b < text.length && isWordChar(text.charCodeAt(b))) b++;
  let hex = b - a >= MIN_HEX_WORD;
  for (let k = a; hex && k < b; k++) if (!isHexDigit(text.charCodeAt(k))) hex = false;
  wordText = text;
  wordStart = a;
  wordEnd = b;
  wordHex = hex;
  return hex;
}

/**
 * Whether groups `[0, count)` written with one separator throughout form an evenly grouped number
 * (`41 11 11 11 11 11 11 11`, `411.111.111.111.111.1`): every group but the last has the same length
 * of at least two digits, the last is not longer.
 */
function evenGrouping(lengths: number[], seps: number[], count: number): boolean {
  if (count < 2) return false;
  const size = lengths[0];
  if (size < 2) return false;
  for (let g = 1; g < count; g++) {
    if (seps[g] !== seps[1]) return false;
    if (g < count - 1 ? lengths[g] !== size : lengths[g] > size) return false;
  }
  return true;
}

/**
 * A word before `-` that labels the number after it as an identifier (`ORD-4111…`, `ticket-…`, `orderId-…`,
 * `SN-…`): order, invoice, ticket, serial and tracking numbers print 12-19 digits that may pass the card checks. Other
 * words glued with `-` do not hide a card (`card-4111…`, `cc-4111…`, `x-4111…`).
 */
const ID_LABEL =
  /(?:^|[^a-z])(?:id|no|nr|num|ord|ref|inv|txn|trx|tx|req|sku|po|so|msg|evt|job|run|seq|pkg|upc|ean|gtin|sn|lot|acct)$|(?:id|order|invoice|ticket|case|event|build|batch|track|tracking|shipment|isbn|serial|imei|number|account)$/i;

/**
 * Whether a number may also be cut from its run before group `g` at a punctuation separator: one `-` `/` `_` `:` `|`
 * `+` `*` `~` or a Unicode slash, or a run of two to four punctuation characters (a version, date or count joined to
 * the card: `v2-4111…`, `1.0-4111 1111 1111 1111`, `4111…/2`, `2024-01-15--4111…`, `7::4111…`), or a `.` after a
 * dotted part (`1.0.4111…`). A first `.` is a decimal point, unless the run's first group is glued to a letter on its
 * left (`versionWord`: `v2.4111…`, `x1.4111 1111 1111 1111`): no decimal number starts glued to a letter, a version
 * does. Grouped windows are cut out of a longer 4-4-4-… layout only with at most two groups beside them.
 */
function punctCut(seps: number[], g: number, versionWord: boolean): boolean {
  const s = seps[g];
  if (s === 46) return g >= 2 ? seps[g - 1] === 46 : g === 1 && versionWord;
  // Style 1 (a mix) with a blank is cut already (`sepCut`); without one it is a punctuation run (`--`, `::`, `-.`).
  return s !== 32 && s !== 120;
}

/**
 * A number printed with thousands grouping (`4,111,111,111,111,111`, `4 111 111 111 111 111`): a first group of one to
 * three digits, then groups of three, one separator throughout.
 */
function thousandsGrouping(lengths: number[], seps: number[], count: number): boolean {
  if (count < 4 || lengths[0] > 3) return false;
  for (let g = 1; g < count; g++) if (lengths[g] !== 3 || seps[g] !== seps[1]) return false;
  return true;
}

/**
 * A number in scientific notation whose mantissa holds every digit (`4.111111111111111e15`, `4.111111111111111E+15`,
 * also engineering notation with two or three digits before the point, `41.11111111111111e14`, and a decimal comma,
 * `4,111111111111111E+15`): groups `d` (to `ddd`), `.` or `,`, `ddd…` then `e`/`E`, an optional `+` and an exponent
 * at least the fraction's length. Returns the end of the exponent, or -1.
 */
function scientificEnd(text: string, runEnd: number, lengths: number[], seps: number[], count: number): number {
  if (count !== 2 || lengths[0] > 3 || (seps[1] !== 46 && seps[1] !== 44)) return -1;
  const e = codeAt(text, runEnd);
  if (e !== 101 && e !== 69) return -1;
  let k = runEnd + 1;
  if (codeAt(text, k) === 43) k++;
  let exponent = 0;
  const from = k;
  while (k - from < 3 && isDigit(codeAt(text, k))) exponent = exponent * 10 + (text.charCodeAt(k++) - 48);
  if (k === from || isDigit(codeAt(text, k)) || exponent < lengths[1] || exponent > 18) return -1;
  return k;
}

/**
 * The card digits a scientific-notation number `d.ddd…e<exponent>` (`whole` digits before the point) writes (trailing
 * zeros added).
 */
function scientificDigits(text: string, start: number, whole: number, fractionEnd: number, exponent: number): string {
  const mantissa = text.slice(start, start + whole) + text.slice(start + whole + 1, fractionEnd);
  return mantissa + '0'.repeat(exponent + whole - mantissa.length);
}

/**
 * Where a track-2 card number ends at `end` (a `D`, `d` or `=`, then an expiry `YYMM` with a month 01-12 and a digit
 * after it, the service code): the start of the longest 12-19 digits of `text[groupStart, end)` that end there with an
 * issuer prefix of their length and pass the Luhn check; -1 when there is none.
 */
function track2Start(text: string, groupStart: number, end: number): number {
  const c = codeAt(text, end);
  if (c !== 68 && c !== 100 && c !== 61) return -1;
  for (let k = end + 1; k < end + 6; k++) if (!isDigit(codeAt(text, k))) return -1;
  const month = (text.charCodeAt(end + 3) - 48) * 10 + (text.charCodeAt(end + 4) - 48);
  if (month < 1 || month > 12) return -1;
  for (let len = Math.min(19, end - groupStart); len >= 12; len--) {
    const start = end - len;
    if (validCardPrefix(leadingDigits(text, start, 6), len) && luhnValid(text, start, end)) return start;
  }
  return -1;
}

/** A separator between digit groups as the trigger reads it: 1-4 blanks and punctuation characters, or `x`. */
const GROUP_SEP =
  '(?:[ \\t\\r\\n.\\-_:|/+*~,;\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u2044\\u2215\\u2217\\u2053\\u301c\\u060c\\u061b\\u3001]{1,4}|x)';

/**
 * What a card in groups of three holds, which has no two digits on both sides of a separator: thousands grouping (five
 * groups, 13 digits at least) or an even grouping of three (`400 000 000 000 6`): a digit, three groups of three and a
 * digit, one separator between.
 */
const THOUSANDS = new RegExp(`\\d${GROUP_SEP}\\d{3}${GROUP_SEP}\\d{3}${GROUP_SEP}\\d{3}${GROUP_SEP}\\d`, 'i');

// Reused group buffers (detectors run synchronously and never re-enter).
const scratchStarts: number[] = [];
const scratchLengths: number[] = [];
const scratchSeps: number[] = []; // separator style before group g (0 for the first)
const scratchCuts: boolean[] = []; // whether the number may be cut before group g

/**
 * Whether a sequence of digit-group lengths is a printed card layout (contiguous, 4-4-4-4(-3), 4-6-5, 4-6-4, and the
 * 19-digit 6-13 of UnionPay, Maestro and Visa: `622673 5125266467531`).
 */
function validLayout(lengths: number[], from: number, to: number, total: number): boolean {
  const n = to - from;
  if (n === 1) return true;
  if (n === 2) return lengths[from] === 6 && lengths[from + 1] === 13;
  if (n === 3 && lengths[from] === 4 && lengths[from + 1] === 6 && (lengths[from + 2] === 5 || lengths[from + 2] === 4))
    return true;
  if (n < 3) return false;
  for (let g = from; g < to - 1; g++) if (lengths[g] !== 4) return false;
  const last = lengths[to - 1];
  return last >= 1 && last <= 4 && total >= 13;
}

/**
 * `payment-card`: 12-19 digit card numbers, contiguous or grouped (4-4-4-4, 4-6-5, or any even grouping
 * such as 2-2-2-…) with separators of 1-3 blanks and punctuation characters (space, NBSP, tab, line
 * breaks, `-` `.` `_` `:` `|` `/` `+`, mixed inside one number; `,` and `;` only on their own) or `x`, that pass the Luhn check and
 * have a valid issuer prefix and length. Letters glued on either side (`CC4111…`, `abc4111…xyz`) and
 * trailing cents (`4111….00`) do not hide a number, nor does a word and `-` (`card-4111…`, `x-4111…`) unless the word
 * labels an identifier (`ID_LABEL`: `ID-`, `ORD-`, `ticket-`, …). Separators may also be `*`, `~`, the Unicode spaces,
 * slashes, asterisk and commas (`⁄`, `∗`, Arabic `،`) and up to four characters long (`4111 -- 1111`). Not matched:
 * numbers glued to longer digit runs, after a decimal point or an identifier label, and decimal stretches inside long
 * hexadecimal words (digests, trace ids) or UUIDs. A version, date or count joined by one to four punctuation
 * characters does not hide a number (`v2-4111…`, `1.0-4111 1111 1111 1111`, `2024-01-15--4111…`; see `punctCut`), nor
 * do one or two more groups beside a grouped card (`4111 1111 1111 1111 2812`), thousands grouping
 * (`4,111,111,111,111,111`), scientific notation holding every digit (`4.111111111111111e15`, `41.11111111111111e14`,
 * `4,111111111111111E+15`) or track 2 data around it (`…4111111111111111D2812201…`, EMV tag 57).
 */
export const paymentCardDetector: Detector = {
  name: 'payment-card',
  minDigits: 12,
  // Every layout has six digits with at most one separator (1-3 characters, or `x`) after the second and fourth.
  trigger:
    /\d{2}(?:[ \t\r\n.\-_:|/+*~,;\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2044\u2215\u2217\u2053\u301c\u060c\u061b\u3001]{0,4}|x)\d{2}(?:[ \t\r\n.\-_:|/+*~,;\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2044\u2215\u2217\u2053\u301c\u060c\u061b\u3001]{0,4}|x)\d{2}/i,
  // Or groups of three (`4,111,111,111,111`, `400 000 000 000 6`; `thousandsGrouping`, `evenGrouping`).
  mayMatch: (text) => paymentCardDetector.trigger.test(text) || THOUSANDS.test(text),
  find(text: string, out: Finding[]): void {
    findCards(text, out);
    // The word cache reads only within one call; the text (a raw value) is not kept past it.
    wordText = undefined;
  },
};

/** Whether the separator before group `g` and the one before group `h` are the same text (both after a first group). */
function sameSeparator(text: string, g: number, h: number): boolean {
  const s1 = scratchStarts[g - 1] + scratchLengths[g - 1];
  const s2 = scratchStarts[h - 1] + scratchLengths[h - 1];
  const len = scratchStarts[g] - s1;
  if (scratchStarts[h] - s2 !== len) return false;
  for (let k = 0; k < len; k++) if (text.charCodeAt(s1 + k) !== text.charCodeAt(s2 + k)) return false;
  return true;
}

/**
 * How many groups of four beside the grouped window `[a, b]` (`a < b`) continue its layout, counted up to 3: on each
 * side, the groups of four in a row joined by the window's own separator. A table or array of numbers (`1111 2222 3333
 * 4444 5555 …`) continues it with three or more; a value that only ends or starts in one or two groups of four does not
 * (a phone number or SSN, `+44 20 7946 0958 4111 …`, `202 555 0143 4111 …`, `123-45-6789 / 4111 …`), nor does one
 * written with another separator (`0143 | 4111 …`, another card on the next line or after ` / `).
 */
function layoutGroupsBeside(text: string, a: number, b: number, count: number): number {
  let beside = 0;
  for (let k = a - 1; k >= 0 && beside < 3 && scratchLengths[k] === 4 && sameSeparator(text, k + 1, a + 1); k--)
    beside++;
  for (let k = b + 1; k < count && beside < 3 && scratchLengths[k] === 4 && sameSeparator(text, k, b); k++) beside++;
  return beside;
}

/** `paymentCardDetector.find` without clearing the word cache afterwards. */
function findCards(text: string, out: Finding[]): void {
  const n = text.length;
  const starts = scratchStarts;
  const lengths = scratchLengths;
  const seps = scratchSeps;
  const cuts = scratchCuts;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) {
      i++;
      continue;
    }
    // Short runs (fewer than 12 digits) cannot hold a card: skip them without collecting groups.
    let probe = i;
    let runDigits = 0;
    for (;;) {
      while (probe < n && isDigit(text.charCodeAt(probe))) {
        probe++;
        runDigits++;
      }
      const len = separatorAt(text, probe);
      if (len === 0) break;
      probe += len;
    }
    if (runDigits < 12) {
      i = probe;
      continue;
    }
    // Collect the run: digit groups and the separators between them.
    starts.length = 0;
    lengths.length = 0;
    seps.length = 0;
    cuts.length = 0;
    let j = i;
    let style = 0;
    let cut = false;
    for (;;) {
      const gs = j;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      starts.push(gs);
      lengths.push(j - gs);
      seps.push(style);
      cuts.push(cut);
      const len = separatorAt(text, j);
      if (len === 0) break;
      style = sepStyle;
      cut = sepCut;
      j += len;
    }
    const runEnd = j;
    // Glued on the left to a decimal, version, date or an identifier label (`ID-`, `ORD-`; see `ID_LABEL`): no number
    // starts at the run.
    // Letters glued on either side are allowed (`CC4111…`, `abc4111…xyz`, `4111…n`), except inside a
    // long hexadecimal word (a digest or trace id), whose decimal stretches are not cards.
    const prev = codeAt(text, i - 1);
    const prev2 = codeAt(text, i - 2);
    // Inside a UUID (`…-000d-560000000003`, `…-1234-567890123456`) no group is a card.
    const uuid = (prev === 45 || codeAt(text, runEnd) === 45 || starts.length > 1) && inUuid(text, i, runEnd);
    const gluedLeft =
      uuid ||
      ((prev === 46 || prev === 45 || prev === 47) && isDigit(prev2)) ||
      (prev === 45 && isWordChar(prev2) && ID_LABEL.test(text.slice(Math.max(0, i - 18), i - 1))) ||
      (isWordChar(prev) && inHexWord(text, i, runEnd));
    const gluedRight = uuid || (isWordChar(codeAt(text, runEnd)) && inHexWord(text, i, runEnd));
    i = runEnd;
    // Try windows of consecutive groups; a window may only be cut from the run where values are
    // separated (blanks, `,`, `;`), and a grouped window is cut out of a longer 4-4-4-… layout only with at most two
    // groups beside it.
    // Separators may differ inside one number (`4111-1111 1111.1111`); a trailing `.00` or `,00` is cents.
    const count = starts.length;
    const glued = gluedLeft || gluedRight;
    const joints = !uuid; // punctuation joints may cut the run (`punctCut`)
    const versionWord = isAsciiLetter(prev); // `v2.4111…`: the first `.` is no decimal point
    let found = false;
    for (let a = 0; a < count; a++) {
      if (a === 0 ? gluedLeft : !cuts[a] && !(joints && punctCut(seps, a, versionWord))) continue;
      let total = 0;
      let matched = -1;
      for (let b = a; b < count && b < a + 5; b++) {
        total += lengths[b];
        if (total > 19) break;
        const atEnd = b === count - 1;
        const cents = b === count - 2 && lengths[b + 1] <= 2 && (seps[b + 1] === 46 || seps[b + 1] === 44);
        if (atEnd ? gluedRight : !cuts[b + 1] && !cents && !(joints && punctCut(seps, b + 1, versionWord))) continue;
        // A grouped window is cut out of a longer 4-4-4-… layout only with at most two groups beside it (an expiry, a
        // CVV, a count: `4111 1111 1111 1111 2812`, `1234 4111 1111 1111 1111`): longer runs are tables and arrays of
        // numbers, whose windows of four pass the card checks 4.6 % of the time. A value beside it that only ends or starts
        // in one or two groups of four, or is written with another separator, is no part of that layout
        // (`layoutGroupsBeside`).
        if (b > a && count - (b - a + 1) > 2 && layoutGroupsBeside(text, a, b, count) > 2) continue;
        if (total < 12 || !validLayout(lengths, a, b + 1, total)) continue;
        if (
          !validCardPrefix(leadingDigits(text, starts[a], 6), total) ||
          !luhnValid(text, starts[a], starts[b] + lengths[b])
        )
          continue;
        matched = b;
      }
      if (matched !== -1) {
        const end = starts[matched] + lengths[matched];
        // The groups of a USPS tracking number printed whole (`9400 3638 1739 4391 3612 45`) are a parcel's.
        if (!(matched > a && inUspsTracking(text, starts[a], end)))
          out.push({ start: starts[a], end, type: 'payment-card' });
        // A later window overlapping this one may hold the card this one only touched (`+44 20 4573 4395 5555 5555 5555
        // 4444`: `4395 5555 5555 5555` passes the checks by chance): every window start is tried.
        found = true;
      }
    }
    // Track 2 (EMV tag 57, a magnetic stripe): the card number, `D` or `=`, the expiry (`…1111D2812201…`), glued inside
    // a hexadecimal string of TLV data (`…5713` + the number): the number is the last 12-19 digits before the `D`.
    if (!found && !uuid) {
      const pan = track2Start(text, starts[count - 1], runEnd);
      if (pan !== -1) {
        out.push({ start: pan, end: runEnd, type: 'payment-card' });
        found = true;
      }
    }
    // A number in scientific notation holding every digit (`4.111111111111111e15`).
    const sciEnd = found || gluedLeft ? -1 : scientificEnd(text, runEnd, lengths, seps, count);
    if (sciEnd !== -1) {
      const written = scientificDigits(
        text,
        starts[0],
        lengths[0],
        runEnd,
        Number(text.slice(runEnd + 1, sciEnd).replace('+', '')),
      );
      if (validCardPrefix(leadingDigits(written, 0, 6), written.length) && luhnValid(written, 0, written.length)) {
        out.push({ start: starts[0], end: sciEnd, type: 'payment-card' });
        i = sciEnd;
        continue;
      }
    }
    // The whole run, evenly grouped with one separator (`41 11 11 11 11 11 11 11`) or in thousands
    // (`4,111,111,111,111,111`).
    if (
      !found &&
      !glued &&
      runDigits >= 13 &&
      runDigits <= 19 &&
      (evenGrouping(lengths, seps, count) || thousandsGrouping(lengths, seps, count))
    ) {
      if (validCardPrefix(leadingDigits(text, starts[0], 6), runDigits) && luhnValid(text, starts[0], runEnd))
        out.push({ start: starts[0], end: runEnd, type: 'payment-card' });
    }
  }
}
