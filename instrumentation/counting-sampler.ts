import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';

/**
 * A head `Sampler` that delegates to another and counts the spans it decided not to sample, so sampling drops can be
 * reported as the self-metric `otel_privacy.items.dropped{signal="traces",reason="sampled_out"}`. The decision, its
 * attributes and its trace state are the wrapped sampler's, untouched.
 */
export class CountingSampler implements Sampler {
  /** Spans not sampled (`NOT_RECORD` or `RECORD` without the sampled flag) since start. */
  sampledOut = 0;

  /** @param sampler the sampler that decides */
  constructor(readonly sampler: Sampler) {}

  /** Delegates to the wrapped sampler and counts a negative decision. */
  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this.sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision !== SamplingDecision.RECORD_AND_SAMPLED) this.sampledOut++;
    return result;
  }

  /** The wrapped sampler's description. */
  toString(): string {
    return this.sampler.toString();
  }
}
