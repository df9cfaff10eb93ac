import { TwoGenerationCache } from '../two-generation-cache';

/** Opted-out traces remembered per generation (at most twice this many are held). */
const TRACES_PER_GENERATION = 16_384;

/**
 * The traces of this process whose subject opted out, by trace id: the decision made at the first span that
 * carried the subject applies to every span and log record of the trace that ends here afterwards. Held in this
 * process only (never written to the trace state, baggage or sampled flag, so nothing downstream learns it) and
 * bounded: at most 2 × 16 384 trace ids (about 2.5 MB), the least recently used forgotten first.
 */
export class TraceDecisions {
  private readonly traces = new TwoGenerationCache<true>(TRACES_PER_GENERATION);

  /** Records that the trace `traceId` belongs to an opted-out subject. */
  optOut(traceId: string): void {
    this.traces.set(traceId, true);
  }

  /** True when a span of `traceId` carried an opted-out subject. */
  optedOut(traceId: string | undefined): boolean {
    return traceId !== undefined && this.traces.get(traceId) === true;
  }
}

/** Per policy (kept across its hot reloads): the opted-out traces of this process. */
const byPolicy = new WeakMap<object, TraceDecisions>();

/** The opted-out traces recorded under `policy` (one set per `Policy`, shared by its processors). */
export function consentTraces(policy: object): TraceDecisions {
  let t = byPolicy.get(policy);
  if (t === undefined) byPolicy.set(policy, (t = new TraceDecisions()));
  return t;
}
