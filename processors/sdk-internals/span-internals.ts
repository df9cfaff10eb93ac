/**
 * The only place that writes SDK span fields the public API does not let us write. In-place sanitizing replaces a
 * span's attributes, events, links, status, name and resource while the SDK still lets the span be written (in
 * `onStart` and `onEnding`); the SDK's `Span` offers `setAttribute`/`updateName`/`setStatus`, which can add and
 * overwrite but never remove, so the fields are written directly. Relied on, in `@opentelemetry/sdk-trace` 2.x (2.9+)
 * and 3.x alike (tested on both lines in `test/processors/sdk-internals/`):
 * - `SpanImpl` keeps `name`, `attributes`, `events`, `links`, `status`, `resource` and `instrumentationScope` as plain own properties
 *   (`readonly` only in the TypeScript types) and reads them back when exporting;
 * - `_attributesCount` (private) is the number of attributes `setAttribute` compares with `attributeCountLimit`;
 * - `_spanContext` (private) is what `spanContext()` returns, and `parentSpanContext` a plain own property.
 */
import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, Span, TimedEvent } from '@opentelemetry/sdk-trace';

/** The span fields in-place sanitizing replaces (typed read-only by the SDK, plain properties at run time). */
export interface WritableSpan {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  events: TimedEvent[];
  links: Link[];
  status: SpanStatus;
  resource: Resource;
  parentSpanContext?: SpanContext;
  instrumentationScope: InstrumentationScope;
}

/** The span's times: `startTime` and `endTime` plain own properties, `duration` a getter of the private `_duration`. */
interface SpanTimes {
  startTime: HrTime;
  endTime: HrTime;
  _duration?: HrTime;
}

/**
 * Replaces a span's start and end time (while it is writable) and the duration the SDK computed from them (as the
 * SDK does: never negative). On an SDK without the private field only the times are replaced.
 */
export function replaceSpanTimes(span: Span, start: HrTime, end: HrTime): void {
  const w = span as unknown as SpanTimes;
  w.startTime = start;
  w.endTime = end;
  if (Array.isArray(w._duration)) w._duration = spanDuration(start, end);
}

/** Replaces a span's start time (in `onStart`, before the SDK computes a duration from it). */
export function replaceSpanStartTime(span: Span, start: HrTime): void {
  (span as unknown as SpanTimes).startTime = start;
}

/** `end - start` as an `HrTime`, `[0, 0]` when `end` is earlier. */
export function spanDuration(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return seconds < 0 ? [0, 0] : [seconds, nanos];
}

/** The private field `setAttribute` counts attributes in. */
interface SpanAttributeCount {
  _attributesCount?: number;
}

/** The writable view of an SDK span; write only while the span is writable (`onStart`, `onEnding`). */
export function writableSpan(span: Span): WritableSpan {
  return span as unknown as WritableSpan;
}

/**
 * Replaces a span's attributes by `attributes`, which hold `count` keys, and keeps the SDK's attribute-limit
 * bookkeeping right (later `setAttribute` calls are limited by the new count, not the count before keys were
 * dropped). On an SDK without the private counter only the attributes are replaced.
 */
export function replaceSpanAttributes(span: Span, attributes: Attributes, count: number): void {
  const w = span as unknown as WritableSpan & SpanAttributeCount;
  w.attributes = attributes;
  if (typeof w._attributesCount === 'number') w._attributesCount = count;
}

/** True when the span has no attributes (public API only: an empty loop over `span.attributes`). */
export function spanHasNoAttributes(span: ReadableSpan): boolean {
  for (const _ in span.attributes) return false;
  return true;
}

/**
 * Replaces what `span.spanContext()` returns (same ids and flags, another trace state). Returns false when the SDK
 * keeps the span context elsewhere (the span still reports the old one): the caller must not export the span then.
 */
export function replaceSpanContext(span: Span, spanContext: SpanContext): boolean {
  (span as unknown as { _spanContext: SpanContext })._spanContext = spanContext;
  return span.spanContext() === spanContext;
}
