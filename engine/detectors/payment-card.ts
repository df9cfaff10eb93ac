import { codeAt, isAsciiLetter, isDigit, isWordChar } from './chars';
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
 * The separator a code unit is between two digit groups: 32 for a space (also tab, NBSP, narrow NBSP,
 * figure space), else the code unit itself for `-` `.` `_` `:` `|` `/` `+` (not `,`: CSV fields), 0 for anything
 * else. A number keeps one separator style throughout.
 */
function groupSep(c: number): number {
  if (c === 32 || c === 9 || c === 0xa0 || c === 0x202f || c === 0x2007) return 32;
  return c === 45 || c === 46 || c === 95 || c === 58 || c === 124 || c === 47 || c === 43 ? c : 0;
}

/**
 * Whether the letters directly before `i` are a short word of their own (`CC4111…`, `card4111…`):
 * 1-12 ASCII letters, not preceded by another word character.
 */
function letterPrefix(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && i - j <= 12 && isAsciiLetter(text.charCodeAt(j))) j--;
  return j < i - 1 && i - j <= 13 && !isWordChar(codeAt(text, j));
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

// Reused group buffers (detectors run synchronously and never re-enter).
const scratchStarts: number[] = [];
const scratchLengths: number[] = [];
const scratchSeps: number[] = []; // separator before group g (0 for the first)

/** Whether a sequence of digit-group lengths is a printed card layout (contiguous, 4-4-4-4(-3), 4-6-5, 4-6-4). */
function validLayout(lengths: number[], from: number, to: number, total: number): boolean {
  const n = to - from;
  if (n === 1) return true;
  if (n === 3 && lengths[from] === 4 && lengths[from + 1] === 6 && (lengths[from + 2] === 5 || lengths[from + 2] === 4))
    return true;
  if (n < 3) return false;
  for (let g = from; g < to - 1; g++) if (lengths[g] !== 4) return false;
  const last = lengths[to - 1];
  return last >= 1 && last <= 4 && total >= 13;
}

/**
 * `payment-card`: 12-19 digit card numbers, contiguous or grouped with single spaces (also
 * non-breaking), hyphens or dots (4-4-4-4, 4-6-5, or any even grouping such as 2-2-2-…), that pass
 * the Luhn check and have a valid issuer prefix and length. A contiguous number may carry a short
 * letter prefix (`CC4111…`). Numbers glued to letters on the right, to longer digit runs or to a
 * decimal point are not matched.
 */
export const paymentCardDetector: Detector = {
  name: 'payment-card',
  minDigits: 12,
  // Every layout has four digits followed by four more (directly, or after one separator).
  trigger: /\d{2}[ \t.\-_:|/+\u00a0\u2007\u202f]?\d{2}[ \t.\-_:|/+\u00a0\u2007\u202f]?\d{2}/,
  mayMatch: (text) => paymentCardDetector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const n = text.length;
    const starts = scratchStarts;
    const lengths = scratchLengths;
    const seps = scratchSeps;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (!isDigit(c)) {
        i++;
        continue;
      }
      // A run starts here: reject runs glued to words or decimals on the left.
      const prev = codeAt(text, i - 1);
      const prev2 = codeAt(text, i - 2);
      const gluedLeft =
        (isWordChar(prev) && !(isAsciiLetter(prev) && letterPrefix(text, i))) ||
        ((prev === 46 || prev === 45 || prev === 47) && isDigit(prev2)) ||
        (prev === 45 && isWordChar(prev2));
      // Short runs (fewer than 12 digits) cannot hold a card: skip them without collecting groups.
      let probe = i;
      let runDigits = 0;
      for (;;) {
        while (probe < n && isDigit(text.charCodeAt(probe))) {
          probe++;
          runDigits++;
        }
        const s = groupSep(codeAt(text, probe));
        if (s !== 0 && isDigit(codeAt(text, probe + 1))) {
          probe++;
          continue;
        }
        break;
      }
      if (runDigits < 12) {
        i = probe;
        continue;
      }
      // Collect the run: digit groups joined by single ' ' or '-'.
      starts.length = 0;
      lengths.length = 0;
      seps.length = 0;
      let j = i;
      let sep = 0;
      for (;;) {
        const gs = j;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
        starts.push(gs);
        lengths.push(j - gs);
        seps.push(sep);
        const s = groupSep(codeAt(text, j));
        if (s !== 0 && isDigit(codeAt(text, j + 1))) {
          sep = s;
          j++;
          continue;
        }
        break;
      }
      const runEnd = j;
      const next = codeAt(text, runEnd);
      const gluedRight = isWordChar(next) || (next === 46 && isDigit(codeAt(text, runEnd + 1)));
      i = runEnd;
      // Try windows of consecutive groups; a window may only be cut from the run at spaces, and a
      // grouped window must not be cut out of a longer 4-4-4-… layout.
      const count = starts.length;
      const glued = gluedLeft || gluedRight;
      let found = false;
      for (let a = 0; a < count; a++) {
        if (a === 0 ? gluedLeft : seps[a] !== 32) continue;
        const leftFour = a > 0 && lengths[a - 1] === 4;
        let total = 0;
        let matched = -1;
        for (let b = a; b < count && b < a + 5; b++) {
          if (b > a + 1 && seps[b] !== seps[a + 1]) break; // one separator style inside a number
          total += lengths[b];
          if (total > 19) break;
          const atEnd = b === count - 1;
          if (atEnd ? gluedRight : seps[b + 1] !== 32) continue;
          if (b > a && (leftFour || (!atEnd && lengths[b + 1] === 4))) continue;
          if (total < 12 || !validLayout(lengths, a, b + 1, total)) continue;
          if (
            !validCardPrefix(leadingDigits(text, starts[a], 6), total) ||
            !luhnValid(text, starts[a], starts[b] + lengths[b])
          )
            continue;
          matched = b;
        }
        if (matched !== -1) {
          out.push({ start: starts[a], end: starts[matched] + lengths[matched], type: 'payment-card' });
          a = matched;
          found = true;
        }
      }
      // The whole run, evenly grouped with one separator (`41 11 11 11 11 11 11 11`).
      if (!found && !glued && runDigits >= 13 && runDigits <= 19 && evenGrouping(lengths, seps, count)) {
        if (validCardPrefix(leadingDigits(text, starts[0], 6), runDigits) && luhnValid(text, starts[0], runEnd))
          out.push({ start: starts[0], end: runEnd, type: 'payment-card' });
      }
    }
  },
};
