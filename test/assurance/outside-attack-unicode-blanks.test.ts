import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// An outside tester's blank operator under the DEFAULT policy, through real SDK providers: every blank of a fake
// identifier replaced by a character that reads as one but that NFKC leaves alone (the ogham space mark U+1680, the
// line and paragraph separators U+2028/U+2029, next line U+0085, vertical tab, form feed). The view removed the
// ASCII controls and kept the others, so `Authorization: Bearer\u2028…` and `jane\u2029@\u2029example.com` were
// exported whole.
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x2c).toString('base64')}`; // fake test key
const { loggerProvider, exportedJson } = privacyPipelines(defaultPolicy());

/** Every string of the exported logs request. */
function exportedLogs(text: string): string[] {
  loggerProvider.getLogger('attack').emit({ body: text, attributes: { 'error.type': text } });
  const out: string[] = [];
  JSON.parse(exportedJson().split('\n')[1], (key, value: unknown) => {
    if (typeof value === 'string') out.push(value);
    return value;
  });
  return out;
}

const token = fc.stringMatching(/^[A-Za-z0-9]{16,32}$/).filter((t) => /\d/.test(t) && /[A-Za-z]/.test(t));
const canary = fc.oneof(
  token.map((t) => `Authorization: Bearer ${t}`),
  token.map((t) => `Bearer ${t}`),
  fc.constantFrom('jane @ example.com', '4111 1111 1111 1111', '+1 202 555 0143', 'GB82 WEST 1234 5698 7654 32'),
);

describe('blanks NFKC leaves alone (default policy)', () => {
  it('no exported log body or attribute keeps the identifier', () => {
    fc.assert(
      fc.property(canary, fc.constantFrom('\u1680', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c'), (c, blank) => {
        const text = c.replace(/ /g, blank);
        const out = exportedLogs(text);
        expect(out, JSON.stringify(text)).not.toContain(text);
        expect(out.filter((s) => s.includes('[REDACTED:')).length).toBe(2);
      }),
      { numRuns: 120 },
    );
  });

  it('prose with those blanks is exported as written', () => {
    for (const text of [
      'line one\u2028line two',
      'page\u000cbreak',
      'ogham\u1680space mark',
      'Bearer\u2028token expired',
    ])
      expect(exportedLogs(text)).toContain(text);
  });
});
