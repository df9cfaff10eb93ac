import type { Attributes, Context } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { AttributeRules } from '../../engine/attribute-rules';
import type { ConsentGate } from '../../engine/consent/consent-gate';
import { MAX_SUBJECT_VALUES, SubjectMask } from '../../engine/consent/subject-mask';
import { consentTraces } from '../../engine/consent/trace-decisions';
import type { Policy } from '../../policy/policy';

/**
 * `consent.action: minimize` on a measurement's or data point's sanitized attributes `clean`, in place: the keys
 * `minimize` removes are deleted (also inside map values and the maps of arrays, as the engine decides them), and the
 * subject's identifier values (from the raw attributes `raw`, the context and the trace it was recorded in, and those
 * of `extra`) are masked in the keys and strings left. False, with `clean` left as it is, when the measurement cannot
 * be minimized with certainty (a value nested deeper than the engine keeps, or more identifier values than a mask
 * covers: see `ConsentGate.identifierValues`): the caller drops it (fail closed).
 */
export function minimizeMetricAttributes(
  policy: Policy,
  gate: ConsentGate,
  rules: AttributeRules,
  raw: Attributes,
  clean: Attributes,
  context?: Context,
  extra?: SubjectMask,
): boolean {
  const values = new Set<string>();
  let complete = gate.identifierValues(rules, raw, values);
  if (context !== undefined) {
    complete = gate.contextValues(context, values) && complete;
    for (const v of consentTraces(policy).values(trace.getSpanContext(context)?.traceId)) values.add(v);
  }
  if (!complete || values.size > MAX_SUBJECT_VALUES) return false;
  const minimized = gate.minimize(rules, clean);
  if (minimized !== clean)
    for (const key of Object.keys(clean)) {
      if (!Object.prototype.hasOwnProperty.call(minimized, key)) delete clean[key];
      else clean[key] = minimized[key];
    }
  for (const mask of [SubjectMask.of(values), extra]) {
    if (mask === undefined) continue;
    for (const key of Object.keys(clean)) {
      const k = mask.text(key);
      const v = mask.value(clean[key]);
      if (k !== key) delete clean[key];
      if (k !== key || v !== clean[key]) clean[k] = v as Attributes[string];
    }
  }
  return true;
}
