/**
 * The markup view of a value: the text with inline HTML tags and comments taken out (`jane.doe<!-- -->@example.com`,
 * `jane.doe<span>@</span>example.com`, `4111<b>1111</b>…`) and line continuations joined (`exam\` + line break +
 * `ple.com`), so a value that an HTML fragment, a template or a wrapped shell line splits reads whole. The value
 * scanner scans it as one more view and maps its findings back (a finding that covers a tag masks the tag too).
 */

import type { NormalizedView } from './normalizer';

/** Longest tag or comment taken out (`<` to `>`): longer text between angle brackets is read as it is. */
const MAX_TAG = 256;

/**
 * HTML elements that wrap or break text inside a line (lower case): a tag of one of these (`<span>`, `</b>`, `<br/>`,
 * `<a href="…">`) is markup; other names in angle brackets (`<your-password>`, `<id>`) are text.
 */
const INLINE_TAGS = new Set(
  (
    'a abbr b bdi bdo big br cite code data del dfn div em font i ins kbd label li mark nobr p q s samp small span ' +
    'strike strong sub sup td th time tr tt u var wbr'
  ).split(' '),
);

/**
 * Whether `text[i] === '<'` opens markup: a comment or declaration (`<!`), a processing instruction (`<?`), or an
 * opening or closing tag of `INLINE_TAGS` followed by `>`, `/` or a blank.
 */
function isTagStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i + 1);
  if (c === 33 || c === 63) return true;
  const from = c === 47 ? i + 2 : i + 1;
  let e = from;
  while (e - from < 6 && (text.charCodeAt(e) | 32) >= 97 && (text.charCodeAt(e) | 32) <= 122) e++;
  const after = text.charCodeAt(e);
  return (
    e > from &&
    (after === 62 || after === 47 || after === 32 || after === 9) &&
    INLINE_TAGS.has(text.slice(from, e).toLowerCase())
  );
}

/**
 * The end (one past `>`) of markup starting at `text[i] === '<'` (`isTagStart`), or -1: no `<` up to a `>` within
 * `MAX_TAG` characters (`a < b` and `x<5>` are no tags).
 */
function tagEnd(text: string, i: number): number {
  if (i + 2 >= text.length || !isTagStart(text, i)) return -1;
  const stop = Math.min(text.length, i + MAX_TAG);
  for (let j = i + 2; j < stop; j++) {
    const c = text.charCodeAt(j);
    if (c === 62) return j + 1;
    if (c === 60) return -1;
  }
  return -1;
}

/** The length of a line continuation at `i` (`\` then `\n` or `\r\n`), or 0. */
function continuationLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== 92) return 0;
  const c = text.charCodeAt(i + 1);
  if (c === 10) return 2;
  return c === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 0;
}

/** Whether `text` may have a markup view (a `<` or a `\` before a line break): a cheap test before building one. */
export function mayHoldMarkup(text: string): boolean {
  return text.indexOf('<') !== -1 || text.indexOf('\\\n') !== -1 || text.indexOf('\\\r\n') !== -1;
}

/**
 * `text` without its markup tags, comments and line continuations, with the positions it came from; `undefined` when
 * it holds none (then there is nothing more to read).
 */
export function markupView(text: string): NormalizedView | undefined {
  const n = text.length;
  let out = '';
  let from: Int32Array | undefined;
  let to: Int32Array | undefined;
  let k = 0; // length of the view so far
  let copied = 0; // text[copied, i) is not yet in `out`
  for (let i = 0; i < n;) {
    const c = text.charCodeAt(i);
    const skip = c === 60 ? tagEnd(text, i) - i : c === 92 ? continuationLength(text, i) : 0;
    if (skip <= 0) {
      i++;
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
    i += skip;
    copied = i;
  }
  if (from === undefined) return undefined;
  out += text.slice(copied);
  for (let p = copied; p < n; p++, k++) {
    from[k] = p;
    to![k] = p + 1;
  }
  return { text: out, from: from.subarray(0, k), to: to!.subarray(0, k) };
}
