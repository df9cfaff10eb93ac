import type { HrTime } from '@opentelemetry/api';

/**
 * A time rounded down to a multiple of `precisionMillis` since the Unix epoch (`logs.timestampPrecision`,
 * `traces.eventTimestampPrecision`). The precision divides one second (`1ms`, `10ms`, `250ms`, …) or is a whole
 * number of seconds (`1s`, `1m`, `1h`); the policy schema refuses others. Returns `t` itself when already coarse.
 */
export function coarsenHrTime(t: HrTime, precisionMillis: number): HrTime {
  const [seconds, nanos] = t;
  if (precisionMillis >= 1000) {
    const step = precisionMillis / 1000;
    const s = seconds - (seconds % step);
    return s === seconds && nanos === 0 ? t : [s, 0];
  }
  const step = precisionMillis * 1_000_000;
  const n = nanos - (nanos % step);
  return n === nanos ? t : [seconds, n];
}

/** Whether a precision (ms) is one `coarsenHrTime` accepts: it divides a second or is whole seconds. */
export function isTimePrecision(millis: number): boolean {
  return Number.isInteger(millis) && millis >= 1 && (1000 % millis === 0 || millis % 1000 === 0);
}

/** Unix milliseconds of 2000-01-01 and 2100-01-01: the years an epoch number must fall in to be read as a time. */
const FROM_MS = 946_684_800_000;
const TO_MS = 4_102_444_800_000;

/** Words of a key's last segment that make its numbers readable as times (see `isTimeKey`). */
const TIME_WORDS = new Set([
  'time',
  'timestamp',
  'ts',
  'date',
  'datetime',
  'epoch',
  'at',
  'created',
  'updated',
  'modified',
  'expires',
  'expiry',
  'seen',
  'when',
  'nano',
  'unix',
]);

/** Key → whether it is a time key (bounded; cleared when full). */
const timeKeys = new Map<string, boolean>();

/**
 * Whether numbers under an attribute key can be read as times: a word of its last segment (after the last `.`, split
 * at `_`, `-` and camelCase humps) is a time word (`time`, `timestamp`, `ts`, `date`, `datetime`, `epoch`, `at`,
 * `created`, `updated`, `modified`, `expires`, `expiry`, `seen`, `when`, `nano`, `unix`) or ends in `time`/`timestamp`
 * (`starttime`). So `createdAt`, `created_at`, `event.ts`, `start_time_unix_nano` are; `order.amount`, `bytes` are not.
 */
export function isTimeKey(key: string): boolean {
  let known = timeKeys.get(key);
  if (known !== undefined) return known;
  const dot = key.lastIndexOf('.');
  const words = (dot === -1 ? key : key.slice(dot + 1))
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/);
  known = words.some((w) => TIME_WORDS.has(w) || w.endsWith('time') || w.endsWith('timestamp'));
  if (timeKeys.size >= 1024) timeKeys.clear();
  if (key.length <= 256) timeKeys.set(key, known);
  return known;
}

/** ISO-8601 date-time with at least seconds: `2026-01-05T10:15:30Z`, `2026-01-05 10:15:30.123456+02:00`. */
const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO-8601 date-time string rounded down to `precisionMillis` (in UTC), or `undefined` when `text` is not one or is
 * already that coarse. Written back as `YYYY-MM-DDTHH:MM:SS(.sss)Z` (an offset becomes `Z`, the same instant; a
 * string without a zone keeps having none).
 */
export function coarsenIsoString(text: string, precisionMillis: number): string | undefined {
  // Cheap pre-check before the pattern: `YYYY-MM-DD?HH:` at fixed places.
  if (text.length < 19 || text.length > 40 || text.charCodeAt(4) !== 45 || text.charCodeAt(13) !== 58) return undefined;
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const zone = m[6];
  const fraction = m[5] ?? '';
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}${fraction.slice(0, 4)}${zone ?? 'Z'}`);
  if (Number.isNaN(ms)) return undefined;
  const floored = ms - (((ms % precisionMillis) + precisionMillis) % precisionMillis);
  // Digits beyond milliseconds (fraction longer than `.sss`) are always finer than the precision.
  if (floored === ms && fraction.length <= 4) return undefined;
  const iso = new Date(floored).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const out = precisionMillis % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
  return zone === undefined ? out.slice(0, -1) : out;
}

/**
 * A number that reads as a high-precision Unix time (between 2000 and 2100), rounded down to `precisionMillis` in the
 * same unit, or `undefined` when it is not one or already that coarse:
 * - integers: milliseconds (13 digits), microseconds (16) or nanoseconds (19, as a bigint or an inexact number);
 * - non-integers between 9.4e8 and 4.1e9: seconds with a fraction.
 * Whole seconds (10-digit integers) are not read as times: too many ordinary numbers look like them.
 * The caller checks the key (`isTimeKey`): a number alone is never enough.
 */
export function coarsenEpochNumber(value: number | bigint, precisionMillis: number): number | bigint | undefined {
  if (typeof value === 'bigint') {
    for (const unit of [1_000_000n, 1000n, 1n]) {
      const ms = value / unit;
      if (ms >= BigInt(FROM_MS) && ms < BigInt(TO_MS)) {
        const step = BigInt(precisionMillis) * unit;
        const out = value - (value % step);
        return out === value ? undefined : out;
      }
    }
    return undefined;
  }
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (!Number.isInteger(value)) {
    if (value < FROM_MS / 1000 || value >= TO_MS / 1000) return undefined;
    const step = precisionMillis / 1000;
    return Math.floor(value / step) * step;
  }
  for (const unit of [1_000_000, 1000, 1]) {
    const ms = value / unit;
    if (ms >= FROM_MS && ms < TO_MS) {
      const step = precisionMillis * unit;
      const out = value - (value % step);
      return out === value ? undefined : out;
    }
  }
  return undefined;
}
