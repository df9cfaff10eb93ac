import { SpanKind } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';

// The number rule of span-name values and host labels (engine/sanitizers/name-tokens.ts, `hasIdDigits`): three digits
// or more, or a run of two digits not right after a letter (`INV-42`), carry a number; two digits glued to a letter
// (`v10`, `db01`) and one digit after a separator do not. Read through the default policy on a real TracerProvider.

process.env.OTEL_PRIVACY_HMAC_KEY ??= `base64:${Buffer.alloc(32, 0x5a).toString('base64')}`; // fake test key
const { tracerProvider, spans } = privacyPipelines(defaultPolicy());

/** The exported name of one client span named `name`. */
function exportedName(name: string): string {
  spans.reset();
  tracerProvider.getTracer('name-token-digits').startSpan(name, { kind: SpanKind.CLIENT }).end();
  return spans.getFinishedSpans()[0]!.name;
}

const letters = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 6 });
const digit = fc.constantFrom(...'0123456789');
const caseOf = (w: string, upper: boolean) => (upper ? w.toUpperCase() : w);

describe('span names: which digits make a value or host label an identifier', () => {
  it('two digits after a separator are a number (`INV-42`), in a key:value token and in a host label', () => {
    fc.assert(
      fc.property(letters, fc.constantFrom('-', '_'), digit, digit, fc.boolean(), (w, sep, d1, d2, upper) => {
        const value = `${caseOf(w, upper)}${sep}${d1}${d2}`;
        expect(exportedName(`GET order:${value}`)).toBe('GET order:{id}');
        expect(exportedName(`connect ${value}.db.example.test:5432`)).toBe('connect {id}.db.example.test:5432');
      }),
      { numRuns: 40 },
    );
  });

  it('two digits glued to a letter (`v10`, `db01`) and one digit after a separator are no number; three glued are', () => {
    fc.assert(
      fc.property(letters, fc.constantFrom('-', '_'), digit, digit, digit, (w, sep, d1, d2, d3) => {
        for (const kept of [`${w}${d1}${d2}`, `${w}${sep}${d1}`]) {
          expect(exportedName(`GET order:${kept}`)).toBe(`GET order:${kept}`);
          expect(exportedName(`connect ${kept}.db.example.test:5432`)).toBe(`connect ${kept}.db.example.test:5432`);
        }
        expect(exportedName(`GET order:${w}${d1}${d2}${d3}`)).toBe('GET order:{id}');
      }),
      { numRuns: 40 },
    );
  });
});
