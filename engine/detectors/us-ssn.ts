import { codeAt, isDigit, isWordChar, keywordBefore } from './chars';
import type { Detector, Finding } from './types';

/** Words that mark a nearby unformatted or space-separated number as an SSN. */
// `itin`, `ss#` and `ss no` only as words: `writing`, `class no` are no context.
export const SSN_CONTEXT = /ssn|social.?security|\bss#|\bss no\b|taxpayer|\btin\b|\bitin\b/i;

/** Digits `text[i, i + count)` as a number, or -1 when one is not a digit. */
function digitsAt(text: string, i: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const c = codeAt(text, i + k);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/**
 * Whether area/group/serial form an SSN the SSA can issue: area not 000, 666 or 900-999; group not
 * 00; serial not 0000. Also refuses the numbers made public in advertising (078-05-1120, 219-09-9999).
 */
export function validSsn(area: number, group: number, serial: number): boolean {
  if (area <= 0 || area === 666 || area >= 900) return false;
  if (group <= 0 || serial <= 0) return false;
  if ((area === 78 && group === 5 && serial === 1120) || (area === 219 && group === 9 && serial === 9999)) return false;
  return true;
}

/**
 * A left boundary for a number: not glued to another number or a dotted/dashed sequence (`1.123.45.6789`, a product
 * code `ABC-123-45-6789`). Letters glued directly to it do not hide it (`SSN123-45-6789`, `id:A123-45-6789`), nor does
 * a word and a `.` before it (`customer.123-45-6789.visits`).
 */ function leftFree(text: string, i: number): boolean {
  const p = codeAt(text, i - 1);
  // After `_` or `/` only a digit glues (`ssn_123-45-6789`, `/users/123-45-6789` hold an SSN; `1_123`, `2024/123` not).
  if (p === 95 || p === 47) return !isDigit(codeAt(text, i - 2));
  // After `.` only a digit glues, and only an SSN written with `.` too (`1.123.45.6789` is a longer dotted sequence);
  // an SSN with another separator is a unit of its own after a number and `.` (`1.123-45-6789`, `v2.123/45/6789`), and
  // a word before the `.` does not hide it (`customer.123-45-6789.visits`). After `-` or `+` a word glues too
  // (`SKU-123-45-6789` is a product code).
  if (p === 46) {
    const sep = codeAt(text, i + 3);
    return !isDigit(codeAt(text, i - 2)) || (sep !== 46 && !isDigit(sep));
  }
  if (p === 45 || p === 43) return !isWordChar(codeAt(text, i - 2));
  return !isDigit(p);
}

/**
 * A right boundary: not glued to a digit, a decimal or a further `-`/`.` digit group (letters do not hide it:
 * `123-45-6789abc`). `_` ends a number written with another separator (`123-45-6789_2026.csv`); after `AAA_GG_SSSS` a
 * further `_` digit group continues it. A `.` and one to three digits ending the run end a number written with another
 * separator too (`123-45-6789.1`: an index or version; `123.45.6789.1` is a longer dotted sequence).
 */
function rightFree(text: string, j: number, sep: number): boolean {
  const c = codeAt(text, j);
  if (c === 95) return sep !== 95 || !isDigit(codeAt(text, j + 1));
  if (c === 46 && sep !== 46) {
    let k = j + 1;
    while (k - j <= 3 && isDigit(codeAt(text, k))) k++;
    const after = codeAt(text, k);
    if (k > j + 1 && k - j <= 4 && !isDigit(after) && !(after === 46 && isDigit(codeAt(text, k + 1)))) return true;
  }
  if (isDigit(c)) return false;
  if ((c === 45 || c === 46 || c === 47 || c === 58) && isDigit(codeAt(text, j + 1))) return false;
  return true;
}

/** A blank between the parts of an SSN (space, tab, a line break: `ssn\r123\r45\r6789`); read after a keyword only. */
function isSsnBlank(sep: number): boolean {
  return sep === 32 || sep === 9 || sep === 10 || sep === 13;
}

/**
 * A separator between the parts of an SSN: `-`, space, `.`, `_`, and the slashes (`/`, fraction slash `⁄`, division
 * slash `∕`, big solidus `⧸`); an ASCII `/` not after another `/` (`/users/123/45/6789` is a path of ids).
 */
function isSsnSeparator(sep: number, before: number): boolean {
  if (sep === 45 || isSsnBlank(sep) || sep === 46 || sep === 95) return true;
  if (sep === 47) return before !== 47;
  return sep === 0x2044 || sep === 0x2215 || sep === 0x29f8;
}

/**
 * The length of the separator between an SSN's parts at `k`: 1 for one separator (`isSsnSeparator`); 2 or 3 for a
 * separator written twice or with blanks around it (`123--45--6789`, `123..45..6789`, `123 - 45 - 6789`, two tabs),
 * the card detector reads such runs too; 0 for none. `before` is the unit before the area.
 */
function separatorGap(text: string, k: number, before: number): number {
  const c = codeAt(text, k);
  if (!isSsnSeparator(c, before)) return 0;
  const d = codeAt(text, k + 1);
  if (isDigit(d)) return 1;
  if (c === 47 || d === 47) return 0; // `//` (a path) and `/` with blanks: not one separator
  if (d === c) return isDigit(codeAt(text, k + 2)) ? 2 : 0;
  // a separator with a blank on each side (`123 - 45 - 6789`)
  if (isSsnBlank(c) && isSsnSeparator(d, c) && !isSsnBlank(d) && codeAt(text, k + 2) === c)
    return isDigit(codeAt(text, k + 3)) ? 3 : 0;
  return 0;
}

/** Whether `text[b, b + gap)` is written as `text[a, a + gap)`. */
function sameGap(text: string, a: number, b: number, gap: number): boolean {
  for (let q = 0; q < gap; q++) if (codeAt(text, a + q) !== codeAt(text, b + q)) return false;
  return true;
}

/** Whether the separator `text[k, k + gap)` is blanks only (read after a keyword only). */
function blankGap(text: string, k: number, gap: number): boolean {
  for (let q = 0; q < gap; q++) if (!isSsnBlank(codeAt(text, k + q))) return false;
  return true;
}

/**
 * `us-ssn`: US Social Security Numbers. `AAA-GG-SSSS` (also `AAA.GG.SSSS`, `AAA_GG_SSSS`, `AAA/GG/SSSS` and with the
 * Unicode slashes `⁄` `∕` `⧸`, one separator throughout, also written twice or between blanks: `123--45--6789`,
 * `123 - 45 - 6789`) is matched anywhere; `AAA GG SSSS` (also a tab or a line
 * break throughout) and
 * `AAAGGSSSS` only after a nearby keyword (letters glued on either side do not hide it: `SSN123-45-6789`) (`ssn`, `social security`, `taxpayer`, …) because
 * unformatted nine-digit numbers are mostly ids. Area, group and serial must be issuable.
 */
export const usSsnDetector: Detector = {
  name: 'us-ssn',
  minDigits: 9,
  trigger: /\d{3}[- \t\r\n._/\u2044\u2215\u29f8]{1,3}\d\d[- \t\r\n._/\u2044\u2215\u29f8]{1,3}\d{4}|\d{9}/,
  mayMatch: (text) => usSsnDetector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (!isDigit(text.charCodeAt(i))) {
        i++;
        continue;
      }
      // Skip to the end of this digit run if it does not start a candidate.
      let runEnd = i;
      while (runEnd < n && isDigit(text.charCodeAt(runEnd))) runEnd++;
      const len = runEnd - i;
      if ((len === 3 || len === 9) && leftFree(text, i)) {
        let end = -1;
        let sep = -1;
        let area = -1;
        let group = -1;
        let serial = -1;
        if (len === 3) {
          sep = codeAt(text, i + 3);
          const gap = separatorGap(text, i + 3, codeAt(text, i - 1));
          if (gap !== 0 && sameGap(text, i + 3, i + 5 + gap, gap)) {
            area = digitsAt(text, i, 3);
            group = digitsAt(text, i + 3 + gap, 2);
            serial = digitsAt(text, i + 5 + 2 * gap, 4);
            if (group >= 0 && serial >= 0 && (!blankGap(text, i + 3, gap) || keywordBefore(text, i, SSN_CONTEXT, 40)))
              end = i + 9 + 2 * gap;
          }
        } else if (keywordBefore(text, i, SSN_CONTEXT, 40)) {
          area = digitsAt(text, i, 3);
          group = digitsAt(text, i + 3, 2);
          serial = digitsAt(text, i + 5, 4);
          end = runEnd;
        }
        if (end !== -1 && rightFree(text, end, sep) && validSsn(area, group, serial)) {
          out.push({ start: i, end, type: 'us-ssn' });
          i = end;
          continue;
        }
      }
      i = runEnd;
    }
  },
};
