import type { TraceState } from '@opentelemetry/api';
import type { SeverityName } from '../../policy/schema';
import { MAX_THRESHOLD, probabilityToThreshold, traceRandomness } from './consistent-probability-sampler';

export type { SeverityName };

/** The OpenTelemetry SeverityNumber range (inclusive) of each severity name. */
export const SEVERITY_RANGES: Readonly<Record<SeverityName, readonly [number, number]>> = {
  TRACE: [1, 4],
  DEBUG: [5, 8],
  INFO: [9, 12],
  WARN: [13, 16],
  ERROR: [17, 20],
  FATAL: [21, 24],
};

/** Log sampling settings: `logs.minSeverity` and `logs.sampling.ratio` of a policy. */
export interface LogSamplingOptions {
  /** Records with a specified severity below this level's range are dropped. */
  minSeverity?: SeverityName;
  /** Fraction of records kept (default 1): consistent by trace when the record has a trace id, random otherwise. */
  ratio?: number;
}

/** The parts of a log record that log sampling looks at. */
export interface LogRecordSample {
  /** OpenTelemetry SeverityNumber; 0 or absent means unspecified. */
  severityNumber?: number;
  /** Trace id of the record's span context, if any. */
  traceId?: string;
  /** Trace state of the record's span context; its `ot` `rv` sub-key, when present, is the randomness. */
  traceState?: TraceState;
}

/** Thresholds per ratio, computed once (ratios come from policies: a handful of values). */
const thresholds = new Map<number, bigint>();
const THRESHOLD_CACHE_LIMIT = 64;

/**
 * Decides whether a log record is kept:
 * - `minSeverity`: a record whose severity is specified (1–24) and lower than the level's range is dropped;
 *   unspecified severity (0 or absent) passes, as with the OpenTelemetry `LoggerConfig.minimum_severity`.
 * - `ratio`: with a valid trace id, the decision uses the trace sampler's randomness (`rv` or the low 56 bits
 *   of the trace id) and threshold, so a record is kept exactly when a consistent probability sampler with
 *   the same ratio keeps its trace; without one, `random()` decides.
 * @param random source for records without a trace id (default `Math.random`).
 * @throws RangeError for a ratio outside [0, 1].
 */
export function shouldKeepLogRecord(
  record: LogRecordSample,
  options: LogSamplingOptions,
  random: () => number = Math.random,
): boolean {
  if (options.minSeverity !== undefined) {
    const severity = record.severityNumber ?? 0;
    if (severity > 0 && severity < SEVERITY_RANGES[options.minSeverity][0]) return false;
  }
  const ratio = options.ratio ?? 1;
  if (ratio === 1) return true;
  let threshold = thresholds.get(ratio);
  if (threshold === undefined) {
    threshold = probabilityToThreshold(ratio);
    if (thresholds.size >= THRESHOLD_CACHE_LIMIT) thresholds.clear();
    thresholds.set(ratio, threshold);
  }
  if (threshold >= MAX_THRESHOLD) return false;
  const randomness = record.traceId === undefined ? undefined : traceRandomness(record.traceId, record.traceState);
  if (randomness !== undefined) return randomness >= threshold;
  return random() < ratio;
}
