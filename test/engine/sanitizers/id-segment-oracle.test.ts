import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIdSegment, sanitizeUrlPath } from '../../../engine/sanitizers/url-sanitizer';

// `isIdSegment` used to run three regexes (integer, UUID, long hex) before its character loop; they are folded into
// that loop now. The old implementation is kept here, verbatim, as the oracle: every generated segment must get the
// same answer.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^\d+$/;
const LONG_HEX = /^(?=[0-9a-f]*\d)[0-9a-f]{12,}$/i;

function safeDecode(s: string): string {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function valueByShape(s: string): boolean {
  let digits = 0;
  let upper = false;
  let lower = false;
  let run = 0;
  let runAfterLetter = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c > 0x7e) return true; // a space too (free text: `Jane%20Doe`)
    if (c === 64 || c === 92 || c === 34 || c === 60 || c === 62 || c === 94 || c === 96 || c === 124) return true;
    if (c >= 48 && c <= 57) {
      if (run === 0) runAfterLetter = i > 0 && isLetter(s.charCodeAt(i - 1));
      run++;
      if (++digits >= 3 || (run >= 2 && !runAfterLetter)) return true;
      continue;
    }
    run = 0;
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
  }
  return s.length >= 16 && digits > 0 && upper && lower;
}

function oldIsIdSegment(segment: string): boolean {
  if (segment.length === 0) return false;
  if (segment.length > 100) return true;
  const s = safeDecode(segment);
  return INTEGER.test(s) || UUID.test(s) || LONG_HEX.test(s) || valueByShape(s);
}

// Units of every class the old regexes and the loop tell apart: digits, hex letters in both cases, other letters,
// `-`, characters URLs never carry unencoded, other ASCII punctuation, controls, non-ASCII (one code unit, surrogate
// pairs, lone surrogates, letters that case-fold to ASCII), valid and broken %-escapes.
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'0123456789') },
  { weight: 4, arbitrary: fc.constantFrom(...'abcdefABCDEF') },
  { weight: 2, arbitrary: fc.constantFrom(...'ghzGHZkKsS') },
  { weight: 2, arbitrary: fc.constantFrom('-', '_', '.', '~', '+', ':', '=', ',', ' ') },
  fc.constantFrom('@', '\\', '"', '<', '>', '^', '`', '|', '\t', '\u007f', '\u0000'),
  fc.constantFrom('é', 'ſ', 'K', 'ı', '０', '٣', '\u00a0', '😀', '\ud800', '\udc00'),
  fc.constantFrom('%41', '%2D', '%2d', '%30', '%40', '%E2%82%AC', '%C3%A9', '%ZZ', '%4', '%', '%25', '%F0%9F%98%80'),
);
const mutate = (s: string, at: number, by: string) =>
  s.slice(0, at % (s.length + 1)) + by + s.slice((at % (s.length + 1)) + 1);
const segment = fc.oneof(
  fc.string({ unit, maxLength: 40 }),
  // lengths around the thresholds: 12 (long hex), 16 (mixed case), 36 (UUID), 100/101 (route word)
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFgG-'), minLength: 10, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'abcdefXYZ1'), minLength: 98, maxLength: 103 }),
  // UUIDs, in any case, with one unit changed, or a dash moved
  fc.tuple(fc.uuid(), fc.boolean(), fc.nat(), unit).map(([u, up, at, by]) => {
    const v = up ? u.toUpperCase() : u;
    return at % 3 === 0 ? v : mutate(v, at, by);
  }),
  // hex without digits (UUID-shaped letters only; long hex needs a digit), one letter made non-hex, or one digit
  fc
    .tuple(fc.string({ unit: fc.constantFrom(...'abcdefABCDEF'), minLength: 32, maxLength: 32 }), fc.nat(31))
    .map(([h, at]) => {
      const d = at % 4 === 0 ? h : at % 4 === 1 ? mutate(h, at, 'g') : mutate(h, at, String(at % 10));
      return `${d.slice(0, 8)}-${d.slice(8, 12)}-${d.slice(12, 16)}-${d.slice(16, 20)}-${d.slice(20)}`;
    }),
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

describe('isIdSegment (one character loop) against the three-regex oracle', () => {
  it('gives the same answer on generated segments (Unicode, %-escapes, digits, hex, UUID shapes)', () => {
    fc.assert(
      fc.property(segment, (s) => {
        expect(isIdSegment(s)).toBe(oldIsIdSegment(s));
      }),
      { numRuns: 50000, seed: 18 },
    );
  });

  it('gives the same answer on the escaped form of generated segments, and the same paths', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (parts) => {
        for (const p of parts)
          expect(isIdSegment(encodeURIComponent(p.replace(/[\ud800-\udfff]/g, 'x')))).toBe(
            oldIsIdSegment(encodeURIComponent(p.replace(/[\ud800-\udfff]/g, 'x'))),
          );
        const oracle = (seg: string) => (oldIsIdSegment(seg) ? '{id}' : seg);
        const path = '/' + parts.map((p) => p.replace(/[/;.]/g, '')).join('/');
        expect(sanitizeUrlPath(path, 8)).toBe(sanitizeUrlPath(path, 8, oracle));
      }),
      { numRuns: 5000, seed: 18 },
    );
  });

  it('covers every branch of the old regexes with the generated segments', () => {
    const samples = fc.sample(segment, { numRuns: 20000, seed: 18 });
    const decoded = samples.map((s) => (s.length > 100 ? '' : safeDecode(s)));
    // each regex alone decides some segments the shape loop does not
    expect(decoded.some((s) => INTEGER.test(s) && !valueByShape(s))).toBe(true);
    expect(decoded.some((s) => UUID.test(s) && !valueByShape(s))).toBe(true);
    expect(decoded.some((s) => LONG_HEX.test(s) && !valueByShape(s))).toBe(true);
    expect(decoded.some((s) => s.length === 36 && !UUID.test(s) && !valueByShape(s) && !LONG_HEX.test(s))).toBe(true);
  });
});
