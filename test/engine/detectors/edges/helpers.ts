import fc from 'fast-check';
import { expect } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import type { DetectorName } from '../../../../policy/schema';
import { outsideAttack } from '../../../assurance/helpers/outside-attack';

// Shared by the rule-edge suites of this folder: one detector read through the public value scanner, with and without
// its pre-filter, and the assertions "exactly this stretch is masked" / "nothing is masked".

/** The scanner for `detector` alone, with and without the single-pass pre-filter. */
export function scannersFor(detector: DetectorName) {
  return [true, false].map((prefilter) =>
    createValueScanner({ detectors: [detector], action: 'mask', mask: '[X:{type}]', cleanCacheSize: 0, prefilter }),
  );
}

/** An edge checker for one detector: `masks(before, hit, after)` and `keeps(text)`. */
export function edges(detector: DetectorName) {
  const scan = scannersFor(detector);
  const tag = `[X:${detector}]`;
  return {
    /** `before + hit + after` comes out with exactly `hit` masked. */
    masks(before: string, hit: string, after = ''): void {
      for (const s of scan)
        expect(s.scan(before + hit + after).value, JSON.stringify(before + hit + after)).toBe(before + tag + after);
    },
    /** `text` comes out as it went in. */
    keeps(text: string): void {
      for (const s of scan) expect(s.scan(text).value, JSON.stringify(text)).toBe(text);
    },
    /** Whether anything is found in `text` (both scanners agree). */
    finds(text: string): boolean {
      const [a, b] = scan.map((s) => s.scan(text).findings > 0);
      expect(a).toBe(b);
      return a;
    },
  };
}

/** `n` random decimal digits. */
export const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
/** `n` random digits 1-9 (no group of them starts `00`, which several rules refuse). */
export const nz = (n: number) => fc.string({ unit: fc.constantFrom(...'123456789'), minLength: n, maxLength: n });
/** One digit in `[min, max]`. */
export const digit = (min = 0, max = 9) => fc.integer({ min, max }).map(String);
/** Lower-case ASCII words of 1 to `max` letters. */
export const word = (max = 6) =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: max });
/** Prose before a value that holds no detector's keyword or digits. */
export const prose = fc.constantFrom('', 'note ', 'value: ', 'see ', 'x = ', 'the id ', '"', '[');

/**
 * The Unicode slashes, asterisk, tildes and commas (`⁄` `∕` `∗` `⁓` `〜` Arabic `،` `؛`, ideographic `、`) that
 * docs/detectors.md lists as separators of card numbers and IBANs alike.
 */
export const UNICODE_PUNCT_SEPARATORS = [
  '\u2044',
  '\u2215',
  '\u2217',
  '\u2053',
  '\u301c',
  '\u060c',
  '\u061b',
  '\u3001',
];

/** Property runs per property: the files stay well under a few seconds. */
export const RUNS = { numRuns: 40 };

/**
 * Real SDK providers with the default policy (registers the calling file's hooks): `text` is emitted as a log body
 * and as a span's name; returns the OTLP/JSON an exporter would send.
 */
export function defaultPolicyExport(): (text: string) => Promise<string> {
  const attack = outsideAttack();
  return (text) =>
    attack.exported(() => {
      attack.loggerProvider.getLogger('edges').emit({ body: text });
      attack.tracerProvider.getTracer('edges').startSpan(text).end();
    });
}

/** The IBAN of `country` with account part `bban`, its mod-97 check digits computed (`remainder` 1: a valid one). */
export function withIbanCheck(country: string, bban: string, remainder = 1): string {
  const digits = (bban + country + '00').toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = (97 + remainder - Number(BigInt(digits) % 97n)) % 97;
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** RFC 4648 base32 of `bytes`, upper case, with padding (a reference encoder for the run decoders' tests). */
export function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let out = '';
  for (let k = 0; k < bits.length; k += 5) out += alphabet[parseInt(bits.slice(k, k + 5).padEnd(5, '0'), 2)];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

/** UTF-16 big endian bytes of `s`. */
export function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let k = 0; k + 1 < le.length; k += 2) [le[k], le[k + 1]] = [le[k + 1], le[k]];
  return le;
}

/** Whether `new RegExp(pattern, 'g')` compiles (what the custom-pattern checker runs first). */
export function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'g');
    return true;
  } catch {
    return false;
  }
}
