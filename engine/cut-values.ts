import type { AttributeValue, Attributes } from '@opentelemetry/api';

/**
 * Values the SDK cut at its attribute length limit (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`,
 * `spanLimits.attributeValueLengthLimit`, the log record limits). The SDK cuts a string before any processor sees it,
 * so an identifier at its end arrives as a part that no detector reads as one: `paid with 4111 1111 1111 11` (no Luhn
 * check digit), `k=AKIAIOSFODNN7EXAMP`, `call +1 202 55`, `mail jane.doe@example.` (no top-level domain). A string
 * of exactly the limit's length has its last word masked before it is sanitized (`paid with [REDACTED:unscanned]`),
 * since what it held there cannot be read whole. Shorter strings were not cut and stay as they are.
 */

/** Fewer characters than this at the cut hold no four digits in a row: left as they are. */
const SHORTEST_MASKED_TAIL = 4;

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The length of `value` without the blanks at its end. */
function withoutTrailingBlanks(value: string): number {
  let end = value.length;
  while (end > 0 && isBlank(value.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * Where the last word of `value` starts: the characters after the last blank (blanks at the very end skipped: the cut
 * may fall right after one), and further back over one blank between groups of a number (`4111 1111 11`, `+1 202 55`,
 * `(202) 555-01`: a digit or `(` after the blank, a digit, `+` or `)` before it).
 */
export function lastWordStart(value: string): number {
  const end = withoutTrailingBlanks(value);
  let i = end;
  for (;;) {
    while (i > 0 && !isBlank(value.charCodeAt(i - 1))) i--;
    if (i < 2 || i >= end) return i;
    const after = value.charCodeAt(i);
    const before = value.charCodeAt(i - 2);
    if (!(isDigit(after) || after === 40) || !(isDigit(before) || before === 43 || before === 41)) return i;
    i--; // over the blank between two groups
  }
}

/** `value` with its last word masked when it is `limit` characters long (cut there); else `value` itself. */
export function maskCutTail(value: string, limit: number, mask: string): string {
  if (value.length !== limit) return value;
  const start = lastWordStart(value);
  return withoutTrailingBlanks(value) - start < SHORTEST_MASKED_TAIL ? value : value.slice(0, start) + mask;
}

/** Deepest map or array level read for cut strings: twice the engine's `MAX_DEPTH` (32), past which values are removed. */
const MAX_CUT_DEPTH = 64;

/**
 * `value` with every string the SDK cut masked at its end (`maskCutTail`): a string, and the strings of arrays and maps
 * at any level (SDK 3.x cuts every string of an attribute's value, `{ note: '…4111 1111 11' }`, `[['…']]`), copied
 * where one changed; `value` itself when none did.
 */
function cutValue(value: unknown, limit: number, mask: string, depth = 0): unknown {
  if (typeof value === 'string') return maskCutTail(value, limit, mask);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || depth >= MAX_CUT_DEPTH)
    return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const e: unknown = value[i];
      const m = cutValue(e, limit, mask, depth + 1);
      if (m === e) continue;
      out ??= value.slice();
      out[i] = m;
    }
    return out ?? value;
  }
  const map = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(map)) {
    const e = map[k];
    const m = cutValue(e, limit, mask, depth + 1);
    if (m === e) continue;
    out ??= { ...map };
    out[k] = m;
  }
  return out ?? value;
}

/**
 * Writes into `attributes` (an object of the SDK's own: a span's, an event's or a link's, a log record's while it can be
 * written) the values that are `limit` long with their last word masked (`maskCutTail`), strings and the strings of
 * arrays, except the keys `keep` says were written by the library itself. Returns how many it changed.
 */
export function maskCutValuesInPlace(
  attributes: Attributes | undefined,
  limit: number,
  mask: string,
  keep?: (key: string, value: AttributeValue | undefined) => boolean,
): number {
  if (attributes === undefined) return 0;
  let changed = 0;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (keep?.(key, value)) continue;
    const m = cutValue(value, limit, mask) as AttributeValue | undefined;
    if (m === value) continue;
    attributes[key] = m;
    changed++;
  }
  return changed;
}

/**
 * `attributes` and 0 when no value of it is `limit` long with a last word to mask; else a copy with those values masked
 * (`maskCutValuesInPlace`) and how many they are. `attributes` is never written.
 */
export function maskCutValues(
  attributes: Attributes,
  limit: number,
  mask: string,
  keep?: (key: string, value: AttributeValue | undefined) => boolean,
): [Attributes, number] {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (keep?.(key, value) || cutValue(value, limit, mask) === value) continue;
    const copy = { ...attributes };
    return [copy, maskCutValuesInPlace(copy, limit, mask, keep)];
  }
  return [attributes, 0];
}

/** The attribute length limit the SDK applied (a positive integer), or undefined for none (`Infinity`, unset). */
export function lengthLimit(limit: unknown): number | undefined {
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

/** The mask of a cut value's last word: the policy's `values.mask` for the type `unscanned`; undefined without one. */
export function unscannedMask(template: string | undefined): string | undefined {
  if (template === undefined) return undefined;
  if (template !== lastTemplate) {
    lastTemplate = template;
    lastMask = template.split('{type}').join('unscanned');
  }
  return lastMask;
}

/** The last mask template `unscannedMask` read, and its mask (one policy is in effect at a time). */
let lastTemplate: string | undefined;
let lastMask: string | undefined;
