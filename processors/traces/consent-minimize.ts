import { trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, SpanContext, TraceState } from '@opentelemetry/api';
import type { ReadableSpan, Span, TimedEvent } from '@opentelemetry/sdk-trace';
import type { AttributeRules } from '../../engine/attribute-rules';
import type { ConsentGate } from '../../engine/consent/consent-gate';
import { enclosingContext } from '../../engine/consent/consent-context';
import { SubjectMask } from '../../engine/consent/subject-mask';
import type { CompiledPolicy } from '../../policy/compiled-policy';
import type { TraceDecisions } from '../../engine/consent/trace-decisions';
import { withTraceState } from '../../engine/trace-state';
import { replaceSpanAttributes, replaceSpanContext, writableSpan } from '../sdk-internals/span-internals';

/** What `consent.action: minimize` needs at a span's end: the gate, the rules, and the subject's identifier values. */
export interface SpanMinimization {
  readonly gate: ConsentGate;
  readonly rules: AttributeRules;
  /** The mask of the subject's identifier values (undefined when none was found). */
  readonly mask: SubjectMask | undefined;
}

/** What a span started with, kept (by reference, no copy) until its end when the policy minimizes. */
interface StartKept {
  readonly name: string;
  readonly attributes: Attributes;
  readonly context: Context;
}

const START: unique symbol = Symbol('otel-privacy.consent-start');
type WithStart = { [START]?: StartKept };

/**
 * With `consent.action: minimize`: keeps a reference to the span's raw initial attributes (the start pass replaces
 * them by a sanitized object and leaves this one alone) and its parent context, so that identifier values hashed at
 * start can still be masked in text written later.
 */
export function rememberConsentStart(span: Span, context: Context): void {
  (span as unknown as WithStart)[START] = { name: span.name, attributes: span.attributes, context };
}

/**
 * The consent decision at a span's start (raw initial attributes, parent context): an opted-out subject opts the
 * trace out (with its identifier values, for `minimize`); with `minimize` the start is remembered, and when the
 * subject is known now the raw name and attributes are masked before the start pass sanitizes them.
 */
export function consentAtStart(
  span: Span,
  context: Context,
  gate: ConsentGate,
  compiled: CompiledPolicy,
  traces: TraceDecisions,
): void {
  const traceId = span.spanContext().traceId;
  const outer = enclosingContext(context);
  const outerTrace = outer === undefined ? undefined : trace.getSpanContext(outer)?.traceId;
  const optedOut =
    gate.contextOptedOut(context) ||
    gate.attributesOptedOut(span.attributes) ||
    (outer !== undefined && (traces.optedOut(outerTrace) || gate.contextOptedOut(outer)));
  if (gate.action !== 'minimize') {
    if (optedOut) traces.optOut(traceId);
    return;
  }
  rememberConsentStart(span, context);
  if (!optedOut && !traces.optedOut(traceId)) return;
  const rules = compiled.sanitizer('traces', span.instrumentationScope?.name).rules;
  const values = new Set(traces.values(traceId));
  gate.identifierValues(rules, span.attributes, values);
  gate.contextValues(context, values);
  if (outer !== undefined) {
    for (const v of traces.values(outerTrace)) values.add(v);
    gate.contextValues(outer, values);
  }
  traces.optOut(traceId, values);
  premaskSpanInPlace(span, { gate, rules, mask: SubjectMask.of(values) });
}

/**
 * The subject's identifier values for a span about to be minimized (raw: before the end pass sanitizes it): those
 * recorded for its trace, its start attributes and context, its raw start attributes as the span processor's start
 * pass kept them (`rawStart`: the only raw record of them when the policy in effect at start did not minimize), its
 * current attributes, event and link attributes. `undefined` when the span cannot be minimized with certainty (a value
 * nested deeper than the engine keeps, or more identifier values than a mask covers: see
 * `ConsentGate.identifierValues`), and is dropped instead.
 */
export function spanIdentifierValues(
  span: ReadableSpan,
  gate: ConsentGate,
  rules: AttributeRules,
  traceValues: readonly string[],
  rawStart?: Attributes,
): Set<string> | undefined {
  const out = new Set(traceValues);
  let complete = true;
  const start = (span as unknown as WithStart)[START];
  if (start !== undefined) {
    complete = gate.identifierValues(rules, start.attributes, out);
    complete = gate.contextValues(start.context, out) && complete;
  }
  if (rawStart !== undefined && rawStart !== start?.attributes)
    complete = gate.identifierValues(rules, rawStart, out) && complete;
  complete = gate.identifierValues(rules, span.attributes, out) && complete;
  for (const e of span.events) complete = gate.identifierValues(rules, e.attributes, out) && complete;
  for (const l of span.links) complete = gate.identifierValues(rules, l.attributes, out) && complete;
  return complete ? out : undefined;
}

/** A trace state without the members whose key or value holds the subject's identifier. */
function traceState(mask: SubjectMask, ts: TraceState | undefined): TraceState | undefined {
  if (ts === undefined) return ts;
  let out = ts;
  for (const member of ts.serialize().split(',')) {
    const eq = member.indexOf('=');
    if (eq === -1) continue;
    const key = member.slice(0, eq).trim();
    const value = member.slice(eq + 1);
    if (mask.text(key) !== key || mask.text(value) !== value) out = out.unset(key);
  }
  return out;
}

function spanContext(mask: SubjectMask | undefined, sc: SpanContext): SpanContext {
  if (mask === undefined || sc.traceState === undefined) return sc;
  const ts = traceState(mask, sc.traceState);
  return ts === sc.traceState ? sc : withTraceState(sc, ts);
}

function attributes(m: SpanMinimization, a: Attributes): Attributes {
  const minimized = m.gate.minimize(m.rules, a);
  return m.mask === undefined ? minimized : m.mask.attributes(minimized);
}

function event(m: SpanMinimization, e: TimedEvent): TimedEvent {
  const attrs = e.attributes && attributes(m, e.attributes);
  const name = m.mask === undefined ? e.name : m.mask.text(e.name);
  return attrs === e.attributes && name === e.name ? e : { ...e, name, attributes: attrs };
}

/** A link with the minimization applied: identifying attributes removed, the subject masked (also in its trace state). */
export function minimizedLink(m: SpanMinimization, l: Link): Link {
  return link(m, l);
}

function link(m: SpanMinimization, l: Link): Link {
  const attrs = l.attributes && attributes(m, l.attributes);
  const context = spanContext(m.mask, l.context);
  return attrs === l.attributes && context === l.context ? l : { ...l, context, attributes: attrs };
}

function statusMessage(m: SpanMinimization, message: string | undefined): string | undefined {
  return message === undefined || m.mask === undefined ? message : m.mask.text(message);
}

/** Masks the subject in the text of a writable span (no attribute removed): name, attributes, events, links, status. */
function maskInPlace(span: Span, m: SpanMinimization): void {
  const w = writableSpan(span);
  const attrs = attributes(m, w.attributes);
  if (attrs !== w.attributes) replaceSpanAttributes(span, attrs, Object.keys(attrs).length);
  for (let i = 0; i < w.events.length; i++) w.events[i] = event(m, w.events[i]);
  for (let i = 0; i < w.links.length; i++) w.links[i] = link(m, w.links[i]);
  if (m.mask === undefined) return;
  w.name = m.mask.text(w.name);
  const message = statusMessage(m, w.status.message);
  if (message !== w.status.message) w.status = { ...w.status, message };
  const sc = span.spanContext();
  const masked = spanContext(m.mask, sc);
  // An SDK that keeps the span context elsewhere would export the subject in the trace state: fail closed instead.
  if (masked !== sc && !replaceSpanContext(span, masked))
    throw new Error("cannot replace the span context's trace state");
}

/**
 * Before the span is sanitized (at its start when the subject is known then, and at its end): the subject masked in
 * its raw text, so that no sanitizer can cut an identifier apart first (a URL rule turning `/u/Jane Doe 4711` into
 * `/u/Jane Doe {id}` would leave a part no mask finds afterwards). Identifying attributes are removed too.
 */
export function premaskSpanInPlace(span: Span, m: SpanMinimization, compiled?: CompiledPolicy): void {
  if (compiled !== undefined) writableSpan(span).name = rawName(span, span.name, compiled);
  maskInPlace(span, m);
}

/** `premaskSpanInPlace` for a span that can no longer be written: a masked copy to sanitize (the `onEnd` path). */
export function premaskedSpanCopy(span: ReadableSpan, m: SpanMinimization, compiled: CompiledPolicy): ReadableSpan {
  const copy = minimizedSpanCopy(span, m);
  const name = rawName(span, span.name, compiled);
  return name === span.name ? copy : { ...copy, name: m.mask === undefined ? name : m.mask.text(name) };
}

/**
 * The span's name as the application wrote it at start, when the start pass sanitized it and nothing renamed the
 * span since (a sanitizer may have cut the identifier apart there: masked from the raw name instead); else `name`.
 */
function rawName(span: ReadableSpan, name: string, compiled: CompiledPolicy): string {
  const start = (span as unknown as WithStart)[START];
  if (start === undefined || start.name === name) return name;
  return compiled.redactSpanName(start.name, start.attributes) === name ? start.name : name;
}

/**
 * `consent.action: minimize` on a sanitized, still writable span: identifying attributes removed everywhere, and the
 * subject's identifier values masked in every text field of the span (`SUBJECT_FIELDS`: name, attributes, event
 * names and attributes, link attributes and trace states, status message, its trace state).
 */
export function minimizeSpanInPlace(span: Span, m: SpanMinimization): void {
  maskInPlace(span, m);
}

/** `minimizeSpanInPlace` for a sanitized copy (the `onEnd` path). */
export function minimizedSpanCopy(span: ReadableSpan, m: SpanMinimization): ReadableSpan {
  const sc = spanContext(m.mask, span.spanContext());
  const message = statusMessage(m, span.status.message);
  return spanCopy(span, {
    name: m.mask === undefined ? span.name : m.mask.text(span.name),
    spanContext: () => sc,
    status: message === span.status.message ? span.status : { ...span.status, message },
    attributes: attributes(m, span.attributes),
    links: span.links.map((l) => link(m, l)),
    events: span.events.map((e) => event(m, e)),
  });
}

/** The fields of a `ReadableSpan` as a plain object, with `changes` in place of the span's own. */
export function spanCopy(span: ReadableSpan, changes: Partial<ReadableSpan>): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    ...changes,
  } as ReadableSpan;
}

/**
 * The links of a span whose own trace is not opted out, as consent allows them: a link into a trace marked as an
 * opted-out subject's names that subject's trace and span ids (and its link attributes may name the subject). With
 * `drop` the link is removed; with `minimize` (the subject's spans are exported minimized, ids included) its
 * attributes lose the identifying keys and the linked trace's identifier values are masked in them and in its trace
 * state. `removed` counts the removed links; `links` is the same array when nothing changes.
 */
export function consentLinks(
  links: readonly Link[],
  gate: ConsentGate,
  rules: AttributeRules,
  traces: TraceDecisions,
): { links: readonly Link[]; removed: number } {
  let out: Link[] | undefined;
  let removed = 0;
  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    const traceId = l.context?.traceId;
    if (!traces.optedOut(traceId)) {
      out?.push(l);
      continue;
    }
    out ??= links.slice(0, i);
    if (gate.action === 'drop') removed++;
    else out.push(link({ gate, rules, mask: SubjectMask.of(traces.values(traceId)) }, l));
  }
  return { links: out ?? links, removed };
}

/** `span` with other links, everything else as it is (for a span that can no longer be written). */
export function spanCopyWithLinks(span: ReadableSpan, links: readonly Link[]): ReadableSpan {
  return spanCopy(span, { links: links as Link[] });
}
