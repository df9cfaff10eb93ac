import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyShape, sanitizeRedis } from '../../../engine/sanitizers/redis-sanitizer';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { REDIS_CASES } from './testdata/redis-cases';

describe('Redis sanitizer: hand-labeled rule edges (testdata/redis-cases.ts)', () => {
  it.each(REDIS_CASES.map((c) => [c.rule, c] as const))('%s', (_name, c) => {
    expect(sanitizeRedis(c.input)).toBe(c.expected);
  });
});

describe('Redis sanitizer: properties', () => {
  const letters = fc.stringMatching(/^[A-Za-z_-]{1,12}$/);
  const data = fc.stringMatching(/^[0-9@.+A-Za-z]{0,6}[0-9@+][0-9@.+A-Za-z]{0,6}$/);

  it('a key segment holding a digit, @ or + becomes one ? and nothing of it is kept', () => {
    fc.assert(
      fc.property(letters, data, letters, fc.constantFrom(':', '/', '|', '#', '=', ','), (ns, value, tail, sep) => {
        expect(keyShape(`${ns}${sep}${value}${sep}${tail}`)).toBe(`${ns}${sep}?${sep}${tail}`);
      }),
      fuzzParameters(200),
    );
  });

  it('AUTH and HELLO keep only their name, whatever the arguments', () => {
    const arg = fc.oneof(fc.constantFrom('EX', 'nx', 'count', 'LIMIT', 'get', '3', 'default'), data);
    fc.assert(
      fc.property(
        fc.constantFrom('AUTH', 'auth', 'HELLO'),
        fc.array(arg, { minLength: 1, maxLength: 4 }),
        (cmd, args) => {
          expect(sanitizeRedis(`${cmd} ${args.join(' ')}`)).toBe(`${cmd} ${args.map(() => '?').join(' ')}`);
        },
      ),
      fuzzParameters(200),
    );
  });
});
