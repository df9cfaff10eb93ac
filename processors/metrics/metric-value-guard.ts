import type { ExponentialHistogram, MetricDescriptor } from '@opentelemetry/sdk-metrics';
import { luhnValid, validCardPrefix } from '../../engine/detectors/payment-card';
import { PHONE_CONTEXT } from '../../engine/detectors/phone';
import { nameWords } from '../../engine/key-context';

/** What kind of identifier a recorded number looked like. */
export type IdentifierValueKind = 'payment-card' | 'phone' | 'identifier-instrument';

/**
 * Units whose values are quantities that reach 13 digits in ordinary use: bytes and bits with an SI or binary prefix,
 * alone or per unit of time (`By`, `KiBy`, `kbit`, `By/s`, `MiBy/min`), nanoseconds and microseconds (`ns`, `us`). No
 * point under them is dropped; only a 16-digit card number is cut (`quantityCardTruncated`). Nothing else after the
 * `/` (`By/{phone}`, `By/x`): a rate per anything
 * but time is no quantity the unit vouches for.
 */
const FINE_QUANTITY_UNIT = /^(?:[KMGTPE]i?|k)?(?:By|bit|B)(?:\/(?:s|ms|min|h|d))?$|^(?:ns|us|µs|μs)$/;

/** A unit of time (`s`, `ms`, `us`, `ns`, `min`, `h`, `d`): its values are durations and epoch times, no phone numbers. */
const TIME_UNIT = /^(?:[mun]?s|µs|μs|min|h|d)$/;

/** A unit of counts (no dimension): `''`, `1` or annotations only (`{request}`). */
const DIMENSIONLESS_UNIT = /^(?:1?|(?:\{[^}]*\})+)$/;

/**
 * Whether an instrument's name or description names phones, by the phone detector's context words
 * (`PHONE_CONTEXT`: `phone`, `mobile`, `cell`, `tel`, `fax`, `sms`, `msisdn`, `caller`, …) read as words (`nameWords`:
 * split at separators and case changes, `app.userMobile`, `caller_id`; each word also without an identifier suffix,
 * `callerid` → `caller`).
 */
export function namesPhones(text: string): boolean {
  return PHONE_CONTEXT.test(nameWords(text));
}

/**
 * Names that say the instrument records an identifier of a person or account as its value (`app.last_user_id`,
 * `checkout.customer.id`, `account_number`, `iban`, `ssn`): every point is dropped.
 */
const IDENTIFIER_INSTRUMENT =
  /(?:user|customer|account|member|subscriber|client|person|patient|employee)[._\-\s]?(?:id|number|no|num)(?:$|[^a-z])|(?:^|[^a-z])(?:uid|ssn|iban|msisdn|imei|imsi)(?:$|[^a-z])|card[._\-\s]?(?:number|no|num)(?:$|[^a-z])/i;

/** The per-instrument decision of {@link metricValueGuard}: which checks its numbers get. */
export interface MetricValueGuard {
  /** Every point of the instrument is dropped (its name says its values identify someone). */
  readonly identifierInstrument: boolean;
  /** E.164-shaped integers of 10 to 15 digits are phone numbers (a name or description that names phones, no time unit). */
  readonly phoneContext: boolean;
  /** The smallest magnitude worth a closer look: the per-point work is one comparison below it. */
  readonly floor: number;
  /**
   * Numbers that are no integer up to 2^53 are also read by their significant digits (`scaledIdentifierKind`): every
   * unit but a time (latencies) and `%` (percentages), whose full-precision doubles are measurements.
   */
  readonly scaled: boolean;
}

/** A percentage: its values are full-precision doubles (ratios × 100), never read by their significant digits. */
const PERCENT_UNIT = /^%$/;

/**
 * Decides once per instrument (from its descriptor) what its recorded numbers are checked for, or `undefined` when
 * they are quantities no point is dropped for (units of bytes, bits, nanoseconds, microseconds: 13-digit values are
 * ordinary there; the exporter cuts 16-digit card numbers under them, `quantityCardTruncated`). Every other instrument: integers of 13 to 19 digits with a card network's prefix and length that
 * pass the Luhn check are card numbers; under a name or description that names phones (`namesPhones`) and a unit
 * other than a time (`s`, `ms`, …), integers of 10
 * to 15 digits shaped like an international number (see {@link e164Shaped}) are phone numbers; a name saying the value is an identifier (`user_id`, `customer.number`, `iban`, `ssn`, `card_number`)
 * makes every value one.
 */
export function metricValueGuard(descriptor: MetricDescriptor): MetricValueGuard | undefined {
  const text = `${descriptor.name} ${descriptor.description ?? ''}`;
  const identifierInstrument = IDENTIFIER_INSTRUMENT.test(descriptor.name);
  if (!identifierInstrument && FINE_QUANTITY_UNIT.test(descriptor.unit ?? '')) return undefined;
  // any unit but the quantities above and times (epoch times in ms reach 13 digits): `{call}`, `%`, `By/{x}` too
  const unit = descriptor.unit ?? '';
  const time = TIME_UNIT.test(unit);
  const phoneContext = namesPhones(text) && !time;
  return {
    identifierInstrument,
    phoneContext,
    floor: phoneContext ? 1e9 : 1e12,
    scaled: !time && !PERCENT_UNIT.test(unit),
  };
}

/**
 * The guard for single measurements, before aggregation (`PrivacyMeterProvider`): `metricValueGuard`'s checks, and,
 * under any instrument without a unit (`''`, `1`, `{…}`) whose measurements are not running totals (not an
 * observable counter), an integer of 10 to 15 digits shaped like an international phone number is a phone number
 * even without a phone word: one measurement that large is no count (sums, which grow past it, are not read so).
 */
export function measurementValueGuard(descriptor: MetricDescriptor, totals: boolean): MetricValueGuard | undefined {
  const guard = metricValueGuard(descriptor);
  if (guard === undefined || guard.phoneContext || totals || !DIMENSIONLESS_UNIT.test(descriptor.unit ?? ''))
    return guard;
  return { ...guard, phoneContext: true, floor: 1e9 };
}

/** Powers of ten up to 10^20, exact as doubles. */
const POW10: readonly number[] = Array.from({ length: 21 }, (_, i) => 10 ** i);

/** The number of decimal digits of an integer `v` ≥ 1 below 10^20. */
function digitCount(v: number): number {
  let n = 1;
  while (n < 20 && v >= POW10[n]!) n++;
  return n;
}

/** The first `k` digits of an `n`-digit integer `v` (exact for safe integers). */
function leading(v: number, n: number, k: number): number {
  return Math.floor(v / POW10[n - k]!);
}

/** Luhn (mod 10) over the digits of a non-negative integer: arithmetic for safe integers, else its decimal form. */
function luhnNumber(v: number): boolean {
  if (v > Number.MAX_SAFE_INTEGER) {
    const digits = v.toFixed(0);
    return luhnValid(digits, 0, digits.length);
  }
  let sum = 0;
  let double = false;
  while (v > 0) {
    const r = v % 10;
    v = (v - r) / 10;
    let d = r;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether an integer of `n` digits reads as a phone number written without `+`: a North American number with its
 * country code 1 (`12025550143`: area code and exchange starting 2–9), or 10 to 15 digits starting with a country
 * code outside zone 1 and the unassigned ranges (28x, 80x but 800/808, 83x, 89x).
 */
export function e164Shaped(v: number, n: number = digitCount(v)): boolean {
  const first = leading(v, n, 1);
  if (first === 1) return n === 11 && leading(v, n, 2) % 10 >= 2 && leading(v, n, 5) % 10 >= 2;
  if (n < 10 || n > 15) return false;
  const two = leading(v, n, 2);
  if (two === 28 || two === 83 || two === 89) return false;
  if (two === 80) {
    const third = leading(v, n, 3) % 10;
    return third === 0 || third === 8;
  }
  return true;
}

/**
 * The identifier `value` looks like under `guard`, or `undefined`; a value with a fraction is read by its integer
 * part. Only values at or above `guard.floor` in magnitude get any work beyond one comparison, and that work is arithmetic (no strings) for
 * integers up to 2^53.
 */
export function identifierValueKind(
  guard: MetricValueGuard,
  value: number,
  checks: NumberChecks = ALL_CHECKS,
): IdentifierValueKind | undefined {
  let v = value < 0 ? -value : value;
  if (!(v >= guard.floor) || v >= 1e20) return undefined;
  // A fraction does not hide the digits before it (`4111111111111111.5` exports the card): its integer part is read.
  if (!Number.isInteger(v)) v = Math.floor(v);
  const n = digitCount(v);
  if (checks.phone && guard.phoneContext && e164Shaped(v, n)) return 'phone';
  if (checks.card && n >= 13 && n <= 19 && validCardPrefix(leading(v, n, 6), n) && luhnNumber(v)) return 'payment-card';
  return undefined;
}

/** Whether `unit` is a quantity unit whose values reach 13 digits in ordinary use (bytes, bits, `ns`, `us`). */
export function isQuantityUnit(unit: string): boolean {
  return FINE_QUANTITY_UNIT.test(unit);
}

/** Digits kept of a card number found under a quantity unit: its issuer prefix. */
const QUANTITY_KEPT = 1e10;

/**
 * `value` as exported under a quantity unit (`isQuantityUnit`): itself, or, when its integer part has 16 digits with a
 * card network's prefix for 16 digits and passes the Luhn check, cut to its first six digits (`4111111111111111` →
 * `4111110000000000`). Cut toward zero, so a running total stays monotonic; the value changes by less than 5 parts in
 * 10^6 (under 10^10 of a value of 2.2·10^15 or more: no 16-digit card starts lower). 16-digit quantities are 0.89 PiB
 * to 8.9 PiB, 11.6 to 116 days in nanoseconds, 32 to 317 years in microseconds; of uniformly drawn 16-digit values
 * 4.3 % are card-shaped (one million drawn), of smaller values none.
 * 13 to 15 and 17 to 19 digits are not read (15-digit byte counts, a few hundred TB, are ordinary).
 */
export function quantityCardTruncated(value: number): number {
  const v = value < 0 ? -value : value;
  if (!(v >= 1e15 && v < 1e16)) return value;
  const i = Math.floor(v);
  if (!validCardPrefix(leading(i, 16, 6), 16) || !luhnNumber(i)) return value;
  const t = Math.floor(v / QUANTITY_KEPT) * QUANTITY_KEPT;
  return value < 0 ? -t : t;
}

/**
 * `value` as exported under a checked instrument: itself, or, when its integer part has 13 to 19 digits with a card
 * network's prefix and length, cut to its first six digits toward zero (`4111111111111112` → `4111110000000000`).
 * Points with a card number itself are dropped before (`identifierValueKind`); this takes its Luhn-invalid neighbours
 * (`card ± 1` as a gauge or a histogram's minimum), which spell the card but for one known digit, also across the
 * issuer prefix (`nearCardPrefix`: `2220999999999999` next to `2221000000000009`). The value changes by less than 5
 * parts in 10^6 (no card prefix is below 200000); values below 10^12 are never touched.
 */
export function cardPrefixCut(value: number): number {
  const v = value < 0 ? -value : value;
  if (!(v >= 1e12 && v < 1e19)) return value;
  const i = Math.floor(v);
  const n = digitCount(i);
  if (!validCardPrefix(leading(i, n, 6), n) && !nearCardPrefix(i)) return value;
  const unit = POW10[n - 6]!;
  const t = Math.floor(v / unit) * unit;
  return value < 0 ? -t : t;
}

/** How far a card's neighbour is read (`card ± 1` … `card ± 9`: the last digit changed). */
const NEIGHBOUR_SPAN = 9;

/**
 * Whether a number within `NEIGHBOUR_SPAN` of the integer `i` has a card network's prefix for its length: a card's
 * neighbour across its issuer prefix (`3999999999999` for the 13-digit `4000000000006`, `2220999999999999` for
 * `2221000000000009`), whose own first six digits are no prefix. Within 9 the first six digits change at most once
 * (they step every 10^6 or more), so reading `i - 9` and `i + 9` answers for every number between.
 */
function nearCardPrefix(i: number): boolean {
  for (const w of [i - NEIGHBOUR_SPAN, i + NEIGHBOUR_SPAN]) {
    const n = digitCount(w);
    if (n >= 12 && n <= 19 && validCardPrefix(leading(w, n, 6), n)) return true;
  }
  return false;
}

/** A unit of seconds, minutes, hours or days: no ordinary value under it has 10 digits but an epoch time in seconds. */
const COARSE_TIME_UNIT = /^(?:s|min|h|d)$/;

/** Whether `unit` is seconds, minutes, hours or days (see `phoneCut`). */
export function isCoarseTimeUnit(unit: string): boolean {
  return COARSE_TIME_UNIT.test(unit);
}

/** Epoch seconds of 2100-01-01: values below are read as times under a unit of seconds, never as phone numbers. */
const EPOCH_SECONDS_2100 = 4_102_444_800;

/**
 * `value` as exported under a unit of seconds, minutes, hours or days (`isCoarseTimeUnit`): itself, or, when its
 * integer part is 10 to 15 digits shaped like a phone number without `+` (`e164Shaped`: `12025550143`,
 * `2025550143`, `447700900123`), cut to its first six digits toward zero (`120255` and zeros). Durations there
 * reach 10 digits only after 317 years (seconds); epoch times in seconds up to 2100 (`4102444800`) stay, so a
 * North American number without its country code and an area code up to 410 stays too. The value changes by less
 * than 10^-5 of itself.
 */
export function phoneCut(value: number): number {
  const v = value < 0 ? -value : value;
  if (!(v >= EPOCH_SECONDS_2100 && v < 1e15)) return value;
  const i = Math.floor(v);
  const n = digitCount(i);
  if (!e164Shaped(i, n)) return value;
  const unit = POW10[n - 6]!;
  const t = Math.floor(v / unit) * unit;
  return value < 0 ? -t : t;
}

/**
 * How the numbers of one instrument are cut on export, or `undefined` when none is (`guard` from `metricValueGuard`,
 * `undefined` for a quantity unit): under a quantity unit a 16-digit card (`quantityCardTruncated`); otherwise
 * numbers whose significant digits spell a card or, under a phone instrument, a phone number (`identifierDigitsRounded`),
 * a card's Luhn-invalid neighbours (`cardPrefixCut`), and phone-shaped values under seconds, minutes, hours or days
 * (`phoneCut`). The one rule `PrivacyMetricExporter` and `otel-privacy scan` apply.
 */
export function metricNumberCut(
  guard: MetricValueGuard | undefined,
  unit: string,
  checks: NumberChecks,
): ((value: number) => number) | undefined {
  if (guard === undefined) return checks.card && isQuantityUnit(unit) ? quantityCardTruncated : undefined;
  const scaled = guard.scaled && (checks.card || (checks.phone && guard.phoneContext));
  const phones = checks.phone && isCoarseTimeUnit(unit);
  if (!scaled && !checks.card && !phones) return undefined;
  return (v) => {
    let r = scaled ? identifierDigitsRounded(guard, v, checks) : v;
    // a card's Luhn-invalid neighbour (`card ± 1`): the card itself was dropped before
    if (r === v && checks.card) r = cardPrefixCut(v);
    // a phone number under seconds, minutes, hours or days, whatever the instrument's name
    return r === v && phones ? phoneCut(v) : r;
  };
}

/** Whether `value` is worth reading by its significant digits: not an integer up to 2^53 (those are read exactly). */
function readsScaled(value: number): boolean {
  const v = value < 0 ? -value : value;
  return v < Infinity && !(Number.isInteger(v) && v <= Number.MAX_SAFE_INTEGER);
}

/** Significant digits kept of a number whose digits spell an identifier: a card's issuer prefix (six), no more. */
const SAFE_DIGITS = 6;

/**
 * `value` as exported under `guard` (with `guard.scaled`): itself, or, when its significant digits spell a card number
 * or, under a phone instrument, a phone number (`scaledIdentifierKind`: `4111.111111111111`, `0.4111111111111111`,
 * `4.111111111111111e21`, `202555.0143`), rounded to 6 significant digits (`4111.11`), the issuer prefix a truncated
 * card shows. The value changes by at most 5 parts in 10^6, so a measurement that only looks like one (about 3 % of
 * full-precision doubles do) keeps its meaning, and no point is dropped for it; integers up to 2^53 are never touched
 * (`identifierValueKind` reads them exactly).
 */
export function identifierDigitsRounded(
  guard: MetricValueGuard,
  value: number,
  checks: NumberChecks = ALL_CHECKS,
): number {
  if (!guard.scaled || !readsScaled(value)) return value;
  return scaledIdentifierKind(guard, value, checks) === undefined ? value : Number(value.toPrecision(SAFE_DIGITS));
}

/** Fewest digits of a card number (and fewest significant digits read as one, trailing zeros put back). */
const MIN_CARD_DIGITS = 13;

/** Fewest significant digits read (a phone number of 10 digits ending in 0 writes 9). */
const MIN_READ_DIGITS = 9;

/** Most significant digits a double carries (its shortest round-trip form has 17 at most; 16 can be chosen freely). */
const MAX_CHOSEN_DIGITS = 16;

/**
 * The significant digits of a number's shortest round-trip decimal form (`String`): sign, decimal point, exponent and
 * leading and trailing zeros removed (`4111.111111111111` and `4.111111111111111e+21` → `4111111111111111`), as the
 * attribute number check reads them; `undefined` when there are more than 16 (no identifier an application wrote
 * scaled into a double keeps that many: the 17th digit is the double's rounding) or fewer than 9.
 */
export function significantDigitsOf(value: number): string | undefined {
  const text = String(value);
  let end = text.indexOf('e');
  if (end === -1) end = text.length;
  let first = -1;
  let last = -1;
  let count = 0;
  let digits = '';
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (first === -1 && c === 48) continue; // leading zeros
    if (first === -1) first = i;
    digits += text[i];
    count++;
    if (c !== 48) last = count;
  }
  if (last < MIN_READ_DIGITS || last > MAX_CHOSEN_DIGITS) return undefined;
  return digits.slice(0, last);
}

/**
 * The identifier the significant digits of `value` spell (`significantDigitsOf`): a card number (13 to 16 digits, a
 * card network's prefix and length, Luhn) under any guarded instrument, a phone number (10 to 15 digits,
 * `e164Shaped`) under a phone instrument. A card or phone number scaled by a power of ten (`4111.111111111111`,
 * `0.4111111111111111`, `202555.0143`) keeps all its digits in the double and is read so.
 */
export function scaledIdentifierKind(
  guard: MetricValueGuard,
  value: number,
  checks: NumberChecks = ALL_CHECKS,
): IdentifierValueKind | undefined {
  if (!checks.card && !(checks.phone && guard.phoneContext)) return undefined;
  const digits = significantDigitsOf(value);
  if (digits === undefined) return undefined;
  const n = digits.length;
  // Trailing zeros of the identifier are not written (`4111.11111111111` is `4111111111111110`): a shorter digit run is
  // read with zeros put back, up to the lengths a written double can hold (a card from 13 digits on: amounts with
  // cents, `1234567.89`, are never padded into one).
  if (checks.phone && guard.phoneContext) {
    const phone = n < 10 ? digits.padEnd(10, '0') : digits;
    if (phone.length <= 15 && (nanpNational(phone) || e164Shaped(Number(phone), phone.length))) return 'phone';
  }
  if (checks.card)
    for (let len = n; n >= MIN_CARD_DIGITS && len <= MAX_CHOSEN_DIGITS; len++) {
      const card = len === n ? digits : digits.padEnd(len, '0');
      if (validCardPrefix(Number(card.slice(0, 6)), len) && luhnValid(card, 0, len)) return 'payment-card';
    }
  return undefined;
}

/** A North American number without its country code: 10 digits, area code and exchange 2–9, area code not `x9x`. */
function nanpNational(d: string): boolean {
  return d.length === 10 && d.charCodeAt(0) >= 50 && d.charCodeAt(1) !== 57 && d.charCodeAt(3) >= 50;
}

/**
 * The identifier an exponential histogram's populated buckets pin down, or `undefined`. A bucket holds the values in
 * (base^k, base^(k+1)], base = 2^(2^-scale): at a fine scale its bounds share their leading digits, so the bucket
 * index is the value with its last digits rounded off. A populated bucket at or above `guard.floor` narrower than
 * 10^-5 of its bounds (it pins the first five digits or more: scale 17 and finer) whose bounds read as a phone number
 * (phone context, `e164Shaped`) or carry a card network's prefix and length is read as that identifier. Values the
 * minimum and maximum bound below the floor are not read (one comparison per point).
 */
export function exponentialBucketKind(
  guard: MetricValueGuard,
  h: ExponentialHistogram,
  checks: NumberChecks = ALL_CHECKS,
): IdentifierValueKind | undefined {
  const floor = guard.floor;
  if (h.max !== undefined && h.min !== undefined && h.max < floor && h.min > -floor) return undefined;
  const step = 2 ** -h.scale;
  return (
    bucketsKind(guard, h.positive.offset, h.positive.bucketCounts, step, checks) ??
    bucketsKind(guard, h.negative.offset, h.negative.bucketCounts, step, checks)
  );
}

/** A bucket narrower than this part of its upper bound pins a value's first five digits or more. */
const PINNED_WIDTH = 1e-5;

/** `exponentialBucketKind` for one range of buckets (positive or negative: magnitudes). */
function bucketsKind(
  guard: MetricValueGuard,
  offset: number,
  counts: readonly number[],
  step: number,
  checks: NumberChecks,
): IdentifierValueKind | undefined {
  for (let i = counts.length - 1; i >= 0; i--) {
    if (counts[i] === 0) continue;
    const upper = Math.floor(2 ** ((offset + i + 1) * step));
    if (upper < guard.floor) return undefined; // lower buckets are smaller still
    if (!(upper < 1e20)) continue;
    const lower = Math.ceil(2 ** ((offset + i) * step));
    if (upper - lower > upper * PINNED_WIDTH) continue;
    for (const v of [lower, upper]) {
      const n = digitCount(v);
      if (checks.phone && guard.phoneContext && e164Shaped(v, n)) return 'phone';
      if (checks.card && n >= 13 && n <= 19 && validCardPrefix(leading(v, n, 6), n)) return 'payment-card';
    }
  }
  return undefined;
}

/** Which number checks the policy enables (`values.detectors` names `payment-card` / `phone`). */
export interface NumberChecks {
  /** Card numbers. */
  readonly card: boolean;
  /** Phone numbers (under phone-named instruments). */
  readonly phone: boolean;
}

const ALL_CHECKS: NumberChecks = Object.freeze({ card: true, phone: true });
const NO_CHECKS: NumberChecks = Object.freeze({ card: false, phone: false });

/**
 * The checks the policy's `values` settings enable: both without a `values` block or with every detector; only the
 * detectors it names otherwise; none with `values.scanNumbers: false` (the opt-out).
 */
export function numberChecks(
  values: { readonly detectors: readonly string[]; readonly scanNumbers: boolean } | undefined,
): NumberChecks {
  if (values === undefined) return ALL_CHECKS;
  if (!values.scanNumbers) return NO_CHECKS;
  const card = values.detectors.includes('payment-card');
  const phone = values.detectors.includes('phone');
  return card && phone ? ALL_CHECKS : card || phone ? { card, phone } : NO_CHECKS;
}
