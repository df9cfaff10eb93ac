import { describe, expect, it } from 'vitest';
import { FILE_EXTENSIONS, emailDetector, isFileExtension } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';

// What ends a domain after a plain `@` when its last label is no top-level domain (docs/detectors.md, `email` row):
// the next address glued to it (`jane@example.comjohn@example.org`), a `.label` after a two-letter or common
// top-level domain, an asset name at the end of a sentence; and the file extensions read in any case.

function found(text: string): string[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('email: the next address glued after a top-level domain', () => {
  it('the address before it ends after the longest common top-level domain, or after two letters', () => {
    expect(found('x jane@example.dejohn@example.org y')).toEqual(['jane@example.de', 'john@example.org']);
    expect(found('x jane@example.comjohn@example.org y')).toEqual(['jane@example.com', 'john@example.org']);
    // Whatever follows the next `@` (here no domain at all).
    expect(found('x jane@example.comjohn@.x y')).toEqual(['jane@example.com']);
    expect(found('x jane@example.dejohn@ y')).toEqual(['jane@example.de']);
    // Nothing that starts a local part between the two: the second @ has no address.
    expect(found('x jane@example.com-@example.org y')).toEqual(['jane@example.com']);
  });

  it('a top-level domain of non-ASCII letters before the next @ is read whole', () => {
    expect(found('x jane@example.онлайн@host y')).toEqual(['jane@example.онлайн']);
    expect(found('x jane@example.рф@host y')).toEqual(['jane@example.рф']);
  });

  it('a last label of fewer than two letters before the next @ is no top-level domain: no address', () => {
    for (const text of ['x jane@example.c1@host y', 'x jane@example.1c@host y', 'x jane@example.c@host y'])
      expect(found(text), text).toEqual([]);
  });
});

describe('email: a glued top-level domain is read after the first label only', () => {
  it('a first label holding letters and a - is no top-level domain; an extension before another label is none', () => {
    expect(found('x jane@ade-x.example.c0m y')).toEqual([]);
    expect(found('x jane@example.de-x.c0m y')).toEqual(['jane@example.de']);
    // `mp4` is an extension even with a label after it (the glued reading stops at its dot).
    expect(found('Loaded clip@2x.mp4.1')).toEqual([]);
    expect(found('mail jane@example.de4.1')).toEqual(['jane@example.de']);
  });
});

describe('email: a file extension at the end of a sentence', () => {
  it('an asset name followed by a full stop is no address; an address before .js is the address', () => {
    for (const ext of ['js', 'ts', 'md', 'gz', 'so', 'xz', 'png', 'json'])
      for (const end of ['.', '-', '..']) {
        expect(found(`Loaded icon@2x.${ext}${end}`), ext + end).toEqual([]);
        expect(found(`mail jane@example.${ext}${end}`), ext + end).toEqual([]);
      }
    expect(found('mail jane@example.com.js.')).toEqual(['jane@example.com']);
    expect(found('mail jane@example.co.uk.js.')).toEqual(['jane@example.co.uk']);
  });
});

describe('email: isFileExtension and its one-character neighbours', () => {
  it('every extension with one character replaced or added by any printable ASCII character', () => {
    // The lower-cased set lookup it replaces, on every neighbour of every extension (`mp_`, `woff}`, `bz^` are none).
    const bad: string[] = [];
    const check = (t: string) => {
      const text = `a@b.${t}`;
      if (isFileExtension(text, 4, text.length) !== FILE_EXTENSIONS.has(t.toLowerCase())) bad.push(t);
    };
    for (const e of FILE_EXTENSIONS)
      for (let c = 32; c < 127; c++) {
        const ch = String.fromCharCode(c);
        check(e + ch);
        for (let k = 0; k < e.length; k++) check(e.slice(0, k) + ch + e.slice(k + 1));
      }
    expect(bad).toEqual([]);
  });
});
