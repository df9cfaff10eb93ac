import { TwoGenerationCache } from '../two-generation-cache';
import { MAX_SUBJECT_VALUES } from './subject-mask';

/** Opted-out traces remembered per generation (at most twice this many are held). */
const TRACES_PER_GENERATION = 16_384;

const NONE: readonly string[] = Object.freeze([]);

/**
 * The traces of this process whose subject opted out, by trace id: the decision made at the first span that
 * carried the subject applies to every span and log record of the trace that ends here afterwards. Held in this
 * process only (never written to the trace state, baggage or sampled flag, so nothing downstream learns it) and
 * bounded: at most 2 × 16 384 trace ids, the least recently used forgotten first. With `consent.action: minimize`
 * each holds the subject's identifier values seen so far (at most 16), so later spans of the trace get them masked
 * in their text too.
 */
export class TraceDecisions {
  private readonly traces = new TwoGenerationCache<readonly string[]>(TRACES_PER_GENERATION);

  /** Records that the trace `traceId` belongs to an opted-out subject, with identifier values to mask (if any). */
  optOut(traceId: string, values?: ReadonlySet<string>): void {
    const known = this.traces.get(traceId);
    if (values === undefined || values.size === 0) {
      if (known === undefined) this.traces.set(traceId, NONE);
      return;
    }
    const merged = new Set(known);
    for (const v of values) if (merged.size < MAX_SUBJECT_VALUES) merged.add(v);
    this.traces.set(traceId, [...merged]);
  }

  /** True when a span of `traceId` carried an opted-out subject. */
  optedOut(traceId: string | undefined): boolean {
    return traceId !== undefined && this.traces.get(traceId) !== undefined;
  }

  /** The identifier values recorded for an opted-out trace (empty when none or not opted out). */
  values(traceId: string | undefined): readonly string[] {
    return (traceId !== undefined && this.traces.get(traceId)) || NONE;
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
