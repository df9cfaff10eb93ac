import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInDetectors } from '../../../engine/detectors/registry';
import type { Finding } from '../../../engine/detectors/types';
import { seedValues } from './testdata/corpus';

// Detectors loop over their module's compiled global patterns (`fromStart` in `chars.ts`) instead of compiling a copy
// per value, so a pattern's `lastIndex` outlives a call: a loop that stops early (a PuTTY key without its
// `Private-Lines:`, a match at the end of a long value) leaves it where it stopped. What a detector finds in a value must
// not depend on what it read before.

const seeds = Object.values(seedValues).flat();
/** Seeds placed in text, some far into a long value (a stale `lastIndex` past a short value's finding hides it). */
const value = fc.oneof(
  fc.constantFrom(...seeds),
  fc.tuple(fc.constantFrom(...seeds), fc.nat({ max: 300 })).map(([s, pad]) => `${'x '.repeat(pad)}note ${s} end`),
  fc.constantFrom('PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none', 'token= token=', 'Bearer '.repeat(40)),
);

const find = (name: keyof typeof builtInDetectors, text: string): Finding[] => {
  const out: Finding[] = [];
  builtInDetectors[name].find(text, out);
  return out;
};

describe('detectors with reused patterns', () => {
  it.each(Object.keys(builtInDetectors) as (keyof typeof builtInDetectors)[])(
    '%s finds the same in a value whatever it read before',
    (name) => {
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), value, (before, text) => {
          const alone = find(name, text);
          for (const b of before) find(name, b);
          expect(find(name, text)).toEqual(alone);
        }),
        { numRuns: 300 },
      );
    },
  );
});
