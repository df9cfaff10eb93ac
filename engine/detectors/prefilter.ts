/**
 * The value scanner's single pass over a value: one loop over the UTF-16 code units (no regex, no allocation) that
 * decides which built-in detectors could possibly match (a candidate bit per detector), how many ASCII digits the
 * value holds, and whether the value needs a normalized view or decoded runs (see `normalizer.ts`). The scanner then
 * runs only the detectors whose bit is set (each still checks its own `mayMatch` before `find`).
 *
 * Each bit is a necessary condition derived from the detector's `trigger` and `mayMatch` (superset, never exact):
 * - `email`: `@`, `%40`, a bracket before `at`/`dot`/`.` (`(at)`, `[.]`), or a blank before `dot`;
 * - `url-credentials`: `@` and `:`;
 * - `jwt`: `eyJ`; `private-key`: `-B` (of `-----BEGIN `), `putty-user-key-file-` (any case), or `IBA`, `CAQ`, `AgE`
 *   (a bare key's DER in base64);
 * - `labeled-secret`: `pass`, `pwd`, `secret`, `key`, `token`, `sess` or `cookie` (any case); the ASCII password
 *   words of other languages (`kennwort`, `wachtwoord`, `contrasena`, `senha`, `salasana`, `adgangskode`, `heslo`,
 *   `haslo`, `losenord`, `jelszo`, `sifre`, `parola`, `clave`, `mdp`, `pin` as a word, `pincode`) and `honeycomb`; the statement and
 *   command words of `commandTrigger` (`auth`, `identified`, `login`, `curl`, …);
 * - `bearer-token`: `bearer`, `basic` or `token` (any case);
 * - `aws-access-key`: `A??A` with a key-id pair inside (`AKIA`, `ASIA`, …) or `secret` (any case);
 * - `api-token`: the two characters before a vendor prefix's `_`/`-`/`.` (`ghp_`, `pat_`, `sk-`, `SK_`, `SG.`, `hvs.`,
 *   `key-`, `pul-`, `HRKU-`, `AGE-`, `dp.`, …), `AIz`, `dapi`, `SK`, a digit before `:AA`, `ATATT`, `EAA`, `-us` and a
 *   digit, `$production`/`$sandbox`, a `.` seven after another;
 * - `ipv6`: `:` after a hex digit or `:`, or `v6-` (`ipv6-literal.net`);
 * - `ipv4`: three steps from a digit to the next over `.,-_` and blanks (at least one of `.,-_`), in one run of digits,
 *   blanks and `.,-_`, the inner groups at most three digits long; or `.0x` (a hexadecimal quad);
 * - `iban`: a registered country code (two letters of one case, not glued to a word on the left other than a BIC, a
 *   currency code with or without an amount, a `?NN` subfield code or `ACCT`/`IBAN`), two digits;
 * - `payment-card`, `phone`, `us-ssn`: a chain of 12, 8, 9 digits where neighbours are at most four separator
 *   characters apart (the union of their separator sets, `x` included; cards: the runs `find` reads);
 * and the time bit (`TIME_CANDIDATE`, not a detector: `values.timestamps: coarsen` reads date-times in text) for a
 * digit, `:` or `T`/`t`, and a digit;
 * and every bit when the value holds a non-ASCII code unit (case folding and Unicode blanks: fail open to the
 * detectors). The scanner also skips a detector when the digit count is below its `minDigits`. When a detector's
 * `trigger` changes, its condition here must change with it: the property test
 * (`test/engine/detectors/prefilter.test.ts`) compares the scanner with and without this pre-filter.
 */
import type { DetectorName } from '../../policy/schema';
import { accountLabelBefore, bicBefore, currencyBefore, ibanLengths, subfieldBefore } from './iban';
import type { Detector } from './types';
import { ASCII_SEPARATOR, DIGIT_GROUP_PUNCT, UNREAD_SEPARATOR } from './spaced-view';
import {
  MIN_BASE64_RUN,
  MIN_HEX_RUN,
  MIN_PADDED_BASE64_RUN,
  NEEDS_QP,
  NEEDS_RUNS,
  NEEDS_VIEW,
  PREPASS_FLAGS,
  entityAt,
  hexMayDecode,
  isHex,
  looksBase64,
  pathSegmentMayDecode,
  runMayDecode,
} from './normalizer';
import {
  MIN_BASE64_GROUPS,
  MIN_BYTE_RUN,
  MIN_LOWER_BASE64_RUN,
  groupSeparator,
  groupedBase64MayDecode,
  base64CharsEnd,
  defangAt,
  lowerBase64MayDecode,
  upperBase64MayDecode,
  quotedPrintableAt,
  utf7Trigger,
} from './encoded-forms';

/** The candidate bit of each built-in detector in `classify`'s result. */
export const CANDIDATE: Readonly<Record<DetectorName, number>> = {
  email: 1 << 0,
  'payment-card': 1 << 1,
  iban: 1 << 2,
  'us-ssn': 1 << 3,
  phone: 1 << 4,
  ipv4: 1 << 5,
  ipv6: 1 << 6,
  jwt: 1 << 7,
  'bearer-token': 1 << 8,
  'aws-access-key': 1 << 9,
  'api-token': 1 << 10,
  'private-key': 1 << 11,
  'url-credentials': 1 << 12,
  'labeled-secret': 1 << 13,
};

/**
 * The trigger (and `minDigits`) each detector had when its condition here was derived. A detector whose trigger or
 * digit minimum differs from this (changed since) gets no candidate bit from the scanner (`conditionIsCurrent`): it
 * runs on every value, gated only by its own `mayMatch`, until its condition here is revisited. A test fails
 * meanwhile, naming the detector.
 */
export const DERIVED_FROM: Readonly<Record<DetectorName, { readonly trigger: RegExp; readonly minDigits?: number }>> = {
  email: { trigger: /@|%40|[([{<] ?at? ?[)\]}>]|\sdot\s/i },
  'payment-card': {
    trigger:
      /\d{2}(?:[ \t\r\n.\-_:|/+*~,;\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2044\u2215\u2217\u2053\u301c\u060c\u061b\u3001]{0,4}|x)\d{2}(?:[ \t\r\n.\-_:|/+*~,;\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2044\u2215\u2217\u2053\u301c\u060c\u061b\u3001]{0,4}|x)\d{2}/i,
    minDigits: 12,
  },
  iban: {
    trigger:
      /[A-Za-z]{2}\d\d[ \t\r\n\-\u00a0._/|:*~,;\u2000-\u200a\u202f\u205f\u3000\u2044\u2215\u2217\u2053\u301c\u060c\u061b\u3001]{0,4}[A-Za-z0-9]{2}/,
    minDigits: 6,
  },
  'us-ssn': {
    trigger: /\d{3}[- \t\r\n._/\u2044\u2215\u29f8]{1,3}\d\d[- \t\r\n._/\u2044\u2215\u29f8]{1,3}\d{4}|\d{9}/,
    minDigits: 9,
  },
  phone: { trigger: /\d(?:[ \t\r\n.\-/()+]{0,3}\d){7}/, minDigits: 8 },
  ipv4: {
    trigger:
      /\d[ \t]{0,3}[.,\-_][ \t]{0,3}\d{1,3}[ \t]{0,3}[.,\-_][ \t]{0,3}\d{1,3}[ \t]{0,3}[.,\-_][ \t]{0,3}\d|0x[0-9a-f]{1,2}\.0x/i,
    minDigits: 4,
  },
  ipv6: { trigger: /::|(?:[0-9A-Fa-f]{1,4}:){6}[0-9A-Fa-f]|ipv6-literal\.net/, minDigits: 1 },
  jwt: { trigger: /eyJ/ },
  'bearer-token': { trigger: /bearer|basic|token/i },
  // The key-id prefixes with Cyrillic and Greek look-alikes: on ASCII text the same as `A(?:KIA|SIA|…)` under `i`.
  'aws-access-key': {
    trigger:
      /[Aa\u0410\u0430\u0391\u03b1](?:[Kk\u041a\u043a\u039a\u03ba][Ii\u0406\u0456\u0399\u03b9\u04c0\u04cf]|[Ss\u0405\u0455][Ii\u0406\u0456\u0399\u03b9\u04c0\u04cf]|[Bb\u0412\u0432\u0392\u03b2][Ii\u0406\u0456\u0399\u03b9\u04c0\u04cf]|[Cc\u0421\u0441\u03f9\u03f2][Cc\u0421\u0441\u03f9\u03f2]|[Gg\u050c\u050d][Pp\u0420\u0440\u03a1\u03c1]|[Ii\u0406\u0456\u0399\u03b9\u04c0\u04cf][Dd]|[Rr][Oo\u041e\u043e\u039f\u03bf]|[Ii\u0406\u0456\u0399\u03b9\u04c0\u04cf][Pp\u0420\u0440\u03a1\u03c1]|[Nn\u039d][Pp\u0420\u0440\u03a1\u03c1]|[Nn\u039d][Vv\u0474\u0475]|[Pp\u0420\u0440\u03a1\u03c1][Kk\u041a\u043a\u039a\u03ba])[Aa\u0410\u0430\u0391\u03b1]|secret.?access|aws.?secret/i,
  },
  'api-token': {
    trigger:
      /gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sSrR][kK][_-](?:[lL][iI][vV][eE]|[tT][eE][sS][tT])[_-]|npm_|AIza|SG\.|sk-|hf_|dckr_pat_|shp(?:at|ss|ca|pa)_|pypi-AgE|SK[0-9a-f]{32}|hooks\.slack\.com\/|ya29\.|GOCSPX-|whsec_|hv[sbr]\.|do[opr]_v1_|glsa_|glc_|NR(?:AK|II|JS)-|key-|dapi|\d:AA|ATATT3|lin_api_|PMAK-|pul-|HRKU-|CCIPAT_|dp\.(?:pt|st|ct|sa|scim|audit)\.|AGE-SECRET-KEY-1|\$(?:production|sandbox)\$|\.[A-Za-z0-9_-]{6}\.|EAA|-us\d/,
  },
  'private-key': {
    trigger:
      /-----BEGIN |[Pp][Uu][Tt][Tt][Yy]-[Uu][Ss][Ee][Rr]-[Kk][Ee][Yy]-[Ff][Ii][Ll][Ee]-|M[A-Za-z0-9+/]{2,5}(?:IBAAK|IBADANBgkqhkiG9w0BAQEFAAS|CAQEEI|AgEBBD|AgEBBE|AgEAMB|CAQAwBQYDK2V)/,
  },
  'url-credentials': { trigger: /@/ },
  'labeled-secret': {
    trigger:
      /pass(?:word|wd|phrase)?|pwd|secret|api.?key|private.?key|access.?key|account.?key|signature|(?<![A-Za-z0-9_-])sig(?![A-Za-z0-9])|token|sess(?:ion.?)?id|cookie|auth|identified|login|setuser|(?:redis|valkey|keydb)-cli|ldap|curl|smbclient|zip|rabbitmq(?:ctl|admin)|net user|mysql|mariadb|sqlcmd|mongo|7z|securestring|connect[ \t]+to|psexec|mosquitto_(?:pub|sub)|user(?:mod|add)|beeline|isql|kennwort|wachtwoord|contrase(?:ñ|n)a|senha|salasana|adgangskode|h[ea]slo|hasło|l(?:ö|o)senord|jelsz(?:ó|o)|(?:ş|s)ifre|пароль|パスワード|密[码碼]|口令|暗証番号|비밀번호|암호|mật khẩu|पासवर्ड|รหัสผ่าน|parola|clave|mdp|pin(?:code)?(?![A-Za-z0-9])|subscription.?key|functions.?key|honeycomb.team/i,
  },
};

/** Whether `classify`'s candidate bit for `detector` was derived from its current trigger and digit minimum. */
export function conditionIsCurrent(detector: Detector): boolean {
  const derived = (DERIVED_FROM as Record<string, { trigger: RegExp; minDigits?: number }>)[detector.name];
  return (
    derived !== undefined &&
    derived.trigger.source === detector.trigger.source &&
    derived.trigger.flags === detector.trigger.flags &&
    derived.minDigits === detector.minDigits
  );
}

const EMAIL = CANDIDATE.email;
const CARD = CANDIDATE['payment-card'];
const IBAN = CANDIDATE.iban;
const SSN = CANDIDATE['us-ssn'];
const PHONE = CANDIDATE.phone;
const IPV4 = CANDIDATE.ipv4;
const IPV6 = CANDIDATE.ipv6;
const JWT = CANDIDATE.jwt;
const BEARER = CANDIDATE['bearer-token'];
const AWS = CANDIDATE['aws-access-key'];
const API = CANDIDATE['api-token'];
const KEY = CANDIDATE['private-key'];
const URL_CREDENTIALS = CANDIDATE['url-credentials'];
const LABELED = CANDIDATE['labeled-secret'];

/**
 * Set (besides `email`'s bit) when the value may hold an obfuscated address: a bracket before `a`, `d` or `.`, or an
 * ASCII blank before `d`/`D` (a superset of `email.ts`'s `OBFUSCATION_HINT`, case-insensitively; non-ASCII sets
 * every bit). Without it the scanner runs only `email`'s `@`/`%40` search (`findAt`), which is then all its `find`
 * does, and skips the hint's whole-value regex.
 */
export const EMAIL_OBFUSCATION = 1 << 14;

/** The `OBFUSCATION_HINT` source `EMAIL_OBFUSCATION` was derived from; the scanner ignores the bit when it differs. */
export const OBFUSCATION_HINT_DERIVED_FROM = String.raw`[([{<][ \t]?at?[ \t]?[)\]}>]|[([{<][ \t]?(?:dot|\.)[ \t]?[)\]}>]|\sdot\s`;

/**
 * Set when the value may hold a date-time written in text (`values.timestamps: coarsen`, `engine/time-in-text.ts`):
 * a digit, `:` and a digit (`10:11`), or a digit, `T`/`t` and a digit (`20261205T101112`), the necessary condition
 * `TIME_TRIGGER`. Non-ASCII values set it too (`UNFILTERED`). The scanner looks for date-times only when it is set,
 * and only while `TIME_TRIGGER` is still the pattern this was derived from (`TIME_TRIGGER_DERIVED_FROM`).
 */
export const TIME_CANDIDATE = 1 << 24;

/** The `TIME_TRIGGER` source `TIME_CANDIDATE` was derived from; the scanner ignores the bit when it differs. */
export const TIME_TRIGGER_DERIVED_FROM = String.raw`\d:\d|\d[Tt]\d`;

/**
 * Set when the value may hold a form the spaced view undoes (`spacedView` in `spaced-view.ts`), its necessary
 * condition on ASCII text: the same separator two or three characters apart five times, a miss counting two back
 * (`4 1 1 …`, `j_a_n_e…`, `4  1  1`); five separators in a row after a letter or digit; or an ASCII separator the
 * detectors do not read (`UNREAD_SEPARATOR`) after a digit and before a letter or digit (`4111!1111`), or URL
 * punctuation or `\` (one to four times) between two digits (`DIGIT_GROUP_PUNCT`: `4111?1111`). Non-ASCII
 * values set it too (`UNFILTERED`). Clean routes, queries, identifiers and most prose do not. The scanner builds the
 * view only when it is set.
 */
export const SPACED_CANDIDATE = 1 << 25;

/** Every candidate bit (and `EMAIL_OBFUSCATION`). */
export const ALL_CANDIDATES = (1 << 15) - 1;

/** Where the digit count sits in `classify`'s result (8 bits, capped at 255). */
export const DIGITS_SHIFT = 16;
const DIGITS_CAP = 255;

/** What `classify` returns for a value it does not look into: every detector, every digit count, a view. */
export const UNFILTERED =
  ALL_CANDIDATES | TIME_CANDIDATE | SPACED_CANDIDATE | (DIGITS_CAP << DIGITS_SHIFT) | NEEDS_VIEW | NEEDS_QP;

/** The digit count of a `classify` result. */
export function digitsOf(bits: number): number {
  return (bits >>> DIGITS_SHIFT) & DIGITS_CAP;
}

/** Chain gap that ends a digit chain (more than four separators, or another character). */
const BROKEN = 5;

// ASCII classes: bit flags per code unit.
const DIGIT = 1;
const UPPER = 2;
const BASE64_PUNCT = 4; // `+ / - _` (base64 and base64url)
const CHAIN_SEP = 8; // separators inside phone, SSN and card digit chains
const SPECIAL = 16; // `% \ & [ ( {` (percent-encoding, escapes, entities, defanged `[.]`)
const CONTROL = 32; // control characters the view removes
const TRIGGER = 64; // characters some detector's condition is checked at
const GROUP_SEP = 128; // separators of base64 written in groups (`groupSeparator`)

const CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) t[c] = DIGIT;
  for (let c = 65; c <= 90; c++) t[c] = UPPER;
  for (const ch of '+/-_') t[ch.charCodeAt(0)] |= BASE64_PUNCT;
  for (const ch of ' \t\r\n.-_:|/+*~,;()xX') t[ch.charCodeAt(0)] |= CHAIN_SEP;
  for (const ch of '%\\&[({') t[ch.charCodeAt(0)] |= SPECIAL;
  for (let c = 0; c < 128; c++) if (c < 32 ? c !== 9 && c !== 10 && c !== 13 : c === 127) t[c] |= CONTROL;
  // `@ : - _ . ( [ { <` and the upper-case letters some condition is checked at (`A B C D E J K P Q S`).
  // `T` of a basic ISO date-time (`TIME_CANDIDATE`).
  // `F G H I L Q U` of the command words of `labeled-secret` (`commandTrigger`).
  // `V` of `clave` (`labeled-secret`).
  for (const ch of '@:-_.([{<ABCDEFGHIJKLPQSTUV$') t[ch.charCodeAt(0)] |= TRIGGER;
  for (let c = 0; c < 128; c++) if (groupSeparator(c)) t[c] |= GROUP_SEP;
  return t;
})();

/** `text[i]` with ASCII case folded to lower (`| 32`), -1 outside the text. */
function lowerAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) | 32 : -1;
}

/** Whether `text[i]` is an ASCII digit (false outside the text). */
function isDigitAt(text: string, i: number): boolean {
  const c = charAt(text, i);
  return c >= 48 && c <= 57;
}

/** Whether `text[i]` is an ASCII letter or digit (false outside the text). */
function isAlnumAt(text: string, i: number): boolean {
  const c = charAt(text, i);
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
}

/** Whether `text[i]` glues a name to a following `sig` (a letter, digit, `_` or `-`; false outside the text). */
function isSigGlueAt(text: string, i: number): boolean {
  const c = charAt(text, i);
  return c === 95 || c === 45 || isAlnumAt(text, i);
}

function charAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : -1;
}

/** IBAN country codes (`ibanLengths`): `IBAN_COUNTRY[(first - 65) * 26 + (second - 65)]` is 1 for a registered one. */
const IBAN_COUNTRY = (() => {
  const t = new Uint8Array(26 * 26);
  for (const code of Object.keys(ibanLengths)) t[(code.charCodeAt(0) - 65) * 26 + (code.charCodeAt(1) - 65)] = 1;
  return t;
})();

/**
 * Whether the two digits ending at `i` follow a country code `iban`'s `find` starts at: two ASCII letters of one
 * case naming a registered country, with no letter or digit before them (`_` does not glue), a BIC (`bicBefore`),
 * a currency code, also with an amount (`currencyBefore`), an MT940 `:86:` subfield code (`subfieldBefore`) or an
 * account label (`accountLabelBefore`); a currency sign before them is no letter here.
 */
function ibanStart(text: string, i: number): boolean {
  const a = charAt(text, i - 3);
  const b = charAt(text, i - 2);
  const upper = a >= 65 && a <= 90 && b >= 65 && b <= 90;
  const lower = a >= 97 && a <= 122 && b >= 97 && b <= 122;
  if (!(upper || lower) || IBAN_COUNTRY[((a & ~32) - 65) * 26 + ((b & ~32) - 65)] === 0) return false;
  const p = charAt(text, i - 4);
  return (
    !((p >= 48 && p <= 57) || (p >= 65 && p <= 90) || (p >= 97 && p <= 122)) ||
    bicBefore(text, i - 3) ||
    currencyBefore(text, i - 3) ||
    subfieldBefore(text, i - 3) ||
    accountLabelBefore(text, i - 3)
  );
}

/** The key-id pairs of `aws-access-key`'s prefixes (`AKIA` → `ki`), two lower-case code units as one number. */
const AWS_PAIRS = new Set(['ki', 'si', 'bi', 'cc', 'gp', 'id', 'ro', 'ip', 'np', 'nv', 'pk'].map((p) => pair(p)));

function pair(p: string): number {
  return (p.charCodeAt(0) << 8) | p.charCodeAt(1);
}

/**
 * `api-token` prefixes ending in `_`: the two characters before it, ASCII case folded (`gh?_` checked apart;
 * `SK_LIVE_`, `do?_v1_`, `glsa_`, `glc_`).
 */
const API_UNDERSCORE = new Set(
  ['at', 'sk', 'rk', 'pm', 'hf', 'ss', 'ca', 'pa', 'ec', 'v1', 'sa', 'lc', 'pi'].map((p) => pair(p)),
);

/** Whether the lower-cased `text[i, i + word.length)` is `word` (lower-case ASCII). */
function wordAt(text: string, i: number, word: string): boolean {
  if (i < 0 || i + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) if ((text.charCodeAt(i + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * The `labeled-secret` bit for a letter at `i` (any case; `lower` is it folded to lower case): the words its trigger
 * needs contain `pass`, `pwd`, `secret`, `key`, `token`, `sess` or `cookie`, checked at `p`, `s`, `c` (of `secret`),
 * `k` (of `key`, `token`, `cookie`). The `p` also sets `private-key`'s bit for `PuTTY-User-Key-File-`.
 */
function labelTrigger(text: string, i: number, lower: number): number {
  switch (lower) {
    case 112: // p: `pass`, `pwd`, `parola`, `pin`, `pincode`; `PuTTY-User-Key-File-` of `private-key`
      return (
        (wordAt(text, i + 1, 'ass') ||
        wordAt(text, i + 1, 'wd') ||
        wordAt(text, i + 1, 'arola') ||
        (wordAt(text, i + 1, 'in') && (!isAlnumAt(text, i + 3) || wordAt(text, i + 3, 'code')))
          ? LABELED
          : 0) | (wordAt(text, i + 1, 'utty-user-key-file-') ? KEY : 0)
      );
    case 115: // s: `sess`; `signature`, `sig` as a word of its own; `net user`; `contrasena`, `losenord`, `sifre`
      if (wordAt(text, i + 1, 'ess') || (wordAt(text, i + 1, 'er') && wordAt(text, i - 5, 'net u'))) return LABELED;
      if (wordAt(text, i - 6, 'contrasena') || wordAt(text, i - 2, 'losenord') || wordAt(text, i + 1, 'ifre'))
        return LABELED;
      // `psexec`, `usermod`, `useradd`
      if (
        wordAt(text, i - 1, 'psexec') ||
        (wordAt(text, i - 1, 'user') && (wordAt(text, i + 3, 'mod') || wordAt(text, i + 3, 'add')))
      )
        return LABELED;
      if (!wordAt(text, i + 1, 'ig')) return 0;
      return wordAt(text, i + 3, 'nature') || (!isSigGlueAt(text, i - 1) && !isAlnumAt(text, i + 3)) ? LABELED : 0;
    case 107: // k: `key`, `token`, `cookie`, `kennwort`
      return wordAt(text, i + 1, 'ey') ||
        wordAt(text, i + 1, 'ennwort') ||
        (wordAt(text, i - 2, 'to') && wordAt(text, i + 1, 'en')) ||
        (wordAt(text, i - 3, 'coo') && wordAt(text, i + 1, 'ie'))
        ? LABELED
        : 0;
    default:
      return 0;
  }
}

/** Whether the second `c` of `connect` and a blank are at `i` (DB2's `CONNECT TO db USER app USING …`). */
function connectAt(text: string, i: number): boolean {
  const after = charAt(text, i + 2);
  return wordAt(text, i - 5, 'conne') && (charAt(text, i + 1) | 32) === 116 && (after === 32 || after === 9);
}

/**
 * The `labeled-secret` bit for the statement and command words of its trigger (`findCommandSecrets`), checked at one
 * letter of each (`lower`, folded to lower case; any case around it): `h` of `auth`, `f` of `identified`, `g` of
 * `login` and `mongo`, `u` of `setuser`, `l` of `redis-cli`, `smbclient`, `rabbitmqctl`, `curl`, `d` of `ldap`, `i` of
 * `zip`, `q` of `mysql` and `sqlcmd` (`s` of `net user`: `labelTrigger`; the digit `7` of `7z`: `classify`).
 */
function commandTrigger(text: string, i: number, lower: number): number {
  switch (lower) {
    case 104: // h: `auth`; `senha`
      return wordAt(text, i - 3, 'aut') || wordAt(text, i - 3, 'senha') ? LABELED : 0;
    case 102: // f: `identified`
      return wordAt(text, i - 6, 'identi') && wordAt(text, i + 1, 'ied') ? LABELED : 0;
    case 103: // g: `login`, `mongo`; `adgangskode`
      return (wordAt(text, i - 2, 'lo') && wordAt(text, i + 1, 'in')) ||
        wordAt(text, i - 3, 'mongo') ||
        wordAt(text, i - 5, 'adgangskode')
        ? LABELED
        : 0;
    case 117: // u: `setuser`
      return wordAt(text, i - 3, 'set') && wordAt(text, i + 1, 'ser') ? LABELED : 0;
    case 108: // l: `redis-cli`, `smbclient`, `rabbitmqctl`, `curl`; `salasana`, `heslo`, `haslo`, `jelszo`
      return (wordAt(text, i - 7, 'redis-c') && wordAt(text, i + 1, 'i')) ||
        wordAt(text, i - 2, 'salasana') ||
        wordAt(text, i - 3, 'heslo') ||
        wordAt(text, i - 3, 'haslo') ||
        wordAt(text, i - 2, 'jelszo') ||
        (wordAt(text, i - 4, 'smbc') && wordAt(text, i + 1, 'ient')) ||
        wordAt(text, i - 10, 'rabbitmqct') ||
        wordAt(text, i - 3, 'cur')
        ? LABELED
        : 0;
    case 100: // d: `ldap`, `mariadb`; `mdp`
      return wordAt(text, i - 1, 'ldap') ||
        (wordAt(text, i - 5, 'maria') && wordAt(text, i + 1, 'b')) ||
        wordAt(text, i - 1, 'mdp')
        ? LABELED
        : 0;
    case 105: // i: `zip`
      return wordAt(text, i - 1, 'zip') ? LABELED : 0;
    case 113: // q: `mysql`, `sqlcmd`, `rabbitmqadmin`, `mosquitto_pub`, `isql`
      return wordAt(text, i - 3, 'mysql') ||
        wordAt(text, i - 1, 'sqlcmd') ||
        (wordAt(text, i - 7, 'rabbitm') && wordAt(text, i + 1, 'admin')) ||
        (wordAt(text, i - 3, 'mos') && wordAt(text, i + 1, 'uitto')) ||
        (wordAt(text, i - 2, 'is') && wordAt(text, i + 1, 'l'))
        ? LABELED
        : 0;
    default:
      return 0;
  }
}

/**
 * The base64 a private key's DER starts with (`private-key`'s trigger without its PEM line) holds `IBA`, `CAQ` or
 * `AgE`: checked at their last letter (`A`, `Q`, `E`).
 */
function bareKeyTrigger(text: string, i: number, c: number): number {
  const p1 = charAt(text, i - 1);
  const p2 = charAt(text, i - 2);
  if (c === 65) return p1 === 66 && p2 === 73 ? KEY : 0;
  if (c === 81) return p1 === 65 && p2 === 67 ? KEY : 0;
  return p1 === 103 && p2 === 65 ? KEY : 0;
}

/**
 * For the lower-case letters `letterTrigger` looks at, besides `d`: where the one neighbour every match of theirs needs
 * sits (`+1` the next code unit, `-1` the previous, `-3` three back; 0 for the other letters), and which letters it can
 * be, any case (bit `letter - 97`); the command words' letters of `commandTrigger` (`h f g u l q`, `i` of `zip`) the
 * letter before them; `a` (`A??A`) needs an `a` three back, `b` (`bearer`, `basic`) an `e` or `a` next,
 * `c` (`secret`) an `e` before, `k` (`key`, `token`, `cookie`) an `e` or `i` next, `p` (`pass`, `pwd`,
 * `putty-user-key-file-`, `pin`) an `a`, `w`, `u` or `i` next, `s` (`sess`, `sig`) an `e` or `i` next, `v` (`clave`) an `a` before, `z` (`AIza`) an `I` before, `i` (`dapi`) a `p` before. A necessary
 * condition only: `classify` calls `letterTrigger` (which decides) when the neighbour is one of them, and skips the call
 * on the other letters of plain words, where it would return 0.
 */
const LETTER_NEIGHBOUR = (() => {
  const t = new Int8Array(128);
  t[97] = -3;
  t[98] = 1;
  t[99] = -1;
  t[107] = 1;
  t[112] = 1;
  t[105] = -1;
  t[115] = 1;
  t[122] = -1;
  t[104] = -1;
  t[102] = -1;
  t[103] = -1;
  t[117] = -1;
  t[108] = -1;
  t[113] = -1;
  t[118] = -1;
  return t;
})();
const letterBits = (letters: string): number => {
  let m = 0;
  for (const ch of letters) m |= 1 << (ch.charCodeAt(0) - 97);
  return m;
};
const LETTER_NEIGHBOURS = (() => {
  const t = new Int32Array(128);
  t[97] = letterBits('a');
  t[98] = letterBits('ea');
  t[99] = letterBits('eay');
  t[107] = letterBits('ei');
  t[112] = letterBits('awui');
  t[105] = letterBits('pz');
  t[115] = letterBits('ei');
  t[122] = letterBits('i');
  t[104] = letterBits('tn');
  t[102] = letterBits('i');
  t[103] = letterBits('on');
  t[117] = letterBits('t');
  t[108] = letterBits('ctrase');
  t[113] = letterBits('sm');
  t[118] = letterBits('a');
  return t;
})();

/**
 * The bits a `c` or `C` at `i` sets (any case around it): `secret`; `securestring`, DB2's `connect` + blank;
 * `wachtwoord`, `honeycomb` (of `X-Honeycomb-Team`).
 */
function cTrigger(text: string, i: number): number {
  if (!wordAt(text, i - 2, 'se'))
    return connectAt(text, i) || wordAt(text, i - 2, 'wachtwoord') || wordAt(text, i - 5, 'honeycomb') ? LABELED : 0;
  if (wordAt(text, i + 1, 'ret')) return AWS | LABELED;
  return wordAt(text, i + 1, 'urestring') || connectAt(text, i) ? LABELED : 0;
}

/**
 * The candidate bits a lower-case letter `c` at `i` sets (`a b c i k p s v z`, the command words' `f g h l q u`; `d` and
 * `t` are read inline by the pass).
 */
function letterTrigger(text: string, i: number, c: number): number {
  switch (c) {
    case 112: // p: `pass`, `pwd`
    case 115: // s: `sess`
      return labelTrigger(text, i, c);
    case 97: // a: `A??A` key-id prefixes of `aws-access-key`
      return lowerAt(text, i - 3) === 97 && AWS_PAIRS.has((lowerAt(text, i - 2) << 8) | lowerAt(text, i - 1)) ? AWS : 0;
    case 98: // b: `bearer`, `basic`; `beeline`
      return (
        (wordAt(text, i + 1, 'earer') || wordAt(text, i + 1, 'asic') ? BEARER : 0) |
        (wordAt(text, i + 1, 'eeline') ? LABELED : 0)
      );
    case 99: // c: `secret`; `securestring`; `connect`
      return cTrigger(text, i);
    case 107: // k: `token`, `key`
      return (wordAt(text, i - 2, 'to') && wordAt(text, i + 1, 'en') ? BEARER : 0) | labelTrigger(text, i, c);
    case 122: // z: `AIza`
      return charAt(text, i - 1) === 73 && charAt(text, i - 2) === 65 ? API : 0;
    case 105: // i: `dapi`; `zip`
      return (wordAt(text, i - 3, 'dap') ? API : 0) | commandTrigger(text, i, c);
    case 118: // v: `clave`
      return wordAt(text, i - 3, 'clave') ? LABELED : 0;
    case 104:
    case 102:
    case 103:
    case 117:
    case 108:
    case 113:
      return commandTrigger(text, i, c);
    default:
      return 0;
  }
}

/** The candidate bits a non-letter trigger character or an upper-case letter `c` at `i` sets. */
function otherTrigger(text: string, i: number, c: number): number {
  const p1 = charAt(text, i - 1);
  switch (c) {
    case 64: // @
      return EMAIL;
    case 58: // `:` after a hex digit or `:`; between digits, a time of day; `\d:AA` of a Telegram bot token
      return (
        (isHex(p1) || p1 === 58 ? IPV6 : 0) |
        (isDigitAt(text, i - 1) && isDigitAt(text, i + 1) ? TIME_CANDIDATE : 0) |
        (isDigitAt(text, i - 1) && charAt(text, i + 1) === 65 && charAt(text, i + 2) === 65 ? API : 0)
      );
    case 84: // `T` between digits: a basic ISO date-time; the last `T` of `ATATT3` (Atlassian)
      return (
        (isDigitAt(text, i - 1) && isDigitAt(text, i + 1) ? TIME_CANDIDATE : 0) |
        (p1 === 84 && charAt(text, i - 2) === 65 && charAt(text, i - 3) === 84 && charAt(text, i - 4) === 65 ? API : 0)
      );
    case 36: // `$`: `$production$`, `$sandbox$` of a Braintree access token (any case)
      return wordAt(text, i + 1, 'production') || wordAt(text, i + 1, 'sandbox') ? API : 0;
    case 95: {
      // `_`: `gh?_`, `pat_`, `[sr]k_` (any case), `npm_`, `hf_`, `shp??_`, `whsec_`, `do?_v1_`, `glsa_`, `glc_`
      const p2 = charAt(text, i - 2);
      if (p2 === 104 && charAt(text, i - 3) === 103) return API;
      return API_UNDERSCORE.has(((p2 | 32) << 8) | (p1 | 32)) ? API : 0;
    }
    case 45: {
      // `-`: `glpat-`, `xox?-`, `sk-` and `rk-` (any case: `SK-LIVE-`), `pypi-`, `GOCSPX-`, `NRAK-`, `NRII-`,
      // `NRJS-`, `key-`, `PMAK-`, `pul-`, `HRKU-`, `AGE-` (of `AGE-SECRET-KEY-1`), `-us` and a digit (Mailchimp);
      // `v6-` of `ipv6-literal.net` (any case)
      const p2 = charAt(text, i - 2);
      if (
        (p2 === 117 && p1 === 108) ||
        (p2 === 75 && p1 === 85) ||
        (p2 === 71 && p1 === 69) ||
        (charAt(text, i + 1) === 117 && charAt(text, i + 2) === 115 && isDigitAt(text, i + 3)) ||
        (p2 === 97 && p1 === 116) ||
        p2 === 120 ||
        ((p2 | 32) === 115 && (p1 | 32) === 107) ||
        ((p2 | 32) === 114 && (p1 | 32) === 107) ||
        (p2 === 112 && p1 === 105) ||
        (p2 === 80 && p1 === 88) ||
        (p2 === 65 && p1 === 75) ||
        (p2 === 73 && p1 === 73) ||
        (p2 === 74 && p1 === 83) ||
        (p2 === 101 && p1 === 121)
      )
        return API;
      return p1 === 54 && (p2 | 32) === 118 ? IPV6 : 0;
    }
    case 46: {
      // `.`: `SG.`, `hooks.` of `hooks.slack.com/`, `ya29.`, `hv?.` (`hvs.`, `hvb.`, `hvr.`), `dp.` (Doppler), a `.`
      // seven after another (the 6-character middle part of a Discord bot token)
      const p2 = charAt(text, i - 2);
      return (p1 === 71 && p2 === 83) ||
        (p1 === 115 && p2 === 107) ||
        (p1 === 57 && p2 === 50) ||
        p2 === 118 ||
        (p2 === 100 && p1 === 112) ||
        charAt(text, i - 7) === 46
        ? API
        : 0;
    }
    case 40:
    case 91:
    case 123:
    case 60: {
      // a bracket before `at`, `dot` or `.` (`(at)`, `[dot]`, `[.]`), one blank or tab allowed
      let n1 = charAt(text, i + 1);
      if (n1 === 32 || n1 === 9) n1 = charAt(text, i + 2);
      return (n1 | 32) === 97 || (n1 | 32) === 100 || n1 === 46 ? EMAIL | EMAIL_OBFUSCATION : 0;
    }
    case 65: // A: `A??A` key ids; `IBA` of a bare private key; `EAA` (Meta, Square)
      return (
        (lowerAt(text, i - 3) === 97 && AWS_PAIRS.has((lowerAt(text, i - 2) << 8) | lowerAt(text, i - 1)) ? AWS : 0) |
        bareKeyTrigger(text, i, c) |
        (p1 === 65 && charAt(text, i - 2) === 69 ? API : 0)
      );
    case 66: // B: `-----BEGIN `, `Bearer`, `Basic`
      return (
        (p1 === 45 ? KEY : 0) |
        (wordAt(text, i + 1, 'earer') || wordAt(text, i + 1, 'asic') ? BEARER : 0) |
        (wordAt(text, i + 1, 'eeline') ? LABELED : 0)
      );
    case 67: // C: `SECRET`; `SECURESTRING`; `CONNECT`
      return cTrigger(text, i);
    case 68: // D: ` DOT `; `LDAP`
      return (i > 0 && text.charCodeAt(i - 1) <= 32 ? EMAIL | EMAIL_OBFUSCATION : 0) | commandTrigger(text, i, 100);
    case 74: // J: `eyJ`
      return p1 === 121 && charAt(text, i - 2) === 101 ? JWT : 0;
    case 69: // E: `AgE` of a bare private key
      return bareKeyTrigger(text, i, c);
    case 81: // Q: `CAQ` of a bare private key; `MYSQL`
      return bareKeyTrigger(text, i, c) | commandTrigger(text, i, 113);
    case 72: // H F G U L I: the command words (`AUTH`, `IDENTIFIED`, `LOGIN`, `SETUSER`, `CURL`, `ZIP`, …)
    case 70:
    case 71:
    case 85:
    case 76:
    case 73:
      return commandTrigger(text, i, c | 32);
    case 75: // K: `SK` (Twilio key SIDs), `TOKEN`, `KEY`
      return (
        (p1 === 83 ? API : 0) |
        (wordAt(text, i - 2, 'to') && wordAt(text, i + 1, 'en') ? BEARER : 0) |
        labelTrigger(text, i, 107)
      );
    case 86: // V: `CLAVE`
      return wordAt(text, i - 3, 'clave') ? LABELED : 0;
    case 80: // P: `PASS`, `PWD`, `PAROLA`, `PIN`
      return labelTrigger(text, i, 112);
    case 83: // S: `SESS`
      return labelTrigger(text, i, 115);
    default:
      return 0;
  }
}

/**
 * The pre-filter's verdict on `text`: candidate bits (`CANDIDATE`), the ASCII digit count (`digitsOf`) and the
 * normalization flags (`NEEDS_VIEW`, `NEEDS_RUNS`). `NEEDS_VIEW` when the value may look different in a normalized
 * view (a non-ASCII code unit, a control character, `%XX`, a backslash escape, an HTML character reference), else
 * `NEEDS_RUNS` when it holds a run that `base64Runs` or `hexRuns` would return and that may decode to text
 * (`runMayDecode`, `hexMayDecode`). A non-ASCII code unit gives `UNFILTERED` (every detector runs).
 */
export function classify(text: string): number {
  const n = text.length;
  let bits = 0;
  let flags = 0;
  let digits = 0;
  // base64 and hex runs (normalization)
  let run = 0;
  let upper = 0;
  let runDigits = 0;
  let hex = 0;
  let slash = -1; // where the last `/` was (a run holds one when it is inside the run)
  // digit chains (cards, phones, SSNs), `digit[.-_]digit` steps (IPv4)
  let chain = 0;
  let gap = BROKEN;
  let steps = 0;
  let group = 0; // length of the current run of digits
  let ipPunct = 0; // 1 when one of `.,-_` came since the last digit (IPv4)
  let at = false;
  let colon = false;
  // Encoded forms (`encoded-forms.ts`): quoted-printable seen; chains of separated hex pairs and of
  // decimal bytes (count, and where the last one ended).
  let qp = false;
  let pairs = 0;
  let pairEnd = -BROKEN;
  let bytes = 0;
  let byteEnd = -BROKEN;
  // base64 in separated groups: how many in a row, their separator, where the last ended and started
  let groups = 0;
  let groupSep = -1;
  let groupEnd = -BROKEN;
  let groupStart = 0;
  let utf7End = 0; // where the run of base64 characters after the last `+` looked at ends (`utf7Trigger`)
  // The spaced view's condition (`SPACED_CANDIDATE`): separators in a row, equal separators two or three apart.
  let spaced = 0;
  let seps = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97) {
      if (c <= 122) {
        run++;
        if (c <= 102) hex++;
        else if (hex !== 0) {
          if (hex >= MIN_HEX_RUN && flags === 0 && hexMayDecode(text, i - hex, i)) flags = NEEDS_RUNS;
          hex = 0;
        }
        if (c === 120) {
          gap++;
          if (charAt(text, i - 1) === 48 && charAt(text, i - 2) === 46) bits |= IPV4; // `.0x` of a hex quad
        } else gap = BROKEN;
        steps = 0;
        group = 0;
        seps = 0;
        if (c === 100) {
          if (i > 0 && text.charCodeAt(i - 1) <= 32)
            bits |= EMAIL | EMAIL_OBFUSCATION; // ` dot `
          else if (
            (text.charCodeAt(i - 1) | 32) === 108 ||
            (text.charCodeAt(i - 1) | 32) === 97 ||
            (text.charCodeAt(i - 1) | 32) === 109
          )
            bits |= commandTrigger(text, i, c); // `ldap`, `mariadb`, `mdp`
        } else if (c === 116) {
          if (isDigitAt(text, i - 1) && isDigitAt(text, i + 1)) bits |= TIME_CANDIDATE; // `5t1`
        } else {
          const off = LETTER_NEIGHBOUR[c];
          if (off !== 0) {
            // the neighbour folded to lower case (outside the text: NaN, which folds to a blank)
            const nb = (text.charCodeAt(i + off) | 32) - 97;
            if (nb >= 0 && nb < 26 && ((LETTER_NEIGHBOURS[c] >>> nb) & 1) !== 0) bits |= letterTrigger(text, i, c);
          }
        }
        continue;
      }
      if (c > 127) return UNFILTERED;
    }
    const k = CLASS[c];
    if ((k & DIGIT) !== 0) {
      digits++;
      run++;
      runDigits++;
      hex++;
      chain = gap <= 4 ? chain + 1 : 1;
      gap = 0;
      group++;
      seps = 0;
      if (chain >= 8) bits |= chain >= 12 ? CARD | PHONE | SSN : chain >= 9 ? PHONE | SSN : PHONE;
      if (c === 55 && (charAt(text, i + 1) | 32) === 122) bits |= LABELED; // `7z` (`labeled-secret`'s command words)
      const p1 = charAt(text, i - 1);
      if (p1 >= 48 && p1 <= 57) {
        if (ibanStart(text, i)) bits |= IBAN;
      } else if (ipPunct !== 0 && ++steps >= 3) bits |= IPV4;
      ipPunct = 0;
      continue;
    }
    if ((k & TRIGGER) !== 0) bits |= otherTrigger(text, i, c);
    if ((k & UPPER) !== 0) {
      run++;
      upper++;
      if (c <= 70) hex++;
      else if (hex !== 0) {
        if (hex >= MIN_HEX_RUN && flags === 0 && hexMayDecode(text, i - hex, i)) flags = NEEDS_RUNS;
        hex = 0;
      }
      if (c === 88) {
        gap++;
        if (charAt(text, i - 1) === 48 && charAt(text, i - 2) === 46) bits |= IPV4; // `.0X`
      } else gap = BROKEN;
      steps = 0;
      group = 0;
      seps = 0;
      continue;
    }
    // Every other ASCII character separates (`ASCII_SEPARATOR`): the spaced view's condition.
    if (spaced === 0) {
      if (++seps >= 5 && i >= 5 && ASCII_SEPARATOR[text.charCodeAt(i - 5)] === 0) spaced = SPACED_CANDIDATE;
      // A kept character may be a separator too (`1 2 3 - 4 5`, `2 0 3 . 0 …`, `j_a_n_e_@_…`): one between two equal
      // separators counts neither way; another miss costs two hits, not all.
      else if (i >= 2 && (c === text.charCodeAt(i - 2) || c === text.charCodeAt(i - 3))) {
        if (++hits >= 5) spaced = SPACED_CANDIDATE;
      } else if (hits !== 0 && (text.charCodeAt(i - 1) !== text.charCodeAt(i + 1) || text.charCodeAt(i - 1) === c))
        hits = hits > 2 ? hits - 2 : 0;
      // A separator the detectors read (a blank, `-`, `.`) matters only with another separator after it (`123 ! 45`).
      if (
        isDigitAt(text, i - 1) &&
        (SPACED_SEPARATOR[c] !== 0 || ASCII_SEPARATOR[text.charCodeAt(i + 1) & 127] !== 0) &&
        separatesDigitGroup(text, i)
      )
        spaced = SPACED_CANDIDATE;
    }
    gap = (k & CHAIN_SEP) !== 0 ? gap + 1 : BROKEN;
    if ((c === 32 || c === 44 || c === 58 || c === 45 || c === 59) && (hex === 2 || (group > 0 && group <= 3))) {
      // Separated hex bytes (`61 6c`, `0x61, 0x6c`) and decimal byte lists (`97,108`): a chain of
      // MIN_BYTE_RUN - 1 bytes followed by a separator, each within six characters of the last, needs the runs.
      if (hex === 2) {
        pairs = i - pairEnd <= 6 ? pairs + 1 : 1;
        pairEnd = i;
        if (pairs >= MIN_BYTE_RUN - 1 && flags === 0) flags = NEEDS_RUNS;
      }
      if (group > 0 && group <= 3) {
        bytes = i - byteEnd <= 5 ? bytes + 1 : 1;
        byteEnd = i;
        if (bytes >= MIN_BYTE_RUN - 1 && flags === 0) flags = NEEDS_RUNS;
      }
    }
    // An IPv4 run: digits, one of `.,-_` between groups with up to three blanks on either side; a group of four or
    // more digits can only be a run's first.
    if (group > 3) steps = 0;
    if (c === 46 || c === 45 || c === 95 || c === 44) ipPunct = 1;
    else if (c !== 32 && c !== 9) steps = 0; // blanks around the separator keep the run
    group = 0;
    if (c === 64) at = true;
    else if (c === 58) colon = true;
    const hexEnded = hex;
    if (hex !== 0) {
      if (hex >= MIN_HEX_RUN && flags === 0 && hexMayDecode(text, i - hex, i)) flags = NEEDS_RUNS;
      hex = 0;
    }
    if ((k & BASE64_PUNCT) !== 0) {
      // `+`: UTF-7 (`+AEA-`) needs the view.
      if (c === 43 && flags !== NEEDS_VIEW) {
        const first = utf7End <= i;
        if (first) utf7End = base64CharsEnd(text, i + 1);
        if (utf7Trigger(text, i, utf7End, first)) flags = NEEDS_VIEW;
      } else if (c === 47) slash = i;
      run++;
      continue;
    }
    if ((k & GROUP_SEP) !== 0 && run !== 0 && (run & 3) === 0) {
      // Base64 in separated groups (`enF4 LmZh a2Vw …`): two groups of whole quads after the same separator, the
      // first of them starting text (checked from each group on: `note enF4 …`).
      groups = c === groupSep && i - run - 1 === groupEnd ? groups + 1 : 1;
      groupSep = c;
      groupEnd = i;
      if (groups >= MIN_BASE64_GROUPS - 1 && flags === 0 && groupedBase64MayDecode(text, groupStart))
        flags = NEEDS_RUNS;
      groupStart = i - run;
    }
    if (
      flags === 0 &&
      run >= MIN_PADDED_BASE64_RUN &&
      (run >= MIN_BASE64_RUN || c === 61) &&
      looksBase64(run, upper, runDigits, c === 61) &&
      runMayDecode(text, i - run, i)
    )
      flags = NEEDS_RUNS;
    else if (
      flags === 0 &&
      upper === 0 &&
      runDigits > 0 &&
      run >= MIN_LOWER_BASE64_RUN &&
      hexEnded !== run && // all hex: a digest or id, not lower-cased base64
      lowerBase64MayDecode(text, caseRunStart(text, i - run, i), i)
    )
      flags = NEEDS_RUNS;
    else if (
      flags === 0 &&
      upper !== 0 &&
      runDigits > 0 &&
      run >= MIN_LOWER_BASE64_RUN &&
      hexEnded !== run &&
      upperBase64MayDecode(text, caseRunStart(text, i - run, i), i) // upper-cased base64 (no lower-case letter: checked there)
    )
      flags = NEEDS_RUNS;
    // A path whose words dilute the whole run's letter mix (`org/orders/s/users/<base64>`): its segments.
    else if (flags === 0 && upper !== 0 && slash >= i - run && pathSegmentMayDecode(text, i - run, i))
      flags = NEEDS_RUNS;
    run = 0;
    upper = 0;
    runDigits = 0;
    if ((k & CONTROL) !== 0) flags = NEEDS_VIEW;
    else if (c === 37) {
      if (i + 2 < n && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
        flags = NEEDS_VIEW;
        if (text.charCodeAt(i + 1) === 52 && text.charCodeAt(i + 2) === 48) bits |= EMAIL; // `%40`
      } else if ((text.charCodeAt(i + 1) | 32) === 117 && percentU(text, i)) flags = NEEDS_VIEW; // `%u0040`
    } else if (c === 61) {
      // quoted-printable (`=40`, soft line breaks, runs of triplets): the second view, exactly where it decodes
      if (!qp && quotedPrintableAt(text, i) !== undefined) qp = true;
    } else if ((k & SPECIAL) !== 0 && flags !== NEEDS_VIEW) {
      if (c === 92 ? i + 1 < n : c === 38 ? entityAt(text, i) !== undefined : defangAt(text, i) !== undefined)
        flags = NEEDS_VIEW;
    }
  }
  if (at && colon) bits |= URL_CREDENTIALS;
  if (qp) bits |= NEEDS_QP;
  if (flags === 0) {
    if (hex >= MIN_HEX_RUN && hexMayDecode(text, n - hex, n)) flags = NEEDS_RUNS;
    else if (run >= MIN_BASE64_RUN && looksBase64(run, upper, runDigits) && runMayDecode(text, n - run, n))
      flags = NEEDS_RUNS;
    else if (
      upper === 0 &&
      runDigits > 0 &&
      run >= MIN_LOWER_BASE64_RUN &&
      hex !== run &&
      lowerBase64MayDecode(text, caseRunStart(text, n - run, n), n)
    )
      flags = NEEDS_RUNS;
    else if (
      upper !== 0 &&
      runDigits > 0 &&
      run >= MIN_LOWER_BASE64_RUN &&
      hex !== run &&
      upperBase64MayDecode(text, caseRunStart(text, n - run, n), n)
    )
      flags = NEEDS_RUNS;
    else if (upper !== 0 && slash >= n - run && pathSegmentMayDecode(text, n - run, n)) flags = NEEDS_RUNS;
  }
  return bits | flags | spaced | ((digits < DIGITS_CAP ? digits : DIGITS_CAP) << DIGITS_SHIFT);
}

/**
 * Per ASCII code unit: 1 when it is an unread separator (`UNREAD_SEPARATOR`), 2 when URL punctuation or `\\`
 * (`DIGIT_GROUP_PUNCT`), both bits for `\\`; one load for the spaced view's separator conditions.
 */
const SPACED_SEPARATOR = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = UNREAD_SEPARATOR[c] | (DIGIT_GROUP_PUNCT[c] << 1);
  return t;
})();

/**
 * The spaced view's separator conditions at `i`, an ASCII separator after a digit: a run of one to four separators
 * (runs of five or more set the bit by their length) that holds an unread one, before a letter or digit (`4111!1111`,
 * `123!!45`, `123 ! 45`), or only URL punctuation and `\\`, before a digit (`4111?1111`, `123##45`). A run of separators
 * the detectors read (blanks, `-`, `.`, …) needs no view. A function of its own, not written in `classify`'s loop:
 * inline, the loop compiled to about 1.4x the instructions per clean route (callgrind, 10 673 vs 7 751), though the
 * branch runs only after a digit.
 */
function separatesDigitGroup(text: string, i: number): boolean {
  // A single separator (most calls: `123) `, `v2/`, `42 ms`) is decided without the run's loop.
  const d = text.charCodeAt(i + 1);
  if (!(d < 128) || ASCII_SEPARATOR[d] === 0) {
    const t = SPACED_SEPARATOR[text.charCodeAt(i)];
    return (t & 1) !== 0 ? isAlnumAt(text, i + 1) : (t & 2) !== 0 && isDigitAt(text, i + 1);
  }
  let unread = false;
  let punct = false;
  let read = false;
  let k = i;
  for (; k < i + 4; k++) {
    const c = text.charCodeAt(k);
    if (!(c < 128) || ASCII_SEPARATOR[c] === 0) break;
    const t = SPACED_SEPARATOR[c];
    if ((t & 1) !== 0) unread = true;
    else if ((t & 2) !== 0) punct = true;
    else read = true;
  }
  if (unread) {
    if (k === i + 1 || isDigitAt(text, k)) return isAlnumAt(text, k);
    // A run of two or more before a letter is prose far more often than groups (`(user-123) after`, `'id-7' AND`,
    // `x64) AppleWebKit`): read only when the same run follows the next group or precedes the group before it
    // (`000!!a0!!a!!…`, `00a!!000!!a0000`), as the view requires.
    const len = k - i;
    let g = k;
    while (isAlnumAt(text, g)) g++;
    if (g === k) return false;
    if (sameRun(text, i, g, len)) return true;
    g = i - 1;
    while (g > 0 && isAlnumAt(text, g - 1)) g--;
    return g >= len && sameRun(text, i, g - len, len);
  }
  return punct && !read && isDigitAt(text, k);
}

/**
 * Where the lower- or upper-cased base64 run `[start, end)` starts as `lowerBase64Runs` reads it: after its leading `-`
 * and `_` (base64url characters the loop counts in a run, but no run of one case starts with): `_NDEXMTEX…` is read
 * from its `N`, in step with its quads.
 */
function caseRunStart(text: string, start: number, end: number): number {
  while (start < end && (text.charCodeAt(start) === 45 || text.charCodeAt(start) === 95)) start++;
  return start;
}

/** Whether `text[a, a + len)` and `text[b, b + len)` are the same. */
function sameRun(text: string, a: number, b: number, len: number): boolean {
  for (let x = 0; x < len; x++) if (text.charCodeAt(a + x) !== text.charCodeAt(b + x)) return false;
  return true;
}

/** Whether `text[i]` starts `%uXXXX` (four hex digits after `%u`). */
function percentU(text: string, i: number): boolean {
  return (
    isHex(charAt(text, i + 2)) && isHex(charAt(text, i + 3)) && isHex(charAt(text, i + 4)) && isHex(charAt(text, i + 5))
  );
}

/** Whether `text` needs a normalized view or decoded runs (the normalization part of `classify`). */
export function needsNormalization(text: string): boolean {
  return (classify(text) & PREPASS_FLAGS) !== 0;
}
