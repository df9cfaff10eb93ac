import type { Sampler } from '@opentelemetry/sdk-trace';
import type { Policy } from '../../policy/policy';
import { ConsistentProbabilitySampler } from './consistent-probability-sampler';

/**
 * The head `Sampler` built from the policy's `traces.sampling` block: OpenTelemetry
 * consistent probability sampling (`ot=th:…` in the tracestate, so Collector samplers downstream stay
 * consistent), parent-based unless `parentBased: false`, with the policy's rules (first match wins).
 * `maxPerSecond` and `keepErrors` are applied by `PrivacySpanProcessor`, which sees span ends.
 */
export function privacySampler(policy: Policy): Sampler {
  return new ConsistentProbabilitySampler(policy.document.traces?.sampling ?? {});
}
