import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeStatement } from '../../../engine/sanitizers/statement-sanitizer';

// Commands with a `numkeys` count (`EVAL script numkeys key… arg…`, `ZUNION numkeys key…`, `ZUNIONSTORE dest numkeys
// key…`) keep the count as written. When a client writes a value where the count belongs (a malformed or
// hand-built command), that value is an argument like any other: it must not be exported.

const commands: [string, number][] = [
  ['EVAL', 2],
  ['EVALSHA', 2],
  ['FCALL', 2],
  ['ZUNION', 1],
  ['SINTERCARD', 1],
  ['LMPOP', 1],
  ['ZUNIONSTORE', 2],
  ['ZDIFFSTORE', 2],
];

/** A plain word (letters, maybe joined by `.`, `-` or `_`: `jane.doe`), which a subcommand or count slot would keep. */
const word = fc
  .tuple(fc.stringMatching(/^[a-z]{4,10}$/), fc.constantFrom('', '.', '-', '_'), fc.stringMatching(/^[a-z]{0,6}$/))
  .map(([a, sep, b]) => (b === '' ? a : `${a}${sep}${b}`))
  .filter((w) => w.length >= 4);

describe('redis commands with a numkeys count', () => {
  it('do not export a value written where the count belongs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...commands),
        word,
        fc.array(fc.stringMatching(/^[a-z]{1,6}:[0-9]{1,5}$/), { minLength: 0, maxLength: 3 }),
        ([name, countAt], secret, rest) => {
          const args = countAt === 2 ? ['first', secret, ...rest] : [secret, ...rest];
          const statement = [name, ...args].join(' ');
          const out = sanitizeStatement(statement, 'redis') ?? '';
          expect(out.split(' ').slice(1), `${statement} -> ${out}`).not.toContain(secret);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// Module commands carry digits in their names (`TS.MRANGE`, `CF.ADD`, a module's `MYMOD.V10`): an unknown command
// name of letters, `.`, `_` and digits (not first) is kept as written, every argument masked.
describe('redis command names with digits', () => {
  it('are kept, whatever the digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{2,6}\.[A-Z]{1,4}[0-9]{1,3}$/),
        fc.stringMatching(/^[a-z]{4,8}$/),
        (name, value) => {
          expect(sanitizeStatement(`${name} ${value}`, 'redis')).toBe(`${name} ?`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
