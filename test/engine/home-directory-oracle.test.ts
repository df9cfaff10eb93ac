import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskHomeDirectories } from '../../engine/home-directory';

// `maskHomeDirectories` against a reference written from its doc comment, character by character (no regex): a
// home-directory prefix (`/home/`, `/var/home/`, `/export/home/`, `/Users/`, `/<drive>/Users/`, `/mnt/<drive>/Users/`
// or `users`, `<drive>:/Users/` or `users`, `\Users\`, `\home\` with one or two backslashes on each side and an
// optional drive, `~` then a name holding no `~`) at the start of the text or after whitespace, `:`, `=`, `//` or one of
// `,;([{'"\``; or `/~` then a letter or `_` anywhere. The user name runs to the next `/`, `\`, whitespace, `:` or quote
// and must be followed by `/` or `\`; it is written `{user}`. Matches do not overlap: the search goes on after each.

const BOUNDARY = ':=,;([{\'"`';
const isBlank = (c: string) => c.length === 1 && c.trim() === '';
const isLetter = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isNameChar = (c: string | undefined) => c !== undefined && !'/\\:\'"`'.includes(c) && !isBlank(c);
const isSep = (c: string | undefined) => c === '/' || c === '\\';

/** Where the user name starts for each documented prefix that begins at `i`. */
function prefixEnds(t: string, i: number): number[] {
  const ends: number[] = [];
  const lit = (at: number, s: string) => (t.startsWith(s, at) ? at + s.length : -1);
  for (const s of ['/home/', '/var/home/', '/export/home/', '/Users/']) if (lit(i, s) !== -1) ends.push(i + s.length);
  if (t[i] === '/' && isLetter(t[i + 1]) && lit(i + 2, '/Users/') !== -1) ends.push(i + 9);
  if (lit(i, '/mnt/') !== -1 && isLetter(t[i + 5]) && t[i + 6] === '/')
    for (const u of ['Users/', 'users/']) if (lit(i + 7, u) !== -1) ends.push(i + 13);
  if (isLetter(t[i]) && lit(i + 1, ':/') !== -1)
    for (const u of ['Users/', 'users/']) if (lit(i + 3, u) !== -1) ends.push(i + 9);
  // backslash forms: optional drive, one or two backslashes, the word, one or two backslashes (as many as stand there)
  for (const drive of [0, 2]) {
    if (drive === 2 && !(isLetter(t[i]) && t[i + 1] === ':')) continue;
    for (const lead of [1, 2]) {
      if (!t.startsWith('\\'.repeat(lead), i + drive)) continue;
      const k = i + drive + lead;
      for (const w of ['Users', 'users', 'home']) {
        let e = k + w.length;
        if (!t.startsWith(w, k) || t[e] !== '\\') continue;
        e++;
        if (t[e] === '\\') e++;
        ends.push(e);
      }
    }
  }
  if (t[i] === '~' && (isLetter(t[i + 1]) || t[i + 1] === '_')) {
    let k = i + 1;
    while (k < t.length && isNameChar(t[k]) && t[k] !== '~') k++;
    if (isSep(t[k])) ends.push(i + 1);
  }
  return ends;
}

/** The reference: the text with each user name of a home-directory path written `{user}`. */
function reference(t: string): string {
  let out = '';
  let from = 0;
  let p = 0;
  while (p < t.length) {
    const starts: number[] = [];
    if (p === 0) starts.push(...prefixEnds(t, 0));
    if (isBlank(t[p]!) || BOUNDARY.includes(t[p]!)) starts.push(...prefixEnds(t, p + 1));
    if (t.startsWith('//', p)) starts.push(...prefixEnds(t, p + 2));
    if (t.startsWith('/~', p) && (isLetter(t[p + 2]) || t[p + 2] === '_')) starts.push(p + 2);
    let matched = -1;
    let nameStart = -1;
    for (const s of starts) {
      let e = s;
      while (e < t.length && isNameChar(t[e])) e++;
      if (e > s && isSep(t[e])) {
        matched = e;
        nameStart = s;
        break;
      }
    }
    if (matched === -1) {
      p++;
      continue;
    }
    const name = t.slice(nameStart, matched);
    out += t.slice(from, nameStart) + (name === '{user}' ? name : '{user}');
    from = p = matched;
  }
  return out + t.slice(from);
}

const fragment = fc.constantFrom(
  ...' \t\u00a0\u2028:=,;([{\'"`/\\~.-_@%!|<>)'.split(''),
  '//',
  '/home/',
  '/var/home/',
  '/export/home/',
  '/Home/',
  '/home',
  '/Users/',
  '/users/',
  '/Users',
  '/c/Users/',
  '/cd/Users/',
  '/mnt/c/',
  '/mnt/D/users/',
  '/mnt/cd/Users/',
  'Users/',
  'users/',
  'sers/',
  'C:/Users/',
  'c:/users/',
  'C:/USERS/',
  'C:\\Users\\',
  'C:\\\\Users\\\\',
  'C\\Users\\',
  '\\home\\',
  '\\\\home\\',
  '\\users\\\\',
  '\\Users',
  '~',
  '~_',
  '~5',
  '/~',
  'C',
  'c',
  'h',
  'jane',
  'j.doe',
  'Ann',
  '{user}',
  'file:',
  'unknown_service:',
);
const text = fc.oneof(
  fc.string({ unit: fragment, maxLength: 14 }),
  fc.string({ maxLength: 40 }),
  // a documented path at a documented place, then transformed by one edit
  fc
    .tuple(fc.string({ unit: fragment, maxLength: 4 }), fc.string({ unit: fragment, maxLength: 6 }), fc.nat(), fc.nat())
    .map(([a, b, cut, at]) => {
      const s = a + b + 'jane/app.js';
      return s.slice(0, at % (s.length + 1)) + s.slice((at % (s.length + 1)) + (cut % 2));
    }),
);

describe('maskHomeDirectories: a reference of the documented forms', () => {
  it('agrees with the reference on texts built from path fragments', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(maskHomeDirectories(t), JSON.stringify(t)).toBe(reference(t));
      }),
      { numRuns: 6000 },
    );
  });

  it('each documented form, at each documented place (the reference is not vacuous)', () => {
    const forms = [
      '/home/jane/',
      '/var/home/jane/',
      '/export/home/jane/',
      '/Users/jane/',
      '/c/Users/jane/',
      '/mnt/c/Users/jane/',
      '/mnt/C/users/jane\\',
      'C:/Users/jane/',
      'd:/users/jane/',
      'C:\\Users\\jane\\',
      'C:\\\\Users\\\\jane\\\\',
      '\\Users\\jane\\',
      '\\home\\jane\\',
      '\\\\users\\jane\\',
      '~jane/',
      '~jane\\',
    ];
    for (const form of forms)
      for (const before of ['', ' ', '\t', ':', '=', ',', ';', '(', '[', '{', "'", '"', '`', '//', 'file://']) {
        const t = `${before}${form}app.js`;
        expect(maskHomeDirectories(t), t).toBe(t.replace('jane', '{user}'));
        expect(reference(t), t).toBe(t.replace('jane', '{user}'));
      }
    for (const t of ['https://example.com/~jane/x', 'a/~_x/y']) expect(maskHomeDirectories(t)).not.toBe(t);
    for (const t of [
      'x/home/jane/',
      'a~jane/',
      '/users/4711/',
      '/home/dashboard',
      '~5/10',
      '=~ja~ne/',
      'C:/USERS/jane/',
    ])
      expect(maskHomeDirectories(t), t).toBe(t);
  });
});
