import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';

// `redactTransformed(raw, transformed)` (engine/detectors/value-scanner.ts): a private key found in the raw value that
// the transform rewrote in places (a log body's URL rules turn some of its `/`-separated words into `{id}`) cannot be
// masked word by word, so the whole value is replaced: by the mask, or with `action: hash` by the pseudonym of the
// whole raw value. Generated key bodies (a DER start the bare-body rule reads, then random base64 lines), armors a
// PEM reader takes or an evasion writes, a rewrite of a random stretch of a random line.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const line = fc.string({ unit: fc.constantFrom(...B64), minLength: 64, maxLength: 64 });
const DER_START = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC';
const ARMORS = [
  ['-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----'],
  ['-----BEGIN-PRIVATE-KEY-----', '-----END-PRIVATE-KEY-----'],
  ['–––––BEGIN–PRIVATE–KEY–––––', '–––––END–PRIVATE–KEY–––––'],
  ['', ''],
] as const;

const MASK = '[X:{type}]';
const hash = (text: string) => `H<${text.length}:${text.slice(-6)}>`;
const scanners = {
  mask: createValueScanner({ detectors: 'all', action: 'mask', mask: MASK, cleanCacheSize: 0 }),
  hash: createValueScanner({ detectors: 'all', action: 'hash', mask: MASK, cleanCacheSize: 0, hash }),
};

/** A key (raw) and the same with one stretch of one body line rewritten to `{id}` (transformed). */
const rewrittenKey = fc
  .record({
    armor: fc.constantFrom(...ARMORS),
    lines: fc.array(line, { minLength: 2, maxLength: 4 }),
    which: fc.nat(),
    from: fc.integer({ min: 0, max: 40 }),
    length: fc.integer({ min: 8, max: 20 }),
    before: fc.constantFrom('', 'key: ', 'config dump '),
  })
  .map(({ armor, lines, which, from, length, before }) => {
    const body = [DER_START + lines[0].slice(DER_START.length), ...lines.slice(1)];
    const k = which % body.length;
    const rewritten = body.map((l, i) => (i === k ? l.slice(0, from) + '{id}' + l.slice(from + length) : l));
    const wrap = (b: string[]) => before + (armor[0] === '' ? b.join('\n') : [armor[0], ...b, armor[1]].join('\n'));
    return { raw: wrap(body), transformed: wrap(rewritten) };
  });

describe('redactTransformed: a private key the transform rewrote in places', () => {
  it('masks the whole value: no stretch of the key is exported (action mask)', () => {
    fc.assert(
      fc.property(rewrittenKey, ({ raw, transformed }) => {
        expect(scanners.mask.redactTransformed(raw, transformed)).toBe('[X:private-key]');
      }),
      { numRuns: 150 },
    );
  });

  it('with action hash the value is the pseudonym of the whole raw value, not a mask', () => {
    fc.assert(
      fc.property(rewrittenKey, ({ raw, transformed }) => {
        expect(scanners.hash.redactTransformed(raw, transformed)).toBe(hash(raw));
      }),
      { numRuns: 150 },
    );
  });
});
