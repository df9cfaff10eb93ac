import { trace } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { TwoGenerationCache } from './two-generation-cache';
import { NO_GROUP, stricterGroup } from '../policy/user-group-selector';
import type { UserGroupSelector } from '../policy/user-group-selector';
import type { Signal } from '../policy/schema';

/** Traces with a user group remembered per generation (at most twice this many are held). */
const TRACES_PER_GENERATION = 16_384;

/**
 * The user group of each trace of this process (`userGroups`), by trace id: the strictest group an item of the trace
 * carried so far (a span's initial or final attributes, a log record's or measurement's attributes). Spans, log
 * records and measurements of the trace that are handled afterwards get at least that group's rules, whether they
 * carry the group attribute or not (a child span, a log record emitted inside a span). Held in this process only
 * (never written to the trace state or baggage) and bounded: at most 2 × 16 384 trace ids, the least recently used
 * forgotten first. Only traces that carry a group are recorded.
 */
export class TraceGroups {
  private readonly traces = new TwoGenerationCache<string>(TRACES_PER_GENERATION);

  /** The rank recorded for `traceId` (`NO_GROUP` when none, or when the group is no longer declared). */
  rankOf(groups: UserGroupSelector, traceId: string | undefined): number {
    if (traceId === undefined) return NO_GROUP;
    const name = this.traces.get(traceId);
    return name === undefined ? NO_GROUP : groups.rankOfName(name);
  }

  /**
   * The rank an item of `traceId` gets: the stricter of its own (`own`, `NO_GROUP` when it carries none) and its
   * trace's; a stricter own group is recorded for the trace.
   */
  decide(groups: UserGroupSelector, traceId: string | undefined, own: number): number {
    if (traceId === undefined) return own;
    const recorded = this.rankOf(groups, traceId);
    const rank = stricterGroup(own, recorded);
    if (rank >= 0 && rank !== recorded) this.traces.set(traceId, groups.name(rank));
    return rank;
  }

  /**
   * The rank of an item (a span at its start, a log record, a measurement): the strictest of its own attributes'
   * group (an undeclared value counted in `counts[signal]`), the group of the span active in `context` as that span is
   * now, and the group of its trace (`traceId`), which records it.
   */
  decideItem(
    groups: UserGroupSelector,
    attributes: Attributes | undefined,
    counts: Record<Signal, number>,
    signal: Signal,
    context: Context | undefined,
    traceId: string | undefined,
  ): number {
    const own = stricterGroup(groups.rankOf(attributes, counts, signal), contextSpanRank(groups, context));
    return this.decide(groups, traceId, own);
  }
}

/** Not counted: a value read from the span of a context is counted when that span ends. */
const UNCOUNTED = { traces: 0, metrics: 0, logs: 0 };

/**
 * The rank the span active in `context` has now (`NO_GROUP` for none): its group attribute as it is now, so a group
 * set with `setAttribute` after the span started applies to what is emitted inside it before it ends.
 */
export function contextSpanRank(groups: UserGroupSelector, context: Context | undefined): number {
  if (context === undefined) return NO_GROUP;
  const attributes = (trace.getSpan(context) as { attributes?: Attributes } | undefined)?.attributes;
  return attributes === undefined ? NO_GROUP : groups.rankOf(attributes, UNCOUNTED, 'traces');
}

/** Per policy (kept across its hot reloads): the user groups of the traces of this process. */
const byPolicy = new WeakMap<object, TraceGroups>();

/** The user groups of the traces recorded under `policy` (one set per `Policy`, shared by its processors). */
export function traceGroups(policy: object): TraceGroups {
  let t = byPolicy.get(policy);
  if (t === undefined) byPolicy.set(policy, (t = new TraceGroups()));
  return t;
}
