import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import type { TraceSamplingSettings } from '../../policy/compiled-policy';
import type { Policy } from '../../policy/policy';
import { ConsistentProbabilitySampler } from './consistent-probability-sampler';

/**
 * The policy's sampler: a `ConsistentProbabilitySampler` compiled from the `traces.sampling` of the compiled
 * policy in effect, compiled again (once) when a hot reload brings other settings.
 */
class PolicySampler implements Sampler {
  private settings: TraceSamplingSettings;
  private sampler: ConsistentProbabilitySampler;

  constructor(private readonly policy: Policy) {
    this.settings = policy.compiled.traces.sampling;
    this.sampler = new ConsistentProbabilitySampler(this.settings);
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    return this.current().shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return this.current().toString();
  }

  private current(): ConsistentProbabilitySampler {
    const settings = this.policy.compiled.traces.sampling;
    if (settings !== this.settings) {
      this.sampler = new ConsistentProbabilitySampler(settings);
      this.settings = settings;
    }
    return this.sampler;
  }
}

/**
 * The head `Sampler` built from the policy's `traces.sampling` block: OpenTelemetry
 * consistent probability sampling (`ot=th:…` in the tracestate, so Collector samplers downstream stay
 * consistent), parent-based unless `parentBased: false`, with the policy's rules (first match wins).
 * It follows a hot reload (`Policy.replaceWith`) from the next span. `maxPerSecond` and `keepErrors` are
 * applied by `PrivacySpanProcessor`, which sees span ends.
 */
export function privacySampler(policy: Policy): Sampler {
  return new PolicySampler(policy);
}
