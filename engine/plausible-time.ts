import type { HrTime } from '@opentelemetry/api';

/** Unix milliseconds of 2000-01-01T00:00:00Z: an exported time before it is no time of this telemetry. */
export const EARLIEST_PLAUSIBLE_MILLIS = 946_684_800_000;

/** How far after the clock of this process an exported time may lie (clock skew between hosts, queued items). */
export const FUTURE_SLACK_MILLIS = 86_400_000;

/**
 * True when `t`, as the OTLP exporters write it (`*TimeUnixNano`: the truncated seconds times 10⁹ plus the truncated
 * nanoseconds), is a time from 2000-01-01 up to one day after `nowMillis`. Every time the SDK takes from its own clock
 * is; a time an application picks outside that window (`startTime: [4111111111111111, 0]`, `span.end(<number>)`, a
 * log record's `timestamp`) carries digits of its own choosing (a card, phone or social security number) in the
 * exported nanosecond string, and is replaced by the caller. Not a number pair, or not finite: false.
 */
export function isPlausibleTime(t: HrTime, nowMillis: number): boolean {
  if (!Array.isArray(t)) return false;
  const s = t[0];
  const n = t[1];
  if (typeof s !== 'number' || typeof n !== 'number' || !Number.isFinite(s) || !Number.isFinite(n)) return false;
  const millis = Math.trunc(s) * 1000 + Math.trunc(n) / 1e6;
  return millis >= EARLIEST_PLAUSIBLE_MILLIS && millis <= nowMillis + FUTURE_SLACK_MILLIS;
}

/** The clock of this process (`Date.now()`) as an `HrTime`, as the SDK writes a time it takes itself. */
export function clockTime(nowMillis: number): HrTime {
  return [Math.trunc(nowMillis / 1000), (nowMillis % 1000) * 1_000_000];
}

/** The later of two `HrTime`s (`a` when equal). */
export function laterTime(a: HrTime, b: HrTime): HrTime {
  return b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a;
}
