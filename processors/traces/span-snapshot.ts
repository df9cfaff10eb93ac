import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { SpanAttributesObject } from './span-attributes-object';

/**
 * A copy of an attribute value that shares no object with it: arrays, byte arrays and maps are copied (at any depth),
 * scalars are kept.
 */
function copyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyValue(value[i]);
    return out;
  }
  if (value instanceof Uint8Array) return value.slice();
  const out: Record<string, unknown> = {};
  for (const key in value)
    if (Object.prototype.hasOwnProperty.call(value, key)) out[key] = copyValue((value as Record<string, unknown>)[key]);
  return out;
}

function copyAttributes(attributes: Attributes): Attributes {
  const out = new SpanAttributesObject();
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    const v = attributes[key];
    out[key] = typeof v === 'object' && v !== null ? (copyValue(v) as Attributes[string]) : v;
  }
  return out;
}

function copyTime(t: HrTime): HrTime {
  return [t[0], t[1]];
}

/** A span context's fields, copied (its trace state is an immutable one the span redactor made). */
function copySpanContext(sc: SpanContext): SpanContext {
  const out: SpanContext = { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
  if (sc.isRemote !== undefined) out.isRemote = sc.isRemote;
  if (sc.traceState !== undefined) out.traceState = sc.traceState;
  return out;
}

function copyEvent(e: TimedEvent): TimedEvent {
  const out: { -readonly [K in keyof TimedEvent]: TimedEvent[K] } = { name: e.name, time: copyTime(e.time) };
  if (e.attributes !== undefined) out.attributes = copyAttributes(e.attributes);
  if (e.droppedAttributesCount !== undefined) out.droppedAttributesCount = e.droppedAttributesCount;
  return out;
}

function copyLink(l: Link): Link {
  const out: Link = { context: copySpanContext(l.context) };
  if (l.attributes !== undefined) out.attributes = copyAttributes(l.attributes);
  if (l.droppedAttributesCount !== undefined) out.droppedAttributesCount = l.droppedAttributesCount;
  return out;
}

function copyStatus(status: SpanStatus): SpanStatus {
  return status.message === undefined ? { code: status.code } : { code: status.code, message: status.message };
}

/**
 * What `PrivacySpanProcessor` hands to the processors it wraps at a span's end: a copy of the sanitized span that
 * shares no object with the SDK span or the application. The SDK span stays reachable by the application after
 * `end()` (its fields are plain properties, its links hold the application's span contexts), and a
 * `BatchSpanProcessor` exports it later; the snapshot is taken in `onEnd`, right after sanitizing, so writes after
 * that reach only the SDK span, never the export. The resource and scope are the sanitized ones (frozen, shared).
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

  /** A snapshot of `span`, which must be sanitized already (its span contexts and trace states the redactor's). */
  constructor(span: ReadableSpan) {
    this.context = copySpanContext(span.spanContext());
    this.name = span.name;
    this.kind = span.kind;
    const parent = span.parentSpanContext;
    this.parentSpanContext = parent === undefined ? undefined : copySpanContext(parent);
    this.startTime = copyTime(span.startTime);
    this.endTime = copyTime(span.endTime);
    this.status = copyStatus(span.status);
    this.attributes = copyAttributes(span.attributes);
    const links = span.links;
    this.links = links.length === 0 ? [] : links.map(copyLink);
    const events = span.events;
    this.events = events.length === 0 ? [] : events.map(copyEvent);
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
