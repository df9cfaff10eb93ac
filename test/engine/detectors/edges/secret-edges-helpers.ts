import fc from 'fast-check';
import { afterAll, expect } from 'vitest';
import { defaultPolicy } from '../../../../index';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import type { DetectorScanner } from '../../../../engine/detectors/value-scanner';
import type { DetectorName } from '../../../../policy/schema';
import { privacyPipelines } from '../../../assurance/helpers/outside-attack';

// Shared by the secret and encoding detectors' edge suites (`edges/<detector>.test.ts`): each edge is read through the
// public value scanner with and without its single-pass pre-filter (the pre-filter must never change the output), and
// a representative subset through real SDK providers with the default policy.

export interface EdgeScanners {
  readonly scanners: readonly DetectorScanner[];
  /** Every scanner masks `secret` out of `text` and reports `type`. */
  found(text: string, secret: string, type?: string): void;
  /** Every scanner exports `text` as written (no finding). */
  kept(text: string): void;
  /**
   * Every scanner returns `marked` without « » and with each «…» masked as the first detector's type: exactly that
   * text (a case without « » exactly as written).
   */
  marked(marked: string): void;
}

/** The named detectors (or custom patterns) through the value scanner, pre-filter on and off. */
export function edgeScanners(
  detectors: readonly DetectorName[],
  custom?: readonly { name: string; pattern: string }[],
): EdgeScanners {
  const scanners = [true, false].map((prefilter) =>
    createValueScanner({
      detectors,
      ...(custom ? { custom } : {}),
      action: 'mask',
      mask: '[REDACTED:{type}]',
      cleanCacheSize: 0,
      prefilter,
    }),
  );
  const type = custom?.[0]?.name ?? detectors[0]!;
  return {
    scanners,
    found(text, secret, t = type) {
      for (const [i, s] of scanners.entries()) {
        const r = s.scan(text);
        expect(r.value, `${i === 0 ? 'pre-filter' : 'no pre-filter'}: ${JSON.stringify(text)}`).not.toContain(secret);
        expect(r.types, JSON.stringify(text)).toContain(t);
      }
    },
    kept(text) {
      for (const [i, s] of scanners.entries())
        expect(s.scan(text).value, `${i === 0 ? 'pre-filter' : 'no pre-filter'}`).toBe(text);
    },
    marked(marked) {
      const text = marked.replace(/[«»]/g, '');
      const want = marked.replace(/«[^»]*»/g, `[REDACTED:${type}]`);
      for (const [i, s] of scanners.entries())
        expect(
          s.scan(text).value,
          `${i === 0 ? 'pre-filter' : 'no pre-filter'}: ${JSON.stringify(text.slice(-160))}`,
        ).toBe(want);
    },
  };
}

/** Strings over `alphabet` of `min` to `max` characters. */
export const chars = (alphabet: string, min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });

export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const DIGITS = '0123456789';
export const ALNUM = LOWER + UPPER + DIGITS;

/** Words of prose around an edge: lower-case letters, no digit (no detector's token). */
export const prose = chars('abcdefghijklmnopqrstuvwxyz', 2, 8);

/**
 * Real SDK providers behind the privacy processors with the default policy (fake HMAC key): `exported(text)` emits
 * `text` as a log body (scanned under the default policy) and returns the exported OTLP/JSON.
 */
export function defaultPipeline(): { exported(text: string): string } {
  const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x3c).toString('base64')}`; // fake test key
  const { loggerProvider, exportedJson } = privacyPipelines(defaultPolicy());
  afterAll(() => {
    if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
    else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
  });
  return {
    exported(text: string): string {
      loggerProvider.getLogger('edges').emit({ body: text });
      return exportedJson();
    },
  };
}
