import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ConsentGate } from '../engine/consent/consent-gate';
import { SubjectMask } from '../engine/consent/subject-mask';
import { consentTraces } from '../engine/consent/trace-decisions';
import type { TraceDecisions } from '../engine/consent/trace-decisions';
import type { Policy } from '../policy/policy';
import { spanIdentifierValues } from '../processors/traces/consent-minimize';
import type { SpanMinimization } from '../processors/traces/consent-minimize';
import { fromAnyValue, fromKeyValues } from './otlp-any-value';
import type { OtlpAnyValue, OtlpKeyValue } from './otlp-any-value';

type Json = Record<string, unknown>;

const asList = (v: unknown): Json[] =>
  Array.isArray(v) ? (v as Json[]).filter((e) => typeof e === 'object' && e) : [];
/** Attributes for the first pass; a malformed list reads as none there (the second pass refuses it, naming where). */
const attributesOf = (o: Json, where: string): Attributes => {
  try {
    return fromKeyValues(o.attributes as OtlpKeyValue[] | undefined, where) as Attributes;
  } catch {
    return {};
  }
};
const bodyOf = (o: Json): unknown => {
  try {
    return o.body === undefined ? undefined : fromAnyValue(o.body as OtlpAnyValue, 'body');
  } catch {
    return undefined;
  }
};
const traceIdOf = (o: Json): string | undefined =>
  typeof o.traceId === 'string' && o.traceId !== '' ? o.traceId : undefined;

/**
 * The `consent` section for `otel-privacy scan`: the same decisions the processors make, on OTLP/JSON. A file is read
 * after the fact, so each export request is read twice: first every span (its attributes, event and link attributes)
 * and log record (attributes, body map) that names an opted-out subject marks its trace, then every span and log
 * record of a marked trace, and every metric point or exemplar naming an opted-out subject (or recorded in a marked
 * trace), is dropped (`drop`) or minimized (`minimize`: identifying keys removed, identifier values masked in the
 * text), as `PrivacySpanProcessor`, `PrivacyLogRecordProcessor` and `PrivacyMetricExporter` do.
 */
export class OtlpJsonConsent {
  private readonly traces: TraceDecisions;

  constructor(
    private readonly policy: Policy,
    private readonly gate: ConsentGate,
  ) {
    this.traces = consentTraces(policy);
  }

  /** The first pass over one request: marks the traces whose spans or log records name an opted-out subject. */
  markTraces(request: Json): void {
    const gate = this.gate;
    for (const r of asList(request.resourceSpans))
      for (const ss of asList(r.scopeSpans)) {
        const rules = this.policy.sanitizer('traces', (ss.scope as Json | undefined)?.name as string).rules;
        for (const span of asList(ss.spans)) {
          const traceId = traceIdOf(span);
          const view = {
            attributes: attributesOf(span, 'span'),
            events: asList(span.events).map((e) => ({ attributes: attributesOf(e, 'event') })),
            links: asList(span.links).map((l) => ({ attributes: attributesOf(l, 'link') })),
          };
          if (traceId === undefined || !gate.spanOptedOut(view)) continue;
          const values = new Set<string>();
          if (gate.action === 'minimize')
            for (const v of spanIdentifierValues(view as unknown as ReadableSpan, gate, rules, []) ?? []) values.add(v);
          this.traces.optOut(traceId, values);
        }
      }
    // metric points naming a subject by a subject key: their values are known before any point is decided
    for (const r of asList(request.resourceMetrics))
      for (const sm of asList(r.scopeMetrics))
        for (const m of asList(sm.metrics))
          for (const kind of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'])
            for (const point of asList((m[kind] as Json | undefined)?.dataPoints))
              gate.attributesOptedOut(attributesOf(point, 'dataPoint'));
    for (const r of asList(request.resourceLogs))
      for (const sl of asList(r.scopeLogs)) {
        const rules = this.policy.sanitizer('logs', (sl.scope as Json | undefined)?.name as string).rules;
        for (const lr of asList(sl.logRecords)) {
          const traceId = traceIdOf(lr);
          if (traceId === undefined) continue;
          const attributes = attributesOf(lr, 'logRecord');
          const body = bodyOf(lr);
          if (!gate.recordOptedOut(attributes, body)) continue;
          const values = new Set<string>();
          if (gate.action === 'minimize') {
            gate.identifierValues(rules, attributes, values);
            gate.bodyIdentifierValues(rules, body, values);
          }
          this.traces.optOut(traceId, values);
        }
      }
  }

  /** The decision for one span (as the SDK would see it, raw): not opted out, `drop`, or how to minimize it. */
  span(input: ReadableSpan): 'drop' | SpanMinimization | undefined {
    const gate = this.gate;
    const traceId = input.spanContext().traceId;
    if (!this.traces.optedOut(traceId) && !gate.spanOptedOut(input)) return undefined;
    if (gate.action === 'drop') return 'drop';
    const rules = this.policy.sanitizer('traces', input.instrumentationScope?.name).rules;
    const values = spanIdentifierValues(input, gate, rules, this.traces.values(traceId));
    // not minimized with certainty (a value nested deeper than the engine keeps, or more identifier values than a mask covers): dropped whole rather than minimized (fail closed)
    if (values === undefined) return 'drop';
    return { gate, rules, mask: SubjectMask.of(values) };
  }

  /**
   * For a span whose own trace is not opted out: its OTLP/JSON links, without those into an opted-out trace (`drop`;
   * `removed` counts them) or with those kept and `minimize` applied to their attributes, marked in `minimize` (the
   * decision for each kept link, by index into the returned list, with the linked trace's identifier values).
   */
  links(
    links: Json[],
    rules: SpanMinimization['rules'],
  ): { links: Json[]; removed: number; minimize: Map<number, SpanMinimization> } {
    let removed = 0;
    const kept: Json[] = [];
    const minimize = new Map<number, SpanMinimization>();
    for (const l of links) {
      const traceId = traceIdOf(l);
      if (!this.traces.optedOut(traceId)) kept.push(l);
      else if (this.gate.action === 'drop') removed++;
      else {
        minimize.set(kept.length, { gate: this.gate, rules, mask: SubjectMask.of(this.traces.values(traceId)) });
        kept.push(l);
      }
    }
    return { links: removed === 0 ? links : kept, removed, minimize };
  }

  /**
   * The decision for a metric point or exemplar with raw attributes `attributes` (and the trace it names, if any):
   * also when its text holds an identifier value found to be an opted-out subject's (`knownSubject`).
   */
  point(attributes: Attributes, traceId?: string): 'drop' | 'minimize' | undefined {
    if (
      !this.gate.attributesOptedOut(attributes) &&
      !this.traces.optedOut(traceId) &&
      this.knownSubject(attributes) === undefined
    )
      return undefined;
    return this.gate.action;
  }

  /** The mask of the opted-out subjects' values found so far (`ConsentGate.seen`) that `attributes` hold, if any. */
  knownSubject(attributes: Attributes): SubjectMask | undefined {
    return this.gate.seen.match(attributes, 0);
  }
}
