import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// An e-mail address with a quoted local part, written one character apart (`"j*a*n*e*"@*e*x*a*m*p*l*e*.*c*o*m`): the
// single pass gave a value the spaced view only when the characters on both sides of the `@` were the same separator,
// and a quoted local part puts its closing quote there, so the address was exported (found by prefilter.test.ts, which
// compares the scanner with and without its pre-filter). Real SDK providers with the default policy.

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4e).toString('base64')}`; // fake test key
const { tracerProvider, loggerProvider, exportedJson } = privacyPipelines(defaultPolicy());
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

const word = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: min, maxLength: max });

describe('outside attack: a quoted local part written one character apart', () => {
  it('is not exported in a span attribute or a log body (property)', () => {
    fc.assert(
      fc.property(
        word(3, 8),
        word(4, 9),
        fc.constantFrom('example.com', 'example.org', 'mail.example.net'),
        fc.constantFrom(' ', '*', '_', '-', '~', '|', '/', '+'),
        (local, tail, domain, sep) => {
          const apart = (s: string) => [...s].join(sep);
          const written = `"${apart(local)}${sep}"@${sep}${apart(domain)}`;
          tracerProvider
            .getTracer('quoted')
            .startSpan('op', { attributes: { 'error.type': written } })
            .end();
          loggerProvider.getLogger('quoted').emit({ body: `contact ${written} ${tail}` });
          const json = exportedJson();
          expect(json, written).not.toContain(JSON.stringify(written).slice(1, -1));
          expect(json, written).not.toContain(apart(domain));
        },
      ),
      { numRuns: 150 },
    );
  });
});
