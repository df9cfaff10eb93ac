import { trace } from '@opentelemetry/api';
import type { AnyValue, Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { AttributeRules } from '../../engine/attribute-rules';
import type { ConsentGate } from '../../engine/consent/consent-gate';
import { MAX_SUBJECT_VALUES, SubjectMask } from '../../engine/consent/subject-mask';
import type { TraceDecisions } from '../../engine/consent/trace-decisions';
import { replaceLogRecordAttributes, replaceLogRecordMetadata } from '../sdk-internals/log-record-internals';

/** What `consent.action: minimize` does to one log record, decided before the record is sanitized. */
export interface LogMinimization {
  readonly gate: ConsentGate;
  readonly rules: AttributeRules;
  /** The mask of the subject's identifier values (undefined when none was found). */
  readonly mask: SubjectMask | undefined;
}

/**
 * The minimization of a raw record (before sanitizing): the subject's identifier values from its trace, attributes,
 * body map and emit context (and `outer`, the active context of a record given a context without a span: see
 * `enclosingContext`), shared with the trace's later items. `'drop'` when the record cannot be minimized with
 * certainty (a value nested deeper than the engine keeps, or more identifier values than a mask covers).
 */
export function logMinimization(
  record: ReadWriteLogRecord,
  context: Context | undefined,
  gate: ConsentGate,
  rules: AttributeRules,
  traces: TraceDecisions,
  outer?: Context,
): LogMinimization | 'drop' {
  const traceId = record.spanContext?.traceId;
  const values = new Set(traces.values(traceId));
  let complete =
    gate.identifierValues(rules, record.attributes, values) &&
    gate.bodyIdentifierValues(rules, record.body, values) &&
    gate.contextValues(context, values);
  if (outer !== undefined) {
    for (const v of traces.values(trace.getSpanContext(outer)?.traceId)) values.add(v);
    complete = gate.contextValues(outer, values) && complete;
  }
  if (traceId !== undefined) traces.optOut(traceId, values);
  // not minimized with certainty: dropped whole (fail closed)
  if (!complete || values.size > MAX_SUBJECT_VALUES) return 'drop';
  return { gate, rules, mask: SubjectMask.of(values) };
}

/**
 * `consent.action: minimize` on a sanitized record: identifying attributes and body entries removed (in maps too),
 * and the subject's identifier values masked in every text field of the record (`SUBJECT_FIELDS`: attributes with
 * their keys, body, event name, severity text).
 */
export function minimizeLogRecord(record: ReadWriteLogRecord, m: LogMinimization): void {
  let attributes = m.gate.minimize(m.rules, record.attributes);
  let body = m.gate.minimizeBody(m.rules, record.body);
  const mask = m.mask;
  if (mask !== undefined) {
    attributes = mask.attributes(attributes);
    body = mask.value(body);
    const eventName = record.eventName === undefined ? undefined : mask.text(record.eventName);
    const severityText = record.severityText === undefined ? undefined : mask.text(record.severityText);
    replaceLogRecordMetadata(record, eventName, severityText, record.instrumentationScope);
  }
  if (attributes !== record.attributes) replaceLogRecordAttributes(record, attributes, Object.keys(attributes).length);
  if (body !== record.body) record.body = body as AnyValue;
}
