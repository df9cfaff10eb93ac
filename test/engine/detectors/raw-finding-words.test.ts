import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner, replaceWords } from '../../../engine/detectors/value-scanner';

// `redactTransformed` masks the words of a raw finding that a sanitizer's rewrite left in the output. The words used to
// be found with a closure, `split` at a regex and a `/\d/` test per word; `replaceWords` does it in one character loop.
// The old code is kept here as the oracle: same output, same "was anything replaced" (a finding is counted on it).

const PIECE_SEPARATORS = /[^A-Za-z0-9+/=_~-]+/;
const MIN_PIECE = 8;

/** The words step of `redactTransformed` before the rewrite (verbatim apart from returning `undefined` for no hit). */
function oracle(
  out: string,
  secret: string,
  mask: string | undefined,
  hash: ((text: string) => string) | undefined,
): string | undefined {
  let hit = false;
  const replace = (piece: string) => {
    if (out.indexOf(piece) === -1) return;
    out = out.split(piece).join(mask === undefined ? hash!(piece) : mask);
    hit = true;
  };
  for (const piece of secret.split(PIECE_SEPARATORS)) if (piece.length >= MIN_PIECE && /\d/.test(piece)) replace(piece);
  return hit ? out : undefined;
}

// Characters of every class the split distinguishes: word characters (letters, digits, `+/=_~-`), ASCII separators,
// non-ASCII (one code unit, surrogate pairs, lone surrogates).
const unit = fc.oneof(
  fc.constantFrom(...'0123456789'),
  fc.constantFrom(...'abcXYZ+/=_~-'),
  fc.constantFrom(...' .@:%?&#;,!\t\n[]{}()\'"\\'),
  fc.constantFrom('é', 'ü', '\u00a0', '\u200b', '０', '😀', '\ud800', '\udc00'),
);
const word = fc.string({ unit, minLength: 0, maxLength: 24 });

describe('replaceWords (the raw-finding word step of redactTransformed)', () => {
  it('matches the split-based oracle on generated findings and outputs, mask and hash', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(4), { maxLength: 4 }),
        word,
        fc.constantFrom<string | undefined>('[REDACTED:email]', '', '$&$1', undefined),
        (parts, keep, noise, mask) => {
          const secret = parts.join('');
          // The output holds some of the finding's words (as a rewrite leaves them) between other text.
          const out = keep.map((k) => (parts[k % parts.length] ?? '') + noise).join('/');
          const hash = (t: string) => `h(${t.length})`;
          expect(replaceWords(out, secret, mask, hash)).toBe(oracle(out, secret, mask, hash));
        },
      ),
      { numRuns: 20000, seed: 18 },
    );
  });

  it('replaces only words of 8+ characters with a digit, all occurrences, and reports no hit as undefined', () => {
    expect(replaceWords('a fake0001x b', 'x@fake0001x.example', 'M', undefined)).toBe('a M b');
    expect(replaceWords('fake001 fake001', 'fake001@example', 'M', undefined)).toBeUndefined(); // 7 characters
    expect(replaceWords('abcdefgh', 'abcdefgh@example', 'M', undefined)).toBeUndefined(); // no digit
    expect(replaceWords('k b+1234567/ b+1234567/', 'a b+1234567/', 'M', undefined)).toBe('k M M'); // `+`, `/`: word
    expect(replaceWords('k 1234 5678', '1234.5678', 'M', undefined)).toBeUndefined();
  });

  it('redactTransformed masks a raw finding whole, or its words, and counts each finding it masked once', () => {
    const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]' });
    // The rewrite broke the address (`@` became `/`): its word with digits is still in the output.
    const out = scanner.redactTransformed('to=fake.person0042@example.com', 'to=fake.person0042/example.com');
    expect(out).toBe('to=fake.[email]/example.com');
    expect(scanner.findings.email).toBe(1);
    expect(scanner.redactTransformed('x fake.person@example.com', 'x fake.person@example.com?')).toBe('x [email]?');
  });
});
