import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { logsAndMetrics } from './helpers/logs-and-metrics';

// An outside tester's composed operators under the DEFAULT policy, through real SDK providers: a fake identifier
// written one character apart (`4 1 1 1 …`, `j.a.n.e.@…`, found as it is) and then put through a second operator that
// a reader or decoder downstream undoes: HTML or JSON escapes, percent- or quoted-printable encoding of the separators
// or of every character, fullwidth forms, zero-width characters or combining marks after each character. The spaced
// view used to read only the value as written, so `4&#32;1&#32;1…`, `４ １ １ …` and `j\u200b.a\u200b.n…` were exported
// whole in log bodies, log attributes and metric attributes alike.
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x3a).toString('base64')}`; // fake test key
const { loggerProvider, meterProvider, exported: exportedBy } = logsAndMetrics(defaultPolicy());
const counter = meterProvider.getMeter('attack').createCounter('attack.requests');

/** Fake identities (example.com, a 555 number, a test card, an invalid-in-practice SSN, a documentation address). */
const canaries = [
  'jane.doe@example.com',
  '+1 202 555 0143',
  '4111 1111 1111 1111',
  '4111111111111111',
  '123-45-6789',
  'GB82 WEST 1234 5698 7654 32',
  '203.0.113.7',
];

const hex = (c: string) => c.codePointAt(0)!.toString(16);
const encodings: Record<string, (chars: string[], sep: string) => string> = {
  htmlSeparator: (chars, sep) => chars.join(`&#${sep.codePointAt(0)};`),
  htmlEvery: (chars, sep) => chars.map((c) => `&#x${hex(c)};`).join(`&#x${hex(sep)};`),
  jsonSeparator: (chars, sep) => chars.join(`\\u${hex(sep).padStart(4, '0')}`),
  percentSeparator: (chars, sep) => chars.join(`%${hex(sep).padStart(2, '0')}`),
  percentEvery: (chars, sep) => chars.map((c) => `%${hex(c).padStart(2, '0')}`).join(`%${hex(sep).padStart(2, '0')}`),
  quotedPrintable: (chars, sep) => chars.join(`=${hex(sep).toUpperCase().padStart(2, '0')}`),
  fullwidth: (chars, sep) =>
    chars
      .map((c) => (c > ' ' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c))
      .join(sep > ' ' ? String.fromCodePoint(sep.codePointAt(0)! + 0xfee0) : '\u3000'),
  zeroWidth: (chars, sep) => chars.join(`\u200b${sep}`),
  combining: (chars, sep) => chars.map((c) => `${c}\u0301`).join(sep),
};

/** Every exported string after `text` is sent as a log body, a log attribute and a metric attribute. */
function exported(text: string): Promise<string[]> {
  return exportedBy(() => {
    loggerProvider.getLogger('attack').emit({ body: text, attributes: { 'error.type': text } });
    counter.add(1, { 'error.type': text });
  });
}

describe('characters one separator apart inside escapes and compatibility forms (default policy)', () => {
  it('no exported log body, log attribute or metric attribute keeps the composed writing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...canaries),
        fc.constantFrom('.', ' ', '_', '-', '/', '|', '*'),
        fc.constantFrom(...Object.keys(encodings)),
        async (canary, sep, encoding) => {
          const text = encodings[encoding]([...canary], sep);
          const out = await exported(text);
          expect(out, `${encoding} ${JSON.stringify(sep)} ${canary}: ${text}`).not.toContain(text);
          // The log body, the log attribute and the metric attribute each carry a mask (or the metric point is gone).
          expect(out.filter((s) => s.includes('[REDACTED:')).length).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('ordinary escaped and fullwidth text is exported as written', async () => {
    for (const text of ['v&#32;1&#32;2', '１ ２ ３', 'a&#46;b&#46;c', 'ｈｅｌｌｏ ｗｏｒｌｄ', 'id=%20%31%20%32']) {
      const out = await exported(text);
      expect(out).toContain(text);
    }
  });
});
