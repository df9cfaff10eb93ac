import { privacyDiag } from '../../engine/diagnostic-text';
import { trace } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import type { ConsentGate } from '../../engine/consent/consent-gate';
import { consentTraces } from '../../engine/consent/trace-decisions';
import { traceGroups } from '../../engine/trace-groups';
import { CONSENT_SUPPRESSED_ATTRIBUTE } from '../../engine/vocabulary';
import type { IAttributesProcessor, InstrumentType, ViewOptions } from '@opentelemetry/sdk-metrics';
import type { Policy } from '../../policy/policy';
import { INSTRUMENT_TYPES } from './instrument-types';
import { viewSanitizedClass } from './metric-point-attributes';
import { minimizeMetricAttributes } from './consent-minimize-metric';

/** Policies already warned about (scope blocks cannot apply before aggregation). */
const warnedScopes = new WeakSet<Policy>();

/**
 * True when a measurement's attributes, its context (`withConsentSubject`, baggage) or the trace it was recorded in
 * name an opted-out subject.
 */
function measurementOptedOut(policy: Policy, gate: ConsentGate, attributes: Attributes, context?: Context): boolean {
  if (gate.attributesOptedOut(attributes)) return true;
  if (context === undefined) return false;
  return gate.contextOptedOut(context) || consentTraces(policy).optedOut(trace.getSpanContext(context)?.traceId);
}

/**
 * An `IAttributesProcessor` that applies the policy's metrics rules (the top-level `attributes` merged with
 * `metrics.attributes`) to the attributes of every measurement, before aggregation: dropped keys never
 * become series, hashed values aggregate under their pseudonym, kept strings go through the value scanner.
 * Use it in your own `ViewOptions.attributesProcessors` (last, so it sees the final attributes); `privacyViews`
 * builds on it.
 *
 * Consent (`consent`): a measurement whose attributes, context or trace name an opted-out subject is recorded under
 * the single attribute `otel_privacy.consent.suppressed: true` (`drop`, counted; `PrivacyMetricExporter` never
 * exports that series, so the measurement is in no exported series) or without its identifying keys (`minimize`).
 *
 * `scopes` blocks are not applied: the SDK hands an attributes processor the measurement's attributes and
 * context but not its meter (`PrivacyMetricExporter` applies them at export). Fail closed: if sanitizing
 * throws, the measurement is recorded without any attribute (totals stay right) and
 * `policy.counters.dropped.metrics.failed` is incremented. The rules are looked up from the policy per
 * measurement, so a hot reload (`Policy.replaceWith`) applies from the next one. Its outputs carry a
 * mark (on their prototype) so that `PrivacyMetricExporter` does not hash a pseudonym a second time.
 */
export function privacyAttributesProcessor(policy: Policy): IAttributesProcessor {
  if (!policy)
    throw new TypeError('privacyAttributesProcessor: a policy is required (loadPolicy/definePolicy/defaultPolicy)');
  // The marked class of the generation seen last; a new one when a hot reload changes the generation.
  let generation = 0;
  let Marked: new () => Attributes = Object as unknown as new () => Attributes;
  const groupsOfTraces = traceGroups(policy);
  return {
    process(incoming: Attributes, context?: Context): Attributes {
      try {
        // Looked up per measurement (a field read): a hot reload applies to the next measurement.
        const compiled = policy.compiled;
        if (compiled.generation !== generation) {
          generation = compiled.generation;
          Marked = viewSanitizedClass(generation);
        }
        const gate = compiled.consent;
        const optedOut = gate !== undefined && measurementOptedOut(policy, gate, incoming, context);
        if (optedOut && gate.action === 'drop') {
          policy.counters.consentSuppressed.metrics++;
          const marker = new Marked();
          marker[CONSENT_SUPPRESSED_ATTRIBUTE] = true;
          return marker;
        }
        // Written straight into the marked object: one allocation per measurement, no copy.
        const out = new Marked();
        // `userGroups`: the strictest of the measurement's group, the group of the span it was recorded in (as that
        // span is now) and the group of its trace
        const groups = compiled.userGroups;
        const rules = (
          groups === undefined
            ? compiled
            : groups.policy(
                groupsOfTraces.decideItem(
                  groups,
                  incoming,
                  policy.counters.userGroupUnknown,
                  'metrics',
                  context,
                  context === undefined ? undefined : trace.getSpanContext(context)?.traceId,
                ),
              )
        ).sanitizer('metrics');
        rules.sanitizeInto(incoming, out);
        if (optedOut && !minimizeMetricAttributes(policy, gate, rules.rules, incoming, out, context)) {
          // not minimized with certainty (a value nested deeper than the engine keeps, or more identifier values than a mask covers): recorded as dropped (fail closed)
          policy.counters.consentSuppressed.metrics++;
          const marker = new Marked();
          marker[CONSENT_SUPPRESSED_ATTRIBUTE] = true;
          return marker;
        }
        return out;
      } catch (err) {
        policy.counters.recordFailure('metrics', 'a measurement lost its attributes', err);
        return {};
      }
    },
  };
}

/**
 * Views for `new MeterProvider({ views: privacyViews(policy) })` that apply the policy to measurement
 * attributes **before aggregation**, which cuts cardinality and also protects pull readers
 * (Prometheus). One view per instrument type (so no instrument matches two views, which would make the SDK
 * export duplicate streams), each with `privacyAttributesProcessor(policy)` and, when the policy sets
 * `metrics.cardinalityLimit`, the limit for that type (`default` for types not named).
 *
 * Things the SDK does with views that matter here:
 * - A view's aggregation is used instead of the reader's `selectAggregation` (the default aggregation per
 *   instrument type: explicit-bucket histograms, not exponential ones). Pass `aggregation` per instrument
 *   type in `overrides` to choose.
 * - Any other view that matches the same instrument creates a second stream without the policy: add
 *   `privacyAttributesProcessor(policy)` to your own views instead of combining them with these.
 * - `scopes` blocks of the policy are not applied here (the attributes processor does not know the meter);
 *   a warning is logged once per policy that has them.
 * - Observable instruments: if two observations of one callback end up with the same attributes after
 *   redaction, the SDK keeps the last one (it does not add them); synchronous instruments aggregate them.
 */
export function privacyViews(
  policy: Policy,
  overrides: Partial<Record<InstrumentType, Omit<ViewOptions, 'instrumentType' | 'attributesProcessors'>>> = {},
): ViewOptions[] {
  if (!policy) throw new TypeError('privacyViews: a policy is required (loadPolicy/definePolicy/defaultPolicy)');
  if (policy.compiled.scopePatterns.length > 0 && !warnedScopes.has(policy)) {
    warnedScopes.add(policy);
    privacyDiag.warn(
      "otel-privacy: privacyViews applies the metrics rules without the policy's `scopes` blocks: an attributes processor does not know the meter, so per-scope metric rules are not applied",
    );
  }
  const processor = privacyAttributesProcessor(policy);
  // Fixed here: the SDK reads a view's cardinality limit once, when the MeterProvider is built.
  const limit = policy.compiled.metrics.cardinalityLimits;
  return Object.entries(INSTRUMENT_TYPES).map(([name, { sdk: instrumentType }]) => {
    const cardinality = limit?.[name as keyof typeof limit] ?? limit?.default;
    return {
      ...(cardinality !== undefined ? { aggregationCardinalityLimit: cardinality } : {}),
      ...overrides[instrumentType],
      instrumentType,
      attributesProcessors: [processor],
    };
  });
}
