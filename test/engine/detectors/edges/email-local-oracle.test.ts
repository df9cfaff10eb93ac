import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';

// A differential oracle for the local part before a plain `@` (ASCII), written from docs/detectors.md and the
// detector's doc comments: the run of local-part characters (letters, digits, `.` `_` `%` `+` `-` `'`) before the `@`,
// started at its first letter, digit or `_` (leading punctuation belongs to the sentence); dots and RFC 5322 symbols
// right before the `@` end it (`jane.doe.@`, `jane!@`); from a run longer than 64 characters, the last 64 (started at
// their first letter, digit or `_`).

const inLocal = (ch: string | undefined) => ch !== undefined && /^[A-Za-z0-9._%+'-]$/.test(ch);
const starts = (ch: string) => /^[A-Za-z0-9_]$/.test(ch);
const tail = (ch: string | undefined) => ch !== undefined && /^[.!=~#$&*?^|/]$/.test(ch);

function reference(text: string, at: number): number {
  const min = Math.max(0, at - 64);
  let e = at;
  while (e > min && tail(text[e - 1])) e--;
  let s = e;
  while (s > min && inLocal(text[s - 1])) s--;
  while (s < e && !starts(text[s]!)) s++;
  return s === e ? -1 : s;
}

const run = (max: number) => fc.string({ unit: fc.constantFrom(..."a1._-+'%Z9"), minLength: 1, maxLength: max });
const local = fc.oneof(
  run(8),
  fc
    .tuple(fc.constantFrom(62, 63, 64, 65, 66, 70), fc.constantFrom('a', '.', '_', '-', '1'))
    .map(([n, c]) => c + 'a'.repeat(n - 1)),
  fc.tuple(run(4), fc.constantFrom(60, 61, 62, 63, 64, 65), run(4)).map(([a, n, b]) => a + 'b'.repeat(n) + b),
  fc
    .tuple(fc.constantFrom(63, 64, 65), fc.constantFrom('.', '-', "'", '+'))
    .map(([n, p]) => 'c'.repeat(n - 63 + 5) + p + 'd'.repeat(62)),
);
const before = fc.constantFrom('', 'x ', 'user=', 'key:', '(', '"', 'a&', '#', '/', '~', ' .', '  -', '\t');

describe('email: the local part before a plain @ against a reference written from the docs', () => {
  it('its start (leading punctuation, the 64-character window) and a local part ending in a dot', () => {
    fc.assert(
      fc.property(before, local, (b, l) => {
        const text = `${b}${l}@example.com y`;
        const at = b.length + l.length;
        const ref = reference(text, at);
        const out: Finding[] = [];
        emailDetector.find(text, out);
        if (ref === -1) expect(out, JSON.stringify(text)).toEqual([]);
        else
          expect(
            out.map((f) => [f.start, f.end]),
            JSON.stringify(text),
          ).toEqual([[ref, at + 12]]);
      }),
      { numRuns: 3000 },
    );
  });
});
