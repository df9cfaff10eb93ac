import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';

// An AWS key id written in groups of four (`AKIA 7Q3Z Q7Z3 …`) is the same secret as the id written whole: whenever
// the scanner masks the whole id, it must mask every grouped spelling of it too. Bodies are drawn from small
// alphabets (3 to 6 distinct characters, one a digit), where the "placeholder" rules of the two forms meet. A body
// with no digit and a vowel in every group is left out: that grouped form is read as words on purpose (docs/detectors.md,
// "AWS key ids in groups of four that look like words").

const scanner = createValueScanner({
  detectors: 'all',
  action: 'mask',
  mask: '[REDACTED:{type}]',
  cleanCacheSize: 0,
});

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

const body = fc
  .tuple(fc.shuffledSubarray(LETTERS, { minLength: 2, maxLength: 5 }), fc.constantFrom(...'0123456789'))
  .chain(([letters, digit]) =>
    fc.tuple(
      fc.array(fc.constantFrom(...letters, digit), { minLength: 15, maxLength: 15 }),
      fc.nat({ max: 15 }),
      fc.constant(digit),
    ),
  )
  .map(([cs, at, digit]) => [...cs.slice(0, at), digit, ...cs.slice(at)].join(''));

describe('grouped AWS key ids', () => {
  it('are masked whenever the same id written whole is masked', () => {
    fc.assert(
      fc.property(fc.constantFrom('AKIA', 'ASIA'), body, fc.constantFrom(' ', '-', '_', '.', ':'), (prefix, b, sep) => {
        const whole = scanner.scan(`key ${prefix}${b} end`);
        fc.pre(whole.types.includes('aws-access-key'));
        const grouped = `${prefix}${sep}${b.slice(0, 4)}${sep}${b.slice(4, 8)}${sep}${b.slice(8, 12)}${sep}${b.slice(12)}`;
        const r = scanner.scan(`key ${grouped} end`);
        expect(r.types, grouped).toContain('aws-access-key');
        expect(r.value.replace(/[^A-Za-z0-9]/g, ''), grouped).not.toContain(b.slice(4, 12));
      }),
      { numRuns: 400 },
    );
  });
});
