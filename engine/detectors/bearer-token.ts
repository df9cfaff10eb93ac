import { codeAt, fromStart, isAlnum, isAsciiLetter, isDigit, isUpper, isWordChar, keywordBefore } from './chars';
import type { Detector, Finding } from './types';

/**
 * `Bearer`/`Basic`/`Token` scheme names (case-insensitive), followed by 1-3 blanks, an optional colon or `=`, a line
 * break (a folded header, also escaped `\n` in JSON, or HTML `<br>`), a non-breaking space written as an HTML reference
 * (`&nbsp;`), a dash (group 2: `Bearer–…`, typographic dashes read as `-` in
 * the normalized view) or a `.` after an `Authorization` label (group 3: `Authorization:.Bearer.…`); after `Token`, the `token="…"` parameter some frameworks write (`Authorization: Token
 * token="…"`) and an opening quote.
 */
// Not glued to a letter or digit before it; `_` does not glue (`auth_Bearer …`). The colon or `=` is tried before
// the blanks: a blank first would end the separator before the colon (`Bearer : …` read an empty token).
const SCHEME =
  /(?<![A-Za-z0-9])(bearer|basic|token)(?:[ \t]{0,3}(?:\r?\n|\\r\\n|\\n|<br[ \t]{0,2}\/?>)[ \t]{0,3}|([ \t]?-[ \t]?)|[ \t]?[:=][ \t]?|[ \t]{1,3}|%20|\+|&nbsp;|&#160;|&#xa0;|(\.))(?:token=)?["']?/gi;

/** A scheme word at the start of a token, not glued to a letter or digit after it. */
const SCHEME_WORD = /^(?:bearer|basic|token)(?![A-Za-z0-9])/i;

/**
 * Whether a token after `Bearer-` looks like a credential, not a compound word (`bearer-token-v2`,
 * `Bearer-auth-enabled`): 8 or more characters of letters and digits, and its first part (up to `-` or `.`) has a
 * digit or both cases.
 */
function dashedCredential(text: string, start: number, end: number): boolean {
  if (end - start < 8 || !looksLikeCredential(text, start, end)) return false;
  let digit = false;
  let upper = false;
  let lower = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 45 || c === 46) break;
    if (isDigit(c)) digit = true;
    else if (isUpper(c)) upper = true;
    else if (isAsciiLetter(c)) lower = true;
  }
  return digit || (upper && lower);
}

/** Shortest token of letters and digits taken as a credential (`Bearer abc123`; `Bearer v2` is prose). */
const MIN_BEARER = 4;
/** Shortest token of one character class taken as a credential after an `Authorization` label. */
const MIN_LABELED = 6;
const MAX_TOKEN = 4096;

/** An `Authorization` header name (or JSON key, form field) just before the scheme. */
const AUTH_LABEL = /authori[sz]ation/i;

/** Words written where a token belongs in examples and docs: no credential. */
const PLACEHOLDER =
  /^(?:token|tokens|redacted|placeholder|undefined|null|none|string|example|secret|value|x+|\*+|\.+)$/i;

/** token68 characters (RFC 7235) plus `%` for URL-encoded padding. */
function isTokenChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46 || c === 95 || c === 126 || c === 43 || c === 47 || c === 61 || c === 37;
}

/**
 * Whether a percent-encoded blank (`%20`, `%09`) is at `i`: it ends a token as a blank does (`Bearer%20token%20expired`
 * is prose; the `%` of encoded padding, `%3D`, stays in the token).
 */
function encodedBlankAt(text: string, i: number): boolean {
  if (text.charCodeAt(i) !== 37) return false;
  const a = codeAt(text, i + 1);
  const b = codeAt(text, i + 2);
  return (a === 50 && b === 48) || (a === 48 && b === 57);
}

/** Whether a token looks like a credential rather than a word (`Bearer token expired`). */
function looksLikeCredential(text: string, start: number, end: number): boolean {
  if (end - start < MIN_BEARER) return false;
  let digits = 0;
  let upper = 0;
  let lower = 0;
  let other = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isUpper(c)) upper++;
    else if (isAsciiLetter(c)) lower++;
    else other++;
  }
  if (digits > 0 && digits + other < end - start) return true; // letters and digits
  if (end - start < 8) return false;
  if (upper > 0 && lower > 0 && end - start >= 16) return true; // long mixed-case
  if (other > 0 && upper + lower + digits >= 8 && end - start >= 16) return true;
  return false;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Whether a `Basic` credential decodes to `user:password`. */
function isBasicCredential(token: string): boolean {
  const t = token.replace(/%3D/gi, '=');
  if (t.length < 8 || t.length % 4 !== 0 || !BASE64.test(t)) return false;
  const decoded = Buffer.from(t, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return false;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if (c < 32 || c === 127) return false;
  }
  return true;
}

/**
 * `bearer-token`: credentials after the HTTP `Bearer` and `Basic` schemes, in headers
 * (`Authorization: Bearer …`, also folded onto the next line), logs, JSON and URL-encoded form; after `Bearer` and a
 * dash (`Bearer–…`) only a token whose first part has a digit or both cases. Only the credential is reported, so
 * masking keeps `Bearer [REDACTED:bearer-token]`. A `Basic` credential must be base64 of `user:pass`;
 * a `Bearer` token must look random (letters and digits, from 4 characters: `Bearer abc123`; or long mixed
 * case), or follow an `Authorization` label (any token of 6 or more characters but placeholder words), so
 * prose such as `Bearer token expired` or placeholders (`Bearer <token>`, `Bearer ${TOKEN}`) are not matched. The
 * `Token` scheme (`Authorization: Token 9944b…`, `authorization=token%20…`, `Token token="…"`) counts only within 24
 * characters after an `Authorization` label and when the credential looks random.
 */
export const bearerTokenDetector: Detector = {
  name: 'bearer-token',
  trigger: /bearer|basic|token/i,
  mayMatch: (text) => bearerTokenDetector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const re = fromStart(SCHEME);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const start = m.index + m[0].length;
      // A scheme word is no credential (`Authorization: Bearer Bearer <token>`, a client that adds the scheme twice;
      // `Bearer.Bearer <token>`): the scheme after it is read next, with its own token.
      // (Only where the scheme regex can match it: not after `%20` or `+`, whose token then holds the second scheme.)
      if (!isAlnum(codeAt(text, start - 1)) && SCHEME_WORD.test(text.slice(start, start + 7))) {
        re.lastIndex = start;
        continue;
      }
      let end = start;
      const limit = Math.min(text.length, start + MAX_TOKEN);
      while (end < limit && isTokenChar(text.charCodeAt(end)) && !encodedBlankAt(text, end)) end++;
      // Trailing sentence punctuation is not part of a token (`=` padding is).
      while (end > start && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 47)) end--;
      const overlong = end === limit && limit < text.length;
      // A token longer than `MAX_TOKEN` is one credential to its end (its characters past the first 4 096 were
      // exported), trailing `.` and `/` left out as above.
      if (overlong) {
        while (end < text.length && isTokenChar(text.charCodeAt(end)) && !encodedBlankAt(text, end)) end++;
        while (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 47) end--;
      }
      // Each character is read as a token at most once: the next scheme is searched after it.
      if (end > re.lastIndex) re.lastIndex = end;
      if (!overlong && isWordChar(codeAt(text, end))) {
        if ((m[1].charCodeAt(1) | 32) === 111) re.lastIndex = start;
        continue;
      }
      const scheme = m[1].charCodeAt(1) | 32;
      const basic = scheme === 97;
      // `Token …` (Django REST framework, GitHub, Rails) is a credential only after an `Authorization` label and when
      // it looks random: `token expired`, `token: abc` and `Authorization token invalid` are prose.
      const labeledOnly = scheme === 111;
      const at = m.index;
      const labeled = () =>
        (overlong || end - start >= MIN_LABELED) &&
        keywordBefore(text, at, AUTH_LABEL, 24) &&
        !PLACEHOLDER.test(text.slice(start, end));
      const dashed = m[2] !== undefined;
      // `.` for the blank (`Authorization:.Bearer.…`): only after an `Authorization` label, and only a token that
      // looks like a credential as after a dash (`authorization.bearer.token_ttl` is a configuration key).
      const dotted = m[3] !== undefined;
      const ok = dotted
        ? scheme !== 111 &&
          (basic ? isBasicCredential(text.slice(start, end)) : dashedCredential(text, start, end)) &&
          keywordBefore(text, at, AUTH_LABEL, 24)
        : dashed
          ? scheme === 101 && dashedCredential(text, start, end)
          : labeledOnly
            ? (overlong || looksLikeCredential(text, start, end)) && keywordBefore(text, at, AUTH_LABEL, 24)
            : overlong ||
              (basic ? isBasicCredential(text.slice(start, end)) : looksLikeCredential(text, start, end) || labeled());
      if (ok) out.push({ start, end, type: 'bearer-token' });
      // A refused `token` scheme may be a parameter name (`?token=Bearer …`): read what follows it as text again.
      else if (labeledOnly) re.lastIndex = start;
    }
  },
};
