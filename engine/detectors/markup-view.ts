/**
 * The markup view of a value: the text with markup tags and comments taken out (`jane.doe<!-- -->@example.com`,
 * `jane.doe<span>@</span>example.com`, `4111<b>1111</b>…`) and line continuations joined (`exam\` + line break +
 * `ple.com`), so a value that an HTML fragment, a template or a wrapped shell line splits reads whole. The value
 * scanner scans it as one more view and maps its findings back (a finding that covers a tag masks the tag too).
 */

import type { NormalizedView } from './normalizer';

/** Longest tag or comment taken out (`<` to `>`): longer text between angle brackets is read as it is. */
const MAX_TAG = 256;

function isTagStart(c: number): boolean {
  // a letter (`<span>`), `/` (`</b>`), `!` (`<!-- -->`, `<!DOCTYPE>`) or `?` (`<?php ?>`)
  return ((c | 32) >= 97 && (c | 32) <= 122) || c === 47 || c === 33 || c === 63;
}

/**
 * The end (one past `>`) of a tag or comment starting at `text[i] === '<'`, or -1: `<` then a letter, `/`, `!` or `?`,
 * then no `<` up to a `>` within `MAX_TAG` characters (`a < b` and `x<5>` are no tags).
 */
function tagEnd(text: string, i: number): number {
  if (i + 2 >= text.length || !isTagStart(text.charCodeAt(i + 1))) return -1;
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
