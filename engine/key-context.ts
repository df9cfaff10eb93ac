import { PHONE_CONTEXT } from './detectors/phone';
import { SSN_CONTEXT } from './detectors/us-ssn';

/** A word's suffix naming an identifier (`callerid`, `mobileno`, `cellnumber`): the word before it is read too. */
const ID_SUFFIX = /(?:id|no|nr|num|number)$/;

/**
 * The context vocabularies of the detectors that read an unformatted digit run only after a keyword (`phone`, `us-ssn`).
 * A key whose words one of them names gives a digit string under it that context.
 */
const CONTEXTS: readonly RegExp[] = [PHONE_CONTEXT, SSN_CONTEXT];

/**
 * A name read as lowercase words, each after a space: split at separators and case changes, an identifier suffix
 * after capitals too (`app.userMobile` → ` app user mobile`, `SSNId` → ` ssn id`, `caller_id` → ` caller id`), each
 * word also without an identifier suffix (`callerid` → ` callerid caller`). The detectors' context patterns match words at `\b`, which `_` and glued words would hide.
 */
export function nameWords(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(Id|No|Nr|Num|Number)(?![a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/);
  let spaced = '';
  for (const w of words) {
    if (w.length === 0) continue;
    spaced += ' ' + w;
    const m = ID_SUFFIX.exec(w);
    if (m !== null && m.index > 1) spaced += ' ' + w.slice(0, m.index);
  }
  return spaced;
}

/**
 * The text a digit string under `key` is scanned after, so that it has the context the key gives it: the words of the
 * key (see `nameWords`) the phone and SSN detectors' context patterns match, then `: ` (`app.customer_mobile` →
 * `mobile: `, `app.ssn` → `ssn: `, `app.userTel` → `tel: `); `undefined` when the key names no such context. Only the
 * matched words are kept, so a long key does not push them out of the detectors' look-back window.
 */
export function keyContextPrefix(key: string): string | undefined {
  const words = nameWords(key);
  let prefix = '';
  for (const context of CONTEXTS) {
    const m = context.exec(words);
    if (m !== null) prefix += `${m[0]} `;
  }
  return prefix.length === 0 ? undefined : `${prefix.trimEnd()}: `;
}

/** Longest string read as a digit run (a phone number written with separators and country code is far shorter). */
const MAX_DIGIT_STRING = 40;
/** Fewest digits of a phone number or SSN (the phone detector's shortest). */
const MIN_DIGITS = 8;

/**
 * Whether `value` is a number written as a string: digits with separators only (space, `-`, `.`, `/`, `(`, `)`, `+`,
 * `_`), at least 8 digits, at most 40 characters. The first character is checked first (one comparison for most
 * strings).
 */
export function isDigitString(value: string): boolean {
  const n = value.length;
  if (n < MIN_DIGITS || n > MAX_DIGIT_STRING) return false;
  const c0 = value.charCodeAt(0);
  if (!((c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 40)) return false;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c !== 32 && c !== 45 && c !== 46 && c !== 47 && c !== 40 && c !== 41 && c !== 43 && c !== 95) return false;
  }
  return digits >= MIN_DIGITS;
}
