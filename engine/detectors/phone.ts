import { codeAt, inUspsTracking, inUuid, isAsciiLetter, isDigit, isWordChar, keywordBefore } from './chars';
import type { Detector, Finding } from './types';

/**
 * Words that make an unformatted digit run a phone number (`phone: 2025550143`, and the short labels `ph#`, `ph:`,
 * `ph.`, `mob#`, `tel#`: `ph# 2025550143`); also what names a phone instrument. Phone words of other languages with
 * the same grammar: `telefon` (and `Telefonnummer`, `telefono`, `telefone`), `teléfono`, `Tél.`, `celular`, `móvil`,
 * `telemóvel`, `Handy`, `Mobil`, `mobiel`, `tlf`, `телефон`, `тел.`, `моб.` (and `мобильный`), `手机`/`手機` (and `手机号码`), `电话`/`電話`
 * (and `联系电话`, `電話番号`), `携帯`, `전화`, `휴대폰`, `핸드폰`, `Cel`, `komórka`, `SĐT`; and the Chinese words for
 * contacting and dialling (`联系方式`, `请拨打`, `致电`).
 */
export const PHONE_CONTEXT =
  /phone|\btel\b|tel:|mobile|\bcell|\bfax|\bsms|whatsapp|msisdn|\bcall(?:er|back)?\b|\bdial(?:ing|led|ed)?\b|contact|\bph#|\bph:|\bph\.(?![a-z])|\bmob#|\bmob:|\bmob\.(?![a-z])|\btel#|\btel\.(?![a-z])|telefon|teléfono|\btél(?![a-z])|celular|\bm[oó]vil\b|telem[oó]vel|\bhandy\b|\bmobil\b|\bmobiel\b|\btlf\b|телефон|(?<![а-яё])тел[.:]|(?<![а-яё])моб(?:[.:]|ильн)|手机|手機|电话|電話|携帯|전화|휴대폰|핸드폰|\bcel\b|kom[oó]rk|\bsđt\b|联系|拨打|致电/i;

/** Whether a phone keyword precedes `start` (checked only for unformatted digit runs). */
function hasContext(text: string, start: number): boolean {
  return keywordBefore(text, start, PHONE_CONTEXT, 32);
}

/** Longest phone word we consider (`+1-202-555-0143` is 15); longer dotted/dashed runs are ids. */
const MAX_WORD = 24;
/** Most words one number is written in (`+33 1 23 45 67 89` is 6). */
const MAX_WORDS = 7;
/** Most characters one written number spans (`MAX_WORDS` words of `MAX_WORD` characters and their gaps). */
const MAX_SPAN = MAX_WORDS * (MAX_WORD + 3);
/** Most characters the pre-scan of a region reads before deciding (see `find`). */
const MAX_PROBE = 4 * MAX_SPAN;
/** Digit count bounds of any accepted layout (`0044` + 15 digits at most; 8 at least). */
const MAX_DIGITS = 17;
const MIN_DIGITS = 8;

/**
 * Length of the gap between two words of one number at `j`: one space, or up to three blanks with one line break or
 * tab in them (`+1 202\n555 0143`, `202\r\n555 0143`, `202 \n 555`), followed by a character of a number; else 0.
 */
function wordGap(text: string, j: number): number {
  let k = j;
  let breaks = 0;
  while (k - j < 3) {
    const c = codeAt(text, k);
    if (c === 10 || c === 9 || (c === 13 && codeAt(text, k + 1) !== 10)) breaks++;
    else if (c !== 32 && c !== 13) break;
    k++;
  }
  if (k === j || !isPhoneChar(codeAt(text, k))) return 0;
  return (k - j === 1 && breaks === 0) || breaks === 1 ? k - j : 0;
}

/** Space, tab, CR or LF: a gap between words (`wordGap`), read as one space by `parse`. */
function isGapChar(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** A character that may occur inside a written phone number word. */
function isPhoneChar(c: number): boolean {
  return isDigit(c) || c === 43 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41;
}

/** Whether a word that does not end in a digit ends just before `at` (`customer` in `customer.202-555-0143`). */
function wordBefore(text: string, at: number): boolean {
  const p = codeAt(text, at - 1);
  return isWordChar(p) && !isDigit(p) && p !== 95;
}

/** The punctuation that closes a label before a number (`Phone:-202-555-0143`, `[cell]-…`, `(cell)-…`). */
function isLabelEnd(c: number): boolean {
  return c === 58 || c === 41 || c === 93;
}

/** Characters that glue a number to what precedes it (currency, ids, handles, percentages). */
function isGlueChar(c: number): boolean {
  return (
    c === 36 ||
    c === 35 ||
    c === 64 ||
    c === 37 ||
    c === 38 ||
    c === 92 ||
    c === 95 ||
    c === 0x20ac ||
    c === 0xa3 ||
    c === 0xa5
  );
}

/** A phone label ending at a `#`: a short one (`ph`, `tel`, `mob`) or a phone word, with at most one blank before it. */
const HASH_LABEL =
  /(?:^|[^A-Za-z0-9_])(?:ph|tel|mob|phone|telephone|cellphone|mobile|cell|fax|sms|whatsapp|msisdn|contact)[ \t]?$/i;

/**
 * Whether the `#` at `hash` ends a phone label (`ph#`, `tel#`, `mob#`, `phone #`, `Cell#`): a number glued to it is
 * one (after any other word, `#2025550143` is an id).
 */
function labelHash(text: string, hash: number): boolean {
  return HASH_LABEL.test(text.slice(Math.max(0, hash - 11), hash));
}

/** Whether `text[i, i + 3)` is `%2B` (either case): a percent-encoded `+`, as form encoding writes a number's. */
function encodedPlusAt(text: string, i: number): boolean {
  return codeAt(text, i) === 37 && codeAt(text, i + 1) === 50 && (codeAt(text, i + 2) | 32) === 98;
}

/** Whether the `(` at `ws` is closed by the `)` at `we - 1` (not before: `(1)(2)` is two pairs). */
function enclosing(text: string, ws: number, we: number): boolean {
  let depth = 0;
  for (let k = ws; k < we - 1; k++) {
    const c = text.charCodeAt(k);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return false;
  }
  return depth === 1;
}

/**
 * Whether `text[ws, j)` ends in a country code: `+` and one to three digits (`+1(202) 555-0143`), the `+` starting the
 * word or after no digit (`calls/+1(202)…`, `(+1(202)…`).
 */
function afterCountryCode(text: string, ws: number, j: number): boolean {
  let k = j;
  while (k > ws && j - k <= 3 && isDigit(text.charCodeAt(k - 1))) k--;
  // one to three digits after a `+` that starts the word or follows no digit (`(+1(202)…`, `calls/+1(202)…`)
  if (j - k < 1 || j - k > 3) return false;
  if (k === ws) return encodedPlusAt(text, ws - 3); // `%2B1(202)…`
  if (text.charCodeAt(k - 1) !== 43) return false;
  return k - 1 === ws || !isDigit(text.charCodeAt(k - 2));
}

/**
 * `end`, or the index of the word `text[start, end)`'s `.` when it is the word's only `.`, one to three digits follow
 * it to the end and two or more characters precede it (`0143.1`, `0958.12`, `89.1`; `202.555.0143` is a dotted
 * number, `1.5` a decimal).
 */
function dotCountEnd(text: string, start: number, end: number): number {
  let k = end;
  while (k > start && end - k <= 3 && isDigit(text.charCodeAt(k - 1))) k--;
  if (k === end || end - k > 3 || codeAt(text, k - 1) !== 46 || !isDigit(codeAt(text, k - 2))) return end;
  const dot = k - 1;
  // Separators that open the word are no part of the number (`customer.202-555-0143.1`: `find` cuts them off later).
  let from = start;
  while (from < dot && (text.charCodeAt(from) === 46 || text.charCodeAt(from) === 47 || text.charCodeAt(from) === 45))
    from++;
  if (dot - from < 2) return end;
  for (let x = from; x < dot; x++) if (text.charCodeAt(x) === 46) return end;
  return dot;
}

/** Parsed digit groups of one candidate; reused to keep scanning allocation-free. */
interface Shape {
  plus: boolean;
  body: number; // index after the `+` (or `%2B`) that starts the number; the number's start without one
  digits: number;
  groups: number[];
  seps: number[]; // separator code before each group (0 none, 32 space, 45 '-', 46 '.', 47 '/', 40 '(', 41 ')')
  parens: number;
  first: number; // first digit value
  second: number; // second digit value
  third: number; // third digit value
}

/** Parses `text[start, end)` into digit groups; false when it is not a well-formed number. */
function parse(text: string, start: number, end: number, s: Shape): boolean {
  s.plus = false;
  s.digits = 0;
  s.groups.length = 0;
  s.seps.length = 0;
  s.parens = 0;
  s.first = -1;
  s.second = -1;
  s.third = -1;
  let i = start;
  let sep = 0;
  let open = false;
  if (text.charCodeAt(i) === 43) {
    s.plus = true;
    i++;
  } else if (encodedPlusAt(text, i)) {
    // The percent-encoded `+` of a form-encoded number (`phone=%2B91+98765-43210`).
    s.plus = true;
    i += 3;
  } else if (text.charCodeAt(i) === 40 && text.charCodeAt(i + 1) === 43) {
    // A bracketed country code (`(+44) 20 7946 0958`, `(+91)98765 43210`): the `+` starts the number, the bracket
    // closes after the code.
    s.plus = true;
    open = true;
    i += 2;
  }
  s.body = i;
  let lastWasSep = true;
  for (; i < end; i++) {
    let c = text.charCodeAt(i);
    // A `+` between a digit (or `)`) and a digit (or `(`) is a blank as form encoding writes it (`%2B1+202-555-0143`,
    // `+1+(202) 555-0143`, `(202)+555-0143`).
    if (c === 43 && i > start && formBlank(text, i)) c = 32;
    if (isDigit(c)) {
      if (lastWasSep) {
        s.groups.push(0);
        s.seps.push(sep);
        sep = 0;
      }
      s.groups[s.groups.length - 1]++;
      if (s.digits === 0) s.first = c - 48;
      else if (s.digits === 1) s.second = c - 48;
      else if (s.digits === 2) s.third = c - 48;
      s.digits++;
      lastWasSep = false;
      continue;
    }
    if (c === 40) {
      // Glued to a digit group only after an international country code (`+1(202)555-0143`).
      if (open || s.parens > 0 || (!lastWasSep && s.groups.length > 0 && !(s.plus && s.groups.length === 1)))
        return false;
      open = true;
      sep = 40;
      lastWasSep = true;
      continue;
    }
    if (c === 41) {
      if (!open || lastWasSep) return false;
      open = false;
      s.parens++;
      sep = 41;
      lastWasSep = true;
      continue;
    }
    // '-', '.', '/', ' ': one separator between groups; one more may follow ')' (`(202) 555`). A gap with a line
    // break (`wordGap`) is one space.
    if (c === 43) return false;
    if (lastWasSep) {
      // The rest of a gap `wordGap` took (`202 \n 555`, `(202)\r\n555`): one space, or after `)` still `)`.
      if (isGapChar(c) && i > 0 && isGapChar(text.charCodeAt(i - 1)) && (sep === 32 || sep === 41)) continue;
      if (sep !== 41 || i === 0 || text.charCodeAt(i - 1) !== 41) return false;
      continue; // keeps ')' as the separator
    }
    sep = isGapChar(c) ? 32 : c;
    lastWasSep = true;
  }
  return !open && !lastWasSep;
}

/**
 * Whether the `+` at `i` stands between a digit or `)` and a digit or `(`: a blank as form encoding writes it. Not a
 * time zone offset after a time (`00:00:00,001+05:30`, `07:35:55.123+0530`): `+HH:MM`, or `+HHMM` after a time's `:`
 * (between digits) within the 16 characters before.
 */
function formBlank(text: string, i: number): boolean {
  const p = text.charCodeAt(i - 1);
  const q = codeAt(text, i + 1);
  if (!(isDigit(p) || p === 41) || !(isDigit(q) || q === 40)) return false;
  // Two digits after the `+` (not a bracketed area code after a time: `10:00 202+(202) 555-0143`).
  if (isDigit(q) && isDigit(codeAt(text, i + 2))) {
    if (codeAt(text, i + 3) === 58) return false;
    if (isDigit(codeAt(text, i + 3)) && isDigit(codeAt(text, i + 4)) && !isDigit(codeAt(text, i + 5))) {
      // A time's `:` (between digits), not a label's (`tel: +1+202+555+0143`).
      const colon = text.lastIndexOf(':', i);
      if (colon !== -1 && i - colon <= 16 && isDigit(codeAt(text, colon - 1)) && isDigit(codeAt(text, colon + 1)))
        return false;
    }
  }
  return true;
}

/** North American Numbering Plan: `[1] NXX NXX XXXX` with N = 2-9. */
function isNanp(s: Shape, text: string, groupStart: number): boolean {
  const g = s.groups;
  let k = 0;
  if (g.length === 4 && g[0] === 1 && s.first === 1 && s.seps[1] !== 41) k = 1;
  if (g.length - k === 3 && g[k] === 3 && g[k + 1] === 3 && g[k + 2] === 4) {
    // Paren form only around the area code; '/' is not a NANP separator.
    for (let x = k; x < g.length; x++) if (s.seps[x] === 47) return false;
    if (s.parens > 0 && !(s.seps[k] === 40 && s.seps[k + 1] === 41)) return false;
    const d = s.seps[k + 1];
    const e = s.seps[k + 2];
    if (d === 46 && e !== 46) return false; // "202.555-0143" is no common layout
    return nanpDigitsValid(text, groupStart, k);
  }
  if (g.length === 1 && (s.digits === 10 || (s.digits === 11 && s.first === 1)) && hasContext(text, groupStart)) {
    return nanpDigitsValid(text, groupStart, s.digits === 11 ? 1 : 0);
  }
  return false;
}

/** Area code and exchange start with 2-9; the area code's middle digit is not 9 (reserved). */
function nanpDigitsValid(text: string, start: number, skip: number): boolean {
  let seen = 0;
  let area0 = -1;
  let area1 = -1;
  let exch0 = -1;
  for (let i = start; i < text.length && seen < skip + 4; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) continue;
    const idx = seen - skip;
    if (idx === 0) area0 = c - 48;
    else if (idx === 1) area1 = c - 48;
    else if (idx === 3) exch0 = c - 48;
    seen++;
  }
  return area0 >= 2 && area1 !== 9 && exch0 >= 2;
}

/**
 * Whether the digit group at `index` (0 the first) of `text[start, end)` starts with `00`: zero-padded sequences
 * (`001 002 003 004`) when it is the group after the country code; a later group of a number may (`+33 6 00 09 33 16`,
 * `0044 20 7946 0018`: `00` is an international prefix only at the start of a number).
 */
function groupStartsWith00(text: string, start: number, end: number, index: number): boolean {
  let groupIndex = -1;
  for (let i = start; i < end; i++) {
    if (!isDigit(text.charCodeAt(i))) continue;
    if (i === start || !isDigit(text.charCodeAt(i - 1))) {
      if (++groupIndex === index) return text.charCodeAt(i) === 48 && codeAt(text, i + 1) === 48;
    }
  }
  return false;
}

/**
 * Country codes (outside North America) whose national numbers have a fixed length and leading digits, for
 * unformatted numbers after `00` without a keyword (`00442079460958`): code, fewest and most digits of the national
 * number, the digits it may start with. Codes with open numbering plans (Austria, Sweden, …) are not listed.
 */
const COUNTRY_PLANS: ReadonlyArray<readonly [string, number, number, string]> = [
  ['20', 10, 10, '1'],
  ['27', 9, 9, '12345678'],
  ['30', 10, 10, '26'],
  ['31', 9, 9, '123456789'],
  ['32', 8, 9, '123456789'],
  ['33', 9, 9, '1234567'],
  ['34', 9, 9, '6789'],
  ['39', 9, 10, '03'],
  ['41', 9, 9, '23456789'],
  ['44', 10, 10, '12378'],
  ['45', 8, 8, '23456789'],
  ['47', 8, 8, '2345789'],
  ['48', 9, 9, '123456789'],
  ['49', 10, 11, '123456789'],
  ['52', 10, 10, '123456789'],
  ['55', 10, 11, '123456789'],
  ['61', 9, 9, '23478'],
  ['63', 10, 10, '2345689'],
  ['64', 8, 9, '2345679'],
  ['65', 8, 8, '689'],
  ['66', 8, 9, '2345689'],
  ['81', 9, 10, '123456789'],
  ['82', 9, 10, '123456789'],
  ['86', 11, 11, '1'],
  ['90', 10, 10, '2345'],
  ['91', 10, 10, '6789'],
  ['234', 10, 10, '789'],
  ['254', 9, 9, '1234567'],
  ['351', 9, 9, '29'],
  ['353', 8, 9, '12456789'],
  ['852', 8, 8, '2345679'],
  ['971', 8, 9, '2345679'],
  ['972', 8, 9, '2345789'],
];

/**
 * Whether the `digits` contiguous digits at `from` are a country code of `COUNTRY_PLANS` and a national number of its
 * length and leading digits (Russia's `7` too: ten digits starting `3`, `4`, `8` or `9`).
 */
function internationalValid(text: string, from: number, digits: number): boolean {
  const rest = text.slice(from, from + digits);
  if (rest.charCodeAt(0) === 55) return digits === 11 && '3489'.includes(rest[1]);
  for (const [code, min, max, lead] of COUNTRY_PLANS) {
    if (!rest.startsWith(code)) continue;
    const national = digits - code.length;
    return national >= min && national <= max && lead.includes(rest[code.length]);
  }
  return false;
}

/**
 * The dotted international layout of two-digit pairs (`+33.1.23.45.67.89`): country code, a
 * subscriber prefix of one to three digits, then at least three pairs, dots throughout.
 */
function dottedPairs(s: Shape): boolean {
  const g = s.groups;
  if (g.length < 5 || g[1] > 3) return false;
  for (let x = 1; x < g.length; x++) if (s.seps[x] !== 46 || (x > 1 && g[x] !== 2)) return false;
  return true;
}

/** A calendar date, year first or day first, with one separator (`2023-08-18`, `18/08/2023`, `2023.08.18`). */
const DATE_START =
  /^(?:(?:19|20)\d\d([-/.])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])|(?:0[1-9]|[12]\d|3[01])([-/.])(?:0[1-9]|1[0-2])\2(?:19|20)\d\d)/;

/** Whether `text[start, end)` is a written phone number. */
function isPhone(text: string, start: number, end: number, s: Shape): boolean {
  if (!parse(text, start, end, s)) return false;
  const g = s.groups;
  const n = s.digits;
  if (s.plus) {
    if (n < 8 || n > 15 || s.first === 0) return false;
    if (s.parens > 0 && s.seps[0] === 40) return false; // "+(…" is no layout
    // "+1.202.555.0143" is fine; "+52.520008" is a signed decimal (coordinates, offsets).
    if (g.length < 3 && s.seps[1] === 46) return false;
    // Dotted runs of short groups look like versions (the French pairs `+33.1.23.45.67.89` excepted).
    if (!dottedPairs(s))
      for (let x = 1; x < g.length; x++) if (s.seps[x] === 46 && g.length > 4 && g[x] < 2) return false;
    return g.length <= MAX_WORDS;
  }
  // International prefix "00" behaves like '+' (`0044 20 7946 0958`, `00 44 20 …`, `0033.1.23.45.67.89`).
  if (s.first === 0 && s.second === 0) {
    if (n - 2 < 8 || n - 2 > 15 || s.third === 0) return false;
    // Unformatted (`00442079460958`): only after a phone keyword, like other bare digit runs; a North American number
    // after `001` also without one (`0012025550143`: the area code and exchange rules keep zero-padded ids out).
    if (g.length === 1)
      return (
        n >= 12 &&
        (hasContext(text, start) ||
          (n === 13 && s.third === 1 && nanpDigitsValid(text, start, 3)) ||
          internationalValid(text, start + 2, n - 2))
      );
    if (g[0] === 2 ? g.length < 3 : g[0] < 3) return false;
    // A zero-padded sequence (`001 002 003 004`, `00 1 002 003`): the group after the country code starts with `00`.
    if (groupStartsWith00(text, start, end, g[0] === 2 ? 2 : 1)) return false;
    if (!dottedPairs(s)) for (let x = 1; x < g.length; x++) if (s.seps[x] === 46) return false;
    return g.length <= MAX_WORDS;
  }
  // A date and the hour after it are no number (`contact: 2023-08-18 07:35:55`, `tel 25-08-2023 07:35`).
  if (DATE_START.test(text.slice(start, start + 10))) return false;
  if (s.first === 0) {
    // National number with trunk prefix 0 (UK, DE, FR, …).
    // Vienna's six-digit subscriber numbers (`01 543178`, `01/543178`): eight digits, after a phone word (`lot 01
    // 625965` is an id).
    if (n === 8)
      return (
        g.length === 2 &&
        g[0] === 2 &&
        s.second === 1 &&
        g[1] === 6 &&
        blankDashOrSlash(s.seps[1]) &&
        hasContext(text, start)
      );
    if (n < 9 || n > 12) return false;
    if (g.length === 1) return n >= 10 && hasContext(text, start);
    if (g.length === 3 && g[0] === 3 && g[1] === 2 && g[2] === 4 && s.seps[1] === 45) return false; // SSN layout
    // Hungary's trunk `06` before Budapest's one-digit area code (`06 1 323 4208`, `06-1-323-4208`), after a phone
    // word (`Rechnung 06 1 372 5262` is an id).
    if (g.length === 4 && g[0] === 2 && s.second === 6 && g[1] === 1 && s.third === 1 && g[2] === 3 && g[3] === 4)
      return blankOrDash(s.seps[1]) && blankOrDash(s.seps[2]) && blankOrDash(s.seps[3]) && hasContext(text, start);
    // India's trunk `0` before a ten-digit mobile number written 5-5 (`093935 85907`): it starts with 6-9; after a
    // phone word (`batch 088909 43342` is an id).
    if (g.length === 2 && g[0] === 6 && g[1] === 5)
      return s.second >= 6 && blankOrDash(s.seps[1]) && hasContext(text, start);
    // The same with the trunk `0` as its own group (`phone: 0 98765 43210`).
    if (g.length === 3 && g[0] === 1 && g[1] === 5 && g[2] === 5)
      return (
        digitAfter(text, start) >= 6 && blankOrDash(s.seps[1]) && s.seps[2] === s.seps[1] && hasContext(text, start)
      );
    // Dashed ids of three groups of three (`082-234-821`) and ZIP+4 codes with a leading 0 (`02139-4307`): a number
    // only after a phone word.
    if (
      s.seps[1] === 45 &&
      ((g.length === 3 && g[0] === 3 && g[1] === 3 && g[2] === 3 && s.seps[2] === 45) ||
        (g.length === 2 && g[0] === 5 && g[1] === 4))
    )
      return hasContext(text, start);
    if (g[0] < 2 || g[0] > 5) return false;
    for (let x = 1; x < g.length; x++) if (g[x] < 2) return false;
    // Dotted layouts: only the French one (two-digit groups).
    for (let x = 1; x < g.length; x++) if (s.seps[x] === 46 && g[x] !== 2) return false;
    return true;
  }
  if (isNanp(s, text, start)) return true;
  if (s.first === 8 && n === 11 && trunk8(s, text, start)) return true;
  // A Chinese mobile number after a phone word (`手机：13800138000`): eleven digits starting `13`-`19` (grouped 3-4-4 it
  // reads as a national number below).
  if (g.length === 1 && n === 11 && s.first === 1 && s.second >= 3 && hasContext(text, start)) return true;
  // An international number written without its `+` after a phone word (`phone: 447700900123`, `msisdn 44 7700
  // 900123`): as after `+`, with a country code outside zone 1 and the unassigned ranges.
  // A national number without a trunk prefix after a phone word (`phone: 912 345 678`, `sms (21) 2345-6789`).
  return hasContext(text, start) && (internationalWithoutPlus(s, text, start, end) || nationalWithoutTrunk(s));
}

/** A blank or `-` between two groups. */
function blankOrDash(sep: number): boolean {
  return sep === 32 || sep === 45;
}

/** A blank, `-` or `/` between two groups. */
function blankDashOrSlash(sep: number): boolean {
  return sep === 32 || sep === 45 || sep === 47;
}

/** The value of the first digit after `start`'s digit (the second digit of the number), -1 when none. */
function digitAfter(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) return c - 48;
  }
  return -1;
}

/**
 * Whether the parsed number of eleven digits starting with `8` is a national number of Russia, Belarus or Kazakhstan
 * with its trunk prefix `8`: `8`, a three-digit area code (starting 0, 3, 4, 7, 8 or 9) in brackets, then the
 * subscriber number 3-2-2 or unsplit (`8 (495) 525-76-11`, `8 (029) 123-45-67`, `8 (916) 1536625`), or a four-digit
 * area code in brackets and 2-2-2 (`8 (8452) 12-34-56`); after a phone word also with a plain three-digit area code
 * (`8-916-153-66-25`, `8 727 933 60 21`, `8 916 1536625`: `артикул 8 465 883-99-89` is an id) and unformatted
 * (`тел.: 89161536625`).
 */
function trunk8(s: Shape, text: string, start: number): boolean {
  const g = s.groups;
  if (g.length === 1) return hasContext(text, start);
  if (g[0] !== 1 || s.second === 1 || s.second === 2 || s.second === 5 || s.second === 6) return false;
  const bracketed = s.seps[1] === 40 && s.seps[2] === 41;
  if (!bracketed && (s.parens > 0 || !blankOrDash(s.seps[1]) || !blankOrDash(s.seps[2]))) return false;
  if (g.length === 3) return g[1] === 3 && g[2] === 7 && (bracketed || hasContext(text, start));
  if (g.length !== 5 || g[3] !== 2 || g[4] !== 2 || !blankOrDash(s.seps[3]) || s.seps[4] !== s.seps[3]) return false;
  if (g[1] === 4) return bracketed && g[2] === 2;
  return g[1] === 3 && g[2] === 3 && (bracketed || hasContext(text, start));
}

/**
 * Whether the parsed number reads as a national number of a country without a trunk prefix (Spain, Norway, Denmark,
 * Poland, Portugal, Brazil, Singapore, …; only after a phone word): 8 to 11 digits, a first digit 1-9, three or more
 * groups of 2-5 digits with one separator (blank or `-`) throughout, two groups of four with a blank (`9123
 * 4567`), or a bracketed area code of two or three digits and two groups (`(21) 2345-6789`). Not the layouts of dates
 * (4-2-2, 2-2-4), North American numbers (3-3-4, read by `isNanp`), SSNs (3-2-4) or dashed IPv4 addresses.
 */
function nationalWithoutTrunk(s: Shape): boolean {
  const g = s.groups;
  const n = s.digits;
  if (n < 8 || n > 11 || s.first === 0 || g.length > MAX_WORDS) return false;
  if (s.parens > 0)
    return (
      g.length === 3 &&
      s.seps[0] === 40 &&
      s.seps[1] === 41 &&
      g[0] >= 2 &&
      g[0] <= 3 &&
      g[1] >= 3 &&
      g[2] >= 4 &&
      (s.seps[2] === 45 || s.seps[2] === 32)
    );
  const sep = s.seps[1];
  if (g.length === 2) return g[0] === 4 && g[1] === 4 && sep === 32;
  // Brazil's two-digit area code, a blank, then the subscriber number 4-4 or 5-4 with `-` (`11 98765-4321`).
  if (g.length === 3 && g[0] === 2 && (g[1] === 4 || g[1] === 5) && g[2] === 4 && sep === 32 && s.seps[2] === 45)
    return true;
  if (sep !== 32 && sep !== 45) return false; // dotted groups are addresses and versions (`call.198.51.100.23`)
  for (let x = 0; x < g.length; x++) if ((x > 0 && s.seps[x] !== sep) || g[x] < 2 || g[x] > 5) return false;
  // Four dashed groups of at most three digits are an address in a host name (`198-51-100-23.example.net`).
  if (g.length === 4 && sep === 45 && g[0] <= 3 && g[1] <= 3 && g[2] <= 3 && g[3] <= 3) return false;
  if (g.length === 3) {
    const layout = g[0] * 100 + g[1] * 10 + g[2];
    if (layout === 422 || layout === 224 || layout === 334 || layout === 324) return false;
  }
  return true;
}

/**
 * Whether the parsed number reads as an international number without its `+`: 10 to 15 digits, a first digit 2-9
 * (zone 1 is the North American plan, read by `isNanp`), not an unassigned country code range (28x, 80x but 800/808,
 * 83x, 89x), no parentheses, no `00` group after the first, `.` only in the French pairs, at most `MAX_WORDS` groups.
 */
function internationalWithoutPlus(s: Shape, text: string, start: number, end: number): boolean {
  const n = s.digits;
  if (n < 10 || n > 15 || s.first < 2 || s.parens > 0) return false;
  const two = s.first * 10 + s.second;
  if (two === 28 || two === 83 || two === 89 || (two === 80 && s.third !== 0 && s.third !== 8)) return false;
  if (groupStartsWith00(text, start, end, 1)) return false;
  const g = s.groups;
  for (let x = 1; x < g.length; x++) if (s.seps[x] === 47 || (s.seps[x] === 46 && !dottedPairs(s))) return false;
  return g.length <= MAX_WORDS;
}

/** Characters of a UPS tracking number: `1Z`, six letters or digits (shipper), two digits (service), eight digits. */
const UPS_LENGTH = 18;

/**
 * Whether `text[s0, e0)` ends a UPS tracking number that starts within the 18 characters before it
 * (`1Z 999 AA1 01 2345 6784`, `1Z999AA10123456784`: `1Z`, 16 letters and digits, single blanks between groups), not
 * glued to a letter or digit on either side, whose check digit (its last) is right: such a number's last groups read
 * as a trunk-prefixed national number (`01 2345 6784`) but are a parcel's, not a person's.
 */
function endsUpsTracking(text: string, s0: number, e0: number): boolean {
  if (isWordChar(codeAt(text, e0))) return false;
  // Walk back from the end over letters, digits and single blanks to the `1Z`.
  let count = 0;
  let k = e0 - 1;
  const values: number[] = [];
  while (k >= 0 && count < UPS_LENGTH) {
    const c = text.charCodeAt(k);
    if (c === 32 && k < e0 - 1 && text.charCodeAt(k + 1) !== 32 && k > 0 && text.charCodeAt(k - 1) !== 32) {
      k--;
      continue;
    }
    if (isDigit(c)) values.push(c - 48);
    else if (isAsciiLetter(c)) values.push(((c & ~32) - 63) % 10);
    else return false;
    count++;
    k--;
  }
  const start = k + 1;
  if (
    count !== UPS_LENGTH ||
    start >= s0 ||
    text.charCodeAt(start) !== 49 ||
    (text.charCodeAt(start + 1) & ~32) !== 90 ||
    isWordChar(codeAt(text, start - 1))
  )
    return false;
  // `values` runs from the check digit back to `1Z`: the 15 characters between them, 1-indexed from the left, odd
  // ones counted once and even ones twice.
  let sum = 0;
  for (let p = 1; p <= 15; p++) sum += values[16 - p] * (p % 2 === 0 ? 2 : 1);
  return (10 - (sum % 10)) % 10 === values[0];
}

/**
 * `phone`: phone numbers in international (`+44 20 7946 0958`, `0044 …`), North American
 * (`(202) 555-0143`, `202.555.0143`, `1-202-555-0143`) and trunk-prefixed national layouts
 * (`020 7946 0958`, `06 12 34 56 78`, `030/901820`). Unformatted digit runs count only after a
 * keyword (`phone`, `tel`, `mobile`, …), so ids, timestamps, prices, versions, dates and IP
 * addresses are not matched: a number must be a whole space-separated token sequence, not glued to
 * ASCII letters, currency signs or longer dotted/dashed runs (a non-ASCII letter, mark or symbol next to it is a
 * boundary; a `(` glued after it opens a remark: `202-555-0143(cell)`).
 */
export const phoneDetector: Detector = {
  name: 'phone',
  minDigits: MIN_DIGITS,
  // Eight digits with at most three separator characters between neighbours (`) (` is the most).
  trigger: /\d(?:[ \t\r\n.\-/()+]{0,3}\d){7}/,
  mayMatch: (text) => phoneDetector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const n = text.length;
    const wordStart: number[] = [];
    const wordEnd: number[] = [];
    const wordOk: boolean[] = [];
    const wordDigits: number[] = [];
    const shape: Shape = {
      plus: false,
      body: 0,
      digits: 0,
      groups: [],
      seps: [],
      parens: 0,
      first: -1,
      second: -1,
      third: -1,
    };
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (!isPhoneChar(c) || (i > 0 && isPhoneChar(text.charCodeAt(i - 1)))) {
        i++;
        continue;
      }
      // Cheap pre-scan: a region with fewer than MIN_DIGITS digits cannot hold a number.
      // Bounded (`MAX_PROBE`): a region of separators and short words (`4 - 4 - …`) ends at every `-` word, so an
      // unbounded probe would read the rest of the text once per word.
      let probe = i;
      let probeDigits = 0;
      const probeEnd = Math.min(n, i + MAX_PROBE);
      while (probe < probeEnd && probeDigits < MIN_DIGITS) {
        const d = text.charCodeAt(probe);
        if (isDigit(d)) probeDigits++;
        else if (!isPhoneChar(d)) {
          const gap = wordGap(text, probe);
          if (gap === 0) break;
          probe += gap;
          continue;
        }
        probe++;
      }
      if (probeDigits < MIN_DIGITS) {
        // Past the bound, a number may have started before the probe's end: read again from one number's span back.
        const resume = probe === probeEnd && probeEnd < n ? probe - MAX_SPAN : probe;
        i = resume > i ? resume : i + 1;
        continue;
      }
      // Read a region: phone words separated by single spaces.
      wordStart.length = 0;
      wordEnd.length = 0;
      wordOk.length = 0;
      wordDigits.length = 0;
      let j = i;
      for (;;) {
        let ws = j;
        let digits = 0;
        while (j < n && isPhoneChar(text.charCodeAt(j))) {
          const ch = text.charCodeAt(j);
          // A `(` glued after a digit opens a remark (`0143(cell)`, `0143(2)`), except after a country code (`+1(202)`).
          if (ch === 40 && j > ws && isDigit(text.charCodeAt(j - 1)) && !afterCountryCode(text, ws, j)) break;
          if (isDigit(ch)) digits++;
          j++;
        }
        // A label's closing bracket glued before the first word is not part of it (`(mobile)202-555-0143`,
        // `(cell)(202) 555-0143`).
        if (wordStart.length === 0 && text.charCodeAt(ws) === 41 && ws + 1 < j && wordBefore(text, ws)) ws++;
        // Sentence punctuation after a number is not part of it, nor are brackets around it
        // (`(call +1 202 555 0143)`): an unmatched leading '(' or trailing ')' is cut off.
        let we = j;
        let opens = 0;
        let closes = 0;
        for (let k = ws; k < j; k++) {
          const ch = text.charCodeAt(k);
          if (ch === 40) opens++;
          else if (ch === 41) closes++;
        }
        // A `.` and one to three digits ending a word that holds no other `.` is no group of the number: an index or
        // version after it (`202-555-0143.1`, `+44 20 7946 0958.12`), as a sentence dot is no part of it.
        we = dotCountEnd(text, ws, we);
        for (;;) {
          const last = we > ws ? text.charCodeAt(we - 1) : 0;
          if (last === 46 || last === 45 || last === 47 || last === 43) we--;
          else if (last === 41 && closes > opens) {
            we--;
            closes--;
          } else if (last === 40) {
            // An opening bracket ending the word opens nothing of the number (`202-555-0143-(`, `0143)(`).
            we--;
            opens--;
          } else break;
        }
        // A path or separator before an international number is not part of it (`/users/+12025550143`); nor is one
        // between a word and a number (`customer.202-555-0143`, `calls/(202) 555-0143`): only a digit before it
        // glues (`1.202.555.0143` is a longer dotted sequence).
        if (wordStart.length === 0) {
          let k = ws;
          while (k < we && (text.charCodeAt(k) === 47 || text.charCodeAt(k) === 46 || text.charCodeAt(k) === 45)) k++;
          if (k > ws && k < we && text.charCodeAt(k) === 43) ws = k;
          // A percent-encoded `+` glued before it starts it (`phone=%2B91+98765-43210`: form encoding).
          else if (k === ws && encodedPlusAt(text, ws - 3)) ws -= 3;
          else if (k > ws && k < we && (wordBefore(text, ws) || isLabelEnd(codeAt(text, ws - 1)))) ws = k;
        }
        if (opens > closes && text.charCodeAt(ws) === 40) ws++;
        // Brackets around the whole number (`(202-555-0199)`, `(+1(202)555-0143)`): not part of it.
        else if (
          digits >= MIN_DIGITS &&
          we - ws > 2 &&
          text.charCodeAt(ws) === 40 &&
          text.charCodeAt(we - 1) === 41 &&
          enclosing(text, ws, we)
        ) {
          ws++;
          we--;
        }
        let ok = digits > 0 && we - ws <= MAX_WORD;
        // The `+` of an international number starts it even glued to letters or `_` (`tel_+1…`, `callto+1…`); a
        // digit, `.` or currency sign before it still glues (`1.0.0+20240101`, `$+1…`).
        const first = wordStart.length === 0 ? ws : wordStart[0];
        const plus = text.charCodeAt(first) === 43 || encodedPlusAt(text, first);
        if (ok && wordStart.length === 0) {
          const p = codeAt(text, ws - 1);
          if (
            plus
              ? isDigit(p) || (isGlueChar(p) && p !== 95)
              : // `_` after a word is a separator (`user_202-555-0143`); after a digit it glues (`1_2025550143`).
                // No id, handle, price or percentage starts with a bracket: `@(202) 555-0143` is a number.
                ((isWordChar(p) && p < 128) ||
                  (isGlueChar(p) &&
                    !(p === 35 && labelHash(text, ws - 1)) &&
                    !(p !== 95 && text.charCodeAt(ws) === 40))) &&
                !(p === 95 && wordBefore(text, ws - 1))
          )
            ok = false;
        }
        const next = codeAt(text, j);
        // A path segment after it ends it too (`/users/+12025550143/orders`), and so does a word after a `.`, `-` or
        // `/` (`202-555-0143.json`, `customer.202-555-0143.visits`).
        // Letters glued after an international number do not hide it either (`+12025550143ext`), nor does a non-ASCII
        // letter, mark or symbol after any number (`0143é`, `0143°`; only ASCII letters, digits and `_` glue).
        if (
          ok &&
          isWordChar(next) &&
          next < 128 &&
          we === j &&
          !(plus && (next === 95 || isAsciiLetter(next))) &&
          // `_` and a word after a number end it (`202-555-0143_backup.csv`); `_` and a digit continue an id.
          !(next === 95 && !isDigit(codeAt(text, j + 1)) && !isGapChar(codeAt(text, j + 1)))
        )
          ok = false;
        wordStart.push(ws);
        wordEnd.push(we);
        wordOk.push(ok);
        wordDigits.push(digits);
        if (we !== j) break; // trailing punctuation ends the region
        const gap = wordGap(text, j);
        if (gap !== 0) {
          j += gap;
          continue;
        }
        break;
      }
      const count = wordStart.length;
      let regionDigits = 0;
      for (let w = 0; w < count; w++) if (wordOk[w]) regionDigits += wordDigits[w];
      if (regionDigits < MIN_DIGITS) {
        i = j > i ? j : i + 1;
        continue;
      }
      for (let a = 0; a < count; a++) {
        if (!wordOk[a]) continue;
        let best = -1;
        let digits = 0;
        for (let b = a; b < count && b < a + MAX_WORDS && wordOk[b]; b++) {
          digits += wordDigits[b];
          if (digits > MAX_DIGITS) break;
          if (digits >= MIN_DIGITS && isPhone(text, wordStart[a], wordEnd[b], shape)) best = b;
        }
        if (best !== -1) {
          // Inside a UUID (`…-000d-0040-560000000003`) the hexadecimal groups are one identifier, not a number.
          const s0 = wordStart[a];
          const e0 = wordEnd[best];
          if (
            !((codeAt(text, s0 - 1) === 45 || codeAt(text, e0) === 45) && inUuid(text, s0, e0)) &&
            // The last groups of a UPS tracking number (`1Z 999 AA1 01 2345 6784`) are a parcel's.
            !(codeAt(text, s0 - 1) === 32 && endsUpsTracking(text, s0, e0)) &&
            // Groups of a USPS tracking number (`9400 0638 8306 6814 1846 24`) are a parcel's too.
            !((codeAt(text, s0 - 1) === 32 || codeAt(text, e0) === 32) && inUspsTracking(text, s0, e0))
          )
            out.push({ start: s0, end: e0, type: 'phone' });
          a = best;
        }
      }
      i = j > i ? j : i + 1;
    }
  },
};
