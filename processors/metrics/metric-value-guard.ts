import type { MetricDescriptor } from '@opentelemetry/sdk-metrics';
import { luhnValid, validCardPrefix } from '../../engine/detectors/payment-card';

/** What kind of identifier a recorded number looked like. */
export type IdentifierValueKind = 'payment-card' | 'phone' | 'identifier-instrument';

/**
 * Units whose values are quantities that reach 13 digits in ordinary use (bytes and bits, nanoseconds and
 * microseconds, with SI or binary prefixes and as rates): no number under them is read as an identifier.
 */
const FINE_QUANTITY_UNIT = /^(?:[KMGTPE]i?)?(?:By|bit|B)(?:\/.*)?$|^(?:ns|us|µs|μs)(?:\/.*)?$/;

/** A unit of counts (no dimension): `''`, `1` or annotations only (`{request}`). Phone numbers have no unit. */
const DIMENSIONLESS_UNIT = /^(?:1?|(?:\{[^}]*\})+)$/;

/** Words in an instrument's name or description that make its E.164-shaped integer values phone numbers. */
const PHONE_WORDS = /phone|msisdn|whatsapp|mobile[._\-\s]?(?:number|no|num)|(?:^|[^a-z])(?:tel|fax)(?:$|[^a-z])/i;

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
  /** E.164-shaped integers of 10 to 15 digits are phone numbers (phone words, no unit). */
  readonly phoneContext: boolean;
  /** The smallest magnitude worth a closer look: the per-point work is one comparison below it. */
  readonly floor: number;
}

/**
 * Decides once per instrument (from its descriptor) what its recorded numbers are checked for, or `undefined` when
 * they are quantities nothing is checked in (units of bytes, bits, nanoseconds, microseconds: 13-digit values are
 * ordinary there). Every other instrument: integers of 13 to 19 digits with a card network's prefix and length that
 * pass the Luhn check are card numbers; with phone words (`phone`, `msisdn`, `tel`, `fax`, …) and no unit (`''`, `1`, `{…}`), integers of 10
 * to 15 digits shaped like an international number (see {@link e164Shaped}) are phone numbers; a name saying the value is an identifier (`user_id`, `customer.number`, `iban`, `ssn`, `card_number`)
 * makes every value one.
 */
export function metricValueGuard(descriptor: MetricDescriptor): MetricValueGuard | undefined {
  const text = `${descriptor.name} ${descriptor.description ?? ''}`;
  const identifierInstrument = IDENTIFIER_INSTRUMENT.test(descriptor.name);
  if (!identifierInstrument && FINE_QUANTITY_UNIT.test(descriptor.unit ?? '')) return undefined;
  const phoneContext = DIMENSIONLESS_UNIT.test(descriptor.unit ?? '') && PHONE_WORDS.test(text);
  return {
    identifierInstrument,
    phoneContext,
    floor: phoneContext ? 1e9 : 1e12,
  };
}

/**
 * Whether a digit string (no leading zero) reads as a phone number written without `+`: a North American number
 * with its country code 1 (`12025550143`: area code and exchange starting 2–9), or 10 to 15
 * digits starting with a country code outside zone 1 and the unassigned ranges (28x, 80x but 800/808, 83x, 89x).
 */
export function e164Shaped(digits: string): boolean {
  const n = digits.length;
  const c = (i: number): number => digits.charCodeAt(i) - 48;
  if (c(0) === 1) return n === 11 && c(1) >= 2 && c(4) >= 2;
  if (n < 10 || n > 15) return false;
  const two = c(0) * 10 + c(1);
  if (two === 28 || two === 83 || two === 89) return false;
  if (two === 80) return c(2) === 0 || c(2) === 8;
  return true;
}

/** The decimal digits of a non-negative safe integer (no exponent form). */
function digitsOf(v: number): string {
  return v.toFixed(0);
}

/**
 * The identifier `value` looks like under `guard`, or `undefined`. Only values at or above `guard.floor` in
 * magnitude that are integers get any work beyond one comparison.
 */
export function identifierValueKind(guard: MetricValueGuard, value: number): IdentifierValueKind | undefined {
  const v = value < 0 ? -value : value;
  if (!(v >= guard.floor) || v >= 1e20 || !Number.isInteger(v)) return undefined;
  const digits = digitsOf(v);
  const n = digits.length;
  if (guard.phoneContext && e164Shaped(digits)) return 'phone';
  if (n >= 13 && n <= 19 && validCardPrefix(Number(digits.slice(0, 6)), n) && luhnValid(digits, 0, n))
    return 'payment-card';
  return undefined;
}
