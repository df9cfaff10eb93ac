import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FILE_EXTENSIONS, emailDetector, isFileExtension } from '../../../engine/detectors/email';
import type { Finding } from '../../../engine/detectors/types';

/** The reading `isFileExtension` replaces (two strings per address): the lower-cased text in the set. */
const reference = (tld: string): boolean => FILE_EXTENSIONS.has(tld.toLowerCase());

/** Every case of each character flipped at random; `K` (U+212A) and `İ` lower-case to ASCII, fullwidth do not. */
const cased = (s: string, flips: boolean[]): string =>
  [...s].map((ch, k) => (flips[k % flips.length] ? ch.toUpperCase() : ch)).join('');
const lookalikes = ['\u212a', '\u0130', '\u017f', 'ｐ', 'é', 'ß'];

/** `e` with one letter written as a look-alike that lower-cases to exactly that letter (U+212A for `k`). */
const asciiLowerLookalikes = (e: string): string[] =>
  [...e].flatMap((ch, k) =>
    lookalikes.filter((l) => l.toLowerCase() === ch).map((l) => e.slice(0, k) + l + e.slice(k + 1)),
  );

describe('email: file extensions after @ (`icon@2x.png`)', () => {
  it('isFileExtension reads a top-level domain as the lower-cased set lookup did, without making strings', () => {
    const extension = fc.constantFrom(...FILE_EXTENSIONS);
    const tld = fc.oneof(
      // every extension in every mix of cases
      fc.tuple(extension, fc.array(fc.boolean(), { minLength: 1, maxLength: 6 })).map(([e, f]) => cased(e, f)),
      // near misses: a character more, fewer, or replaced (letters, digits, punctuation, non-ASCII look-alikes)
      fc
        .tuple(extension, fc.nat(6), fc.constantFrom('', 'x', '2', '-', '_', '.', 'a', ...lookalikes))
        .map(([e, at, ch]) => e.slice(0, at % (e.length + 1)) + ch + e.slice((at % (e.length + 1)) + (ch ? 1 : 0))),
      fc.tuple(extension, fc.constantFrom('', 'x', '5', ...lookalikes)).map(([e, ch]) => e + ch),
      fc.string({ maxLength: 7 }),
      fc.stringMatching(/^[a-zA-Z0-9]{1,7}$/),
    );
    fc.assert(
      fc.property(tld, fc.string({ maxLength: 3 }), (t, pad) => {
        // read inside a longer text, as `domainEnd` does
        const text = `${pad}@a.${t}${pad}`;
        const start = pad.length + 3;
        expect(isFileExtension(text, start, start + t.length)).toBe(reference(t));
      }),
      { numRuns: 20_000 },
    );
  });

  it('an address whose top-level domain is an extension is no address, in any case; others are', () => {
    // (`mp4`, `woff2`, `bz2`: a top-level domain with a digit is read as a glued one first, another rule)
    for (const e of [...FILE_EXTENSIONS].filter((x) => !/\d/.test(x)))
      // (and with each letter that a non-ASCII character lower-cases to written so: `loc\u212a` is `lock`)
      for (const t of [e, e.toUpperCase(), e[0].toUpperCase() + e.slice(1), ...asciiLowerLookalikes(e)]) {
        const found: Finding[] = [];
        emailDetector.find(`asset icon@2x.${t} loaded`, found);
        expect(found, t).toEqual([]);
        const kept: Finding[] = [];
        emailDetector.find(`mail jane@example.${t}q sent`, kept);
        expect(kept.length, t).toBe(1);
      }
  });
});

describe('email: an obfuscated `at` after the end of a sentence', () => {
  it('`Jane. At example dot com …` is prose, not an address', () => {
    const name = fc.stringMatching(/^[A-Za-z][a-z]{1,8}$/);
    const word = fc.stringMatching(/^[a-z]{2,10}$/);
    fc.assert(
      fc.property(
        name,
        word,
        fc.constantFrom('at', 'At', 'AT'),
        fc.constantFrom('dot', 'DOT'),
        fc.constantFrom('com', 'org', 'net'),
        fc.constantFrom(['', ''], ['Thanks, ', ' we ship fast.'], ['ask ', ' today']),
        (who, site, at, dot, tld, [before, after]) => {
          const prose: Finding[] = [];
          emailDetector.find(`${before}${who}. ${at} ${site} ${dot} ${tld}${after}`, prose);
          expect(prose).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
