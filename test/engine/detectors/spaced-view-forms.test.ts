import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import type { ValueScannerOptions } from '../../../engine/detectors/value-scanner';
import { outsideAttack, withoutIdsAndTimes } from '../../assurance/helpers/outside-attack';

// The spaced view (engine/detectors/spaced-view.ts) read through the public value scanner: what is found and what is
// masked when an identifier is written one separator apart or in digit groups joined by separators the detectors do
// not read, at the edges of the view's rules (separator categories and lengths, surrogates, lists, SSN layouts, URL
// punctuation, percent-encoding, glued words, `@` and bracketed `at`). Fake identities only.

const options: Omit<ValueScannerOptions, 'prefilter'> = {
  detectors: 'all',
  action: 'mask',
  mask: '[{type}]',
  cleanCacheSize: 0,
};
const scanners = [true, false].map((prefilter) => createValueScanner({ ...options, prefilter }));
const attack = outsideAttack();

/** Letters and digits of `s`: a leak is seen whatever separators surround it. */
const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

/** `text` is found as `type` and none of the letters and digits of `secret` are left (pre-filter on and off). */
function masked(text: string, type: string, secret: string): void {
  for (const s of scanners) {
    const r = s.scan(text);
    expect(r.types, JSON.stringify(text)).toContain(type);
    expect(alnum(r.value), JSON.stringify(text)).not.toContain(alnum(secret));
  }
}

/** `text` comes out exactly as `expected` (pre-filter on and off). */
function out(text: string, expected: string): void {
  for (const s of scanners) expect(s.scan(text).value, JSON.stringify(text)).toBe(expected);
}

const CARD = '4111111111111111';
const apart = (s: string, sep: string) => Array.from(s).join(sep);
const grouped = (s: string, sizes: number[], sep: string) => {
  const parts: string[] = [];
  let k = 0;
  for (const n of sizes) parts.push(s.slice(k, (k += n)));
  return parts.join(sep);
};

describe('spaced view: lone surrogates between characters and groups', () => {
  // A lone surrogate is no character: an encoder writes it as U+FFFD (a symbol), so the exported text reads
  // `4� 1� 1…` or `4111�1111�…`. The view read it as no separator, and the card was exported as written.
  const lone = ['\ud800', '\udbff', '\udc00', '\udfff'];

  it('a card with a lone surrogate (and a blank) between its digits or groups is masked', () => {
    for (const u of lone)
      for (const sep of [u, `${u} `, ` ${u}`, `${u}${u}`]) {
        masked(apart(CARD, sep), 'payment-card', CARD);
        masked(`paid ${grouped(CARD, [4, 4, 4, 4], sep)} ok`, 'payment-card', CARD);
      }
  });

  it('an e-mail address and a phone number written apart with lone surrogates are masked', () => {
    masked(apart('jane.doe@example.com', '\udc00 '), 'email', 'janedoeexamplecom');
    masked(`call ${apart('+12025550143', '\ud800')}`, 'phone', '12025550143');
  });

  it('a pair of surrogates is still one character: an emoji separates, a letter outside the BMP does not', () => {
    // U+1F4B3, U+1F400 (its low half U+DC00, the first low surrogate) and U+1F3FF (U+DFFF, the last): symbols
    for (const emoji of ['\u{1F4B3}', '\u{1F400}', '\u{1F3FF}']) {
      masked(apart(CARD, emoji), 'payment-card', CARD);
      masked(grouped(CARD, [4, 4, 4, 4], emoji), 'payment-card', CARD);
    }
    // U+10100 AEGEAN WORD SEPARATOR LINE (punctuation, a high surrogate of D800): a separator
    masked(apart(CARD, '\u{10100}'), 'payment-card', CARD);
    masked(grouped(CARD, [4, 4, 4, 4], '\u{10100}'), 'payment-card', CARD);
    // U+10400 DESERET CAPITAL LETTER LONG I: a letter, so no separator and no card
    out(apart(CARD, '\u{10400}'), apart(CARD, '\u{10400}'));
  });

  it('an emoji before a value written apart separates it from the word before; a letter outside the BMP does not', () => {
    for (const sep of [' ', '!', '\u{1F600}'])
      for (const before of ['\u{1F600}', '\u{1F4B3}', 'x \u{1F600}'])
        masked(`${before}${apart(CARD, sep)}`, 'payment-card', CARD);
    // A letter glued before the first digit makes it part of a word: U+10000, U+10400 and a fullwidth `ｘ` as `x`
    // (none is masked).
    // U+10FC00 (private use, its high half U+DBFF, the last high surrogate) is no separator either.
    for (const letter of ['x', '\u{10000}', '\u{10400}', 'ab\u{10400}', '\uff58', '\u{10FC00}']) {
      const text = `${letter}${apart(CARD, ' ')}`;
      out(text, text);
    }
  });

  it('through real SDK providers: the card is not exported', async () => {
    const exported = await attack.exported(() => {
      attack.loggerProvider.getLogger('lone').emit({ body: `card ${grouped(CARD, [4, 4, 4, 4], '\ud800 ')}` });
    });
    expect(alnum(exported)).not.toContain(CARD);
    expect(withoutIdsAndTimes(exported)).not.toContain('4111');
  });
});

describe('spaced view: a word glued before a value written one separator apart', () => {
  // `cc|4|1|1|…`: the word and every character are one unread separator apart, so the view read digit groups
  // (`cc 4 1 1 …`), single digits the detectors do not join, and the card was exported as written.
  it('a card, an SSN and a phone number after a word and the same separator are masked', () => {
    for (const sep of ['|', '!', '*', '^', '\u00a6', '\u217c', '\u{1F600}', '!!'])
      for (const word of ['cc', 'card', 'ab1']) {
        masked(`${word}${sep}${apart(CARD, sep)}`, 'payment-card', CARD);
        masked(`x ${word}${sep}${apart(CARD, sep)} y`, 'payment-card', CARD);
      }
    masked(`ssn|${apart('123456789', '|')}`, 'us-ssn', '123456789');
  });
});

describe('spaced view: control characters, lists and separator lengths', () => {
  it('a key id with `Z` in it, written one separator apart, is masked (`z` is a letter of the spaced word)', () => {
    const key = 'AKIAZ2ZQZ3ZWZZZZZZZZ';
    for (const sep of [' ', '_', '!']) masked(`key ${apart(key, sep)}`, 'aws-access-key', key);
  });

  it('U+0080 (a control character) separates like any other: between digits or groups a card is masked', () => {
    for (const c of ['\u0080', '\u009f']) {
      masked(apart(CARD, c), 'payment-card', CARD);
      masked(`id ${grouped(CARD, [4, 4, 4, 4], c)} ok`, 'payment-card', CARD);
      masked(`ssn ${grouped('123456789', [3, 2, 4], c)}`, 'us-ssn', '123456789');
    }
  });

  it('a list (a comma or semicolon and a blank) is no word; a comma or semicolon doubled is', () => {
    for (const p of [',', ';', '\u060c', '\u061b', '\u3001']) {
      const list = apart(CARD, `${p} `);
      out(list, list);
      masked(apart(CARD, p + p), 'payment-card', CARD);
      masked(apart(CARD, p + p + p), 'payment-card', CARD);
    }
  });
});

describe('spaced view: an address written apart with different separators on the two sides of its @', () => {
  it('is masked with the pre-filter on as with it off (a blank or none on one side, `_` on the other)', () => {
    // (`*` and `|` with nothing on one side of the `@` are not read, pre-filter on or off: docs/detectors.md)
    for (const sep of ['_', '-'])
      for (const [before, after] of [
        [' ', sep],
        ['', sep],
        [sep, ''],
        [sep, ' '],
      ]) {
        const text = `${apart('jane', sep)}${before}@${after}${apart('example', sep)}${sep}.${sep}${apart('com', sep)}`;
        masked(text, 'email', 'janeexamplecom');
        masked(`${text} jane@example.com`, 'email', 'janeexamplecom');
      }
  });
});

describe('spaced view: a percent-encoded `+` before a phone number written one separator apart', () => {
  // Form encoding writes a number's `+` as `%2B`. With a musical symbol that NFKC writes as a symbol and a mark
  // (U+1D15F is U+1D158 U+1D165) between every character, neither view read the number: the view of the value saw
  // `B` glued to `%2`, and the normalized view (which decodes `%2B`) saw the symbol and its mark, no one separator.
  // `v=%2B𝅘𝅥1𝅘𝅥2𝅘𝅥0…&submit=Send` was exported as written (`+` written plainly was masked).
  const PHONE = '+12025550143';
  const split = ['\u{1D15E}', '\u{1D15F}', '\u{1D160}', '\u{1D164}', '\u{1D1BB}', '\u{1D1C0}'];

  it('the form value with a symbol NFKC splits between every character is masked, `%2B` with it', () => {
    for (const sep of split)
      for (const plus of ['%2B', '%2b']) {
        // The separator after the `+` too (`%2B𝅘𝅥1𝅘𝅥2…`), or the first digit glued to it (`%2B1𝅘𝅥2…`).
        out(`v=${plus}${sep}${apart(PHONE.slice(1), sep)}&submit=Send`, 'v=[phone]&submit=Send');
        out(`v=${plus}${apart(PHONE.slice(1), sep)}&submit=Send`, 'v=[phone]&submit=Send');
        masked(`${plus}${sep}${apart('+442079460958'.slice(1), sep)}`, 'phone', '442079460958');
      }
  });

  it('an emoji and a blank still give the same as `+` written plainly', () => {
    for (const sep of ['\u{1F600}', ' ', '!']) {
      out(`v=%2B${sep}${apart(PHONE.slice(1), sep)}&submit=Send`, 'v=[phone]&submit=Send');
      out(`v=+${sep}${apart(PHONE.slice(1), sep)}&submit=Send`, 'v=[phone]&submit=Send');
    }
  });

  it('look-alikes: a `%2B` before letters or too few characters written apart, or in a word, is kept', () => {
    for (const text of [
      `v=%2B\u{1D15F}${apart('abcdefgh', '\u{1D15F}')}&submit=Send`,
      `v=%2B${apart('2026', '\u{1D15F}')}&submit=Send`,
      `q=a%2B${apart('1234', '\u{1D15F}')}`,
    ])
      out(text, text);
  });

  it('through real SDK providers: the number is not exported', async () => {
    const body = `v=%2B\u{1D15F}${apart(PHONE.slice(1), '\u{1D15F}')}&submit=Send`;
    const exported = await attack.exported(() => attack.loggerProvider.getLogger('plus').emit({ body }));
    expect(alnum(exported)).not.toContain('12025550143');
  });
});
