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

/**
 * An OpenTelemetry `HrTime` written as an attribute value (`[seconds, nanoseconds]`: seconds between 2000 and 2100,
 * nanoseconds an integer below 10⁹) rounded down to `precisionMillis`, or `undefined` when `value` is no such pair or
 * is already that coarse. Read under any key but those whose class is `NOT_TIME_KEY`.
 */
export function coarsenHrTimeValue(value: readonly unknown[], precisionMillis: number): number[] | undefined {
  if (value.length !== 2) return undefined;
  const [s, n] = value;
  if (typeof s !== 'number' || typeof n !== 'number' || !Number.isInteger(s) || !Number.isInteger(n)) return undefined;
  if (s < FROM_MS / 1000 || s >= TO_MS / 1000 || n < 0 || n >= 1e9) return undefined;
  const out = coarsenHrTime([s, n], precisionMillis);
  return out[0] === s && out[1] === n ? undefined : out;
}

/** Unix milliseconds of 2000-01-01 and 2100-01-01: the years an epoch number must fall in to be read as a time. */
const FROM_MS = 946_684_800_000;
const TO_MS = 4_102_444_800_000;

/** Words of a key's last segment that make its numbers readable as times (see `timeKeyClass`). */
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
  'login',
  'logout',
  'deadline',
  'since',
  'until',
  't0',
  't1',
  'iat',
  'nbf',
  'exp',
]);

/** Words of a key's last segment that say its numbers are no times (ids, counts, sizes, durations, money). */
const NOT_TIME_WORDS = new Set([
  'id',
  'ids',
  'uuid',
  'guid',
  'count',
  'size',
  'bytes',
  'length',
  'len',
  'duration',
  'elapsed',
  'latency',
  'offset',
  'seq',
  'sequence',
  'number',
  'num',
  'amount',
  'total',
  'price',
  'port',
  'pid',
  'version',
  'index',
  'idx',
  'code',
  'ms',
  'us',
  'ns',
]);

/**
 * How an attribute key's numbers are read (`values.timestamps: coarsen`):
 * - `TIME_KEY`: a word of its last segment (after the last `.`, split at `_`, `-` and camelCase humps) is a time word
 *   (`TIME_WORDS`) or ends in `time`/`timestamp`, and none is a word of `NOT_TIME_WORDS`: every epoch form is read;
 * - `NOT_TIME_KEY`: a word is one of `NOT_TIME_WORDS` (`order.id`, `retry_count`, `duration_ms`): numbers are kept;
 * - `SHAPE_KEY`: neither (`start`, `deadline_hint`, `app.value`): only the unmistakable shapes are read.
 */
export const TIME_KEY = 2;
/** See `TIME_KEY`. */
export const SHAPE_KEY = 1;
/** See `TIME_KEY`. */
export const NOT_TIME_KEY = 0;

/**
 * Words that suggest a time but are not time words (a `SHAPE_KEY` keeps its whole seconds, microseconds, nanoseconds
 * and integer digit strings): `otel-privacy validate` names allowed keys with them.
 */
export const MAYBE_TIME_WORDS: ReadonlySet<string> = new Set([
  'start',
  'started',
  'end',
  'ended',
  'begin',
  'finish',
  'finished',
  'stop',
  'stopped',
  'last',
  'next',
  'scheduled',
  'sent',
  'received',
]);

/** Whether a key's last segment has a word of `MAYBE_TIME_WORDS` while its class is `SHAPE_KEY` (`app.start`). */
export function isMaybeTimeKey(key: string): boolean {
  return timeKeyClass(key) === SHAPE_KEY && lastSegmentWords(key).some((w) => MAYBE_TIME_WORDS.has(w));
}

/** The lower-cased words of a key's last segment (after the last `.`, split at blanks, `_`, `-` and camelCase humps). */
function lastSegmentWords(key: string): string[] {
  const dot = key.lastIndexOf('.');
  return (dot === -1 ? key : key.slice(dot + 1))
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/);
}

/** Key → its class (bounded; cleared when full). */
const timeKeys = new Map<string, number>();

/** The class of an attribute key (`TIME_KEY`, `SHAPE_KEY`, `NOT_TIME_KEY`), cached per key. */
export function timeKeyClass(key: string): number {
  let known = timeKeys.get(key);
  if (known !== undefined) return known;
  const words = lastSegmentWords(key);
  known = words.some((w) => NOT_TIME_WORDS.has(w))
    ? NOT_TIME_KEY
    : words.some((w) => TIME_WORDS.has(w) || w.endsWith('time') || w.endsWith('timestamp'))
      ? TIME_KEY
      : SHAPE_KEY;
  if (timeKeys.size >= 1024) timeKeys.clear();
  if (key.length <= 256) timeKeys.set(key, known);
  return known;
}

/**
 * Whether numbers under an attribute key are read as times in every epoch form (`timeKeyClass` is `TIME_KEY`): so
 * `createdAt`, `created_at`, `event.ts`, `start_time_unix_nano`, `last_login` are; `order.amount`, `bytes` are not.
 */
export function isTimeKey(key: string): boolean {
  return timeKeyClass(key) === TIME_KEY;
}

/**
 * ISO 8601 / RFC 3339 date-times with at least seconds, in the two ISO forms:
 * - extended: `YYYY-MM-DD`, then `T`, `t` or a space (RFC 3339), then `hh:mm:ss`;
 * - basic: `YYYYMMDD`, then `T` or `t`, then `hhmmss`;
 * each with an optional decimal fraction of the second (`.` or `,`, 1–9 digits) and an optional zone: `Z`/`z`, or
 * an offset `±hh`, `±hhmm`, `±hh:mm`. Groups: year, month, day, hour, minute, second, fraction digits, zone.
 */
const ISO_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(\d{2})(?:[.,](\d{1,9}))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** The shortest string `coarsenIsoString` reads (`YYYYMMDDThhmmss`); shorter ones are never times. */
export const MIN_ISO_LENGTH = 15;
/** The longest (`YYYY-MM-DDThh:mm:ss.fffffffff+hh:mm`). */
const MAX_ISO_LENGTH = 35;

/**
 * The milliseconds of a fraction of a second written as `digits` (any length): its first three digits, read as digits
 * (`Number('0.999999999') * 1000` is 1000 in floating point, a time rounded up into the next second).
 */
export function fractionMillis(digits: string): number {
  return Number(digits.slice(0, 3).padEnd(3, '0'));
}

/**
 * Unix milliseconds of an ISO date-time's fields, or NaN when a field is out of range (month 13, February 30,
 * hour 24, an offset beyond ±23:59, …). A leap second (`:60`) reads as the last millisecond of its minute.
 */
function isoMillis(m: RegExpExecArray): number {
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const base = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  if (new Date(base).getUTCDate() !== day) return NaN;
  const fraction = m[7] === undefined ? 0 : fractionMillis(m[7]);
  let ms = base + (second === 60 ? 999 : fraction);
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
    if (oh > 23 || om > 59) return NaN;
    ms -= (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return ms;
}

/**
 * An ISO 8601 / RFC 3339 date-time string (see `ISO_EXTENDED`, `ISO_BASIC`: `2026-12-05T10:11:12Z`,
 * `2026-12-05 10:11:12,123456+0530`, `20261205T101112.123Z`, …) rounded down to `precisionMillis` (in UTC), or
 * `undefined` when `text` is not one (a whole value: a version, an id or an order number is never read as one) or is
 * already that coarse. Written back in the extended form `YYYY-MM-DDTHH:MM:SS(.sss)Z` (an offset becomes `Z`, the
 * same instant; a string without a zone keeps having none).
 */
export function coarsenIsoString(text: string, precisionMillis: number): string | undefined {
  // Cheap pre-check before the patterns: the length, and `YYYY-MM-DD?HH:` or `YYYYMMDDT` at fixed places.
  if (text.length < MIN_ISO_LENGTH || text.length > MAX_ISO_LENGTH) return undefined;
  const extended = text.charCodeAt(4) === 45 && text.charCodeAt(13) === 58;
  const t = text.charCodeAt(8);
  if (!extended && t !== 84 && t !== 116) return undefined;
  const m = (extended ? ISO_EXTENDED : ISO_BASIC).exec(text);
  if (m === null) return undefined;
  const ms = isoMillis(m);
  if (Number.isNaN(ms)) return undefined;
  const zone = m[8];
  const digits = m[7]?.length ?? 0;
  const floored = ms - (((ms % precisionMillis) + precisionMillis) % precisionMillis);
  const out = new Date(floored).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const written = precisionMillis % 1000 === 0 ? `${out.slice(0, 19)}Z` : out;
  const result = zone === undefined ? written.slice(0, -1) : written;
  // Already as coarse, in the form it would be written in: nothing to do.
  if (floored === ms && digits <= 3 && result === text) return undefined;
  return result;
}

/**
 * A number that reads as a high-precision Unix time (between 2000 and 2100), rounded down to `precisionMillis` in the
 * same unit, or `undefined` when it is not one or already that coarse:
 * - integers: milliseconds (13 digits), microseconds (16) or nanoseconds (19, as a bigint or an inexact number);
 * - non-integers between 9.4e8 and 4.1e9: seconds with a fraction; larger ones: fractional milliseconds or
 *   microseconds, rounded down in that unit.
 * Whole seconds (10-digit integers) are not read as times: too many ordinary numbers look like them.
 * The caller checks the key (`isTimeKey`): a number alone is never enough.
 */
export function coarsenEpochNumber(
  value: number | bigint,
  precisionMillis: number,
  keyClass: number = TIME_KEY,
): number | bigint | undefined {
  if (keyClass === NOT_TIME_KEY) return undefined;
  if (typeof value === 'bigint') {
    if (keyClass !== TIME_KEY) return undefined;
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
  const integer = Number.isInteger(value);
  if (!integer && value >= FROM_MS / 1000 && value < TO_MS / 1000) {
    const step = precisionMillis / 1000;
    return Math.floor(value / step) * step;
  }
  // Whole seconds, under a time key only, when the precision is coarser than a second.
  if (integer && value < TO_MS / 1000) {
    if (keyClass !== TIME_KEY || precisionMillis <= 1000 || value < FROM_MS / 1000) return undefined;
    const step = precisionMillis / 1000;
    const out = value - (value % step);
    return out === value ? undefined : out;
  }
  // Integers, and fractional milliseconds or microseconds (`performance.timeOrigin + performance.now()`); by shape
  // alone only milliseconds (13 digits): longer integers are ids (snowflakes) and card numbers as often.
  for (const unit of keyClass === TIME_KEY || !integer ? [1_000_000, 1000, 1] : [1]) {
    const ms = value / unit;
    if (ms >= FROM_MS && ms < TO_MS) {
      const step = precisionMillis * unit;
      const out = integer ? value - (value % step) : Math.floor(value / step) * step;
      return out === value ? undefined : out;
    }
  }
  return undefined;
}

/**
 * A decimal epoch number written as a string under a time key: 10 to 19 digits (10: whole seconds, read only when
 * the precision is coarser than a second), or 10 to 16 digits with a fraction.
 */
const EPOCH_STRING = /^(?:\d{10,19}|\d{10,16}\.\d{1,9})$/;

/** By shape alone (`SHAPE_KEY`): seconds or milliseconds with a fraction (10 or 13 digits and `.`). */
const SHAPE_EPOCH_STRING = /^\d{10}\.\d{1,9}$|^\d{12,13}\.\d{1,6}$/;

/**
 * An epoch number written as a decimal string (`"1767608142123"`, `"1767608142123456789"`, `"1767608142.123456"`,
 * as OTLP/JSON and many APIs write 64-bit times), read as `coarsenEpochNumber` reads the number and written back as a
 * decimal string, or `undefined` when it is not one or already that coarse. The caller checks the key (`isTimeKey`).
 */
export function coarsenEpochString(
  text: string,
  precisionMillis: number,
  keyClass: number = TIME_KEY,
): string | undefined {
  if (keyClass === NOT_TIME_KEY) return undefined;
  const fraction = text.includes('.');
  if (!(keyClass === TIME_KEY ? EPOCH_STRING : SHAPE_EPOCH_STRING).test(text)) return undefined;
  const out =
    fraction || text.length <= 15
      ? coarsenEpochNumber(Number(text), precisionMillis, keyClass)
      : coarsenEpochNumber(BigInt(text), precisionMillis, keyClass);
  return out === undefined ? undefined : String(out);
}
