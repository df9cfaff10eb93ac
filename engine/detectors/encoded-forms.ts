/**
 * Encoded forms of text the value scanner decodes besides percent-encoding, JS/JSON escapes, HTML references and
 * base64/base32/hex runs (`normalizer.ts`): what outside testers hid addresses, card numbers and tokens in.
 *
 * In the normalized view (one decode round each, composed with the others, so `=3D40` and base64 of
 * quoted-printable unwrap too):
 * - quoted-printable (RFC 2045): `=40` (hex of either case, runs of them decoded as UTF-8; a lone triplet inside a
 *   word or number too, `4111=311111…`) and soft line breaks (`=` before CRLF or LF, removed);
 * - octal escapes (`\100`, runs decoded as UTF-8 bytes) and CSS escapes (`\40 `, 1 to 6 hex digits and one optional
 *   blank);
 * - `%uXXXX` (JavaScript's `escape()`);
 * - UTF-7 (RFC 2152): `+AEA-`, and `+-` for `+`.
 *
 * As runs of the value (or of its view), decoded and scanned whole like base64 runs:
 * - hex bytes with separators (`61 6c 69 63 65`, `61:6c:69`, `0x61, 0x6c`, `<Buffer 61 6c …>`);
 * - decimal byte lists (`[97,108,105,…]`, `97 108 105 …`);
 * - lower-cased base64 (`amfuzub...`): each quad's case is restored to the most text-like of its variants;
 * - base64 written in separated groups (`enF4 LmZh a2Vw …`), decoded as one run;
 * - reversed base64 and base64 of gzip or zlib data (`H4sI…`, `eJ…`), see `normalizer.ts`.
 *
 * Every decoder is bounded: runs and segments are capped (`MAX_ENCODED_RUN`, `MAX_UTF7_SEGMENT`), decompression
 * stops at `MAX_INFLATED` bytes. The pre-filter (`prefilter.ts`) calls the `…Trigger`/`…MayDecode` helpers only at
 * the character that starts such a form, so clean values pay nothing beyond its one pass.
 */
import { constants, gunzipSync, inflateSync } from 'node:zlib';

/** A decoded piece of the view: its text and how many characters of the input it replaces. */
export interface DecodedPiece {
  /** The decoded text (may be empty: a soft line break). */
  readonly value: string;
  /** Length of the encoded form in the input. */
  readonly length: number;
}

/** Longest UTF-7 base64 segment decoded (a longer one is base64 data, not text). */
export const MAX_UTF7_SEGMENT = 256;

/** Longest separated-hex, byte-list or lower-cased base64 run decoded (in characters). */
export const MAX_ENCODED_RUN = 64 * 1024;

/** Most bytes a gzip or zlib run decompresses to; a bigger output masks the run (type `unscanned`, fail closed). */
export const MAX_INFLATED = 64 * 1024;

/** Fewest bytes of a separated-hex or decimal byte-list run (`a@b.co`, `1.2.3.4` are longer). */
export const MIN_BYTE_RUN = 6;

/** Shortest lower-cased base64 run decoded (16 characters: 12 bytes). */
export const MIN_LOWER_BASE64_RUN = 16;

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

function isAnyHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Text of decoded bytes: ASCII bytes printable (tab and line breaks too), others well-formed UTF-8; else undefined. */
function bytesText(bytes: number[]): string | undefined {
  // Checked byte by byte first (`utf8TextByte`): a refusal costs no exception (`=A1` alone is no UTF-8).
  let need = 0;
  let ascii = true;
  for (const b of bytes) {
    if ((need = utf8TextByte(b, need)) < 0) return undefined;
    if (b >= 0x80) ascii = false;
  }
  if (need !== 0) return undefined;
  if (ascii) return String.fromCharCode(...bytes);
  try {
    return utf8Fatal.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

// ---- quoted-printable ------------------------------------------------------------------------------------------

/**
 * Bytes whose quoted-printable form alone marks a value as encoded: `@` and the separators numbers are written with,
 * also those the spaced view reads between characters written one apart (`|` `*` `~`: `j=7Ca=7Cn=7Ce…`).
 */
function qpSeparator(b: number): boolean {
  return (
    b === 0x40 ||
    b === 0x20 ||
    b === 0x2e ||
    b === 0x2d ||
    b === 0x2b ||
    b === 0x2f ||
    b === 0x3a ||
    b === 0x5f ||
    b === 0x7c ||
    b === 0x2a ||
    b === 0x7e
  );
}

/** A lone triplet's byte that is escape syntax (`#` `%` `&` `;` `=` backslash `{` `}`): `\u=7B40=7D` is `\u{40}`. */
function escapeSyntax(b: number): boolean {
  return b === 0x23 || b === 0x25 || b === 0x26 || b === 0x3b || b === 0x3d || b === 0x5c || b === 0x7b || b === 0x7d;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/**
 * Whether the `=` at `text[i]` stands where another escape's digits go: after `%`, `\` (octal, CSS), `%u`, `\u`, `\x`,
 * `\u{`, `&#` or `&#x` and at most four of its hex digits (`%u0=302E`, `\x=34=30`: a quoted-printable layer over an
 * escape, whose digit is no query string's value).
 */
function inEscapeDigits(text: string, i: number): boolean {
  let k = i;
  while (k > 0 && i - k < 4 && isAnyHex(text.charCodeAt(k - 1))) k--;
  const p = text.charCodeAt(k - 1);
  const q = text.charCodeAt(k - 2);
  if (p === 37 || p === 92) return true;
  if ((p | 32) === 117) return q === 37 || q === 92;
  if ((p | 32) === 120) return q === 92 || (q === 35 && text.charCodeAt(k - 3) === 38);
  if (p === 123) return (q | 32) === 117 && text.charCodeAt(k - 3) === 92;
  return p === 35 && q === 38;
}

/**
 * Whether the lone triplet at `text[i]` (an `=`, decoding to `b`, followed by `next`) is decoded: `@`, a blank or a
 * separator (`.` `-` `+` `/` `:` `_`) before a letter or digit (`jane=2Edoe`); escape syntax (`escapeSyntax`) before a
 * letter, digit or `#` (`=2540`, `=3D40`, `=26#64;`, `\u=7B40}`); a hex digit where another escape's digits go
 * (`%u0=302E`, `inEscapeDigits`); or a letter or digit (`4111=3111…`, `AKIA=49OSF…`,
 * `eyJhbGci=4FiJ…`, `fz.=6Bjn`), but not after a lower-case key before anything but a letter (`user_id=5123`,
 * `limit=40&` stay as written: a query string's `key=value`).
 */
function loneTripletDecoded(text: string, i: number, b: number, next: number): boolean {
  if (qpSeparator(b) || escapeSyntax(b)) return isAlnum(next) || (next === 35 && b === 0x26);
  if (isAnyHex(b) && inEscapeDigits(text, i)) return true;
  if (!isAlnum(b)) return false;
  const prev = text.charCodeAt(i - 1);
  return !(isLower(prev) || prev === 95) || isLower(next) || (next >= 65 && next <= 90);
}

/**
 * The quoted-printable form at `text[i]` (an `=`), as the pre-filter looks for it (`NEEDS_QP`): a soft line break
 * after a non-blank character (`=` then CRLF or LF: removed), two or more `=XX` triplets in a row (hex of either case:
 * RFC 2045 writes upper case, attackers both) that decode to printable ASCII or well-formed UTF-8, or one triplet
 * `loneTripletDecoded` accepts. `sort=DESC` (`=DE` starts no UTF-8 sequence), `limit=10` (a control character),
 * `id=4111` (a lower-case key before a number) and `offset=40&` are left alone.
 *
 * With `anyTriplet` (the second view, built only for a value that holds such a form), every triplet of printable text
 * is decoded, wherever it is: the evidence is the value's, not the triplet's (`=66%7a=2E…`, `…exampl=65.co=6D`).
 * The view decodes in rounds, so a triplet written between other escapes is decoded with them.
 */
export function quotedPrintableAt(text: string, i: number, anyTriplet = false): DecodedPiece | undefined {
  const c1 = text.charCodeAt(i + 1);
  if (c1 === 10 || c1 === 13) {
    if (!(text.charCodeAt(i - 1) > 32)) return undefined;
    if (c1 === 10) return { value: '', length: 2 };
    return text.charCodeAt(i + 2) === 10 ? { value: '', length: 3 } : undefined;
  }
  if (!isAnyHex(c1) || !isAnyHex(text.charCodeAt(i + 2))) return undefined;
  // A lone triplet (a query string's `sort=DESC`, a log line's `status=200`) is refused before any array is made.
  const after = text.charCodeAt(i + 3);
  if (
    !anyTriplet &&
    !(after === 61 && isAnyHex(text.charCodeAt(i + 4)) && isAnyHex(text.charCodeAt(i + 5))) &&
    !loneTripletDecoded(text, i, hexDigit(c1) * 16 + hexDigit(text.charCodeAt(i + 2)), after)
  )
    return undefined;
  const bytes: number[] = [];
  let j = i;
  while (
    bytes.length < 64 &&
    text.charCodeAt(j) === 61 &&
    isAnyHex(text.charCodeAt(j + 1)) &&
    isAnyHex(text.charCodeAt(j + 2))
  ) {
    bytes.push(hexDigit(text.charCodeAt(j + 1)) * 16 + hexDigit(text.charCodeAt(j + 2)));
    j += 3;
  }
  if (bytes.length === 1 && !anyTriplet && !loneTripletDecoded(text, i, bytes[0], text.charCodeAt(j))) return undefined;
  const value = bytesText(bytes);
  return value === undefined ? undefined : { value, length: j - i };
}

/**
 * Whether `text` holds a quoted-printable form `quotedPrintableAt` decodes (the pre-filter's `NEEDS_QP` for values it
 * does not look into, and what builds the second view). With `escaped` (the first view of a value with other escapes,
 * their output), a lone triplet of escape syntax counts too (`\u=7B40=7D`).
 */
export function hasQuotedPrintable(text: string, escaped = false): boolean {
  for (let i = text.indexOf('='); i !== -1; i = text.indexOf('=', i + 1)) {
    if (quotedPrintableAt(text, i) !== undefined) return true;
    if (escaped) {
      const piece = quotedPrintableAt(text, i, true);
      if (piece !== undefined && escapeSyntax(piece.value.charCodeAt(0))) return true;
    }
  }
  return false;
}

// ---- octal and CSS escapes, %u ----------------------------------------------------------------------------------

function isOctal(c: number): boolean {
  return c >= 48 && c <= 55;
}

/** Whether `text[i]` is a blank that ends a CSS escape (space, tab, LF, CR). */
function cssBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * The octal escapes at `text[i]` (a backslash): a run of `\ooo` (three octal digits, first 0-3) decoded as bytes
 * (printable ASCII or well-formed UTF-8: `\303\251` is `é`). A first escape followed by a blank is CSS when it is not
 * an ASCII byte (`\200 ` is U+0200); `\060 ` and `\162 ` are octal (`0`, `r`) and the blank is kept: a CSS
 * serializer writes no three-digit escape of ASCII.
 */
export function octalEscapesAt(text: string, i: number): DecodedPiece | undefined {
  const bytes: number[] = [];
  let j = i;
  while (
    bytes.length < 64 &&
    text.charCodeAt(j) === 92 &&
    text.charCodeAt(j + 1) >= 48 &&
    text.charCodeAt(j + 1) <= 51 &&
    isOctal(text.charCodeAt(j + 2)) &&
    isOctal(text.charCodeAt(j + 3)) &&
    (text.charCodeAt(j + 1) <= 49 || bytes.length > 0 || !cssBlank(text.charCodeAt(j + 4)))
  ) {
    bytes.push((text.charCodeAt(j + 1) - 48) * 64 + (text.charCodeAt(j + 2) - 48) * 8 + text.charCodeAt(j + 3) - 48);
    j += 4;
  }
  if (bytes.length === 0) return undefined;
  const value = bytesText(bytes);
  return value === undefined ? undefined : { value, length: j - i };
}

/**
 * The defanged character at `text[i]` (an opening bracket), as threat reports and tickets write addresses so they do
 * not link: `[.]`, `(.)`, `{.}`, `[dot]` (any case) are `.`, `[@]` is `@`; or `undefined`. (`[:]` is not read: in a
 * URL it is a bracketed IPv6 host, `http://[:]:8443/`, and no address.)
 */
export function defangAt(text: string, i: number): DecodedPiece | undefined {
  const open = text.charCodeAt(i);
  const close = open === 91 ? 93 : open === 40 ? 41 : open === 123 ? 125 : 0;
  if (close === 0) return undefined;
  const c = text.charCodeAt(i + 1);
  if ((c === 46 || c === 64) && text.charCodeAt(i + 2) === close) return { value: String.fromCharCode(c), length: 3 };
  if (
    (c | 32) === 100 &&
    (text.charCodeAt(i + 2) | 32) === 111 &&
    (text.charCodeAt(i + 3) | 32) === 116 &&
    text.charCodeAt(i + 4) === close
  )
    return { value: '.', length: 5 };
  return undefined;
}

/**
 * The run of two-hex-digit byte escapes at `text[i]` (a backslash), decoded as bytes (printable ASCII or well-formed
 * UTF-8), or `undefined`: `\xHH` escapes as C, Python's `b''` and Go's `%q` write them (`\xc2\xa0` is a no-break
 * space, not `Â` and a blank: the run is UTF-8), or with `bare`, `\HH` as LDAP filters and distinguished names write
 * them (`jane.doe\40example.com`, `123\2d45`, `4111\201111`: exactly two digits, where a CSS escape would read on
 * into the hex letters after them; only punctuation, blanks and bytes past ASCII: a letter or digit, `\30`, is a Windows
 * path's `\301-…`). A bare escape followed by a blank is left to CSS (`\40 `). At most 64 bytes.
 */
export function hexByteEscapesAt(text: string, i: number, bare: boolean): DecodedPiece | undefined {
  const step = bare ? 3 : 4;
  const bytes: number[] = [];
  let j = i;
  while (
    bytes.length < 64 &&
    text.charCodeAt(j) === 92 &&
    (bare || text.charCodeAt(j + 1) === 120) &&
    isAnyHex(text.charCodeAt(j + step - 2)) &&
    isAnyHex(text.charCodeAt(j + step - 1))
  ) {
    if (bare && cssBlank(text.charCodeAt(j + step))) break;
    const b = hexDigit(text.charCodeAt(j + step - 2)) * 16 + hexDigit(text.charCodeAt(j + step - 1));
    // LDAP escapes punctuation, blanks and bytes past ASCII; `\30` before a digit is a Windows path's `\301-…`
    if (bare && isAlnum(b)) break;
    bytes.push(b);
    j += step;
  }
  if (bytes.length === 0) return undefined;
  const value = bytesText(bytes);
  return value === undefined ? undefined : { value, length: j - i };
}

/**
 * The CSS escape at `text[i]` (a backslash): 1 to 6 hex digits and one optional blank (CRLF counts as one), a
 * printable code point (`\40 ` is `@`, `\6a\61 ` is `ja`). Control characters are refused (JSON's `\b`, `\f`).
 */
export function cssEscapeAt(text: string, i: number): DecodedPiece | undefined {
  let j = i + 1;
  let v = 0;
  while (j - i <= 6 && isAnyHex(text.charCodeAt(j))) v = v * 16 + hexDigit(text.charCodeAt(j++));
  if (j === i + 1) return undefined;
  if (v < 32 || (v >= 127 && v < 160) || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
  const c = text.charCodeAt(j);
  if (c === 13 && text.charCodeAt(j + 1) === 10) j += 2;
  else if (cssBlank(c)) j++;
  return { value: String.fromCodePoint(v), length: j - i };
}

/** `%uXXXX` at `text[i]` (a `%`), as JavaScript's `escape()` writes non-Latin-1 characters (`%u0040` is `@`). */
export function percentUAt(text: string, i: number): DecodedPiece | undefined {
  if ((text.charCodeAt(i + 1) | 32) !== 117) return undefined;
  let v = 0;
  for (let k = 2; k < 6; k++) {
    const h = text.charCodeAt(i + k);
    if (!isAnyHex(h)) return undefined;
    v = v * 16 + hexDigit(h);
  }
  return { value: String.fromCharCode(v), length: 6 };
}

// ---- UTF-7 -------------------------------------------------------------------------------------------------------

/** The value of a character of the standard base64 alphabet (UTF-7 uses it too), or -1. */
function base64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43) return 62;
  if (c === 47) return 63;
  return -1;
}

/** Whether a decoded UTF-16 unit is printable (no control characters, no non-characters). */
function printableUnit(u: number): boolean {
  return u >= 32 && u !== 127 && !(u >= 0x80 && u < 0xa0) && u !== 0xfffd && u !== 0xfffe && u !== 0xffff;
}

/**
 * The UTF-7 form at `text[i]` (a `+`): `+-` (a plus sign), or a modified-base64 segment of at most
 * `MAX_UTF7_SEGMENT` characters decoding to whole UTF-16 units (the bits left over zero) that are printable, with
 * paired surrogates. Ended by `-`, or (all units ASCII) by any other character: base64 data with a `+` in it
 * decodes to units outside ASCII and is left alone.
 */
export function utf7At(text: string, i: number): DecodedPiece | undefined {
  const c1 = text.charCodeAt(i + 1);
  if (c1 === 45) return { value: '+', length: 2 };
  let j = i + 1;
  while (j - i - 1 <= MAX_UTF7_SEGMENT && base64Value(text.charCodeAt(j)) >= 0) j++;
  const len = j - i - 1;
  if (len === 0 || len > MAX_UTF7_SEGMENT) return undefined;
  const units = Math.floor((len * 6) / 16);
  if (units === 0 || len * 6 - units * 16 >= 6) return undefined;
  let acc = 0;
  let bits = 0;
  let out = '';
  let ascii = true;
  let high = 0;
  for (let k = i + 1; k < j; k++) {
    acc = ((acc << 6) | base64Value(text.charCodeAt(k))) & 0x3fffff;
    bits += 6;
    if (bits >= 16) {
      bits -= 16;
      const u = (acc >> bits) & 0xffff;
      if (u >= 0xd800 && u <= 0xdbff) {
        if (high !== 0) return undefined;
        high = u;
        ascii = false;
        continue;
      }
      if (u >= 0xdc00 && u <= 0xdfff) {
        if (high === 0) return undefined;
        out += String.fromCharCode(high, u);
        high = 0;
        continue;
      }
      if (high !== 0 || !printableUnit(u)) return undefined;
      if (u >= 128) ascii = false;
      out += String.fromCharCode(u);
    }
  }
  if (high !== 0 || (acc & ((1 << bits) - 1)) !== 0) return undefined;
  const explicit = text.charCodeAt(j) === 45;
  if (!explicit && !ascii) return undefined;
  return { value: out, length: j - i + (explicit ? 1 : 0) };
}

/**
 * The pre-filter's check at a `+` (`text[i]`), a superset of where `utf7At` decodes a form: `+-`, `+A` then `A`-`H`
 * (the first unit below U+0080: a form not ended by `-` decodes to ASCII only), or a segment ended by `-` (a form
 * decoding to any script) that `utf7At` decodes. `end`: where the run of base64 characters after the `+` ends; every
 * `+` in a run is a base64 character, so the caller finds `end` once per run, and `first` is false for the later `+`
 * of a run, where `utf7At` is not called again (the run ended by `-` is taken as a form: linear for `+a+a…+a-`).
 * The view decodes again until nothing changes, so `+-` (a plus sign) can start another form in the next round
 * (`+--2026-12-05` becomes `+2026-12-05`, a phone number; `+-AEA-` becomes `@`), and a form decoding to another
 * script replaces the characters around a number (`ref-4000+0000+ref-4000 0000 0000 6`: the label `ref-` that makes
 * the card detector read the number as an identifier is decoded away): any form can change what is found.
 */
export function utf7Trigger(text: string, i: number, end: number, first: boolean): boolean {
  const c1 = text.charCodeAt(i + 1);
  if (c1 === 45) return true;
  if (c1 === 65) {
    const c2 = text.charCodeAt(i + 2);
    if (c2 >= 65 && c2 <= 72) return true;
  }
  if (text.charCodeAt(end) !== 45 || end - i - 1 > MAX_UTF7_SEGMENT) return false;
  return !first || utf7At(text, i) !== undefined;
}

/** Where the run of base64 characters (standard alphabet, as in UTF-7) from `text[from]` ends. */
export function base64CharsEnd(text: string, from: number): number {
  let j = from;
  while (j < text.length && base64Value(text.charCodeAt(j)) >= 0) j++;
  return j;
}

// ---- hex bytes with separators -----------------------------------------------------------------------------------

/** Separators of hex and decimal byte runs: space, `:`, `-`, `,` (each optionally followed by one space). */
function byteSeparator(c: number): boolean {
  return c === 32 || c === 58 || c === 45 || c === 44 || c === 59;
}

/**
 * The hex byte at `text[j]`: two hex digits, optionally after `0x`/`0X`; returns the index past it and the byte in
 * `out[0]`, or -1.
 */
function hexByteAt(text: string, j: number, out: number[]): number {
  if (text.charCodeAt(j) === 48 && (text.charCodeAt(j + 1) | 32) === 120) j += 2;
  const a = text.charCodeAt(j);
  const b = text.charCodeAt(j + 1);
  if (!isAnyHex(a) || !isAnyHex(b) || isAnyHex(text.charCodeAt(j + 2))) return -1;
  out[0] = hexDigit(a) * 16 + hexDigit(b);
  return j + 2;
}

/** Index past the separator at `j` (`, ` counts as one), or -1. */
function separatorEnd(text: string, j: number): number {
  const c = text.charCodeAt(j);
  if (!byteSeparator(c)) return -1;
  return c !== 32 && text.charCodeAt(j + 1) === 32 ? j + 2 : j + 1;
}

/**
 * Reads a separated byte run at `start` with `readByte`; pushes each byte to `bytes` (up to `limit`) and returns the
 * run's end (past its last byte), or -1 when the run holds fewer than `MIN_BYTE_RUN` bytes. One separator throughout.
 * With `probe`, reading stops after `limit` bytes (the end returned is then that of the `limit`-th byte): a check of
 * a run's first bytes costs the same at every position of a long run, so `byteRuns` stays linear.
 */
function byteRun(
  text: string,
  start: number,
  readByte: (text: string, j: number, out: number[]) => number,
  bytes: number[],
  limit: number,
  probe = false,
): number {
  const one = [0];
  const j = readByte(text, start, one);
  if (j < 0) return -1;
  bytes.push(one[0]);
  const sep = text.charCodeAt(j);
  let end = j;
  let count = 1;
  while (end - start < MAX_ENCODED_RUN && !(probe && count >= limit)) {
    if (text.charCodeAt(end) !== sep) break;
    const next = separatorEnd(text, end);
    if (next < 0) break;
    const after = readByte(text, next, one);
    if (after < 0) break;
    count++;
    if (bytes.length < limit) bytes.push(one[0]);
    end = after;
  }
  return count >= MIN_BYTE_RUN ? end : -1;
}

/**
 * One byte of the "starts text" check (printable ASCII, tab and line breaks, or well-formed UTF-8): `need` is the
 * number of continuation bytes still expected before `b`; returns the number expected after it, or -1 when `b` ends
 * the check as not text.
 */
export function utf8TextByte(b: number, need: number): number {
  if (need > 0) return (b & 0xc0) === 0x80 ? need - 1 : -1;
  if (b < 0x80) return b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) ? 0 : -1;
  if (b < 0xc2 || b >= 0xf5) return -1;
  return b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
}

/** Whether the first six bytes start text (`utf8TextByte`). */
function textStart(bytes: number[]): boolean {
  let need = 0;
  for (let k = 0; k < bytes.length && k < 6; k++) if ((need = utf8TextByte(bytes[k], need)) < 0) return false;
  return true;
}

/** The decimal byte (0-255, 1 to 3 digits, no sign or fraction) at `text[j]`; see `hexByteAt`. */
function decimalByteAt(text: string, j: number, out: number[]): number {
  let v = 0;
  let k = j;
  while (k - j < 4 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) v = v * 10 + text.charCodeAt(k++) - 48;
  if (k === j || k - j > 3 || v > 255) return -1;
  const c = text.charCodeAt(k);
  if (c === 46 || isAlnum(c)) return -1;
  out[0] = v;
  return k;
}

/** Whether the character before `i` may precede a byte run (not glued to a letter, digit or `.`). */
function runBoundary(text: string, i: number): boolean {
  const p = text.charCodeAt(i - 1);
  return !(isAlnum(p) || p === 46);
}

/** Run kinds of `byteRuns`. */
export const SEPARATED_HEX = 0;
/** A decimal byte list (see `byteRuns`). */
export const BYTE_LIST = 1;

/**
 * The separated hex runs and decimal byte lists in `text` whose first bytes start text: flat `[start, end, kind]`
 * triples (`SEPARATED_HEX`, `BYTE_LIST`).
 */
export function byteRuns(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  const scratch: number[] = [];
  // Ends of the last hex run and decimal list found: inside one, only runs of the other kind are looked for, word by
  // word (`20,53,53,53,…` is a hex run from its first byte and a decimal list from its second, as `20` is no text).
  let hexUntil = 0;
  let decimalUntil = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (!isAnyHex(c) || !runBoundary(text, i)) continue;
    // A byte is two hex digits (after `0x`) or one to three decimal digits, then a separator.
    const digit = c >= 48 && c <= 57;
    const pairEnd = c === 48 && (text.charCodeAt(i + 1) | 32) === 120 ? i + 4 : i + 2;
    if (
      !byteSeparator(text.charCodeAt(pairEnd)) &&
      !(digit && (byteSeparator(text.charCodeAt(i + 1)) || byteSeparator(text.charCodeAt(i + 3))))
    ) {
      while (i + 1 < n && isAlnum(text.charCodeAt(i + 1))) i++;
      continue;
    }
    // Probe the first MIN_BYTE_RUN bytes (constant work at any position), read a run's whole extent only when they
    // start text: a long run that is not text (`1 1 1 …`) costs one probe per position, not one run per position.
    scratch.length = 0;
    let hexEnd = i < hexUntil ? -1 : byteRun(text, i, hexByteAt, scratch, MIN_BYTE_RUN, true);
    const hexText = hexEnd >= 0 && textStart(scratch);
    if (hexText) hexEnd = hexUntil = byteRun(text, i, hexByteAt, scratch, 0);
    // Two-digit decimal bytes are hex pairs too (`52,50,48` is `420` and `RPH`): both are decoded.
    let decimalEnd = -1;
    if (digit && i >= decimalUntil) {
      scratch.length = 0;
      decimalEnd = byteRun(text, i, decimalByteAt, scratch, MIN_BYTE_RUN, true);
      if (decimalEnd >= 0 && !textStart(scratch)) decimalEnd = -1;
      else if (decimalEnd >= 0) decimalEnd = decimalUntil = byteRun(text, i, decimalByteAt, scratch, 0);
    }
    if (hexText) out.push(i, hexEnd, SEPARATED_HEX);
    if (decimalEnd >= 0) out.push(i, decimalEnd, BYTE_LIST);
    // Past both runs when both were found here, or a hex run that starts with a letter (no decimal list inside).
    if ((hexText || i < hexUntil) && (decimalEnd >= 0 || i < decimalUntil || (hexText && !digit))) {
      i = Math.max(hexUntil, decimalUntil) - 1;
      continue;
    }
    // skip the rest of this word
    while (i + 1 < n && isAlnum(text.charCodeAt(i + 1))) i++;
  }
  return out;
}

const utf8Lenient = new TextDecoder('utf-8');

/**
 * Bytes as the UTF-16 code units of their UTF-8 text, a byte that is part of no character (and a character outside
 * the BMP) -1: for `codeUnitsText` (`split-values.ts`), which reads -1 as a line break.
 */
export function utf8CodeUnits(bytes: Uint8Array): number[] {
  const text = utf8Lenient.decode(bytes);
  const units = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    units[i] = c === 0xfffd ? -1 : c;
  }
  return units;
}

/** The bytes of a `byteRuns` run. */
export function byteRunBytes(run: string, kind: number): Uint8Array {
  const bytes: number[] = [];
  byteRun(run, 0, kind === SEPARATED_HEX ? hexByteAt : decimalByteAt, bytes, MAX_ENCODED_RUN);
  return Uint8Array.from(bytes);
}

// ---- lower-cased base64 ------------------------------------------------------------------------------------------

function lowerBase64Char(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/** How text-like a decoded byte is: lower-case letters, digits and `@ . - _` score highest; -1 for non-text. */
function byteScore(b: number): number {
  if ((b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b === 64 || b === 46 || b === 45 || b === 95) return 3;
  if ((b >= 65 && b <= 90) || b === 32) return 2;
  if (b > 32 && b < 127) return 1;
  return b === 10 || b === 13 || b === 9 ? 0 : -1;
}

/**
 * The best case variant of the lower-cased quad at `text[q]`: its 24 bits, or -1 when no variant decodes to three
 * text bytes. At most 16 variants (one per letter's case).
 */
function bestQuad(text: string, q: number, padded: number): number {
  let best = -1;
  let bestScore = -1;
  const letters: number[] = [];
  for (let k = 0; k < 4; k++) {
    const c = text.charCodeAt(q + k);
    if (c >= 97 && c <= 122) letters.push(k);
  }
  const bytesWanted = 3 - padded;
  // Before `=` padding an encoder writes zero bits (`bq==` is `m`, `bQ==` would be `n`): such a variant comes first.
  const padBits = padded === 0 ? 0 : ((1 << (24 - 8 * bytesWanted)) - 1) & ~((1 << (24 - 6 * (4 - padded))) - 1);
  for (let mask = 0; mask < 1 << letters.length; mask++) {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      let c = text.charCodeAt(q + k);
      if (k >= 4 - padded) c = 65; // padding: zero bits
      const li = letters.indexOf(k);
      if (li >= 0 && (mask & (1 << li)) !== 0) c -= 32;
      v = (v << 6) | base64Value(c);
    }
    let score = 0;
    for (let k = 0; k < bytesWanted; k++) {
      const s = byteScore((v >> (16 - 8 * k)) & 0xff);
      if (s < 0) {
        score = -1;
        break;
      }
      score += s;
    }
    if (score >= 0 && padded !== 0 && (v & padBits) === 0) score += 10;
    if (score > bestScore) {
      bestScore = score;
      best = v;
    }
  }
  return best;
}

/**
 * Pre-filter check at the end of a base64 run without upper-case letters (`text[start, end)`): at least
 * `MIN_LOWER_BASE64_RUN` characters, a whole number of quads (padding counted), not all hex, a digit in it, and two
 * adjacent quads have a case variant of printable ASCII.
 */
export function lowerBase64MayDecode(text: string, start: number, end: number): boolean {
  let stop = end;
  while (stop < text.length && stop - end < 2 && text.charCodeAt(stop) === 61) stop++;
  if (end - start < MIN_LOWER_BASE64_RUN || (stop - start) % 4 !== 0 || end - start > MAX_ENCODED_RUN) return false;
  let hexOnly = true;
  let digit = false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (!lowerBase64Char(c)) return false;
    // No check of each quad's first character: a quad of bytes that are no text (`0000`, `////`) is read as line
    // breaks, so such a quad before, between or after the text must not keep the run from being decoded.
    if (c >= 48 && c <= 57) digit = true;
    else if (!isAnyHex(c)) hexOnly = false;
  }
  if (hexOnly || !digit) return false;
  // Two adjacent text quads anywhere: quads of other bytes around text are read as line breaks.
  let text2 = 0;
  for (let q = start; q + 4 <= end; q += 4) {
    text2 = bestQuad(text, q, 0) >= 0 ? text2 + 1 : 0;
    if (text2 === 2) return true;
  }
  return false;
}

/**
 * Pre-filter check at the end of a base64 run without lower-case letters (`text[start, end)`, upper-cased base64:
 * `AMFUZS5KB2VAZXHHBXBSZS5JB20=`): `lowerBase64MayDecode` of the run lower-cased. Each quad's case is restored the
 * same way, so it is read only when its text would be (an address, digits, an SSN: case-insensitive payloads); a
 * junk quad (`0000`, `////`) before, between or after the text does not keep it from being read, as in lower case.
 */
export function upperBase64MayDecode(text: string, start: number, end: number): boolean {
  let stop = end;
  while (stop < text.length && stop - end < 2 && text.charCodeAt(stop) === 61) stop++;
  if (end - start < MIN_LOWER_BASE64_RUN || (stop - start) % 4 !== 0 || end - start > MAX_ENCODED_RUN) return false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c >= 97 && c <= 122) return false;
  }
  return lowerBase64MayDecode(text.slice(start, stop).toLowerCase(), 0, end - start);
}

/**
 * The lower-cased and upper-cased base64 runs in `text` (`[start, end)` pairs, padding included) that
 * `lowerBase64MayDecode` or `upperBase64MayDecode` accepts.
 */
export function lowerBase64Runs(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!(lowerBase64Char(c) || (c >= 65 && c <= 90))) {
      i++;
      continue;
    }
    const start = i;
    let upper = false;
    let lower = false;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d >= 65 && d <= 90) upper = true;
      else if (d >= 97 && d <= 122) lower = true;
      else if (!lowerBase64Char(d) && d !== 45 && d !== 95) break;
      i++;
    }
    if ((upper && lower) || !runBoundaryOk(text, start)) continue;
    if (upper ? upperBase64MayDecode(text, start, i) : lowerBase64MayDecode(text, start, i)) {
      let end = i;
      while (end < n && end - i < 2 && text.charCodeAt(end) === 61) end++;
      out.push(start, end);
      i = end;
    }
  }
  return out;
}

function runBoundaryOk(text: string, start: number): boolean {
  return start === 0 || !isAlnum(text.charCodeAt(start - 1));
}

/**
 * Decodes a lower-cased base64 run to text, restoring each quad's case to its most text-like variant (letters,
 * digits, `@ . - _` first); a quad with no text variant reads as line breaks.
 */
export function decodeLowerBase64(cased: string): string | undefined {
  const run = cased.toLowerCase(); // upper-cased base64 too (`upperBase64MayDecode`)
  let end = run.length;
  while (end > 0 && run.charCodeAt(end - 1) === 61) end--;
  const padded = run.length - end;
  const quads = run.length >> 2;
  let out = '';
  for (let q = 0; q < quads; q++) {
    const pad = q === quads - 1 ? padded : 0;
    const v = bestQuad(run, q * 4, pad);
    // A quad with no text variant reads as line breaks (as bytes that are no text elsewhere), so text around it is
    // still read.
    for (let k = 0; k < 3 - pad; k++) out += v < 0 ? '\n' : String.fromCharCode((v >> (16 - 8 * k)) & 0xff);
  }
  return out;
}

// ---- compressed and reversed base64 ------------------------------------------------------------------------------

/**
 * Whether the base64 run at `text[start]` starts gzip (`H4sI`: 1f 8b 08) or zlib data (`eJ`, `eN`, `eF`: 78 9c/da/5e;
 * `eAE` to `eAH`: 78 01, levels 0 and 1 and the Huffman-only, RLE and fixed strategies, the third character holding
 * the data's first two bits), so it is decompressed rather than read as text.
 */
export function compressedStart(text: string, start: number): boolean {
  const a = text.charCodeAt(start);
  const b = text.charCodeAt(start + 1);
  if (a === 72) return b === 52 && text.charCodeAt(start + 2) === 115 && text.charCodeAt(start + 3) === 73;
  if (a !== 101) return false;
  if (b === 65) {
    const c = text.charCodeAt(start + 2);
    return c >= 69 && c <= 72;
  }
  return b === 74 || b === 78 || b === 70;
}

/** What `inflateBase64` returns for output beyond `MAX_INFLATED` bytes. */
export const TOO_LARGE = Symbol('too large');

/**
 * The text a gzip or zlib base64 run decompresses to (at most `MAX_INFLATED` bytes; a truncated stream gives what
 * it holds), `TOO_LARGE` beyond that, undefined when it is not compressed data or not text.
 */
export function inflateBase64(
  run: string,
  toText: (bytes: Uint8Array) => string | undefined,
): string | undefined | typeof TOO_LARGE {
  if (!compressedStart(run, 0)) return undefined;
  const data = Buffer.from(run, 'base64');
  const options = { maxOutputLength: MAX_INFLATED, finishFlush: constants.Z_SYNC_FLUSH };
  let out: Buffer;
  try {
    out = data[0] === 0x1f ? gunzipSync(data, options) : inflateSync(data, options);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return TOO_LARGE;
    return undefined;
  }
  return toText(out);
}

/** `s` reversed (UTF-16 code units; base64 is ASCII). */
export function reversed(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
}

// ---- base64 in separated groups ----------------------------------------------------------------------------------

/** Fewest groups of a grouped base64 run (`enF4 LmZh a2Vw`: three quads, nine bytes). */
export const MIN_BASE64_GROUPS = 3;

/** Separators base64 is written in groups with: blanks, line breaks, `.`, `,`, `:`, `;`, `|`. */
export function groupSeparator(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 46 || c === 44 || c === 58 || c === 59 || c === 124;
}

/** Values of the base64 and base64url characters (`-` and `_` are 62 and 63), -1 for the other ASCII characters. */
const GROUP_VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let c = 0; c < 128; c++) t[c] = base64Value(c);
  t[45] = 62;
  t[95] = 63;
  return t;
})();

/** The value of a base64 or base64url character, or -1. */
function groupValue(c: number): number {
  return c < 128 ? GROUP_VALUE[c] : -1;
}

/** Length of the base64 or base64url group at `text[j]`. */
function groupLength(text: string, j: number): number {
  let k = j;
  while (k - j <= MAX_ENCODED_RUN && groupValue(text.charCodeAt(k)) >= 0) k++;
  return k - j;
}

/**
 * Whether the first six bytes of the grouped base64 at `text[start]` (eight base64 characters, separators skipped)
 * start text (`utf8TextByte`): the pre-filter's check (`NEEDS_RUNS`) and the runs' first refusal. Constant work.
 */
export function groupedBase64MayDecode(text: string, start: number): boolean {
  let acc = 0;
  let bits = 0;
  let need = 0;
  let bytes = 0;
  for (let j = start; bytes < 6 && j < text.length && j - start < 24; j++) {
    const v = groupValue(text.charCodeAt(j));
    if (v < 0) {
      if (groupSeparator(text.charCodeAt(j))) continue;
      return false;
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if ((need = utf8TextByte((acc >> bits) & 0xff, need)) < 0) return false;
      bytes++;
    }
  }
  return bytes === 6;
}

/**
 * The runs of base64 written in groups (`enF4 LmZh a2Vw QGV4 …`, `ZnouYW xpY2VA ZXhh…`) in `text`: `[start, end)`
 * pairs of at least `MIN_BASE64_GROUPS` groups, each a whole number of quads but the last (which may be short or
 * padded), one separator (`groupSeparator`) throughout, not glued to a word, starting at the first group whose first
 * bytes start text (`note enF4 …` starts at `enF4`). Linear: a chain of groups is read once (at most
 * `MAX_ENCODED_RUN` characters) and the search goes on after it.
 */
export function groupedBase64Runs(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  const starts: number[] = [];
  let i = 0;
  while (i < n) {
    // `i` is at a group's first character only after a character outside the alphabet: never glued to a word.
    if (groupValue(text.charCodeAt(i)) < 0) {
      i++;
      continue;
    }
    const start = i;
    const first = groupLength(text, i);
    const sep = text.charCodeAt(i + first);
    if (first % 4 !== 0 || !groupSeparator(sep) || groupValue(text.charCodeAt(i + first + 1)) < 0) {
      i += first;
      continue;
    }
    starts.length = 0;
    starts.push(start);
    let len = first;
    let end = i + first;
    while (len % 4 === 0 && text.charCodeAt(end) === sep && end - start < MAX_ENCODED_RUN) {
      const next = groupLength(text, end + 1);
      if (next === 0) break;
      starts.push(end + 1);
      len = next;
      end += 1 + next;
    }
    let padded = end;
    while (padded < n && padded - end < 2 && text.charCodeAt(padded) === 61) padded++;
    for (let k = 0; starts.length - k >= MIN_BASE64_GROUPS; k++)
      if (groupedBase64MayDecode(text, starts[k])) {
        out.push(starts[k], padded);
        break;
      }
    i = padded;
  }
  return out;
}

/** The base64 of a grouped run (its separators removed). */
export function ungroupedBase64(run: string): string {
  let out = '';
  for (let j = 0; j < run.length; j++) if (!groupSeparator(run.charCodeAt(j))) out += run[j];
  return out;
}
