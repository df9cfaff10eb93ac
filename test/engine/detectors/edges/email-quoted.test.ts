import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { scannersFor } from './helpers';

// A quoted local part (docs/detectors.md, `email` row: `"john.doe"@example.com`) and a quote before an `@` that opens no
// quoted local part: at most 64 characters between the quotes, no line break or `@` inside, a letter or digit in it.
// Where no quoted local part is read, the characters before the quote are the local part (fail closed): a stray quote
// or an overlong quoted part does not leave the address readable.

function found(text: string): string[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('email: a quoted local part', () => {
  it('1 to 64 characters between the quotes: the whole quoted local part', () => {
    for (const n of [1, 2, 63, 64]) {
      const local = `"${'a'.repeat(n)}"`;
      expect(found(`x ${local}@example.com y`), String(n)).toEqual([`${local}@example.com`]);
    }
    expect(found('x "jane doe"@example.com y')).toEqual(['"jane doe"@example.com']);
  });

  it('65 characters or more: the last 64 before the closing quote and the domain, not the address left whole', () => {
    // Exported as written before: the opening quote was out of reach and the address was dropped.
    for (const n of [65, 66, 100]) {
      const text = `x "${'a'.repeat(n)}"@example.com y`;
      expect(found(text), String(n)).toEqual([`${'a'.repeat(64)}"@example.com`]);
    }
  });

  it('an @ between the quotes is part of it; after a line break, the local part after the break', () => {
    // `"jane@home"@example.com` was listed as still getting through (the `@` stopped the search for the opening quote).
    expect(found('MAIL FROM:<"jane@home"@example.com> SIZE=100')).toEqual(['"jane@home"@example.com']);
    expect(found('x "jane\ndoe"@example.com y')).toEqual(['doe"@example.com']);
    expect(found('x "jane\rdoe"@example.com y')).toEqual(['doe"@example.com']);
  });

  it('a quote with no opening one before the @: the address before it', () => {
    // `jane"@example.com` (a stray quote, broken escaping) was exported as written.
    expect(found('to=jane"@example.com y')).toEqual(['jane"@example.com']);
    for (const s of scannersFor('email')) expect(s.scan('to=jane"@example.com y').value).toBe('to=[X:email] y');
  });

  it('no letter or digit between the quotes or before a stray quote: no address', () => {
    for (const text of ['x ""@example.com y', 'x "..."@example.com y', 'x " "@example.com y', 'x ."@example.com y'])
      expect(found(text), text).toEqual([]);
  });
});
