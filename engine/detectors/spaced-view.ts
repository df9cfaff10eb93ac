import { codeAt, isDigit } from './chars';
import type { NormalizedView } from './normalizer';

/**
 * Whether a character can separate the characters or digit groups of a value, by Unicode category: punctuation (P),
 * symbols (S), separators (Z), controls (Cc), format characters (Cf: the normalized view removes the invisible ones,
 * but not the visible number signs and annotation marks, `؀` U+0600, U+FFF9) and numbers that are not decimal digits
 * (Nl, No: `ⅼ` U+217C, `²`, `①`). Letters, decimal digits and marks never separate.
 */
const SEPARATOR_CATEGORY = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\p{Nl}\p{No}]/u;

/** ASCII answers of `SEPARATOR_CATEGORY` (the regex only for non-ASCII code units): 1 for every ASCII character but
 * letters and digits. */
export const ASCII_SEPARATOR = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = SEPARATOR_CATEGORY.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
})();

/** Whether code unit `c` separates (see `SEPARATOR_CATEGORY`); surrogates do not (see `separatorUnitsAt`). */
export function isSeparatorUnit(c: number): boolean {
  if (c < 128) return ASCII_SEPARATOR[c] === 1;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return SEPARATOR_CATEGORY.test(String.fromCharCode(c));
}

/**
 * How many code units of `text` at `k` (`k < text.length`) are one separating character: 1 for a separator unit, 2
 * for a surrogate pair whose character separates (a symbol or punctuation outside the BMP: emoji, `4111💳1111💳…`), 1
 * for a lone surrogate (no character: an encoder writes it as U+FFFD, a symbol, so `4111\ud800 1111…` is exported as
 * `4111� 1111…`), 0 otherwise (the low half of a pair too).
 */
function separatorUnitsAt(text: string, k: number): number {
  const c = text.charCodeAt(k);
  if (c < 0xd800 || c > 0xdfff) return isSeparatorUnit(c) ? 1 : 0;
  if (c >= 0xdc00) return isHighSurrogate(text.charCodeAt(k - 1)) ? 0 : 1;
  if (!isLowSurrogate(text.charCodeAt(k + 1))) return 1;
  return SEPARATOR_CATEGORY.test(text.slice(k, k + 2)) ? 2 : 0;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Whether the character that ends at `i` (`i > 0`) separates, one unit or a surrogate pair (`separatorUnitsAt`). */
function separatorBefore(text: string, i: number): boolean {
  const u = separatorUnitsAt(text, i - 1);
  return (
    u === 1 || (u === 0 && i >= 2 && isLowSurrogate(text.charCodeAt(i - 1)) && separatorUnitsAt(text, i - 2) === 2)
  );
}

/** Whether `text[a, a + len)` is separating characters only, none cut in two (`separatorUnitsAt`). */
function isSeparatorSlice(text: string, a: number, len: number): boolean {
  let q = a;
  while (q < a + len) {
    const u = separatorUnitsAt(text, q);
    if (u === 0) return false;
    q += u;
  }
  return q === a + len;
}

/** Whether `text[i, i + 3)` is `%2B` (either case): a percent-encoded `+`, as form encoding writes a number's. */
function encodedPlusAt(text: string, i: number): boolean {
  return text.charCodeAt(i) === 37 && text.charCodeAt(i + 1) === 50 && (text.charCodeAt(i + 2) | 32) === 98;
}

/** Whether `c` ends a list item (`,` `;` and their Arabic and ideographic forms): `4001, 4002` is a list. */
function isListPunct(c: number): boolean {
  return c === 44 || c === 59 || c === 0x60c || c === 0x61b || c === 0x3001;
}

/** Fewest characters one separator apart that are read as one word (`4 1 1 1 …`, `j_a_n_e_@_…`). */
export const MIN_SPACED_CHARS = 8;

/** Longest separator written between every character (`4 - 1 - 1 …`). */
const MAX_SPACED_SEP = 3;

/** Fewest digit groups one long or unusual separator apart that are read as one number. */
const MIN_GROUPS = 3;

/** Longest separator between digit groups (`4111          1111`). */
const MAX_GROUP_SEP = 64;

/**
 * Separators the detectors read themselves between digit groups (up to four blanks and ASCII punctuation): a run of
 * groups separated only by these needs no view.
 */
function detectorsReadSeparator(text: string, a: number, b: number): boolean {
  if (b - a > 4) return false;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || READ_SEPARATOR[c] === 0) return false;
  }
  return true;
}

/** Whether `text[a, a + len)` equals `text[b, b + len)`. */
function sameSlice(text: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** Whether `text[a, a + len)` is one code unit written `len` times. */
function repeatsUnit(text: string, a: number, len: number): boolean {
  for (let k = 1; k < len; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(a)) return false;
  return true;
}

/** Length in code units of the run of separating characters at `i` (at most about `max`: `separatorUnitsAt`). */
function separatorRun(text: string, i: number, max: number): number {
  let k = i;
  for (let u; k < text.length && k - i < max && (u = separatorUnitsAt(text, k)) !== 0;) k += u;
  return k - i;
}

/**
 * The end of a run at `i` of single characters written one separator apart, with the same separator throughout (1-3
 * separator units, the longest that fits: `4 - 1 - 1 …` before `4 1 1 …`, `j_a_n_e_@_e_x…`) and at least
 * `MIN_SPACED_CHARS` characters; or -1. Writes the separator's length to `spacedSep`. Reads at most
 * `MIN_SPACED_CHARS` steps past `i` when there is no such run.
 */
function spacedRunEnd(text: string, i: number): number {
  const n = text.length;
  for (let len = MAX_SPACED_SEP; len >= 1; len--) {
    if (i + 1 + len >= n) continue;
    // One to three separating characters, an emoji (two units) among them (`4😀1😀1…`).
    const ok = isSeparatorSlice(text, i + 1, len);
    // `4, 1, 1` is a list of items, not a word; one comma or semicolon doubled or tripled is no list (`4,,1,,1`).
    if (!ok || (len > 1 && isListPunct(text.charCodeAt(i + 1)) && !repeatsUnit(text, i + 1, len))) continue;
    let count = 1;
    let p = i;
    while (p + 1 + len < n && sameSlice(text, i + 1, p + 1, len)) {
      const kept = text.charCodeAt(p + 1 + len);
      if (kept >= 0xd800 && kept <= 0xdfff) break;
      count++;
      p += 1 + len;
    }
    // The last character starts the next word when it is glued to it (`j a n e … c o m x2000`): not part of the run.
    if (p > i && p + 1 < n && separatorUnitsAt(text, p + 1) === 0) {
      count--;
      p -= 1 + len;
    }
    if (count >= MIN_SPACED_CHARS) {
      spacedSep = len;
      return p + 1;
    }
  }
  return -1;
}

// Outputs of `spacedRunEnd` and `groupRun` (never re-entered).
let spacedSep = 0;
let groupsRead = 0;

/**
 * ASCII separators the detectors read between digit groups themselves (space, tab, line breaks, `.-_:/,;`). Not `+`,
 * `*`, `|` and `~`: the card detector reads them, but the phone, IBAN and SSN detectors do not, so groups joined by
 * them get the view (`phone=%2B1+202+555+0143` and `iban=GB82+WEST+…` as form encoding writes them, `123*45*6789`).
 */
const READ_SEPARATOR = (() => {
  const t = new Uint8Array(128);
  for (const ch of ' \t\r\n.-_:/,;') t[ch.charCodeAt(0)] = 1;
  return t;
})();

/**
 * URL, query and address punctuation that never separates digit groups here (`123?page=2&sort`, `%20`, `#frag`,
 * `fake12@example.com`).
 */
const URL_PUNCT = (() => {
  const t = new Uint8Array(128);
  for (const ch of '?=&#%@') t[ch.charCodeAt(0)] = 1;
  return t;
})();

/**
 * URL punctuation and the backslash (1): between groups of digits only, and written alone (`4111?1111?…`,
 * `123#45#6789`, `4111\\1111\\…`), never between groups with letters (`a=4111&b=1111`, `%41%42` is percent-encoding).
 */
export const DIGIT_GROUP_PUNCT = (() => {
  const t = new Uint8Array(128);
  for (const ch of '?=&#%@\\') t[ch.charCodeAt(0)] = 1;
  return t;
})();

/**
 * ASCII separators that may stand between digit groups in the view (1): neither read by the detectors themselves
 * (`READ_SEPARATOR`) nor URL punctuation (`URL_PUNCT`): `4111!1111`, `4111¦…`'s ASCII kin. Letters and digits are 0.
 */
export const UNREAD_SEPARATOR = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++)
    t[c] = ASCII_SEPARATOR[c] === 1 && READ_SEPARATOR[c] === 0 && URL_PUNCT[c] === 0 ? 1 : 0;
  return t;
})();

/** ASCII letter or digit. */
function isAlnumUnit(c: number): boolean {
  return isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 122);
}

/**
 * Groups of letters and digits from `i` (at least `MIN_GROUPS`, nine digits in all) with one separator throughout
 * that the detectors do not read themselves (see `spacedView`): appends the separators to `edits` (kind 1) and
 * returns the end of the run; -1 (and `edits` unchanged) when there is none, with the end of what was read in
 * `groupsRead` (no group run starts inside it: a later start holds fewer groups and digits; the last group read is
 * not inside, its separator after may differ).
 */
function groupRun(text: string, i: number, edits: number[]): number {
  const n = text.length;
  let j = i;
  let digits = 0;
  while (j < n && isAlnumUnit(text.charCodeAt(j))) if (isDigit(text.charCodeAt(j++))) digits++;
  const sepStart = j;
  groupsRead = j;
  const sepLen = separatorRun(text, j, MAX_GROUP_SEP + 1);
  if (sepLen === 0 || sepLen > MAX_GROUP_SEP || j + sepLen >= n || !isAlnumUnit(text.charCodeAt(j + sepLen))) return -1;
  if (detectorsReadSeparator(text, j, j + sepLen)) return -1;
  // URL punctuation and `\\` separate only groups of digits, written alone (`4111?1111`, not `?page=2&size=10`).
  let urlPunct = false;
  for (let k = j; k < j + sepLen; k++) {
    const c = text.charCodeAt(k);
    if (c < 128 && DIGIT_GROUP_PUNCT[c] === 1) urlPunct = true;
    else if (sepLen > 1 && isListPunct(c)) return -1;
  }
  if (urlPunct) {
    for (let k = j; k < j + sepLen; k++)
      if (text.charCodeAt(k) >= 128 || DIGIT_GROUP_PUNCT[text.charCodeAt(k)] === 0) return -1;
    if (digits !== j - i) return -1;
  }
  // `%41%42%43`: every group after a `%` two characters long is percent-encoding (the normalized view decodes it).
  let percentPairs = text.charCodeAt(j) === 37;
  // A run whose every separator follows a letter (`a(6a61…6d(202`) is no digit groups' (the pre-filter's condition,
  // `SPACED_CANDIDATE`, reads separators after a digit).
  let afterDigit = isDigit(text.charCodeAt(j - 1));
  const mark = edits.length;
  let groups = 1;
  let groupStart: number;
  // Every group after the first one character long: a word glued before a value written one separator apart
  // (`cc|4|1|1|…`), which the spaced run from the second group reads (these groups would stay apart: `cc 4 1 1 …`).
  let single = sepLen <= MAX_SPACED_SEP;
  for (;;) {
    edits.push(j, j + sepLen, 1);
    j += sepLen;
    groupStart = j;
    const digitsBefore = digits;
    while (j < n && isAlnumUnit(text.charCodeAt(j))) if (isDigit(text.charCodeAt(j++))) digits++;
    groups++;
    if (j - groupStart !== 1) single = false;
    if (percentPairs && j - groupStart !== 2) percentPairs = false;
    if (urlPunct && digits - digitsBefore !== j - groupStart) {
      groups = 0; // a group with letters: a query or an escape, no digit groups
      break;
    }
    // The next separator must be the same, and end where the first ends (`4111     1111      1111` is not one).
    if (j + sepLen >= n || !sameSlice(text, sepStart, j, sepLen)) break;
    if (isDigit(text.charCodeAt(j - 1))) afterDigit = true;
    if (isSeparatorUnit(text.charCodeAt(j + sepLen)) || !isAlnumUnit(text.charCodeAt(j + sepLen))) break;
  }
  if (
    groups < MIN_GROUPS ||
    digits < 9 ||
    (urlPunct && percentPairs) ||
    !afterDigit ||
    (single && groups > MIN_SPACED_CHARS + 1)
  ) {
    edits.length = mark;
    // The last group may start a run with another separator (`"v":"4111?1111?…`): only the groups before it are read.
    groupsRead = groupStart;
    return -1;
  }
  // An SSN's layout (3-2-4 digits) with one character, one to four times, that is no blank (`123#45#6789`, `123!!45!!6789`)
  // gets `-`, the
  // separator the detector reads without a keyword; blanks stay a space (`123     45     6789` is a table).
  if (groups === 3 && digits === 9 && j - i === 9 + 2 * sepLen && sepStart - i === 3 && sepLen <= 4) {
    if (
      (repeatsUnit(text, sepStart, sepLen) || (sepLen === 2 && separatorUnitsAt(text, sepStart) === 2)) &&
      !/\s/.test(text[sepStart])
    )
      for (let e = mark + 2; e < edits.length; e += 3) edits[e] = 2;
  }
  return j;
}

/** Fewest letters and digits one separator apart for which a value without eight digits gets the view (`spacedWord`). */
const MIN_SPACED_WORD = 16;

/**
 * Whether `text` holds `MIN_SPACED_WORD` ASCII letters and digits written one separator apart, the same 1-3
 * separator units throughout (`A_K_I_A_I_O_S_F…`, `g h p _ a B 3 …`): the condition on which a value with fewer than
 * eight digits and no `@` is given the spaced view (key ids and tokens). Reads each character a bounded number of
 * times.
 */
export function spacedWord(text: string): boolean {
  return mayHoldSpacedWord(text) && spacedWordRun(text);
}

/**
 * A necessary condition of `spacedWord`, read at a quarter of the characters: a run of `MIN_SPACED_WORD` letters and
 * digits one separator apart covers 31 or more characters with no two letters or digits side by side, so it covers
 * the pairs (k, k + 1) at seven consecutive multiples k of 4, none of them two letters or digits. A clean value's
 * words of five or more letters break every such stretch.
 */
function mayHoldSpacedWord(text: string): boolean {
  let clear = 0;
  for (let k = 0; k + 1 < text.length; k += 4) {
    if (isAlnumUnit(text.charCodeAt(k)) && isAlnumUnit(text.charCodeAt(k + 1))) clear = 0;
    else if (++clear >= 7) return true;
  }
  return false;
}

/** `spacedWord` without its necessary condition: every start read (the condition's oracle in tests). */
export function spacedWordRun(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i + 2 < n) {
    const len = isAlnumUnit(text.charCodeAt(i)) ? separatorRun(text, i + 1, MAX_SPACED_SEP + 1) : 0;
    if (len === 0 || len > MAX_SPACED_SEP) {
      i += len + 1;
      continue;
    }
    let count = 1;
    let p = i;
    while (p + 1 + len < n && isAlnumUnit(text.charCodeAt(p + 1 + len)) && sameSlice(text, i + 1, p + 1, len)) {
      count++;
      p += 1 + len;
    }
    if (count >= MIN_SPACED_WORD) return true;
    i = p + 1;
  }
  return false;
}

/**
 * Whether an `@` of `text` has a separator beside it (`j_a_n_e_@_e_x…`, `jane @ example`, `j_a_n_e @_e…`), or a bracketed
 * `at` does (`j a n e (at) e x…`): the cheap condition on which a value without digits is given the spaced view.
 * Reads two characters per `@`, then each character once.
 */
export function spacedAt(text: string): boolean {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    const after = codeAt(text, at + 1);
    const before = codeAt(text, at - 1);
    // A separator on either side (`j_a_n_e @_e_x…`, `j_a_n_e@_e_x…`: the spaced view reads both and joins them;
    // with the pre-filter off the view was built and they were masked, with it on not).
    // A quoted local part closing before the `@` (`"j*a*n*e*"@*e*x*…`) has its separator after the `@`: read here too.
    if ((after !== -1 && isSeparatorUnit(after)) || (before !== -1 && isSeparatorUnit(before))) return true;
  }
  // A bracketed `at` between the same separators (`j\ta\tn\te\t(at)\te\tx…`), which the e-mail detector reads as an
  // `@`: `(at)`, `[at]`, `{at}`, `<at>` in any case.
  for (let i = 1; i + 4 < text.length; i++) {
    const close = closingOf(text.charCodeAt(i));
    if (
      close !== 0 &&
      (text.charCodeAt(i + 1) | 32) === 97 &&
      (text.charCodeAt(i + 2) | 32) === 116 &&
      text.charCodeAt(i + 3) === close &&
      isSeparatorUnit(text.charCodeAt(i + 4)) &&
      text.charCodeAt(i + 4) === text.charCodeAt(i - 1)
    )
      return true;
  }
  return false;
}

/** The closing bracket of an opening `(`, `[`, `{` or `<`, else 0. */
function closingOf(c: number): number {
  return c === 40 ? 41 : c === 91 ? 93 : c === 123 ? 125 : c === 60 ? 62 : 0;
}

/**
 * The view of `text` with its structural evasions undone, or `undefined` when it has none:
 * - single characters written one separator apart (`4 1 1 1 1 …`, `j_a_n_e_@_e_x_a_m_p_l_e_._c_o_m`, `+ 1 2 0 2 …`)
 *   lose the separators;
 * - three or more groups of letters and digits (nine digits in all) with one separator throughout that the detectors
 *   do not read themselves (five or more characters: `4111     1111 …`; or any character of a separator category,
 *   `4111ⅼ1111ⅼ…` with U+217C, `¦`, `⁞`) get one space instead of each separator (`4111 1111 …`). A comma or
 *   semicolon with anything else stays (`4001,      4002`: a list).
 * Each character of the view maps to the range of `text` it came from (a space to the whole separator it
 * replaced), so a finding masks the characters that spelled it. Linear in the text: a run is skipped once read, and
 * a failed attempt reads a bounded stretch. The scanner calls it only when the pre-filter's single pass found the
 * view's necessary condition (`SPACED_CANDIDATE` of `classify` in `prefilter.ts`).
 */
export function spacedView(text: string): NormalizedView | undefined {
  groupsRead = 0;
  const n = text.length;
  // Edits: start, end, kind (0: removed, 1: replaced by one space, 2: by `-`), in order, not overlapping.
  const edits: number[] = [];
  let i = 0;
  while (i < n - 2) {
    const c = text.charCodeAt(i);
    const startsWord = i === 0 || separatorBefore(text, i);
    // A `%2B` is a `+` as form encoding writes it: its `B` is a kept character (`%2B😀1😀2…`, as `+😀1😀2…`) and a
    // run may start right after it (`%2B1😀2😀0…`, as `+1😀2…`). The normalized view decodes it, but NFKC writes some
    // separators as a symbol and a mark (U+1D15F `𝅗𝅥` is U+1D158 U+1D165), which it does not read as one.
    if (startsWord && c === 37 && encodedPlusAt(text, i)) {
      const kept = separatorUnitsAt(text, i + 3) === 0 ? i + 3 : i + 2;
      const end = spacedRunEnd(text, kept);
      if (end !== -1) {
        for (let p = kept + 1; p < end - 1; p += 1 + spacedSep) edits.push(p, p + spacedSep, 0);
        i = end;
        continue;
      }
    }
    // Any character but the separator itself starts a run (`+ 4 4 2 …`, `@` and `.` are kept characters too).
    if (startsWord && c !== text.charCodeAt(i + 1) && separatorUnitsAt(text, i + 1) !== 0) {
      const end = spacedRunEnd(text, i);
      if (end !== -1) {
        for (let p = i + 1; p < end - 1; p += 1 + spacedSep) edits.push(p, p + spacedSep, 0);
        i = end;
        continue;
      }
    }
    if (isAlnumUnit(c) && (i === 0 || !isAlnumUnit(text.charCodeAt(i - 1)))) {
      // No group run starts inside one that failed (a later start has fewer groups and digits); spaced runs may.
      if (i >= groupsRead) {
        const end = groupRun(text, i, edits);
        if (end !== -1) {
          i = end;
          continue;
        }
      }
      while (i < n && isAlnumUnit(text.charCodeAt(i))) i++;
      continue;
    }
    i++;
  }
  return edits.length === 0 ? undefined : buildView(text, edits);
}

/** The view of `text` with `edits` applied (see `spacedView`). */
function buildView(text: string, edits: number[]): NormalizedView {
  let removed = 0;
  for (let e = 0; e < edits.length; e += 3) removed += edits[e + 1] - edits[e] - (edits[e + 2] === 0 ? 0 : 1);
  const size = text.length - removed;
  const from = new Int32Array(size);
  const to = new Int32Array(size);
  let out = '';
  let k = 0;
  let pos = 0;
  for (let e = 0; e <= edits.length; e += 3) {
    const stop = e < edits.length ? edits[e] : text.length;
    out += text.slice(pos, stop);
    for (let p = pos; p < stop; p++, k++) {
      from[k] = p;
      to[k] = p + 1;
    }
    if (e === edits.length) break;
    if (edits[e + 2] !== 0) {
      out += edits[e + 2] === 1 ? ' ' : '-';
      from[k] = edits[e];
      to[k] = edits[e + 1];
      k++;
    }
    pos = edits[e + 1];
  }
  return { text: out, from, to };
}
