import { privacyDiag } from './diagnostic-text';
import type { Signal } from '../policy/schema';

/** Items (spans, points, records) dropped whole, by signal and reason. */
export interface DroppedItems {
  /** Sanitizing threw; the item was dropped instead of forwarded raw (fail closed). */
  failed: number;
  /** Over the processor-level rate limit (`traces.sampling.maxPerSecond`). */
  rateLimited: number;
}

/**
 * Counters shared by every processor built on one policy: whole items dropped by fail-closed handling
 * or by the processor-level rate limit, and value-detector findings by type.
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

  /** Items not exported (spans, log records, metric measurements or points) because their subject opted out (`consent`). */
  readonly consentSuppressed: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };

  /**
   * Links removed from exported spans because they pointed into an opted-out subject's trace (`consent.action: drop`:
   * the link would name the ids of a trace that is not exported, and its attributes may name the subject).
   */
  consentLinksRemoved = 0;

  /**
   * Metric points not exported because a recorded number looked like an identifier (a payment card or phone number
   * as a value, sum, minimum, maximum or bucket boundary; or an instrument named for an identifier).
   */
  identifierValues = 0;

  /**
   * Items (spans, log records, metric measurements or points) whose user-group attribute (`userGroups.attribute`)
   * held a value no `when` block names, or not a string: they got the rules of `userGroups.unknown`.
   */
  readonly userGroupUnknown: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };

  /**
   * Fields exported with a value of their OTLP type in place of the one the application passed (see
   * `engine/otlp-field-types.ts`): an enum field (span kind, status code, severity number) that held no value of its
   * enum, or a string field (names, descriptions, units, scope fields, schema URLs, log metadata, status message)
   * that held a number, a `String` object, an object or an array. Per signal; `resource` for resource schema URLs.
   */
  readonly invalidFields: Record<Signal | 'resource', number> = { traces: 0, metrics: 0, logs: 0, resource: 0 };

  /**
   * Times exported with the clock of this process in place of the one the application passed, because that one lay
   * before 2000 or more than a day ahead of the clock (see `engine/plausible-time.ts`): a span's start or end time, a
   * span event's time, a log record's timestamp or observed timestamp, a metric point's start or end time. Such a time
   * is no time of the telemetry, and its nanosecond digits are the application's choice (a card or phone number).
   */
  readonly implausibleTimes: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };

  /**
   * String values the SDK had cut at its attribute length limit whose last word was masked (see
   * `engine/cut-values.ts`): an identifier at the cut is a part no detector reads as one. Per signal (span, event and
   * link attributes count under `traces`).
   */
  readonly cutValues: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };

  private readonly loggedFailure = new Set<Signal | 'resource'>();

  /** @param findingsSource supplies `findings` (the policy wires its value scanner's counts in). */
  constructor(private readonly findingsSource?: () => Record<string, number>) {}

  /**
   * Value-detector findings so far, by type: a detector name (`email`, `payment-card`, …), a custom
   * pattern name, or `unscanned` (a tail beyond `values.maxScanLength`). One count per finding in
   * a scanned value (several findings in one value count several times), totalled over hot
   * reloads. A fresh null-prototype record on every read; empty without a `values` block.
   */
  get findings(): Record<string, number> {
    return this.findingsSource ? this.findingsSource() : (Object.create(null) as Record<string, number>);
  }

  /**
   * Fail closed, in one place: counts an item of `signal` that could not be sanitized and was
   * dropped (or stripped) instead of forwarded raw, and logs the first such failure per signal with
   * `outcome` (e.g. `a span was dropped`); later ones are only counted. Never logs values.
   */
  recordFailure(signal: Signal | 'resource', outcome: string, err: unknown): void {
    this.dropped[signal].failed++;
    if (this.loggedFailure.has(signal)) return;
    this.loggedFailure.add(signal);
    privacyDiag.error(
      `otel-privacy: ${outcome} because sanitizing failed (${describeError(err)}); further failures are only counted`,
    );
  }
}

/**
 * `name: message` of what was thrown, read defensively: an application's value can throw anything, also an object
 * whose every read throws, and the report of a failure must not throw into the application.
 */
function describeError(err: unknown): string {
  try {
    return `${String((err as Error | undefined)?.name ?? 'error')}: ${errorMessageOf(err)}`;
  } catch {
    return 'a thrown value that cannot be read';
  }
}

/** The message of what was thrown (or its text), read defensively like {@link describeError}. */
export function errorMessageOf(err: unknown): string {
  try {
    return String((err as Error | undefined)?.message ?? String(err));
  } catch {
    return 'a thrown value that cannot be read';
  }
}
