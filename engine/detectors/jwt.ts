import { codeAt, isBase64UrlChar } from './chars';
import type { Detector, Finding } from './types';

/** Whether `c` can stand in a token part: base64url, and standard base64's `+`, `/` and `=` (tokens are sometimes
 * encoded with the wrong alphabet; reading them as shorter would leave the rest of the part unmasked). */
function isTokenChar(c: number): boolean {
  return isBase64UrlChar(c) || c === 43 || c === 47 || c === 61;
}

/** Shortest second part of a two-part fragment (a 128-bit signature is 22 base64url characters). */
const MIN_SECOND_PART = 16;

/** End of the base64/base64url run starting at `i`. */
function b64End(text: string, i: number): number {
  while (i < text.length && isTokenChar(text.charCodeAt(i))) i++;
  return i;
}

/** Most blanks on either side of a dot between token parts (`eyJ… . eyJ… . sig`). */
const MAX_DOT_BLANKS = 3;

/** A blank around a dot between token parts: a space, a tab or a line break (a token wrapped at its dots). */
function isDotBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * The index after a dot with blanks around it between two token parts at `i` (up to `MAX_DOT_BLANKS` spaces, tabs or
 * line break characters on either side, at least one, a token character after it), or -1.
 */
function spacedDot(text: string, i: number): number {
  let k = i;
  while (k - i < MAX_DOT_BLANKS && isDotBlank(codeAt(text, k))) k++;
  if (codeAt(text, k) !== 46) return -1;
  let e = k + 1;
  while (e - k <= MAX_DOT_BLANKS && isDotBlank(codeAt(text, e))) e++;
  return e - k > 1 || k > i ? (isTokenChar(codeAt(text, e)) ? e : -1) : -1;
}

/**
 * The index after the dot between two token parts at `i`, or -1. One style throughout a token (`spaced`): plain dots
 * (`eyJ….eyJ….sig`, so a sentence after it, `….sig. Then`, is no fourth part) or dots with blanks around them.
 */
function partDot(text: string, i: number, spaced: boolean): number {
  if (!spaced) return codeAt(text, i) === 46 ? i + 1 : -1;
  return spacedDot(text, i);
}

/**
 * A blank, line break, `:` or `,` written where a token's dots belong (`eyJ… eyJ… sig`, `eyJ…:eyJ…:sig`,
 * `eyJ…,eyJ…,sig`: the parts as a list).
 */
function isOtherJoin(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 58 || c === 44;
}

/**
 * The end of a token whose parts are joined by a blank, `:` or `_` instead of `.` (header at `at`, its base64url run
 * ending at `headerEnd`), or -1: the second part must start with `eyJ` too (a JSON payload) and be at least
 * `MIN_SECOND_PART` characters; a third part after the same separator is included. With `_` (a base64url character)
 * the whole run is the token.
 */
function otherJoinEnd(text: string, at: number, headerEnd: number): number {
  for (let k = at + 10; k + 4 <= headerEnd; k++)
    if (text.charCodeAt(k) === 95 && text.startsWith('eyJ', k + 1))
      return headerEnd - k - 1 >= MIN_SECOND_PART ? headerEnd : -1;
  const sep = codeAt(text, headerEnd);
  if (!isOtherJoin(sep) || !text.startsWith('eyJ', headerEnd + 1)) return -1;
  const payloadEnd = b64End(text, headerEnd + 1);
  if (payloadEnd - headerEnd - 1 < MIN_SECOND_PART) return -1;
  if (codeAt(text, payloadEnd) !== sep) return payloadEnd;
  const signatureEnd = b64End(text, payloadEnd + 1);
  return signatureEnd > payloadEnd + 1 ? signatureEnd : payloadEnd;
}

/** Longest header decoded to look for its `enc` (a JOSE header is a few dozen characters). */
const MAX_JWE_HEADER = 1024;

/**
 * The end of a JWE with direct encryption (`alg: dir`: an empty encrypted-key part, `header..iv.ciphertext.tag`, as
 * NextAuth writes its session cookies) whose header at `at` (its run ending at `headerEnd`) names an `enc`, or -1. A
 * JWE cut after its ciphertext (no tag) is one too; a sentence's dot after it is not a part. Decoded only after `..`.
 */
function directJweEnd(text: string, at: number, headerEnd: number): number {
  if (codeAt(text, headerEnd + 1) !== 46 || headerEnd - at > MAX_JWE_HEADER) return -1;
  const ivEnd = b64End(text, headerEnd + 2);
  if (ivEnd === headerEnd + 2 || codeAt(text, ivEnd) !== 46) return -1;
  const cipherEnd = b64End(text, ivEnd + 1);
  if (cipherEnd === ivEnd + 1) return -1;
  if (!Buffer.from(text.slice(at, headerEnd), 'base64url').toString('latin1').includes('"enc"')) return -1;
  if (codeAt(text, cipherEnd) !== 46) return cipherEnd;
  const tagEnd = b64End(text, cipherEnd + 1);
  return tagEnd > cipherEnd + 1 ? tagEnd : cipherEnd;
}

/**
 * `jwt`: JSON Web Tokens (JWS compact form `header.payload.signature`, also unsigned with an empty
 * signature, and five-part JWE, also with direct encryption's empty key part, `header..iv.ciphertext.tag`, when the
 * header names an `enc`; a signed token followed by a dot and a word, `….sig.json`, is its first three parts), and two-part fragments of one (`header.payload`, `payload.signature` with a `{"`
 * payload, the second part at least 16 characters): a token split across two values leaves such a fragment in one of
 * them. The dots may have blanks around them (`eyJ… . eyJ… . sig`), or be written as a blank, `:` or `_` when the
 * second part starts with `eyJ` too (`eyJ…:eyJ…:sig`). A lone part is not a credential (no signature; a payload is decoded and scanned as base64). The header must start with `eyJ` (base64url of `{"`) and be at
 * least 10 characters; the payload at least 2. Each `eyJ` anchor is read once, so the scan is linear.
 */
export const jwtDetector: Detector = {
  name: 'jwt',
  trigger: /eyJ/,
  mayMatch: (text) => text.indexOf('eyJ') !== -1,
  find(text: string, out: Finding[]): void {
    let from = 0;
    for (;;) {
      const at = text.indexOf('eyJ', from);
      if (at === -1) return;
      const headerEnd = b64End(text, at);
      from = headerEnd > at ? headerEnd : at + 1;
      if (isBase64UrlChar(codeAt(text, at - 1))) continue;
      if (headerEnd - at < 10) continue;
      // The style of the first dot decides the token's: plain when a part follows it directly, else with blanks.
      const spaced = !(codeAt(text, headerEnd) === 46 && isTokenChar(codeAt(text, headerEnd + 1)));
      if (codeAt(text, headerEnd) === 46 && codeAt(text, headerEnd + 1) === 46) {
        const direct = directJweEnd(text, at, headerEnd);
        if (direct !== -1) {
          out.push({ start: at, end: direct, type: 'jwt' });
          from = direct;
          continue;
        }
      }
      if (partDot(text, headerEnd, spaced) === -1 && partDot(text, headerEnd, false) === -1) {
        const joined = otherJoinEnd(text, at, headerEnd);
        if (joined !== -1) {
          out.push({ start: at, end: joined, type: 'jwt' });
          from = joined;
        }
        continue;
      }
      const blanks = spaced && spacedDot(text, headerEnd) !== -1;
      let end = headerEnd;
      let parts = 1;
      let ok = true;
      let thirdEnd = -1;
      let secondStart = -1;
      while (parts < 5) {
        const s = partDot(text, end, blanks);
        if (s === -1) break;
        if (parts === 1) secondStart = s;
        const e = b64End(text, s);
        if (parts === 1 && e - s < 2) {
          ok = false;
          break;
        }
        end = e;
        parts++;
        if (parts === 3) thirdEnd = e;
      }
      // A signed token at the end of a sentence (`… eyJ….eyJ….sig.`): the dot after the signature
      // opened an empty fourth part; the token is the first three.
      // With blanks around the dots, a sentence after the signature (`… . sig. Then`) is no fourth part either.
      if (ok && parts === 4 && (end === thirdEnd + 1 || blanks)) {
        end = thirdEnd;
        parts = 3;
      }
      // A signed token followed by a dot and more (`….sig.json`, `….sig.v2`, a metric named `app.<token>.count`): the
      // token is the first three parts; a long fourth part is kept in the finding (a JWE cut after its ciphertext).
      if (ok && parts === 4 && end - thirdEnd - 1 < MIN_SECOND_PART) {
        end = thirdEnd;
        parts = 3;
      } else if (ok && parts === 4) parts = 5;
      // Two parts: a token cut at a dot (`header.payload` or `payload.signature` stored apart from the rest); the second
      // part must be long enough to be a payload or a signature (`eyJ….Then` in prose is not).
      if (ok && parts === 2 && end - secondStart >= MIN_SECOND_PART) {
        out.push({ start: at, end, type: 'jwt' });
        from = end;
        continue;
      }
      if (!ok || (parts !== 3 && parts !== 5)) {
        from = end > from ? end : from;
        continue;
      }
      out.push({ start: at, end, type: 'jwt' });
      from = end;
    }
  },
};
