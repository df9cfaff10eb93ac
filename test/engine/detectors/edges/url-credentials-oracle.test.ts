import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { urlCredentialsDetector } from '../../../../engine/detectors/url-credentials';
import type { Finding } from '../../../../engine/detectors/types';

/**
 * A differential oracle for the `url-credentials` detector's findings (`Detector.find`: every match, in text order),
 * written from its documented rule with regular expressions, not from its loop: after `scheme://` (a scheme of at most
 * 32 letters, digits, `+`, `.`, `-`, starting with a letter) the authority runs to the first character that ends it
 * (`/ ? #`, an ASCII blank or a no-break space (other Unicode spaces do not end it: more is masked), quotes, `< > \` , ; [ ] { } | \`); its last `@` ends the userinfo, which must hold a `:` before
 * its first `@` and a password of at least one character; a host (an ASCII letter or digit, `[`, or a non-ASCII
 * character) must follow the `@`. When the authority ends at `/`, `?`, `#` or `;` before any `@`, a password or an SMB
 * domain may hold that character, and a domain a `\\` before the user (`reservedUserinfo`). Only the userinfo is reported; the next search starts after
 * its `@`.
 */
function reference(text: string): Finding[] {
  const out: Finding[] = [];
  let from = 0;
  for (;;) {
    const sep = text.indexOf('://', from);
    if (sep === -1) return out;
    from = sep + 3;
    const run = /[A-Za-z0-9+.-]{0,32}$/.exec(text.slice(0, sep))![0];
    if (!/[A-Za-z]/.test(run)) continue;
    const authority = /^[^/?# \t\n\v\f\r\u00a0"'<>`,;[\]{}|\\]*/.exec(text.slice(sep + 3))![0];
    const at = authority.lastIndexOf('@');
    if (at === -1) {
      const reserved = reservedUserinfo(text.slice(sep + 3), authority);
      if (reserved !== -1) {
        out.push({ start: sep + 3, end: sep + 3 + reserved, type: 'url-credentials' });
        from = sep + 3 + reserved + 1;
      }
      continue;
    }
    const user = authority.slice(0, authority.indexOf('@'));
    const colon = user.indexOf(':');
    if (colon === -1 || colon === at - 1) continue;
    const host = text.slice(sep + 3 + at + 1, sep + 3 + at + 2);
    if (!/^[A-Za-z0-9[]$/.test(host) && !(host !== '' && host.charCodeAt(0) > 127)) continue;
    out.push({ start: sep + 3, end: sep + 3 + at, type: 'url-credentials' });
    from = sep + 3 + at + 1;
  }
}

/** A host (a name starting with a letter, digit or non-ASCII character, or `[…]`), a port, and what may follow. */
const NAME = '[A-Za-z0-9\\u0080-\\u009f\\u00a1-\\uffff][A-Za-z0-9._\\u0080-\\u009f\\u00a1-\\uffff-]*';
const BRACKETED = '\\[[A-Za-z0-9:.]*\\]';
/** CJK letters and punctuation (`isCjkBoundary`): they end a port or a bracketed address, not a host name. */
const CJK =
  '[\\u3001-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7a3\\uf900-\\ufaff\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65]';
const HOST_ENDS = new RegExp(
  `^@(?:(?:${BRACKETED}|${NAME})(?::\\d{1,5})?(?=$|[/?#; \\t\\n\\v\\f\\r\\u00a0"'<>\`,[\\]{}|\\\\)])` +
    `|${BRACKETED}(?::\\d{1,5})?(?=${CJK})` +
    // a port before CJK text or a sentence's full stop (`.` and no host character, or CJK, after it)
    `|(?:${BRACKETED}|${NAME}):\\d{1,5}(?=${CJK}|\\.(?:$|${CJK}|[^A-Za-z0-9._\\u0080-\\u009f\\u00a1-\\uffff-])))`,
);

/**
 * The documented rule for a password with `/`, `?`, `#` or `;`, or an SMB domain, in `rest` (the text after `://`)
 * whose `authority` ends before any `@` at one of those: with a `:` in the authority, no port (digits, nothing or
 * `port`) between it and the character; without one, `;`, a user name and a `:`. The userinfo runs to the first `@`
 * within 256 characters of the character that a host ends, no blank, quote or other URL end before it, a password of
 * one character at least; a userinfo that holds a `://` (another URL) is none. Its end in `rest`, or -1.
 */
function reservedUserinfo(rest: string, authority: string): number {
  const reserved = authority.length;
  const colon = authority.indexOf(':');
  // A Windows domain's backslash (`smb://CORP\\jane:pw@fs01`, also doubled): only before any `:`, after a domain.
  if (!/^[/?#;]/.test(rest.slice(reserved)) && !(rest[reserved] === '\\' && colon === -1 && reserved > 0)) return -1;
  let password: number;
  if (colon !== -1) {
    if (/^(?:\d*|port)$/i.test(authority.slice(colon + 1))) return -1;
    password = colon + 1;
  } else {
    const smb = /^(?:;|\\{1,2})[A-Za-z0-9._-]{0,64}:/.exec(rest.slice(reserved));
    if (smb === null) return -1;
    password = reserved + smb[0].length;
  }
  const run = /^[^ \t\n\v\f\r\u00a0"'<>`,[\]{}|\\]*/.exec(rest.slice(password, reserved + 256))![0];
  for (let k = run.indexOf('@', 1); k !== -1; k = run.indexOf('@', k + 1))
    if (HOST_ENDS.test(rest.slice(password + k)))
      return rest.slice(0, password + k).includes('://') ? -1 : password + k;
  return -1;
}

const find = (text: string): Finding[] => {
  const out: Finding[] = [];
  urlCredentialsDetector.find(text, out);
  return out;
};

const piece = fc.constantFrom(
  ...'aZ9+.-_:@/?#%!$&()*=~ "\'<>`,;[]{}|\\\t\n\r\u000b\f\u00a0é'.split(''),
  '://',
  'https://',
  'mongodb+srv://',
  '1://',
  '+://',
  'x'.repeat(31) + '://',
  'a' + '1'.repeat(32) + '://',
  'user:pass@',
  ':pw@',
  'u:@',
  '@host',
  '[::1]',
  'db.example.com',
  'p#ss',
  'pa/ss',
  ';CORP;u:',
  'CORP\\u:',
  '\\\\',
  '。',
  'です',
  ':6379.',
  '@db:5432。',
  '@[::1]」',
  'host:8080/',
  ':port/',
  '@db:5432/',
  'x:4317https://',
);
const text = fc.array(piece, { maxLength: 16 }).map((p) => p.join(''));

describe('url-credentials: a differential oracle from the documented rule', () => {
  it('finds exactly the userinfo spans of generated texts', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(find(t)).toEqual(reference(t));
      }),
      { numRuns: 4000 },
    );
  });

  it('every ASCII character and a few others: in the scheme, in the user, in the password, after the @', () => {
    const codes = [...Array.from({ length: 128 }, (_, c) => c), 0xa0, 0xe9, 0x2028, 0xfeff];
    for (const c of codes) {
      const ch = String.fromCharCode(c);
      for (const t of [
        `a${ch}b://u:p@h`,
        `${ch}://u:p@h`,
        `a${ch}://u:p@h`,
        `s://u${ch}x:p@h`,
        `s://u:p${ch}x@h`,
        `s://u${ch}:p@h`,
        `s://u:p@${ch}`,
        `s://u:p@h${ch}@h`,
        `s://${ch}:p@h`,
      ]) {
        expect(find(t), JSON.stringify(t)).toEqual(reference(t));
      }
    }
  });

  it('the scheme bound: 32 characters before :// are read, one letter among them is enough', () => {
    for (let n = 28; n <= 36; n++) {
      for (const t of [`${'a'.repeat(n)}://u:p@h`, `a${'1'.repeat(n)}://u:p@h`, `${'1'.repeat(n)}a://u:p@h`]) {
        expect(find(t), t).toEqual(reference(t));
      }
    }
  });

  it('several URLs in one text, in text order, and the mayMatch pre-check never misses one', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (parts) => {
        const t = parts.join(' x ');
        const found = find(t);
        expect(found).toEqual(reference(t));
        if (found.length > 0) expect(urlCredentialsDetector.mayMatch!(t)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});
