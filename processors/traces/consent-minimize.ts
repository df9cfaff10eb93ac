import type { Link } from '@opentelemetry/api';
import type { ReadableSpan, Span, TimedEvent } from '@opentelemetry/sdk-trace';
import type { AttributeRules } from '../../engine/attribute-rules';
import type { ConsentGate } from '../../engine/consent/consent-gate';
import { replaceSpanAttributes, writableSpan } from '../sdk-internals/span-internals';

function event(gate: ConsentGate, rules: AttributeRules, e: TimedEvent): TimedEvent {
  if (e.attributes === undefined) return e;
  const attributes = gate.minimize(rules, e.attributes);
  return attributes === e.attributes ? e : { ...e, attributes };
}

function link(gate: ConsentGate, rules: AttributeRules, l: Link): Link {
  if (l.attributes === undefined) return l;
  const attributes = gate.minimize(rules, l.attributes);
  return attributes === l.attributes ? l : { ...l, attributes };
}

/** `consent.action: minimize` on a sanitized, still writable span: identifying attributes removed everywhere. */
export function minimizeSpanInPlace(span: Span, gate: ConsentGate, rules: AttributeRules): void {
  const w = writableSpan(span);
  const attributes = gate.minimize(rules, w.attributes);
  if (attributes !== w.attributes) replaceSpanAttributes(span, attributes, Object.keys(attributes).length);
  for (let i = 0; i < w.events.length; i++) w.events[i] = event(gate, rules, w.events[i]);
  for (let i = 0; i < w.links.length; i++) w.links[i] = link(gate, rules, w.links[i]);
}

/** `minimizeSpanInPlace` for a sanitized copy (the `onEnd` path). */
export function minimizedSpanCopy(span: ReadableSpan, gate: ConsentGate, rules: AttributeRules): ReadableSpan {
  const attributes = gate.minimize(rules, span.attributes);
  const events = span.events.map((e) => event(gate, rules, e));
  const links = span.links.map((l) => link(gate, rules, l));
  return { ...span, spanContext: span.spanContext, attributes, events, links } as ReadableSpan;
}
