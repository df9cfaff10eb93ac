import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';

// The edges of the `@` anchors (docs/detectors.md, `email` row): the detector's `mayMatch` contract (true whenever
// `find` finds), a bracketed `@` needs both halves, folding white space before the `@` (a line break, CRLF, comments:
// three steps), and a local part written one character apart before a bracketed at (three or more single characters
// with the same blank; one or two are prose).

function found(text: string): string[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('email: mayMatch is true whenever find finds an address', () => {
  it('an @ or %40 at any position, an obfuscated at', () => {
    const texts = [
      'j@example.com',
      'jo@example.com',
      'x j@example.com',
      'x%40example.com',
      'jane%40example.com',
      'q=jane%40example.com',
      'jane(at)example.com',
      'jane at example dot com',
    ];
    for (const text of texts) {
      expect(found(text).length, text).toBeGreaterThan(0);
      expect(emailDetector.mayMatch(text), text).toBe(true);
    }
  });

  it('the scanner names the detector by its policy name', () => {
    expect(createValueScanner({ detectors: ['email'], action: 'mask', mask: '[X]' }).detectors).toEqual(['email']);
  });
});

describe('email: a bracketed @ needs both halves', () => {
  it('an @ followed by a closing bracket or a control character is no anchor', () => {
    for (const text of ['x jane@>example.com y', 'x jane@)example.com y', 'x jane@\u0001example.com y'])
      expect(found(text), JSON.stringify(text)).toEqual([]);
    for (const at of ['<@>', '(@)', '[@]', '{@}'])
      expect(found(`x jane${at}example.com y`)).toEqual([`jane${at}example.com`]);
  });
});

describe('email: folding white space before and after the @', () => {
  it('a lone LF and a CR after the @: the whole local part', () => {
    expect(found('x jane\n@example.com y')).toEqual(['jane\n@example.com']);
    expect(found('x jane\n@ \rexample.com y')).toEqual(['jane\n@ \rexample.com']);
    // A one-character local part: the LF alone is the line break (not the character before it).
    expect(found('x j\n@example.com y')).toEqual(['j\n@example.com']);
    expect(found('x j\n@ \rexample.com y')).toEqual(['j\n@ \rexample.com']);
    expect(found('x jane.\n@example.com y')).toEqual([]);
  });

  it('a comment, a blank, CRLF, a blank and a comment: CRLF is one line break of one step', () => {
    expect(found('x jane (c)\r\n (d)@example.com y')).toEqual(['jane (c)\r\n (d)@example.com']);
    expect(found('x jane(c)\r\n @example.com y')).toEqual(['jane(c)\r\n @example.com']);
  });
});

describe('email: a local part written one character apart before a bracketed at', () => {
  it('three or more characters with the same blank, from the start of the text too', () => {
    expect(found('j a n e (at) example.com')).toEqual(['j a n e (at) example.com']);
    expect(found('note j a n e (at) example.com y')).toEqual(['j a n e (at) example.com']);
    // The characters before another separator are not part of it.
    expect(found('note j:a n e (at) example.com y')).toEqual(['a n e (at) example.com']);
  });

  it('one or two single characters before it are prose: the last character only', () => {
    expect(found('note a b (at) example.com')).toEqual(['b (at) example.com']);
    expect(found('a x(y(z(at)example.com')).toEqual(['z(at)example.com']);
  });
});

describe('email: a character RFC 5322 allows in a local part right before the @', () => {
  it('the local part before it and that character: the address is masked, not exported', () => {
    // Each of these was exported as written (the local part ended in a character it does not start at, so none was read).
    for (const ch of '!#$&*/=?^`|~') {
      expect(found(`x jane${ch}@example.com y`), ch).toEqual([`jane${ch}@example.com`]);
      expect(found(`x user=jane.doe${ch}@example.com y`), ch).toEqual([`jane.doe${ch}@example.com`]);
    }
    for (const s of [true, false].map((prefilter) =>
      createValueScanner({ detectors: ['email'], action: 'mask', mask: '[X]', cleanCacheSize: 0, prefilter }),
    ))
      expect(s.scan('mail jane!@example.com ok').value).toBe('mail [X] ok');
  });

  it('at the start of the text and one character in', () => {
    expect(found('jane!@example.com')).toEqual(['jane!@example.com']);
    expect(found('(j!@example.com')).toEqual(['j!@example.com']);
  });

  it('nothing that starts a local part before it, a closing bracket: no address', () => {
    for (const text of ['x ()@example.com y', 'x foo()@example.com y', 'x !@example.com y', 'x [X]@example.com y'])
      expect(found(text), text).toEqual([]);
  });

  it('a dot and then such a character end the local part too (`jane.!@…`: the address is masked)', () => {
    expect(found('x jane.!@example.com y')).toEqual(['jane.!@example.com']);
  });
});

describe('email: a comment holding an @', () => {
  it('is read as a comment on either side of the @', () => {
    // `jane(c@d)@example.com` was listed as still getting through: an `@` ended the search for the comment.
    expect(found('mail jane(c@d)@example.com ok')).toEqual(['jane(c@d)@example.com']);
    expect(found('mail jane@(c@d)example.com ok')).toEqual(['jane@(c@d)example.com']);
    // A line break still ends it, and blanks and comments still need a common top-level domain.
    expect(found('mail jane(c\nd)@example.com ok')).toEqual([]);
    expect(found('mail jane(c\rd)@example.com ok')).toEqual([]);
    expect(found('mail jane(c@d)@example.local ok')).toEqual([]);
    // A comment of 64 characters after the @ is read; one of 65 is none (a common top-level domain after it too).
    expect(found(`mail jane@(${'c'.repeat(64)})example.com ok`)).toEqual([`jane@(${'c'.repeat(64)})example.com`]);
    expect(found(`mail jane@(${'c'.repeat(65)})example.com ok`)).toEqual([]);
  });
});

describe('email: a domain literal', () => {
  it('hex digits a to f in either case, two colons, up to 65 characters between the brackets', () => {
    for (const literal of ['[IPv6:2001:db8::a]', '[IPv6:2001:db8::F]', '[IPv6:::1]', `[${'1:'.repeat(32)}1]`])
      expect(found(`x jane@${literal} y`), literal).toEqual([`jane@${literal}`]);
  });

  it('66 characters, a blank or another character inside: no literal', () => {
    for (const literal of [`[${'1:'.repeat(33)}]`, '[203.0.113.7 ]', '[203.0.113.7!]', '[2001:db8::g]'])
      expect(found(`x jane@${literal} y`), literal).toEqual([]);
  });
});

describe('email: the domain after an obfuscated at', () => {
  it('hyphens inside labels, prose words as labels after a bracketed at, 24 letters of top-level domain', () => {
    expect(found('x jane(at)my-site.com y')).toEqual(['jane(at)my-site.com']);
    // Only the word ` at ` refuses prose labels (`look at my dot com`); a bracketed `(at)` is deliberate.
    expect(found('x jane(at)my.example.com y')).toEqual(['jane(at)my.example.com']);
    expect(found(`x jane(at)example.${'c'.repeat(24)} y`)).toEqual([`jane(at)example.${'c'.repeat(24)}`]);
    expect(found(`x jane(at)example.${'c'.repeat(25)} y`)).toEqual([]);
    // A plain dot needs a label after it.
    expect(found('x jane(at)example.-x.com y')).toEqual([]);
  });

  it('the word at with a plain dot is prose even where the text holds an obfuscated form elsewhere', () => {
    expect(found('see (at) below: deployed 1.2 at api.example.com')).toEqual([]);
  });
});
