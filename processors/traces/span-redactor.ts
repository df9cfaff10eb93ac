import type { Attributes, Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, Span, TimedEvent } from '@opentelemetry/sdk-trace';
import { DROPPED, MASK } from '../../engine/attribute-redactor';
import type { AttributeRedactor, CleanEntries } from '../../engine/attribute-redactor';
import type { Policy } from '../../policy/policy';
import { sanitizeResource } from '../resource/sanitize-resource';
import { sanitizeScope } from '../resource/sanitize-scope';

/**
 * The pseudo attribute key that decides a span's status message (the key Zipkin and Jaeger use for it).
 * Allow it in the policy to keep status messages; by default they are dropped like any unnamed key.
 */
export const STATUS_MESSAGE_KEY = 'otel.status_description';

/** The writable view of an SDK span that in-place sanitizing needs (fields the SDK keeps public at run time). */
interface WritableSpan {
  name: string;
  attributes: Attributes;
  events: TimedEvent[];
  links: Link[];
  status: SpanStatus;
  resource: Resource;
  instrumentationScope: InstrumentationScope;
  _attributesCount?: number;
}

/** Never true; keeps the sizing assignments in `SpanAttributesObject` from being flagged as dead code. */
const NEVER = Date.now() < 0;

/**
 * Constructor for a span's own attributes object. V8 turns a plain `{}` that receives more than
 * ~17 properties through keyed stores (which is how the SDK's `setAttribute` writes) into a slow
 * dictionary, and enumerating a dictionary sorts its keys every time (~0.7 µs for 23 keys, for this
 * processor and again for the exporter). The assignments below never run; V8 reads them to give
 * the objects room for 32 properties in the object itself, which keeps spans of up to ~40
 * attributes in fast mode. The prototype is `Object.prototype`: the objects are plain objects.
 */
const SpanAttributesObject = function (this: Record<string, unknown>): void {
  if (NEVER) {
    this.a0 = this.a1 = this.a2 = this.a3 = this.a4 = this.a5 = this.a6 = this.a7 = 0;
    this.b0 = this.b1 = this.b2 = this.b3 = this.b4 = this.b5 = this.b6 = this.b7 = 0;
    this.c0 = this.c1 = this.c2 = this.c3 = this.c4 = this.c5 = this.c6 = this.c7 = 0;
    this.d0 = this.d1 = this.d2 = this.d3 = this.d4 = this.d5 = this.d6 = this.d7 = 0;
  }
} as unknown as new () => Attributes;
SpanAttributesObject.prototype = Object.prototype;

/**
 * The rule set that sanitized a span's initial attributes, kept on the span: if a hot reload replaced the
 * rules before the span ended, the end pass trusts nothing from the start pass and decides every value
 * again under the new rules (a span never carries values only the old rules let out).
 */
const START_RULES = Symbol('otel-privacy.startRules');

/** The start pass's clean entries, if the rules that produced them are still the ones in effect. */
function trustedStart(
  span: ReadableSpan,
  rules: AttributeRedactor,
  cleanAtStart: CleanEntries | undefined,
): CleanEntries | undefined {
  return cleanAtStart !== undefined && (span as unknown as Record<symbol, unknown>)[START_RULES] === rules
    ? cleanAtStart
    : undefined;
}

/**
 * Applies a policy to one span: name, attributes, event names and attributes, link attributes, status
 * message, resource and instrumentation scope (name, version, schema URL and attributes; a sanitized copy, the
 * tracer's scope object is shared and never mutated).
 * Used by `PrivacySpanProcessor`; works in place (while the SDK lets the span be written) or on a copy.
 */
export class SpanRedactor {
  constructor(private readonly policy: Policy) {}

  private sanitizerFor(span: ReadableSpan): AttributeRedactor {
    return this.policy.sanitizer('traces', span.instrumentationScope?.name);
  }

  /**
   * At span start: replaces the initial attributes and the resource by sanitized ones, and returns
   * the clean entries it wrote so that the end pass leaves them alone (no double hashing).
   */
  sanitizeAtStart(span: Span): CleanEntries | undefined {
    const w = span as unknown as WritableSpan;
    w.resource = sanitizeResource(this.policy, w.resource);
    w.name = this.policy.redactSpanName(w.name);
    if (typeof w._attributesCount === 'number' && w._attributesCount === 0) {
      w.attributes = new SpanAttributesObject();
      return undefined;
    }
    const rules = this.sanitizerFor(span);
    // The span gets an object of its own with room for many properties (later setAttribute calls
    // write into it); what was written is recorded apart, since those calls may replace values.
    const own = new SpanAttributesObject();
    const clean: CleanEntries = [];
    const count = rules.sanitizeInto(w.attributes, own, undefined, clean);
    (span as unknown as Record<symbol, unknown>)[START_RULES] = rules;
    w.attributes = own;
    // Keep the SDK's attribute-limit bookkeeping right when keys were dropped.
    if (typeof w._attributesCount === 'number') w._attributesCount = count;
    return clean;
  }

  /**
   * At span end, while the span is still writable (`onEnding`): replaces attributes, events, links,
   * status and resource by sanitized ones (the span's own fields; shared objects are not mutated).
   */
  sanitizeInPlace(span: Span, cleanAtStart?: CleanEntries): void {
    const w = span as unknown as WritableSpan;
    const s = this.sanitizerFor(span);
    w.name = this.policy.redactSpanName(w.name);
    // A fresh object with room for many properties (not in-place deletes, which would turn the
    // span's object into a slow dictionary for the exporter).
    const attributes = new SpanAttributesObject();
    const count = s.sanitizeInto(w.attributes, attributes, trustedStart(span, s, cleanAtStart));
    w.attributes = attributes;
    if (typeof w._attributesCount === 'number') w._attributesCount = count;
    for (let i = 0; i < w.events.length; i++) w.events[i] = this.event(s, w.events[i]);
    for (let i = 0; i < w.links.length; i++) w.links[i] = this.link(s, w.links[i]);
    w.status = this.status(s, w.status);
    w.resource = sanitizeResource(this.policy, w.resource);
    // Last: the raw scope name selected the rules above.
    if (w.instrumentationScope !== undefined)
      w.instrumentationScope = sanitizeScope(this.policy, 'traces', w.instrumentationScope);
  }

  /** When the span can no longer be written (`onEnd` without `onEnding`): a sanitized copy. */
  sanitizedCopy(span: ReadableSpan, cleanAtStart?: CleanEntries): ReadableSpan {
    const s = this.sanitizerFor(span);
    const attributes = new SpanAttributesObject();
    s.sanitizeInto(span.attributes, attributes, trustedStart(span, s, cleanAtStart));
    const spanContext: SpanContext = span.spanContext();
    return {
      name: this.policy.redactSpanName(span.name),
      kind: span.kind,
      spanContext: () => spanContext,
      parentSpanContext: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      status: this.status(s, span.status),
      attributes,
      links: span.links.map((l) => this.link(s, l)),
      events: span.events.map((e) => this.event(s, e)),
      duration: span.duration,
      ended: span.ended,
      resource: sanitizeResource(this.policy, span.resource),
      instrumentationScope:
        span.instrumentationScope && sanitizeScope(this.policy, 'traces', span.instrumentationScope),
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  }

  /** Removes everything a span could carry (fail closed, when sanitizing threw part-way). */
  wipe(span: Span): void {
    const w = span as unknown as WritableSpan;
    w.attributes = {};
    w.events.length = 0;
    w.links.length = 0;
    w.status = { code: w.status.code };
  }

  private event(s: AttributeRedactor, e: TimedEvent): TimedEvent {
    const name = this.policy.scanText(e.name) ?? MASK;
    if (e.attributes === undefined && name === e.name) return e;
    return { ...e, name, attributes: e.attributes && s.sanitize(e.attributes) };
  }

  private link(s: AttributeRedactor, l: Link): Link {
    return l.attributes ? { ...l, attributes: s.sanitize(l.attributes) } : l;
  }

  private status(s: AttributeRedactor, status: SpanStatus): SpanStatus {
    if (status.message === undefined) return status;
    const m = s.sanitizeValue(STATUS_MESSAGE_KEY, status.message);
    return m === DROPPED || typeof m !== 'string' ? { code: status.code } : { code: status.code, message: m };
  }
}
