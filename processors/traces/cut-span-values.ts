import type { AttributeValue, Link } from '@opentelemetry/api';
import type { ReadableSpan, Span, TimedEvent } from '@opentelemetry/sdk-trace';
import { lengthLimit, maskCutValues, maskCutValuesInPlace, unscannedMask } from '../../engine/cut-values';
import type { Signal } from '../../policy/schema';
import type { CleanEntries } from '../../engine/attribute-redactor';
import type { Policy } from '../../policy/policy';
import { writableSpan } from '../sdk-internals/span-internals';
import { spanCopy } from './consent-minimize';

/** The SDK's span limits, a private field of its `Span` (`@opentelemetry/sdk-trace` 2.x and 3.x). */
interface WithSpanLimits {
  _spanLimits?: { attributeValueLengthLimit?: unknown };
}

/** How a span's cut values are found and masked. */
export interface CutSettings {
  /** The SDK's attribute length limit: a string value this long was cut there. */
  readonly limit: number;
  /** What replaces a cut value's last word. */
  readonly mask: string;
}

/**
 * The attribute length limit the SDK cut this span's string values at, and the mask for a cut value's last word
 * (`engine/cut-values.ts`); undefined when the SDK sets none or the policy scans no values.
 */
export function cutSettings(policy: Policy, span: ReadableSpan): CutSettings | undefined {
  const limit = lengthLimit((span as unknown as WithSpanLimits)._spanLimits?.attributeValueLengthLimit);
  if (limit === undefined) return undefined; // no limit (the SDK's default): nothing is cut
  const mask = unscannedMask(policy.compiled.values?.mask);
  return mask === undefined ? undefined : { limit, mask };
}

/** Most start-pass entries (key and value) searched in a row; past it they are read once into a map. */
const SEARCHED_ENTRIES = 32;

/**
 * Whether `value` is what the start pass wrote under `key` (`clean`, the first entry of that key): the library's own,
 * never masked again. Many entries are read once into a map (searching them for every key of the span was quadratic).
 */
function writtenAtStart(clean: CleanEntries | undefined): (key: string, value: AttributeValue | undefined) => boolean {
  let byKey: Map<unknown, unknown> | undefined;
  return (key, value) => {
    if (clean === undefined || value === undefined) return false;
    if (clean.length <= SEARCHED_ENTRIES) {
      for (let j = 0; j < clean.length; j += 2) if (clean[j] === key) return clean[j + 1] === value;
      return false;
    }
    if (byKey === undefined) {
      byKey = new Map();
      for (let j = 0; j < clean.length; j += 2) if (!byKey.has(clean[j])) byKey.set(clean[j], clean[j + 1]);
    }
    return byKey.has(key) && byKey.get(key) === value;
  };
}

/** `item` (an event or a link) with the cut values of its attributes masked; `item` itself when none was cut. */
function masked<T extends TimedEvent | Link>(item: T, limit: number, mask: string, counts: Record<Signal, number>): T {
  if (item.attributes === undefined) return item;
  const [attributes, changed] = maskCutValues(item.attributes, limit, mask);
  counts.traces += changed;
  return changed === 0 ? item : { ...item, attributes };
}

/**
 * Masks the last word of every string value the SDK cut at its limit, in a span that can still be written: its
 * attributes (but those the start pass wrote, `clean`), its events' and its links' (replaced by copies: a link's
 * attributes may be the application's object).
 */
export function maskCutSpanInPlace(
  span: Span,
  cut: CutSettings,
  counts: Record<Signal, number>,
  clean?: CleanEntries,
): void {
  const { limit, mask } = cut;
  const w = writableSpan(span);
  counts.traces += maskCutValuesInPlace(w.attributes, limit, mask, writtenAtStart(clean));
  for (let i = 0; i < w.events.length; i++) w.events[i] = masked(w.events[i]!, limit, mask, counts);
  for (let i = 0; i < w.links.length; i++) w.links[i] = masked(w.links[i]!, limit, mask, counts);
}

/** `maskCutSpanInPlace` for a span that can no longer be written: a copy (the span itself when nothing was cut). */
export function maskedCutSpanCopy(
  span: ReadableSpan,
  cut: CutSettings,
  counts: Record<Signal, number>,
  clean?: CleanEntries,
): ReadableSpan {
  const { limit, mask } = cut;
  const [attributes, changed] = maskCutValues(span.attributes, limit, mask, writtenAtStart(clean));
  counts.traces += changed;
  const events = span.events.map((e) => masked(e, limit, mask, counts));
  const links = span.links.map((l) => masked(l, limit, mask, counts));
  if (changed === 0 && events.every((e, i) => e === span.events[i]) && links.every((l, i) => l === span.links[i]))
    return span;
  return spanCopy(span, { attributes, events, links });
}
