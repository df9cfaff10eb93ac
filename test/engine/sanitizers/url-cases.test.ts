import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUrlSanitizer } from '../../../engine/sanitizers/url-sanitizer';
import { sanitizeUrlsInText } from '../../../engine/sanitizers/url-text';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { URL_CASES, URL_TEXT_CASES } from './testdata/url-cases';

const sanitizers = { default: createUrlSanitizer(), keepPage: createUrlSanitizer({ keepParams: ['page'] }) };

describe('URL sanitizer: hand-labeled rule edges (testdata/url-cases.ts)', () => {
  it.each(URL_CASES.map((c) => [c.rule, c] as const))('%s', (_name, c) => {
    expect(sanitizers[c.options ?? 'default'](c.input)).toBe(c.expected);
  });

  it.each(URL_TEXT_CASES)('free text %j', (text, expected) => {
    expect(sanitizeUrlsInText(text, sanitizers.default)).toBe(expected);
  });
});

describe('URL sanitizer: properties', () => {
  it('no parameter value survives the allowlist default, whatever it holds', () => {
    const name = fc.stringMatching(/^[a-z]{1,8}$/);
    const value = fc
      .string({ unit: fc.constantFrom(...'aZ9 @&=#?/%+;.\u00e9\u6d4b'), maxLength: 16 })
      .map(encodeURIComponent);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 4 }), (params) => {
        const query = params.map(([k, v]) => `${k}=${v}`).join('&');
        const expected = params.map(([k]) => `${k}=REDACTED`).join('&');
        expect(sanitizers.default(`https://shop.example/s?${query}`)).toBe(`https://shop.example/s?${expected}`);
      }),
      fuzzParameters(200),
    );
  });

  it('an integer segment of any length becomes {id}', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,30}$/), (n) => {
        expect(sanitizers.default(`/orders/${n}/items`)).toBe('/orders/{id}/items');
      }),
      fuzzParameters(100),
    );
  });
});
