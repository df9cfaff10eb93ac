import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateBlankSegmentPeoplePaths } from '../../../engine/sanitizers/people-routes';
import { sanitizeUrlsInText } from '../../../engine/sanitizers/url-text';

/**
 * A differential oracle for `sanitizeUrlsInText`, written from its documented rule, not from its code: the text is
 * split into white-space separated words; a word is URL-like when it holds a `/`, a scheme (a letter, then letters,
 * digits, `+`, `.`, `-`) followed by `:\\`, or a `?` with a `=` after it; opening punctuation `( " ' < [` before it
 * and closing punctuation `. , ; : ! ? ) " ' > ]` after it stay outside the URL; the rest goes through the URL
 * sanitizer and replaces the word's middle when the sanitizer changed it. First, a name after a people word and a blank
 * segment (`/users/ /4711`, `/users /4711`: split by the blank) is `{id}` (`templateBlankSegmentPeoplePaths`).
 */
function reference(text: string, sanitize: (v: string) => string): string {
  return templateBlankSegmentPeoplePaths(text).replace(/\S+/g, (word) => {
    const urlLike = word.includes('/') || /[A-Za-z][A-Za-z0-9+.-]*:\\\\/.test(word) || /\?.*=/s.test(word);
    if (!urlLike) return word;
    const open = /^[("'<[]*/.exec(word)![0];
    const rest = word.slice(open.length);
    const close = /[.,;:!?)"'>\]]*$/.exec(rest)![0];
    const url = rest.slice(0, rest.length - close.length);
    if (url === '') return word;
    return open + sanitize(url) + close;
  });
}

/** A sanitizer that marks what it was given, and leaves some values alone (the "unchanged" path). */
const marking = (v: string) => (v.includes('k') ? v : `«${v}»`);

const piece = fc.constantFrom(
  ...'abk09+.-_:/\\?=#@%&(\'"<[.,;:!?)>]'.split(''),
  'https:\\\\',
  'a+:\\\\',
  '1:\\\\',
  '+:\\\\',
  '.:\\\\',
  'Z9:\\\\',
  'x-y.z:\\\\',
  '?id=7',
  '=?',
  'users/4711',
  '://',
);
const blank = fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '\u2028', '  ');
const text = fc
  .array(fc.oneof({ weight: 5, arbitrary: piece }, { weight: 2, arbitrary: blank }), { maxLength: 24 })
  .map((parts) => parts.join(''));

describe('sanitizeUrlsInText: a differential oracle from the documented rule', () => {
  it('marks exactly the URL-like words, with their punctuation outside', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(sanitizeUrlsInText(t, marking)).toBe(reference(t, marking));
      }),
      { numRuns: 3000 },
    );
  });

  it('every scheme character before :\\\\, and the characters that are none', () => {
    for (let c = 32; c < 127; c++) {
      const ch = String.fromCharCode(c);
      for (const word of [`${ch}:\\\\host`, `a${ch}:\\\\host`, `x ${ch}b:\\\\h y`]) {
        expect(sanitizeUrlsInText(word, marking), JSON.stringify(word)).toBe(reference(word, marking));
      }
    }
  });

  it('every opener and closer, alone and around a URL', () => {
    for (let c = 32; c < 127; c++) {
      const ch = String.fromCharCode(c);
      for (const word of [`${ch}/a/1${ch}`, `${ch}${ch}?q=1${ch}${ch}`, `/x${ch}`, `${ch}/`, `${ch}`]) {
        expect(sanitizeUrlsInText(`see ${word} now`, marking), JSON.stringify(word)).toBe(
          reference(`see ${word} now`, marking),
        );
      }
    }
  });

  it('a value that is no string is returned as it is (nothing read from it, nothing thrown)', () => {
    const urlish = { toString: () => '/users/4711' };
    for (const v of [4711, undefined, null, urlish]) {
      expect(sanitizeUrlsInText(v as unknown as string, marking)).toBe(v);
    }
  });
});
