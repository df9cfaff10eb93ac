import type { Signal } from './schema';

/** Items (spans, points, records) dropped whole, by signal and reason. */
export interface DroppedItems {
  /** Sanitizing threw; the item was dropped instead of forwarded raw (fail closed). */
  failed: number;
  /** Over the processor-level rate limit (`traces.sampling.maxPerSecond`). */
  rateLimited: number;
}

/**
 * Counters shared by every processor built on one policy: whole items dropped by fail-closed handling.
 * Per-rule value counts live on the rule decisions (`Policy.ruleStats()`).
 */
export class PrivacyCounters {
  /** Items dropped, per signal. */
  readonly dropped: Record<Signal | 'resource', DroppedItems> = {
    traces: { failed: 0, rateLimited: 0 },
    metrics: { failed: 0, rateLimited: 0 },
    logs: { failed: 0, rateLimited: 0 },
    resource: { failed: 0, rateLimited: 0 },
  };
}
