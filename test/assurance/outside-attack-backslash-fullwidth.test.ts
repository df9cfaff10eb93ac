import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';

// An outside attack round's backslash before a fullwidth digit, through real SDK providers with the privacy processors
// and the DEFAULT policy: `C:\scans\１23-45-6789.pdf`, `\４111 1111 1111 1111`, `\２03.0.113.77`. The normalized view
// folded the fullwidth digit to ASCII after the `\`, and the next step read `\123`, `\4111 ` as octal and CSS escapes,
// eating the digits; without the `\` these are masked. No digits of the value may be exported from a log body, a
// span's name or `error.type`, a span event name or a log record's severity text.
const pipelines = defaultPolicyPipelines();
/** The fields each value is sent through. */
const FIELDS: readonly TextField[] = ['log body', 'error.type', 'span name', 'event name', 'severity text'];

/** Sends `text` through `field`; returns every string the OTLP/JSON requests exported. */
const exported = (field: string, text: string): string[] => exportedThrough(pipelines, field as TextField, text);

/** The digits of `s`, fullwidth digits read as ASCII. */
const digitsOf = (s: string) => s.normalize('NFKC').replace(/\D/g, '');

/** Fake values: documented SSN examples, issuers' test cards, documentation-range IPv4 addresses. */
const values = fc.constantFrom(
  '123-45-6789',
  '321-54-9876',
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  '5555 5555 5555 4444',
  '203.0.113.77',
  '198.51.100.23',
);
/** The first one to three characters written fullwidth (digits only: `１`, `２`, …). */
const fullwidth = (value: string, count: number) =>
  [...value]
    .map((ch, k) => (k < count && /\d/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch))
    .join('');
const backslashes = fc.constantFrom('\\', '\\\\');
const contexts = fc.constantFrom(
  (b: string, v: string) => `scan C:${b}scans${b}${v}.pdf`,
  (b: string, v: string) => `card ${b}${v}`,
  (b: string, v: string) => `peer ${b}${v} refused`,
  (b: string, v: string) => `value=${b}${v}`,
);
const fields = fc.constantFrom(...FIELDS);

describe('outside attack: a backslash before a fullwidth digit', () => {
  it('does not hide the value after it, in any field', () => {
    fc.assert(
      fc.property(
        values,
        fc.integer({ min: 1, max: 3 }),
        backslashes,
        contexts,
        fields,
        (value, count, b, wrap, field) => {
          const text = wrap(b, fullwidth(value, count));
          for (const out of exported(field, text))
            expect(digitsOf(out), `${field}: ${JSON.stringify(text)} → ${JSON.stringify(out)}`).not.toContain(
              digitsOf(value),
            );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the attacker's inputs are masked in every field", () => {
    for (const text of [
      'scan C:\\scans\\\uFF11' + '23-45-6789.pdf',
      'card \\\uFF14' + '111 1111 1111 1111',
      'card \\\uFF14' + '111-1111-1111-1111',
      'peer \\\uFF12' + '03.0.113.77',
    ])
      for (const field of FIELDS)
        for (const out of exported(field, text))
          expect(digitsOf(out), `${field}: ${JSON.stringify(text)}`).not.toMatch(
            /123456789|4111111111111111|203011377/,
          );
  });

  it('paths and short numbers after a backslash are exported as written', () => {
    for (const text of ['dir C:\\ｄocs\\ｒeport.pdf', 'page \\１2 of 40', 'ver \\２.3.1', 'C:\\data\\２024\\０1.log'])
      for (const field of ['log body', 'event name'])
        expect(exported(field, text), `${field}: ${JSON.stringify(text)}`).toContain(text);
  });
});
