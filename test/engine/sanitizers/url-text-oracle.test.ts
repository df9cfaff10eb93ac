import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateBlankSegmentPeoplePaths } from '../../../engine/sanitizers/people-routes';
import { sanitizeUrlsInText } from '../../../engine/sanitizers/url-text';

/**
 * A differential oracle for `sanitizeUrlsInText`, written from its documented rule, not from its code: the text is
 * split into white-space separated words; a word is URL-like when it holds a `/`, a scheme (a letter, then letters,
 * digits, `+`, `.`, `-`) followed by `:\\`, or a `?` with a `=` after it. A URL-like word is read in pieces: a `"`
 * ends one (with the `\` escaping it), unless it (or a `'`) follows a query's `=` and opens a quoted value (then the
 * piece runs through the closing quote); so does a `'` after `= : , { [ (`, before `: , } ] )` or at either end of the word; so
 * does a `,` after a piece holding none of `/ ? # = & \` (a CSV row), then in such a row any `,` outside a query, and
 * a `,` after `)` or `]`; and CJK punctuation, unless it starts a segment (after a `/` and any CJK punctuation
 * there). In each URL-like piece, opening punctuation `( " ' < [` before it and closing punctuation
 * `. , ; : ! ? ) " ' > ]` after it stay outside the URL; so does text before a `scheme://` that holds none of
 * `/ ? # = & @`, and a logfmt key (`key=`) whose value holds no `&` or `=` before its `?`. Words that are no URL are kept (a product's version,
 * a fraction, a scoped package, a CIDR block, a timestamp's date); a container image
 * (`host/repo:tag`) has its repository path alone through the sanitizer. The rest goes through the URL sanitizer and
 * replaces the piece's middle when the sanitizer changed it. First, a name after a people word and a blank segment
 * (`/users/ /4711`, `/users /4711`: split by the blank) is `{id}` (`templateBlankSegmentPeoplePaths`).
 */
function reference(text: string, sanitize: (v: string) => string): string {
  const urlLike = (w: string) => w.includes('/') || /[A-Za-z][A-Za-z0-9+.-]*:\\\\/.test(w) || /\?.*=/s.test(w);
  return templateBlankSegmentPeoplePaths(text).replace(/\S+/g, (word) => {
    if (!urlLike(word)) return word;
    return splitIntoPieces(word)
      .map((piece) => (typeof piece === 'string' ? piece : urlLike(piece.text) ? readPiece(piece.text) : piece.text))
      .join('');
  });

  function readPiece(piece: string): string {
    const open = /^[("'<[]*/.exec(piece)![0];
    const rest = piece.slice(open.length);
    const close = /[.,;:!?)"'>\]]*$/.exec(rest)![0];
    let url = rest.slice(0, rest.length - close.length);
    if (url === '') return piece;
    let kept = '';
    const glued = /^(.*?)([A-Za-z][A-Za-z0-9+.-]*:\/\/.*)$/s.exec(url);
    if (glued && glued[1] !== '' && !/[/?#=&@]/.test(glued[1])) [kept, url] = [glued[1], glued[2]];
    const pair = /^([A-Za-z_][\w.-]{0,63}=)(.+)$/s.exec(url);
    if (pair && !/[&=]/.test(pair[2].split('?')[0]) && urlLike(pair[2])) [kept, url] = [kept + pair[1], pair[2]];
    // words that are no URL (the documented forms this alphabet can write): a product and its version, a fraction or
    // range, an npm scoped package, a CIDR block, a timestamp's date with its time glued
    if (
      [
        /^[A-Za-z][\w.+-]*\/v?\d+(?:\.\d+){1,3}(?:-[A-Za-z0-9.]+)?$/,
        /^\d+(?:-\d+)?\/\d+$/,
        /^@[a-z0-9][a-z0-9._-]*\/[a-z][a-z0-9._-]*$/,
        /^@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*@\d[\w.+-]*$/,
        /^\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}$/,
        /^(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}\/\d{1,3}$/,
        /^(?:\d{4}\/\d{1,2}\/\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4})[:T]\d{1,2}:\d{2}(?::\d{2})?$/,
      ].some((re) => re.test(url))
    )
      return piece;
    const image =
      /^((?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost)(?::\d+)?\/)?([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(:\w[\w.-]*)$/.exec(
        url,
      );
    const clean = image ? (image[1] ?? '') + sanitize(image[2]) + image[3] : sanitize(url);
    return open + kept + (clean === url ? url : clean) + close;
  }
}

/** A URL-like word in pieces: its separators as strings, the pieces as `{ text }`. */
function splitIntoPieces(word: string): (string | { text: string })[] {
  const out: (string | { text: string })[] = [];
  let piece = '';
  let row = false;
  const cjk = /^[、。〈〉《》「」『』【】〔〕〖〗〘〙〚〛\u3000！（），：；？［］｛｝｜｡｢｣､]$/;
  const flush = (sep: string) => {
    if (piece !== '') out.push({ text: piece });
    out.push(sep);
    piece = '';
  };
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    const prev = word[i - 1];
    const next = word[i + 1];
    if (
      (c === '"' || c === "'") &&
      prev === '=' &&
      piece.includes('?') &&
      next !== undefined &&
      !',}]:'.includes(next)
    ) {
      const close = word.indexOf(c, i + 1);
      const to = close === -1 ? word.length : close + 1;
      piece += word.slice(i, to);
      i = to - 1;
    } else if (c === '"') {
      if (piece.endsWith('\\')) {
        piece = piece.slice(0, -1);
        flush('\\"');
      } else flush('"');
    } else if (c === "'" && (i === 0 || next === undefined || '=:,{[('.includes(prev!) || ':,}])'.includes(next)))
      flush("'");
    else if (c === ',' && !/[/?#=&\\]/.test(piece)) {
      row = true;
      flush(',');
    } else if (c === ',' && ((row && !piece.includes('?')) || prev === ')' || prev === ']')) flush(',');
    // CJK punctuation at the start of a segment (`/。`, `/。。`) is part of the path
    else if (
      cjk.test(c) &&
      /\/[、。〈〉《》「」『』【】〔〕〖〗〘〙〚〛\u3000！（），：；？［］｛｝｜｡｢｣､]*$/.test(piece)
    )
      piece += c;
    else if (cjk.test(c)) flush(c);
    else piece += c;
  }
  if (piece !== '') out.push({ text: piece });
  return out;
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
