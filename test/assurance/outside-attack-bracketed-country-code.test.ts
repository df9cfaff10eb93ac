import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, sendAsNames } from './helpers/outside-attack';

// The fifth outside attack round's bracketed country codes, through real SDK providers with the privacy processors
// and the DEFAULT policy: an international number whose `+` and country code are written in brackets, as Indian and
// British forms and CRMs write them (`(+91) 98765 43210`, `(+44)20 7946 0958`), in a log body and an event name. No
// digits of the national number may be exported; a bracketed code without a number (`dial (+44) for the UK`) stays.
const pipelines = defaultPolicyPipelines();

/** Sends `text` as an event name and a log body; returns both as exported (span names get their own rules). */
function roundTrip(text: string): string[] {
  const { event, body } = sendAsNames(pipelines, text);
  return [event, body];
}

/** Fake numbers: country code and national groups. */
const numbers = fc.constantFrom(
  ['1', '202', '555', '0143'],
  ['44', '20', '7946', '0958'],
  ['91', '98765', '43210'],
  ['33', '1', '23', '45', '67', '89'],
  ['49', '30', '901820'],
  ['61', '4', '1234', '5678'],
);
const groupSep = fc.constantFrom(' ', '-', '.');
const afterCode = fc.constantFrom(' ', '', '-');
const contexts = fc.constantFrom(
  (s: string) => s,
  (s: string) => `call ${s} today`,
  (s: string) => JSON.stringify({ contact: s }),
  (s: string) => `<td>${s}</td>`,
);

describe('outside attack round 5: bracketed country codes', () => {
  it('an international number with its `+` and country code in brackets is masked', () => {
    fc.assert(
      fc.property(numbers, groupSep, afterCode, contexts, ([code, ...national], sep, gap, wrap) => {
        const text = wrap(`(+${code})${gap}${national.join(sep)}`);
        for (const value of roundTrip(text))
          expect(value.replace(/\D/g, ''), `${JSON.stringify(text)} → ${JSON.stringify(value)}`).not.toContain(
            national.join(''),
          );
      }),
      { numRuns: 150 },
    );
  });

  it('a bracketed country code without a number is exported as written', () => {
    for (const text of ['dial (+44) for the UK', 'rate (+5) 12 ms', 'delta (+12) over 3 runs'])
      expect(roundTrip(text)).toEqual([text, text]);
  });
});
