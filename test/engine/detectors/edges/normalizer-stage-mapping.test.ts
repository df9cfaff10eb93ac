import { describe, expect, it } from 'vitest';
import { normalizeView } from '../../../../engine/detectors/normalizer';
import type { NormalizedView } from '../../../../engine/detectors/normalizer';

// How the normalized view's steps hand their text on (engine/detectors/normalizer.ts, docs/detectors.md "Normalized
// views"): a `\` before a character the Unicode step rewrites to a letter or digit reads as a blank mapped to the
// backslash (so the character starts no octal or CSS escape), before one it rewrites to punctuation or removes it
// still escapes what follows; and a view that removed an invisible says so after every later decoding round.

/** The view's text and, for each of its characters, the slice of the original it maps to. */
const mapped = (text: string, view: NormalizedView | undefined) =>
  view === undefined
    ? undefined
    : { text: view.text, from: [...view.text].map((_, k) => text.slice(view.from[k], view.to[k])) };

/** Every character of `out` mapped to the one character of the original at its own index. */
const oneToOne = (text: string, out: string) => ({ text: out, from: [...text] });

describe('a backslash before a character the Unicode step rewrites to a letter or digit', () => {
  it('reads as a blank mapped to the backslash, every other character mapped to itself', () => {
    for (const [text, out] of [
      ['C:\\scans\\\uff11' + '23-45-6789.pdf', 'C:\\scans 123-45-6789.pdf'],
      ['\\\uff14' + '111 1111 1111 1111', ' 4111 1111 1111 1111'],
      // (`\\` before it is not here: the first backslash and the blank read are an escaped blank, `\ `, in the
      // decoding round after this step, two characters for one)
      ['ver \\\uff4e' + '1 ok', 'ver  n1 ok'],
      ['a\u00e9\\\uff11' + '00', 'a\u00e9 100'],
    ])
      expect(mapped(text, normalizeView(text)), text).toEqual(oneToOne(text, out));
  });

  it('before one it rewrites to punctuation or removes, the backslash still escapes what follows', () => {
    const at = 'jane.doe\\\uff20example.com';
    expect(mapped(at, normalizeView(at))).toEqual({
      text: 'jane.doe@example.com',
      from: [...'jane.doe', '\\\uff20', ...'example.com'],
    });
    // An invisible between the backslash and `u0040`: removed, and the escape it split is read.
    const split = 'a\\\u200bu0040b';
    expect(mapped(split, normalizeView(split))).toEqual({ text: 'a@b', from: ['a', '\\\u200bu0040', 'b'] });
  });
});

describe('the invisibles flag of a view', () => {
  it('stays set through the decoding rounds after the Unicode step', () => {
    const view = normalizeView('jane\u200b.doe%40example.com');
    expect({ text: view?.text, invisibles: view?.invisibles }).toEqual({
      text: 'jane.doe@example.com',
      invisibles: true,
    });
    expect(normalizeView('a\\\u200bu0040b')?.invisibles).toBe(true);
  });

  it('is set by the last Unicode step when an invisible was decoded from an escape', () => {
    const view = normalizeView('jane%E2%80%8B.doe%40example.com');
    expect({ text: view?.text, invisibles: view?.invisibles }).toEqual({
      text: 'jane.doe@example.com',
      invisibles: true,
    });
  });

  it('is not set when no invisible was removed', () => {
    for (const text of ['jane.doe%40example.com', 'jane.doe\uff20example.com', '\u00e9%40', '&#64;\u00e9'])
      expect(normalizeView(text)?.invisibles, text).toBeUndefined();
  });
});
