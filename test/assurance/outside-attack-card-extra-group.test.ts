import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';

// An outside attack round's card numbers, through real SDK providers with the privacy processors and the DEFAULT
// policy: a card with one more digit group next to it (an expiry, a CVV: `card 4111 1111 1111 1111 2812`,
// `1234 4111 1111 1111 1111`), and EMV track 2 equivalent data (card number, `D`, expiry, service code: tag 57 in
// payment-terminal logs, alone or inside a TLV hex string). No card number may be exported from a log body, a span's
// `error.type` or name, a span event name, a log record's severity text or event name.
const pipelines = defaultPolicyPipelines();
/** The fields each value is sent through. */
const FIELDS: readonly TextField[] = [
  'log body',
  'error.type',
  'span name',
  'event name',
  'severity text',
  'log event name',
];

/** Sends `text` through `field`; returns every string the OTLP/JSON requests exported. */
const exported = (field: string, text: string): string[] => exportedThrough(pipelines, field as TextField, text);

/** Whether an exported string holds the card's digits in order (separators between them ignored). */
function holds(value: string, pan: string): boolean {
  return value.replace(/\D/g, '').includes(pan);
}

/** Issuers' published test numbers (16 digits: four groups of four). */
const pans = fc.constantFrom(
  '4111111111111111',
  '5555555555554444',
  '4012888888881881',
  '5105105105105100',
  '6011111111111117',
  '4242424242424242',
  '3530111333300000',
);
/** The group next to the card: an expiry (YYMM, MMYY) or a CVV; none is a card prefix. */
const extra = fc.constantFrom('2812', '2901', '1228', '0929', '0331', '123', '737');
const groupSep = fc.constantFrom(' ', '-', '  ', ' - ');
const contexts = fc.constantFrom(
  (s: string) => s,
  (s: string) => `card ${s}`,
  (s: string) => `charge ${s} declined`,
  (s: string) => JSON.stringify({ pan: s }),
  (s: string) => `<td>${s}</td>`,
);
const fields = fc.constantFrom(...FIELDS);
const groups = (pan: string) => pan.match(/\d{4}/g)!;

describe('outside attack: a card number next to one more digit group', () => {
  it('is masked with one or two groups before or after it, whatever the separator, the text around it and the field', () => {
    /** The groups beside the card: one before, one after, one on each side, or two after (an expiry and a CVV). */
    const beside = fc.constantFrom<[number, number]>([1, 0], [0, 1], [1, 1], [0, 2]);
    fc.assert(
      fc.property(
        pans,
        extra,
        extra,
        beside,
        groupSep,
        contexts,
        fields,
        (pan, x, y, [before, after], sep, wrap, field) => {
          const run = [...[x].slice(0, before), ...groups(pan), ...[x, y].slice(0, after)];
          const text = wrap(run.join(sep));
          for (const value of exported(field, text))
            expect(holds(value, pan), `${field}: ${JSON.stringify(text)} → ${JSON.stringify(value)}`).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the attacker's inputs are masked in every field", () => {
    const inputs: [string, string][] = [
      ['card 4111 1111 1111 1111 2812', '4111111111111111'],
      ['card 4111-1111-1111-1111-2812', '4111111111111111'],
      ['card 5555 5555 5555 4444 1228', '5555555555554444'],
      ['card 1234 4111 1111 1111 1111', '4111111111111111'],
      ['charge 4111-1111-1111-1111-2812', '4111111111111111'],
      ['emv tag57=4111111111111111D28122010000000000F', '4111111111111111'],
      ['5F2A02097857134111111111111111D28122010000000000F', '4111111111111111'],
    ];
    for (const [text, pan] of inputs)
      for (const field of FIELDS)
        for (const value of exported(field, text))
          expect(holds(value, pan), `${field}: ${JSON.stringify(text)} → ${JSON.stringify(value)}`).toBe(false);
  });
});

describe('outside attack: EMV track 2 equivalent data', () => {
  /** Expiry YYMM (month 01-12), service code, discretionary data. */
  const expiry = fc
    .tuple(fc.integer({ min: 24, max: 39 }), fc.integer({ min: 1, max: 12 }))
    .map(([y, m]) => `${y}${String(m).padStart(2, '0')}`);
  const service = fc.constantFrom('201', '101', '221', '601');
  const discretionary = fc.stringMatching(/^[0-9]{0,13}$/);
  /** Track 2 as terminals log it: tag 57's hex (`D` separator, `F` padding), ASCII track 2 (`=`), TLV hex. */
  const forms = fc.constantFrom(
    (pan: string, rest: string) => `tag57=${pan}D${rest}F`,
    (pan: string, rest: string) =>
      `57${((pan.length + rest.length + 2) >> 1).toString(16).padStart(2, '0')}${pan}D${rest}F`,
    (pan: string, rest: string) => `5F2A020978 5713${pan}D${rest}F`.replace(' ', ''),
    (pan: string, rest: string) => `track2 ;${pan}=${rest}?`,
    (pan: string, rest: string) => `emv ${pan.toLowerCase()}d${rest}f`,
  );
  it('the card number before `D` or `=` and an expiry is masked, alone or inside TLV hex data', () => {
    fc.assert(
      fc.property(pans, expiry, service, discretionary, forms, fields, (pan, exp, svc, disc, form, field) => {
        const text = form(pan, `${exp}${svc}${disc}`);
        for (const value of exported(field, text))
          expect(holds(value, pan), `${field}: ${JSON.stringify(text)} → ${JSON.stringify(value)}`).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

describe('near misses stay', () => {
  it('digests, dates, order and tracking numbers, and a D-separated hex string without a card are exported as written', () => {
    for (const text of [
      // A table of four-digit numbers: windows of four are no card in a run of seven or more groups.
      '4000 4001 4002 4003 4004 4005 4006 4007 4008 4009',
      'sha1 9f86d0818a4111111111111111f4f1b2b0b822',
      'tracking 9400 1000 0000 0000 0000 00',
      'order 1234 5678 9012 3456 7890',
      'batch 0000 0000 0000 0000 2812',
      'at 2024-01-15 10:30:00',
      'build 4111111111111112D2812201F',
      'isbn 978 0 306 40615 7',
    ])
      for (const field of ['log body', 'event name'])
        expect(exported(field, text), `${field}: ${JSON.stringify(text)}`).toContain(text);
  });
});
