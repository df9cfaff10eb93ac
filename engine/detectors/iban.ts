import { codeAt, inUuid, isAlnum, isAsciiLetter, isCjkBoundary, isDigit, isUpper, isWordChar } from './chars';
import type { Detector, Finding } from './types';

/** IBAN length per country (SWIFT IBAN registry). */
export const ibanLengths: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/**
 * A character of a separator between IBAN groups: blanks and the Unicode spaces, line breaks, `-` `.` `_` `/` `|` `:`
 * `*` `~` `,` `;`, and the Unicode slashes, asterisk, tildes and commas people paste (`⁄` `∕` `∗` `⁓` `〜` Arabic `،` `؛`,
 * ideographic `、`).
 */
function isIbanSeparator(c: number): boolean {
  if (c > 127)
    return (
      c === 0xa0 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000 ||
      c === 0x2044 ||
      c === 0x2215 ||
      c === 0x2217 ||
      c === 0x2053 ||
      c === 0x301c ||
      c === 0x60c ||
      c === 0x61b ||
      c === 0x3001
    );
  return (
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 47 ||
    c === 124 ||
    c === 58 ||
    c === 42 ||
    c === 126 ||
    c === 44 ||
    c === 59
  );
}

/** Longest separator between IBAN groups (` / `, ` -- `). */
const MAX_SEP = 4;

/** Most letters in the account part of an IBAN printed in national groups (not fours): GB and FR have four. */
const MAX_NATIONAL_LETTERS = 4;

/** Whether `text[b, b + len)` is the separator `text[a, a + aLen)`. */
function sameSeparator(text: string, a: number, aLen: number, b: number, len: number): boolean {
  if (len !== aLen) return false;
  for (let k = 0; k < len; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** How many of `chars[from, …)` are letters. */
function lettersAfter(chars: readonly number[], from: number): number {
  let count = 0;
  for (let k = from; k < chars.length; k++) if (!isDigit(chars[k])) count++;
  return count;
}

/**
 * Whether the word that ends at `i` is a BIC (ISO 9362): eight or eleven letters and digits, the first six letters
 * (bank and country code), in one case.
 */
export function bicBefore(text: string, i: number): boolean {
  let s = i;
  while (s > 0 && i - s < 12 && isAlnum(text.charCodeAt(s - 1))) s--;
  if ((i - s !== 8 && i - s !== 11) || isWordChar(codeAt(text, s - 1))) return false;
  const upper = isUpper(text.charCodeAt(s));
  for (let k = s; k < s + 6; k++) {
    const c = text.charCodeAt(k);
    if (!isAsciiLetter(c) || isUpper(c) !== upper) return false;
  }
  return true;
}

/**
 * ISO 4217 currency codes (active, those withdrawn since 2007 that old bank files still carry, and the market code
 * CNH), upper case. Bank statements and fixed-width payment files glue one to the account (MT940
 * `:25:NL91ABNA0417164300EUR`, `EURDE89370400440532013000`): three letters of one of these, glued before or after an
 * IBAN, do not glue it to a word.
 */
const CURRENCY_CODES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BYR BZD ' +
    'CAD CDF CHE CHF CHW CLF CLP CNH CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
    'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW ' +
    'KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRO MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN ' +
    'NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS ' +
    'SRD SSP STD STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VEF VES ' +
    'VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

/** Whether `text[at, at + 3)` is a currency code (`CURRENCY_CODES`) in one case (`EUR`, `eur`; not `Eur`). */
function currencyAt(text: string, at: number): boolean {
  if (at < 0 || at + 3 > text.length) return false;
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1);
  const c = text.charCodeAt(at + 2);
  if (!isAsciiLetter(a) || !isAsciiLetter(b) || !isAsciiLetter(c)) return false;
  const upper = isUpper(a);
  if (isUpper(b) !== upper || isUpper(c) !== upper) return false;
  return CURRENCY_CODES.has(String.fromCharCode(a & ~32, b & ~32, c & ~32));
}

/** Longest amount read after a currency code (`1,000,000.00`). */
const MAX_AMOUNT = 20;

/**
 * Where the amount that starts at `j` ends (`100`, `100.00`, `12,50`, `1.000,00`: digits, a single `.` or `,` only
 * between two digits), or `j` when no digit starts there.
 */
function amountEnd(text: string, j: number): number {
  let k = j;
  while (k - j < MAX_AMOUNT && isDigit(codeAt(text, k))) {
    k++;
    const c = codeAt(text, k);
    if ((c === 46 || c === 44) && isDigit(codeAt(text, k + 1))) k++;
  }
  return k;
}

/**
 * Where the amount that ends at `i` starts (`EUR100.00DE89…`: the mirror of `amountEnd`), or `i` when no digit ends
 * there.
 */
function amountStart(text: string, i: number): number {
  let k = i;
  while (i - k < MAX_AMOUNT && isDigit(codeAt(text, k - 1))) {
    k--;
    const c = codeAt(text, k - 1);
    if ((c === 46 || c === 44) && isDigit(codeAt(text, k - 2))) k--;
  }
  return k;
}

/**
 * Whether the word that ends at `i` is a currency code (`EURDE89…`), alone or with an amount glued after it
 * (`EUR100.00DE89…`, payment files): three letters of one case naming one, with no letter or digit before them (`_`
 * does not glue).
 */
export function currencyBefore(text: string, i: number): boolean {
  const s = amountStart(text, i);
  const p = codeAt(text, s - 4);
  return (!isWordChar(p) || p === 95) && currencyAt(text, s - 3);
}

/**
 * Whether a currency code starts at `j`, right after an IBAN (`…0417164300EUR`), alone or with an amount glued after it
 * (`…0417164300EUR100.00`, payment files), with no letter or digit after them (`_` does not glue).
 */
function currencyAfter(text: string, j: number): boolean {
  if (!currencyAt(text, j)) return false;
  const q = codeAt(text, amountEnd(text, j + 3));
  return !isWordChar(q) || q === 95 || isCurrencySign(q);
}

/**
 * Whether a subfield code of the German MT940 `:86:` structure (DATEV/DFÜ: `?` and two digits,
 * `?30COBADEFFXXX?31DE89…?32Jane Doe`) ends at `i`.
 */
export function subfieldBefore(text: string, i: number): boolean {
  return codeAt(text, i - 3) === 63 && isDigit(codeAt(text, i - 2)) && isDigit(codeAt(text, i - 1));
}

/**
 * Whether `c` is a currency sign (`¢` `£` `¤` `¥`, the Unicode currency symbols `€` `₹` `₽` …): no character of a token
 * or hash, so a sign glued before or after an IBAN (`€NL91…`, `…4300€`) does not glue it to a word.
 */
export function isCurrencySign(c: number): boolean {
  return (c >= 0xa2 && c <= 0xa5) || (c >= 0x20a0 && c <= 0x20cf);
}

/**
 * Whether the word that ends at `i` is an account label (`ACCT`, `IBAN`, in one case): `ACCTNL91…`, as a record writes
 * label and value in one field; no letter or digit before it (`_` does not glue).
 */
export function accountLabelBefore(text: string, i: number): boolean {
  if (i < 4) return false;
  const p = codeAt(text, i - 5);
  if (isWordChar(p) && p !== 95 && !isCurrencySign(p)) return false;
  const w = text.slice(i - 4, i);
  return w === 'ACCT' || w === 'IBAN' || w === 'acct' || w === 'iban';
}

/** Upper-cased value of an alphanumeric code unit for mod-97: digits 0-9, letters 10-35. */
function mod97Value(c: number): number {
  if (isDigit(c)) return c - 48;
  return (c | 32) - 97 + 10;
}

/** ISO 13616 mod-97 check over the alphanumerics of `chars` (already without separators). */
export function ibanChecksumValid(chars: readonly number[]): boolean {
  let rem = 0;
  const n = chars.length;
  for (let k = 0; k < n; k++) {
    const v = mod97Value(chars[(k + 4) % n]);
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/**
 * `iban`: International Bank Account Numbers, electronic (`DE89370400440532013000`) or printed in
 * groups of four (`DE89 3704 0044 0532 0130 00`, also with tabs, line breaks, dashes, dots, underscores, `/`, `|`, `:`,
 * `*`, `~`, non-breaking and other Unicode spaces, Unicode slashes and commas (`⁄`, Arabic `،`) or 2-4 of them such as
 * ` / ` and ` -- `, one separator throughout; middle dots and bullets are read as dots in the normalized view) or in
 * national groups (`FR14 20041 01005 0500013M026 06`: groups of two or more, at most four letters after the check
 * digits), upper or lower case; glued to CJK letters and punctuation (`振込先「DE89…」`, `IBANはDE89…です`: Japanese and
 * Chinese are written without blanks); glued to another word only when the word is a BIC or a currency code (`:25:…0417164300EUR`,
 * `EURDE89…`, bank files). The country's registered
 * length and the mod-97 check digits must match, so random tokens pass with probability ≈ 1 %
 * of those that already have a country prefix, two digits and the exact length.
 */
export const ibanDetector: Detector = {
  name: 'iban',
  minDigits: 6, // every registry format has well over six digits (check digits + numeric bank/account parts)
  // Country code, check digits and the first four BBAN characters (printed or electronic form).
  trigger:
    /[A-Za-z]{2}\d\d[ \t\r\n\-\u00a0._/|:*~,;\u2000-\u200a\u202f\u205f\u3000\u2044\u2215\u2217\u2053\u301c\u060c\u061b\u3001]{0,4}[A-Za-z0-9]{2}/,
  mayMatch: (text) => ibanDetector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const n = text.length;
    const chars: number[] = [];
    let i = 0;
    while (i + 4 <= n) {
      const c0 = text.charCodeAt(i);
      if (!isAsciiLetter(c0)) {
        i++;
        continue;
      }
      const c1 = text.charCodeAt(i + 1);
      if (
        !isAsciiLetter(c1) ||
        isUpper(c0) !== isUpper(c1) ||
        !isDigit(text.charCodeAt(i + 2)) ||
        !isDigit(text.charCodeAt(i + 3))
      ) {
        i++;
        continue;
      }
      const len = ibanLengths[String.fromCharCode(c0 & ~32, c1 & ~32)];
      // Glued to a word on the left it is no IBAN, unless the word is a BIC (`COBADEFFXXXDE89…`, as payment records
      // write bank and account in one field) or a currency code (`EURDE89…`, bank files); `_` glues words, not an IBAN
      // to them (`invoice_GB82WEST…`).
      const p = codeAt(text, i - 1);
      if (
        len === undefined ||
        (isWordChar(p) &&
          p !== 95 &&
          !isCurrencySign(p) &&
          !isCjkBoundary(p) &&
          !bicBefore(text, i) &&
          !currencyBefore(text, i) &&
          !subfieldBefore(text, i) &&
          !accountLabelBefore(text, i))
      ) {
        i++;
        continue;
      }
      // Read `len` alphanumerics; between groups one separator is allowed: 1-4 blanks and punctuation characters
      // (`isIbanSeparator`), written the same throughout. Groups are fours, or the national grouping (`FR14 20041 01005
      // 0500013M026 06`, `DE89 370 400 440 532 013 000`): groups of two or more with few letters in the account part.
      chars.length = 0;
      let j = i;
      let ok = true;
      let sepStart = -1;
      let sepLen = 0;
      let national = false;
      let groupStart = 0;
      while (chars.length < len) {
        const c = codeAt(text, j);
        if (isAlnum(c)) {
          chars.push(c);
          j++;
          continue;
        }
        let k = j;
        while (k - j < MAX_SEP && isIbanSeparator(codeAt(text, k))) k++;
        if (
          k > j &&
          chars.length - groupStart >= 2 &&
          isAlnum(codeAt(text, k)) &&
          (sepStart === -1 || sameSeparator(text, sepStart, sepLen, j, k - j))
        ) {
          if (sepStart === -1) {
            sepStart = j;
            sepLen = k - j;
          }
          if (chars.length % 4 !== 0) national = true;
          groupStart = chars.length;
          j = k;
        } else {
          ok = false;
          break;
        }
      }
      const sep = sepLen === 1 ? text.charCodeAt(sepStart) : 0;
      const after = codeAt(text, j);
      if (national && lettersAfter(chars, 4) > MAX_NATIONAL_LETTERS) ok = false;
      if (
        ok &&
        (!isWordChar(after) ||
          (after === 95 && sep !== 95) ||
          isCurrencySign(after) ||
          isCjkBoundary(after) ||
          currencyAfter(text, j)) &&
        // a UUID's groups (`ba8772e3-4668-1041-0037-…`: a country code and a check sum by chance) are one identifier
        !(sep === 45 && inUuid(text, i, j)) &&
        ibanChecksumValid(chars)
      ) {
        out.push({ start: i, end: j, type: 'iban' });
        i = j;
        continue;
      }
      i++;
    }
  },
};
