/**
 * The wrap view of a value: the text with the line breaks that cut an identifier in two removed, as a hard-wrapped
 * log line (`fold -w 40`), a mail body or a terminal writes them (`jane.doe@exa` + line break + `mple.com`,
 * `4111 11` + line break + `11 1111 1111`, `ghp_FAKEa1b2…` cut inside). The value scanner scans it as one more view
 * and maps its findings back.
 */

import type { NormalizedView } from './normalizer';

/** How far each side of a break is read for a digit, `@` or `_` that makes the words around it an identifier. */
const AT_REACH = 64;

/** Most blanks of indentation after a break read as part of the wrap. */
const MAX_INDENT = 8;

/** A line break or another line or paragraph separator: LF, VT, FF, CR, NEL, U+2028, U+2029. */
function isBreak(c: number): boolean {
  return c === 10 || c === 11 || c === 12 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/** A character an identifier or a `name=value` pair holds: ASCII letters and digits, `@ . _ + - =`. */
function isIdentifierChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    ((c | 32) >= 97 && (c | 32) <= 122) ||
    c === 64 ||
    c === 46 ||
    c === 95 ||
    c === 43 ||
    c === 45 ||
    c === 61
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A blank, a tab or a break: what ends the word on each side of a break. */
function endsWord(c: number): boolean {
  return c === 32 || c === 9 || isBreak(c);
}

/**
 * Whether the words on the two sides of the break at `text[from, to)` (up to a blank, at most `AT_REACH` characters
 * each) hold a digit, an `@` or a `_`: an identifier, not two words of prose (`upda` + `ted`).
 */
function identifierAround(text: string, from: number, to: number): boolean {
  for (let i = from - 1, stop = Math.max(0, from - AT_REACH); i >= stop && !endsWord(text.charCodeAt(i)); i--)
    if (marksIdentifier(text.charCodeAt(i))) return true;
  for (let i = to, stop = Math.min(text.length, to + AT_REACH); i < stop && !endsWord(text.charCodeAt(i)); i++)
    if (marksIdentifier(text.charCodeAt(i))) return true;
  return false;
}

function marksIdentifier(c: number): boolean {
  return isDigit(c) || c === 64 || c === 95;
}

/** Whether `text` may have a wrap view (a line break in it): a cheap test before building one. */
export function mayBeWrapped(text: string): boolean {
  return BREAK.test(text);
}

/** The characters `isBreak` reads. */
const BREAK = /[\n\v\f\r\u0085\u2028\u2029]/;

/**
 * `text` without the line breaks (CRLF, two at most, and up to 8 blanks of indentation after them) that stand between
 * two identifier characters whose words hold a digit, an `@` or a `_` (`4111 11|11`, `ghp_FAKE|a1b2`,
 * `jane.doe@exa|mple.com`, `p|assword=hunter2…`; `line one|line two` and breaks after a blank are kept); `undefined`
 * when there is none.
 */
export function wrapView(text: string): NormalizedView | undefined {
  const n = text.length;
  let out = '';
  let from: Int32Array | undefined;
  let to: Int32Array | undefined;
  let k = 0;
  let copied = 0;
  for (let i = 1; i < n - 1;) {
    if (!isBreak(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let e = i;
    while (e < n && e - i < 2 && isBreak(text.charCodeAt(e))) e++;
    // and the indentation of the next line (`jane.doe@e` + line break + `  xample.com`)
    for (let b = 0; b < MAX_INDENT && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 9); b++) e++;
    const left = text.charCodeAt(i - 1);
    const right = e < n ? text.charCodeAt(e) : -1;
    if (!isIdentifierChar(left) || !isIdentifierChar(right) || !identifierAround(text, i, e)) {
      i = e;
      continue;
    }
    if (from === undefined) {
      from = new Int32Array(n);
      to = new Int32Array(n);
    }
    out += text.slice(copied, i);
    for (let p = copied; p < i; p++, k++) {
      from[k] = p;
      to![k] = p + 1;
    }
    copied = e;
    i = e;
  }
  if (from === undefined) return undefined;
  out += text.slice(copied);
  for (let p = copied; p < n; p++, k++) {
    from[k] = p;
    to![k] = p + 1;
  }
  return { text: out, from: from.subarray(0, k), to: to!.subarray(0, k) };
}
