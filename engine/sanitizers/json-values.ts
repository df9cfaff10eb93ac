/**
 * The value masker shared by the JSON statement families (MongoDB/DocumentDB, Elasticsearch/OpenSearch)
 * and the strict fallback: one linear pass over JSON, NDJSON or shell-style documents (unquoted keys,
 * single quotes, `ObjectId("…")`, `/regex/`).
 */

import { hasIdentifierDigits } from '../identifier-digits';

/** Written in place of every value (a JSON string, so a JSON document stays JSON). */
const VALUE = '"?"';

/** Arrays nested deeper than this are still masked, but no longer collapsed. */
const MAX_TRACKED_ARRAYS = 256;

/**
 * A key (or a name of a member chain) from `start` to `end` with every `.` segment that holds a number glued into it
 * (nine or more digits in a row: `hasIdentifierDigits`) written `?`: `"carts.2025550143.qty"` → `"carts.?.qty"`,
 * `customer_2025550143` → `?`. Undefined when no segment does (the key is kept as it is).
 */
function keyWithoutNumbers(text: string, start: number, end: number): string | undefined {
  if (!hasIdentifierDigits(text, start, end)) return undefined;
  const quote = text.charCodeAt(start);
  const quoted = quote === 34 || quote === 39;
  const inner = quoted ? text.slice(start + 1, end - 1) : text.slice(start, end);
  const masked = inner
    .split('.')
    .map((segment) => (hasIdentifierDigits(segment) ? '?' : segment))
    .join('.');
  return quoted ? `${text[start]}${masked}${text[end - 1] === text[start] ? text[start] : ''}` : masked;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;
}

/** The first non-space character code at or after `i`, or -1. */
function nextSignificant(text: string, i: number): number {
  const n = text.length;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  return i < n ? text.charCodeAt(i) : -1;
}

/** End index (exclusive) of a string quoted by `text[start]`; backslash escapes; unterminated: the end. */
function skipString(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return n;
}

/** End index of a `/regex/flags` literal at `start` (unterminated on its line: the line's end). */
function skipRegex(text: string, start: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 47) {
      i++;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      return i;
    } else if (c === 10) return i;
    else i++;
  }
  return n;
}

/**
 * Masks every value of a JSON-like document: strings that are not keys, numbers, `true`/`false`/`null`,
 * bare words in value position and `/regex/` literals become `"?"`; keys (quoted or not), operators
 * (`$gt`, `match`, `bool`), structure, function names (`ObjectId(`) and white space are kept. An array
 * of nothing but values becomes `["?"]` (as an SQL `IN` list becomes `IN (?)`). Input that is not JSON
 * is still read token by token (over-masking, never under-masking). Linear time, never throws.
 */
export function maskJsonValues(text: string): string {
  if (typeof text !== 'string') return text;
  const n = text.length;
  const parts: string[] = [];
  let runStart = 0;
  // Open arrays: where each starts in `parts`, and whether it holds only masked values so far.
  const arrayStarts: number[] = [];
  const arrayOnlyValues: boolean[] = [];
  const arrayValues: number[] = [];
  let untracked = 0; // arrays opened beyond MAX_TRACKED_ARRAYS
  let last = -1; // last significant character code outside strings (-1: none yet)
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // A value runs from `i` to `valueEnd`; keys, names and structure leave it at -1.
    let valueEnd = -1;
    if (c === 34 || c === 39) {
      const end = skipString(text, i);
      if (nextSignificant(text, end) === 58) {
        // A key.
        last = 58;
        const key = keyWithoutNumbers(text, i, end);
        if (key !== undefined) {
          if (i > runStart) parts.push(text.slice(runStart, i));
          parts.push(key);
          runStart = end;
        }
        i = end;
        continue;
      }
      valueEnd = end;
    } else {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (
        (c >= 48 && c <= 57) ||
        ((c === 45 || c === 43 || c === 46) && ((d >= 48 && d <= 57) || (c !== 46 && (d === 46 || d === 73))))
      ) {
        // Numbers (and `-Infinity`, `-.5`, `.5`, `1e3`, `0x1F`): the whole word-like run, with its sign.
        let j = i + 1;
        while (j < n) {
          const e = text.charCodeAt(j);
          if (isWordChar(e) || e === 46 || ((e === 43 || e === 45) && (text.charCodeAt(j - 1) | 32) === 101)) j++;
          else break;
        }
        if (nextSignificant(text, j) === 58) {
          last = 58;
          const key = keyWithoutNumbers(text, i, j);
          if (key !== undefined) {
            if (i > runStart) parts.push(text.slice(runStart, i));
            parts.push(key);
            runStart = j;
          }
          i = j;
          continue;
        }
        valueEnd = j;
      } else if (isWordChar(c)) {
        let j = i + 1;
        while (j < n && isWordChar(text.charCodeAt(j))) j++;
        const next = nextSignificant(text, j);
        // Unquoted keys, function names (`ObjectId(`) and member chains (`db.users.find`) are kept.
        if (next === 58 || next === 40 || next === 46 || last === 46) {
          if (next !== 58 && arrayStarts.length > 0 && untracked === 0)
            arrayOnlyValues[arrayOnlyValues.length - 1] = false;
          last = next === 58 ? 58 : 119;
          const key = keyWithoutNumbers(text, i, j);
          if (key !== undefined) {
            if (i > runStart) parts.push(text.slice(runStart, i));
            parts.push(key);
            runStart = j;
          }
          i = j;
          continue;
        }
        valueEnd = j;
      } else if (c === 47 && (last === -1 || last === 58 || last === 44 || last === 91 || last === 40))
        valueEnd = skipRegex(text, i);
    }
    if (valueEnd !== -1) {
      if (i > runStart) parts.push(text.slice(runStart, i));
      parts.push(VALUE);
      runStart = valueEnd;
      last = 34;
      if (arrayStarts.length > 0 && untracked === 0) arrayValues[arrayValues.length - 1]++;
      i = valueEnd;
      continue;
    }
    // An array or object inside an array: that array does not hold only values.
    if ((c === 91 || c === 123) && arrayStarts.length > 0 && untracked === 0)
      arrayOnlyValues[arrayOnlyValues.length - 1] = false;
    if (c === 91) {
      if (untracked > 0 || arrayStarts.length >= MAX_TRACKED_ARRAYS) untracked++;
      else {
        if (i > runStart) parts.push(text.slice(runStart, i));
        runStart = i;
        arrayStarts.push(parts.length);
        arrayOnlyValues.push(true);
        arrayValues.push(0);
      }
    } else if (c === 93) {
      if (untracked > 0) untracked--;
      else if (arrayStarts.length > 0) {
        const start = arrayStarts.pop()!;
        const onlyValues = arrayOnlyValues.pop()!;
        const values = arrayValues.pop()!;
        if (onlyValues && values > 1) {
          if (i > runStart) parts.push(text.slice(runStart, i));
          parts.length = start;
          parts.push('[' + VALUE + ']');
          runStart = i + 1;
        }
      }
    }
    last = c;
    i++;
  }
  if (n > runStart) parts.push(text.slice(runStart, n));
  return parts.length === 1 ? parts[0] : parts.join('');
}
