import { codeAt, fromStart, isAlnum } from './chars';
import type { Detector, Finding } from './types';

/** Key id prefixes (IAM user/role/STS/… resource ids that are credentials), under any case (`akia…` too). */
// Bounded by anything but a letter or digit: `_` is no part of a key id (`key_AKIA…`, `AKIA…_old`).
const KEY_ID =
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])/gi;

/**
 * A key id glued to a lower-case letter on its left (`keyAKIA…`, `awsKeyAKIA…`, `userIdASIA…`: a camelCase
 * boundary), written in upper case as AWS issues it. Still bounded on the right. Glued to an upper-case letter or
 * digit (`XAKIA…`) the word is 21 or more characters long and no key id; a lower-cased key id glued to lower-case
 * letters has no visible start.
 */
const GLUED_KEY_ID = /(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;

/**
 * A key id glued to a lower-case letter or digit on its left in any case (`keyakia…` lower-cased with its label,
 * `9AKIA…`; after an upper-case letter it is part of a longer upper-case word):
 * the 16 characters after the prefix in the base32 alphabet AWS issues them in (`A-Z2-7`), at least one digit among
 * them. Still bounded on the right.
 */
const GLUED_ANY_CASE = /(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z2-7]{16}(?![A-Za-z0-9])/gi;

/**
 * A key id written in groups of four (`AKIA IOSF ODNN 7EXA MPLE`, `akia-iosf-odnn-7exa-mple`): the prefix and
 * four groups with one separator throughout (space, `-`, `_`, `.`, `:`).
 */
const GROUPED_KEY_ID =
  /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)([ \-_.:])[A-Z0-9]{4}\1[A-Z0-9]{4}\1[A-Z0-9]{4}\1[A-Z0-9]{4}\b/gi;

/**
 * Cyrillic and Greek look-alikes of the prefix letters (confusable folding for the key-id prefix only: the 16
 * characters after it stay ASCII), upper and lower case, as regex source (`\uXXXX`).
 */
const LOOKALIKE: Readonly<Record<string, string>> = {
  A: String.raw`Aa\u0410\u0430\u0391\u03b1`,
  B: String.raw`Bb\u0412\u0432\u0392\u03b2`,
  C: String.raw`Cc\u0421\u0441\u03f9\u03f2`,
  D: String.raw`Dd`,
  G: String.raw`Gg\u050c\u050d`,
  I: String.raw`Ii\u0406\u0456\u0399\u03b9\u04c0\u04cf`,
  K: String.raw`Kk\u041a\u043a\u039a\u03ba`,
  N: String.raw`Nn\u039d`,
  O: String.raw`Oo\u041e\u043e\u039f\u03bf`,
  P: String.raw`Pp\u0420\u0440\u03a1\u03c1`,
  R: String.raw`Rr`,
  S: String.raw`Ss\u0405\u0455`,
  V: String.raw`Vv\u0474\u0475`,
};
/** The middle pairs of the key-id prefixes (`AKIA` → `KI`). */
const PAIRS = ['KI', 'SI', 'BI', 'CC', 'GP', 'ID', 'RO', 'IP', 'NP', 'NV', 'PK'];
/** The key-id prefixes with each letter's look-alikes (`[Aa\u0410…](?:[Kk\u041a…][Ii\u0406…]|…)[Aa\u0410…]`). */
const LOOKALIKE_PREFIX = `[${LOOKALIKE.A}](?:${PAIRS.map((p) => `[${LOOKALIKE[p[0]]}][${LOOKALIKE[p[1]]}]`).join('|')})[${LOOKALIKE.A}]`;

/**
 * A key id whose prefix holds a Cyrillic or Greek look-alike (`AKIА…` with U+0410, `ΑSIA…`): not glued to a letter
 * or digit of any script on its left, the 16 ASCII characters after it as in `KEY_ID`.
 */
const LOOKALIKE_KEY_ID = new RegExp(`(?<![\\p{Lu}\\p{Nd}])(?:${LOOKALIKE_PREFIX})[A-Za-z0-9]{16}(?![A-Za-z0-9])`, 'gu');

/**
 * Whether the four groups of a grouped key id look random rather than like four-letter words (`ASIA WILL HAVE
 * MORE RAIN`): a digit, or a group without a vowel (`THNG`; about 94 % of random key ids have one).
 */
function randomGroups(body: string): boolean {
  if (/\d/.test(body)) return true;
  for (let g = 0; g < 16; g += 4) if (!/[AEIOU]/i.test(body.slice(g, g + 4))) return true;
  return false;
}

/**
 * `aws_secret_access_key = …`, `SecretAccessKey: …`, `AWS_SECRET_ACCESS_KEY=…` and similar, and `aws secret …`,
 * `aws_secret_key: …` (the separator is optional after a label that names AWS).
 */
const SECRET_KEY =
  /(?:secret[_-]?access[_-]?key["']?\s{0,3}[:=]|aws[_ -]?secret(?:[_ -]?(?:access[_ -]?)?key)?["']?\s{0,3}[:=]?)\s{0,3}["']?/gi;

/** Number of distinct code units in `text[start, end)` (short ranges only). */
function distinctChars(text: string, start: number, end: number): number {
  let seen = '';
  for (let i = start; i < end; i++) if (seen.indexOf(text[i]) === -1) seen += text[i];
  return seen.length;
}

function isSecretChar(c: number): boolean {
  return isAlnum(c) || c === 43 || c === 47;
}

/**
 * `aws-access-key`: AWS access key ids (`AKIA…`, `ASIA…` and the other credential prefixes, 20
 * alphanumerics, in any case; also written in groups of four with one separator, in upper case glued to a
 * lower-case word on the left: `keyAKIA…`, or glued to a lower-case letter or digit in any case when the rest is base32 with a
 * digit: `keyakia…`, `9AKIA…`, not after an upper-case letter) and 40-character secret access keys that follow a
 * `secret_access_key`/`SecretAccessKey`/`aws secret`/`aws_secret_key` label. Bare 40-character base64 strings are not matched
 * (they are indistinguishable from digests).
 */
export const awsAccessKeyDetector: Detector = {
  name: 'aws-access-key',
  // The look-alike classes hold the ASCII letters of both cases: on ASCII text this matches what
  // `A(?:KIA|SIA|…)` under `i` matches.
  trigger: new RegExp(`${LOOKALIKE_PREFIX}|secret.?access|aws.?secret`, 'i'),
  // Case-insensitive, like the scanner's pre-filter: lower-case key ids are found too.
  mayMatch: (text) => awsAccessKeyDetector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const found: Finding[] = [];
    const ids = fromStart(KEY_ID);
    let m: RegExpExecArray | null;
    while ((m = ids.exec(text)) !== null) {
      // Placeholders (`AKIAXXXXXXXXXXXXXXXX`, `AKIA0000000000000000`) are no keys.
      if (distinctChars(text, m.index + 4, m.index + 20) < 4) continue;
      found.push({ start: m.index, end: m.index + 20, type: 'aws-access-key' });
    }
    const glued = fromStart(GLUED_KEY_ID);
    while ((m = glued.exec(text)) !== null) {
      const p = codeAt(text, m.index - 1);
      if (!(p >= 97 && p <= 122) || distinctChars(text, m.index + 4, m.index + 20) < 4) {
        glued.lastIndex = m.index + 1;
        continue;
      }
      found.push({ start: m.index, end: m.index + 20, type: 'aws-access-key' });
    }
    const any = fromStart(GLUED_ANY_CASE);
    while ((m = any.exec(text)) !== null) {
      const p = codeAt(text, m.index - 1);
      // After an upper-case letter (`XAKIA…`) the upper-case word is 21 or more characters long and no key id.
      if (
        !isAlnum(p) ||
        (p >= 65 && p <= 90) ||
        !/[2-7]/.test(m[0].slice(4)) ||
        distinctChars(text, m.index + 4, m.index + 20) < 4
      ) {
        any.lastIndex = m.index + 1;
        continue;
      }
      found.push({ start: m.index, end: m.index + 20, type: 'aws-access-key' });
    }
    // Look-alike prefixes, only in values with non-ASCII text (the ASCII ones are found above).
    if (/[\u0080-\uffff]/.test(text)) {
      const lookalike = fromStart(LOOKALIKE_KEY_ID);
      while ((m = lookalike.exec(text)) !== null) {
        // An ASCII prefix is `KEY_ID`'s. Glued to a lower-case letter on the left as in `GLUED_KEY_ID` (an upper-case
        // key id) and `GLUED_ANY_CASE` (any case, the rest base32 with a digit): `keyАKIA…`, `keyакіа2…`.
        const prefix = m[0].slice(0, 4);
        const body = m[0].slice(4);
        const glued = m.index > 0 && /\p{L}/u.test(text[m.index - 1]);
        if (
          !/[\u0080-\uffff]/.test(prefix) ||
          (glued && m[0] !== m[0].toUpperCase() && !(/^[A-Za-z2-7]+$/.test(body) && /[2-7]/.test(body))) ||
          distinctChars(text, m.index + 4, m.index + 20) < 4
        ) {
          lookalike.lastIndex = m.index + 1;
          continue;
        }
        found.push({ start: m.index, end: m.index + 20, type: 'aws-access-key' });
      }
    }
    const grouped = fromStart(GROUPED_KEY_ID);
    while ((m = grouped.exec(text)) !== null) {
      const end = m.index + m[0].length;
      const body = m[0].replace(/[^A-Za-z0-9]/g, '').slice(4);
      // The grouped body must look random and not be a placeholder (`AKIA XXXX XXXX XXXX XXXX`).
      if (!randomGroups(body) || distinctChars(body, 0, body.length) < 4) continue;
      found.push({ start: m.index, end, type: 'aws-access-key' });
    }
    const secrets = fromStart(SECRET_KEY);
    while ((m = secrets.exec(text)) !== null) {
      const start = m.index + m[0].length;
      let end = start;
      while (end < text.length && end - start <= 40 && isSecretChar(text.charCodeAt(end))) end++;
      if (end - start === 40 && !isSecretChar(codeAt(text, end))) {
        found.push({ start, end, type: 'aws-access-key' });
        secrets.lastIndex = end;
      }
    }
    if (found.length > 1) found.sort((a, b) => a.start - b.start);
    for (const f of found) out.push(f);
  },
};
