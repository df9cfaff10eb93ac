import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// The fifth outside attack round's bracketed country codes, through real SDK providers with the privacy processors
// and the DEFAULT policy: an international number whose `+` and country code are written in brackets, as Indian and
// British forms and CRMs write them (`(+91) 98765 43210`, `(+44)20 7946 0958`), in a log body and an event name. No
// digits of the national number may be exported; a bracketed code without a number (`dial (+44) for the UK`) stays.
const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5a).toString('base64')}`; // fake test key
const { tracerProvider, loggerProvider, exportedJson } = privacyPipelines(defaultPolicy());
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

/** Sends `text` as a log body and an event name; returns both as exported. */
function roundTrip(text: string): string[] {
  const span = tracerProvider.getTracer('attack').startSpan('work');
  span.addEvent(text);
  span.end();
  loggerProvider.getLogger('attack').emit({ body: text });
  const [traces, logs] = exportedJson().split('\n');
  const t = JSON.parse(traces) as { resourceSpans: { scopeSpans: { spans: { events: { name: string }[] }[] }[] }[] };
  const l = JSON.parse(logs) as {
    resourceLogs: { scopeLogs: { logRecords: { body?: { stringValue?: string } }[] }[] }[];
  };
  return [
    ...t.resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) => s.spans.flatMap((sp) => sp.events.map((e) => e.name))),
    ),
    ...l.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords.map((x) => x.body?.stringValue ?? ''))),
  ];
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
