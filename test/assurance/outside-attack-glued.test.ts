import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../engine/detectors/value-scanner';
import { detectorNames } from '../../policy/schema';
import { canaryOfKind, leakedNeedles, oneOfEachKind } from './canaries';
import { outsideAttack } from './helpers/outside-attack';

// Two canaries glued together (no separator, one character shared, a few characters overlapping; both orders): their
// findings overlap, and the scanner used to keep the higher-precedence one and discard the other whole, so the part of
// the other outside the winner was exported as written
// (`payment 4111 1111 1111 1111jane.doe@example.com declined` → `payment [REDACTED:payment-card]jane.doe@…`).
// The oracle: what any one detector alone masks in the glued text (a needle of either canary, or either part) must
// not be exported when all run. Sent through real SDK providers with the default policy; the exported OTLP/JSON is
// searched for every such needle. (Glued text some detector no longer finds at all, such as a card followed by more
// digits, is a matter of that detector's boundaries, not of overlapping findings.)

const attack = outsideAttack();
const KINDS = oneOfEachKind().length;
/** One scanner per built-in detector (the oracle). */
const alone = detectorNames.map((name) =>
  createValueScanner({ detectors: [name], action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0 }),
);

/**
 * Canaries `i` and `j` glued, `overlap` characters of one of them cut where they meet (0: no separator; 1: they share
 * one character's place), and the needles that must not be exported: every needle of either canary and either part
 * that some detector alone masks in the glued text.
 */
function glue(i: number, j: number, overlap: number, cutFirst: boolean): [string, { needles: string[] }] {
  const first = canaryOfKind(i);
  const second = canaryOfKind(j);
  const a = cutFirst ? first.text.slice(0, first.text.length - overlap) : first.text;
  const b = cutFirst ? second.text : second.text.slice(overlap);
  const text = a + b;
  const masked = alone.map((scanner) => scanner.redact(text)!);
  const needles = [...first.needles, ...second.needles, a, b].filter(
    (n) => text.includes(n) && masked.some((m) => !m.includes(n)),
  );
  return [text, { needles }];
}

describe('two canaries glued together (property)', () => {
  it('no needle of either is exported from a log body, kept attributes, span names', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(KINDS - 1),
        fc.nat(KINDS - 1),
        fc.constantFrom(0, 1, 2, 3, 5),
        fc.boolean(),
        fc.constantFrom('', 'payment ', 'user=', '"'),
        fc.constantFrom('', ' declined', '"', ','),
        async (i, j, overlap, cutFirst, before, after) => {
          const [glued, needles] = glue(i, j, overlap, cutFirst);
          const value = before + glued + after;
          const out = await attack.exported(() => {
            attack.loggerProvider.getLogger('attack').emit({ body: value, attributes: { 'error.type': value } });
            attack.tracerProvider
              .getTracer('attack')
              .startSpan(value, { attributes: { 'error.type': value, 'code.function.name': value } })
              .end();
          });
          expect(out).toContain('"error.type"'); // exported, sanitized
          expect(leakedNeedles(out, [needles]), value).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('masks the e-mail glued after a card (the reported case)', async () => {
    const value = 'payment 4111 1111 1111 1111jane.doe@example.com declined';
    const out = await attack.exported(() => attack.loggerProvider.getLogger('attack').emit({ body: value }));
    expect(out).toContain('payment [REDACTED:');
    expect(out).not.toContain('jane.doe');
    expect(out).not.toContain('example.com');
  });
});
