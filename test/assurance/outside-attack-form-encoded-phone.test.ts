import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';

// An outside attack round's form-encoded phone numbers, through real SDK providers with the privacy processors and
// the DEFAULT policy: form encoding writes the blank after the country code as `+` and the number's own `+` as `%2B`
// (`phone=%2B1+202-555-0143&country=US`), with other separators after it. No digits of the national number may be
// exported from a log body, a span's `error.type`, a span event name, a log record's severity text or event name.
const pipelines = defaultPolicyPipelines();
/** The fields each value is sent through. */
const FIELDS: readonly TextField[] = ['log body', 'error.type', 'event name', 'severity text', 'log event name'];

/** Sends `text` through `field`; returns every string the OTLP/JSON requests exported. */
const exported = (field: string, text: string): string[] => exportedThrough(pipelines, field as TextField, text);

/** Fake numbers: country code and national groups (555-01xx, Ofcom drama ranges, …). */
const numbers = fc.constantFrom(
  ['1', '202', '555', '0143'],
  ['44', '20', '7946', '0958'],
  ['91', '98765', '43210'],
  ['33', '6', '12', '34', '56', '78'],
  ['49', '30', '901820'],
  ['61', '4', '1234', '5678'],
);
/** How the number's own `+` is written: as is, or percent-encoded (either case). */
const plusSign = fc.constantFrom('+', '%2B', '%2b');
/** One separator between the national groups (`+` too: the all-`+` form of form encoding). */
const groupSep = fc.constantFrom(' ', '-', '.', '+');
const contexts = fc.constantFrom(
  (s: string) => s,
  (s: string) => `signup phone=${s}&country=US`,
  (s: string) => `POST /signup body: phone=${s}`,
  (s: string) => `call ${s} today`,
  (s: string) => JSON.stringify({ phone: s }),
);
const fields = fc.constantFrom(...FIELDS);

/** Whether an exported string holds the national number's digits (in order, any characters between). */
function holds(value: string, national: string[]): boolean {
  return value.replace(/\D/g, '').includes(national.join(''));
}

describe('outside attack: a phone number with `+` after the country code (form-encoded blank)', () => {
  it('is masked whatever the separators after it, the way its `+` is written, the text around it and the field', () => {
    fc.assert(
      fc.property(numbers, plusSign, groupSep, contexts, fields, ([code, ...national], plus, sep, wrap, field) => {
        const text = wrap(`${plus}${code}+${national.join(sep)}`);
        for (const value of exported(field, text))
          expect(holds(value, national), `${field}: ${JSON.stringify(text)} → ${JSON.stringify(value)}`).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("the attacker's inputs are masked in every field", () => {
    const inputs: [string, string[]][] = [
      ['signup phone=%2B1+202-555-0143&country=US', ['555', '0143']],
      ['POST /signup body: phone=%2B44+20-7946-0958', ['7946', '0958']],
      ['call +1+202-555-0143', ['555', '0143']],
      ['call +1+(202) 555-0143', ['555', '0143']],
      ['phone=%2B33+6.12.34.56.78', ['34', '56', '78']],
      ['phone=%2B91+98765-43210', ['98765', '43210']],
      ['call +1+202.555.0143', ['555', '0143']],
      ['phone=%2B1+(202)+555-0143', ['555', '0143']],
      ['phone=202+555-0143', ['555', '0143']],
    ];
    for (const [text, national] of inputs)
      for (const field of FIELDS)
        for (const value of exported(field, text))
          expect(holds(value, national), `${field}: ${JSON.stringify(text)} → ${JSON.stringify(value)}`).toBe(false);
  });

  it('versions with build metadata, offsets and sums joined by `+` are exported as written', () => {
    for (const text of [
      'build 1.0.0+20240101 ok',
      'semver 2.3.1+20231231.1',
      'sum 100+200+300=600',
      'at 2024-08-18T07:35:55+0100',
      // fractional seconds of eight or nine digits before an offset (a nanosecond clock): no phone with it
      'at 1995-01-01T00:00:00,00100000+05:30',
      'at 2024-08-18T07:35:55.123456789+0530 ok',
      'day 2024-08-18+02:00',
      'rate (+5) 12 ms',
      'delta +12.5+3.25',
    ])
      for (const field of ['log body', 'event name'])
        expect(exported(field, text), `${field}: ${JSON.stringify(text)}`).toContain(text);
  });
});
