import { randomBytes, randomInt } from 'node:crypto';
import fc from 'fast-check';

/**
 * Unique, obviously fake values of every kind the value detectors know, generated at test time. A canary
 * that reaches an exporter is a leak; each one is unique so a hit in the output names its origin.
 */

/** The detector kinds a {@link PiiCanary} can be. */
export type CanaryKind =
  'email' | 'payment-card' | 'iban' | 'us-ssn' | 'phone' | 'ipv4' | 'jwt' | 'bearer-token' | 'aws-access-key';

/** One generated canary. */
export interface PiiCanary {
  /** Detector kind it must be caught by. */
  readonly kind: CanaryKind;
  /** The text as placed into telemetry. */
  readonly text: string;
  /** Distinctive fragments, any of which in the output is a leak (e.g. a card's digits without separators). */
  readonly needles: readonly string[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `n` random characters from `alphabet`. */
export function randomText(n: number, alphabet = LETTERS): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function digits(n: number): string {
  return randomText(n, '0123456789');
}

/** The Luhn check digit of `body` (a card number's digits without its last). */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const ch of rearranged) remainder = (remainder * 10 + Number(ch)) % 97;
  return String(98 - remainder).padStart(2, '0');
}

/** A secret canary that looks like nothing a detector knows (letters only); only key rules can hide it. */
export function secretCanary(): string {
  return `zqx${randomText(14)}`;
}

/** A fake email address at example.com. */
export function emailCanary(): PiiCanary {
  const local = `fz.${randomText(10)}`;
  const text = `${local}@example.com`;
  return { kind: 'email', text, needles: [text, local] };
}

/** A random Luhn-valid 16-digit Visa-shaped number (generated, never a real account), space-grouped. */
export function cardCanary(): PiiCanary {
  const body = `4${digits(14)}`;
  const number = body + luhnCheckDigit(body);
  const text = number.replace(/(\d{4})(?=\d)/g, '$1 ');
  return { kind: 'payment-card', text, needles: [text, number] };
}

/** A random mod-97-valid German IBAN (generated). */
export function ibanCanary(): PiiCanary {
  const bban = digits(18);
  const iban = `DE${ibanCheckDigits('DE', bban)}${bban}`;
  return { kind: 'iban', text: iban, needles: [iban, bban] };
}

/** A made-up US SSN with a valid area/group/serial shape. */
export function ssnCanary(): PiiCanary {
  const area = String(100 + randomInt(565)).padStart(3, '0');
  const group = String(1 + randomInt(98)).padStart(2, '0');
  const serial = String(1 + randomInt(9998)).padStart(4, '0');
  const text = `${area}-${group}-${serial}`;
  return { kind: 'us-ssn', text, needles: [text, `${area}${group}${serial}`] };
}

/** A UK drama-range phone number (+44 20 7946 0xxx, reserved for fiction). */
export function phoneCanary(): PiiCanary {
  const last = digits(3);
  const text = `+44 20 7946 0${last}`;
  return { kind: 'phone', text, needles: [text, `+442079460${last}`, `7946 0${last}`] };
}

/** An IPv4 address from the documentation ranges (never a real host). */
export function ipv4Canary(): PiiCanary {
  const prefix = ['192.0.2', '198.51.100', '203.0.113'][randomInt(3)];
  const text = `${prefix}.${1 + randomInt(254)}`;
  return { kind: 'ipv4', text, needles: [text] };
}

/** A JWT with a random subject and signature. */
export function jwtCanary(): PiiCanary {
  const payload = Buffer.from(JSON.stringify({ sub: `fake-${randomText(10)}`, iat: 1_700_000_000 })).toString(
    'base64url',
  );
  const signature = randomBytes(32).toString('base64url');
  const text = `eyJhbGciOiJIUzI1NiJ9.${payload}.${signature}`;
  return { kind: 'jwt', text, needles: [text, payload, signature] };
}

/** A `Bearer` credential with a random token. */
export function bearerCanary(): PiiCanary {
  const token = `tok${randomText(28, LETTERS + LETTERS.toUpperCase() + '0123456789')}`;
  return { kind: 'bearer-token', text: `Bearer ${token}`, needles: [token] };
}

/** An AWS access key id shape (`AKIA` + 16 base32 characters), random. */
export function awsKeyCanary(): PiiCanary {
  const text = `AKIA${randomText(16, BASE32)}`;
  return { kind: 'aws-access-key', text, needles: [text, text.slice(4)] };
}

/** One canary of each kind. */
export function oneOfEachKind(): PiiCanary[] {
  return [
    emailCanary(),
    cardCanary(),
    ibanCanary(),
    ssnCanary(),
    phoneCanary(),
    ipv4Canary(),
    jwtCanary(),
    bearerCanary(),
    awsKeyCanary(),
  ];
}

/** A canary of the kind at `index` (cycling through the kinds). */
export function canaryOfKind(index: number): PiiCanary {
  const makers = [
    emailCanary,
    cardCanary,
    ibanCanary,
    ssnCanary,
    phoneCanary,
    ipv4Canary,
    jwtCanary,
    bearerCanary,
    awsKeyCanary,
  ];
  return makers[index % makers.length]();
}

/** Every needle of `canaries` found in `haystack` (a string or raw bytes searched as UTF-8). */
export function leakedNeedles(
  haystack: string | Buffer,
  canaries: readonly { needles: readonly string[] }[],
): string[] {
  const found: string[] = [];
  for (const canary of canaries) for (const needle of canary.needles) if (haystack.includes(needle)) found.push(needle);
  return found;
}

/** Generated Luhn-valid 16-digit Visa and Mastercard numbers, as numbers (a fast-check arbitrary). */
export const cardNumbers: fc.Arbitrary<number> = fc
  .tuple(fc.constantFrom('4', '51', '55'), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }))
  .map(([p, d]) => (p + d.join('')).slice(0, 15))
  .map((body) => Number(body + luhnCheckDigit(body)));
