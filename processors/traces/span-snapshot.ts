import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { deepFreeze } from '../../engine/deep-freeze';

/**
 * `attributes` frozen, with every object value in them (arrays, maps; a byte array, which cannot be frozen, is
 * replaced by a copy first). The objects are the redactor's own output, which nothing else holds but the SDK span:
 * freezing them costs a few tens of nanoseconds where a copy of a span's attributes costs most of a microsecond, and
 * a later write through the span (`span.attributes[key] = …`) fails instead of reaching the export.
 */
function frozenAttributes(attributes: Attributes): Attributes {
  if (Object.isFrozen(attributes)) return attributes;
  for (const key in attributes) {
    const v = attributes[key];
    if (typeof v === 'object' && v !== null) {
      if (ArrayBuffer.isView(v))
        attributes[key] = (v as unknown as Uint8Array).slice() as unknown as Attributes[string];
      else deepFreeze(v);
    }
  }
  return Object.freeze(attributes);
}

function copyTime(t: HrTime): HrTime {
  return [t[0], t[1]];
}

/**
 * A copy of a span context `checkedSpanContext` made (ids checked, trace state sealed), which the SDK span holds
 * unfrozen after `end()`: a copy is the snapshot's own for a few nanoseconds, where `Object.freeze` costs 60–100 ns (measured).
 */
function copyContext(sc: SpanContext): SpanContext {
  const out: SpanContext = { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
  if (sc.isRemote !== undefined) out.isRemote = sc.isRemote;
  if (sc.traceState !== undefined) out.traceState = sc.traceState;
  return out;
}

/** The links or events of a snapshot without any: one shared, frozen array (no allocation per span). */
const NONE = Object.freeze([]) as unknown as never[];

/** Statuses without a message, shared and frozen (by code: unset, ok, error). */
const STATUS_WITHOUT_MESSAGE: readonly SpanStatus[] = [0, 1, 2].map((code) => Object.freeze({ code }));

function copyEvent(e: TimedEvent): TimedEvent {
  const out: { -readonly [K in keyof TimedEvent]: TimedEvent[K] } = { name: e.name, time: copyTime(e.time) };
  if (e.attributes !== undefined) out.attributes = frozenAttributes(e.attributes);
  if (e.droppedAttributesCount !== undefined) out.droppedAttributesCount = e.droppedAttributesCount;
  return out;
}

function copyLink(l: Link): Link {
  const out: Link = { context: copyContext(l.context) };
  if (l.attributes !== undefined) out.attributes = frozenAttributes(l.attributes);
  if (l.droppedAttributesCount !== undefined) out.droppedAttributesCount = l.droppedAttributesCount;
  return out;
}

function copyStatus(status: SpanStatus): SpanStatus {
  const code = status.code;
  if (status.message !== undefined) return { code, message: status.message };
  return STATUS_WITHOUT_MESSAGE[code] ?? { code };
}

/**
 * What `PrivacySpanProcessor` hands to the processors it wraps at a span's end: a snapshot of the sanitized span that
 * holds only objects the library made, none of them writable by the application. The SDK span stays reachable by the
 * application after `end()` (its fields are plain properties), and a `BatchSpanProcessor` exports later; the snapshot
 * is taken in `onEnd`, right after sanitizing, so a write after that reaches only the SDK span, never the export.
 * Its own objects: the status, events, links, their arrays, the timestamps and the span contexts (copied: the
 * redactor's `checkedSpanContext` checked their ids and sealed their trace states); shared with the SDK span but
 * frozen: the attributes (of the span, its events and links), the resource and the scope (sanitized once, frozen).
 * Shared with every snapshot, frozen: an empty links or events array, a status without a message.
 */
export class SpanSnapshot implements ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  private readonly context: SpanContext;

  /**
   * A snapshot of `span`, which must be sanitized already: its attributes objects the redactor's, its span contexts
   * `checkedSpanContext`'s.
   */
  constructor(span: ReadableSpan) {
    this.context = copyContext(span.spanContext());
    this.name = span.name;
    this.kind = span.kind;
    const parent = span.parentSpanContext;
    this.parentSpanContext = parent === undefined ? undefined : copyContext(parent);
    this.startTime = copyTime(span.startTime);
    this.endTime = copyTime(span.endTime);
    this.status = copyStatus(span.status);
    this.attributes = frozenAttributes(span.attributes);
    const links = span.links;
    this.links = links.length === 0 ? NONE : links.map(copyLink);
    const events = span.events;
    this.events = events.length === 0 ? NONE : events.map(copyEvent);
    this.duration = copyTime(span.duration);
    this.ended = span.ended;
    this.resource = span.resource;
    this.instrumentationScope = span.instrumentationScope;
    this.droppedAttributesCount = span.droppedAttributesCount;
    this.droppedEventsCount = span.droppedEventsCount;
    this.droppedLinksCount = span.droppedLinksCount;
  }

  spanContext(): SpanContext {
    return this.context;
  }
}
