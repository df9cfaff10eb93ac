import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { RUNS, defaultPolicyExport, edges, word } from './helpers';

// Every written form of an obfuscated `@` and `.` that docs/detectors.md (`email` row) lists, in each bracket, case
// and blank, against its nearest form that is no address: `(at)`, `[at]`, `{at}`, `<at>` with up to two blanks
// around them; `(dot)`, `[.]`, ` dot `; `(a)` glued on both sides; the word ` at ` with an obfuscated dot.

const email = edges('email');

function find(text: string): Finding[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out;
}

const PAIRS = ['()', '[]', '{}', '<>'];
const CASES = ['at', 'AT', 'At', 'aT'];
const BLANKS = ['', ' ', '\t', '  ', ' \t', '\t\t'];

describe('email: a bracketed at in every bracket, case and blank', () => {
  it('one or two blanks (space or tab) before and after it; none or one blank (space or tab) inside', () => {
    for (const [o, c] of PAIRS)
      for (const at of CASES)
        for (const inside of ['', ' ', '\t'])
          for (const before of BLANKS)
            for (const after of BLANKS) {
              const obf = `${before}${o}${inside}${at}${inside}${c}${after}`;
              email.masks('mail ', `jane${obf}example.com`, ' ok');
            }
  });

  it('three blanks on a side, two inside, or no bracket: no address', () => {
    for (const [o, c] of PAIRS) {
      email.keeps(`mail jane   ${o}at${c} example.com ok`);
      email.keeps(`mail jane ${o}at${c}   example.com ok`);
      email.keeps(`mail jane ${o}  at  ${c} example.com ok`);
      email.keeps(`mail jane ${o}at example.com ok`);
      email.keeps(`mail jane at${c} example.com ok`);
      email.keeps(`mail jane ${o}et${c} example.com ok`);
      email.keeps(`mail jane ${o}att${c} example.com ok`);
    }
  });

  it('an empty first label or one longer than 63 characters is no domain', () => {
    for (const [o, c] of PAIRS) {
      email.keeps(`x jane${o}at${c}.com y`);
      email.keeps(`x jane ${o}at${c} .example.com y`);
      email.keeps(`x jane${o}at${c}${'b'.repeat(64)}.com y`);
      email.masks('x ', `jane${o}at${c}${'b'.repeat(63)}.com`, ' y');
    }
  });

  it('any top-level domain but a file extension after it, with plain or obfuscated dots', () => {
    fc.assert(
      fc.property(
        word(8),
        word(8).filter((w) => w.length >= 2),
        fc.constantFrom(...PAIRS),
        fc.constantFrom('local', 'internal', 'corp', 'com', 'de', 'museum'),
        (a, d, [o, c], tld) => {
          email.masks('x ', `${a}${o}at${c}${d}.${tld}`, ' y');
          email.masks('x ', `${a} ${o}at${c} ${d} ${o}dot${c} ${tld}`, ' y');
          email.keeps(`x ${a}${o}at${c}${d}.png y`);
          email.keeps(`x ${a}${o}at${c}${d} y`);
        },
      ),
      RUNS,
    );
  });
});

describe('email: obfuscated dots in every bracket, case and blank', () => {
  it('(dot), [.], and the word dot between one or two blanks', () => {
    const dots: string[] = [];
    for (const [o, c] of PAIRS)
      for (const inner of ['dot', 'DOT', 'Dot', '.'])
        for (const inside of ['', ' '])
          for (const around of ['', ' ', '\t', '  ']) dots.push(`${around}${o}${inside}${inner}${inside}${c}${around}`);
    for (const around of [' ', '\t', '  ', '\t ']) for (const w of ['dot', 'DOT']) dots.push(`${around}${w}${around}`);
    for (const dot of dots) {
      email.masks('mail ', `jane(at)example${dot}com`, ' ok');
      email.masks('mail ', `jane at example${dot}com`, ' ok');
      email.masks('mail ', `jane at mail${dot}example${dot}co${dot}uk`, ' ok');
    }
  });

  it('three blanks, two inside, or a half bracket: the word at finds no address', () => {
    for (const dot of ['   dot   ', ' (  dot  ) ', ' (dot ', ' dot) ', '   (dot)   ', ' dots ', ' (do) '])
      email.keeps(`mail jane at example${dot}com ok`);
  });
});

describe('email: the word at', () => {
  it('between one blank each side (space or tab), in any case, with an obfuscated dot and a common TLD', () => {
    for (const l of [' ', '\t'])
      for (const r of [' ', '\t'])
        for (const at of CASES) email.masks('mail ', `jane${l}${at}${r}example dot com`, ' ok');
    for (const text of ['jane  at example dot com', 'jane ats example dot com', 'jane atexample dot com'])
      expect(find(`mail ${text} ok`).map((f) => f.start)).not.toContain(5);
  });
});

describe('email: a bracketed a glued on both sides', () => {
  it('(a), [a], {a}, <a> in either case between letters or digits of any script', () => {
    for (const [o, c] of PAIRS)
      for (const a of ['a', 'A']) {
        email.masks('Kontakt: ', `info${o}${a}${c}example.de`, ' bitte');
        email.masks('Kontakt: ', `info9${o}${a}${c}9example.de`, ' bitte');
        email.masks('Kontakt: ', `jörg${o}${a}${c}müller.de`, ' bitte');
        email.keeps(`choose ${o}${a}${c} github.com or (b)`);
        email.keeps(`choose x${o}${a}${c} github.com or (b)`);
        email.keeps(`choose ${o}${a}${c}github.com or (b)`);
        email.keeps(`choose x${o}${a}${c}.github.com or (b)`);
      }
  });
});

describe('email: an internationalized domain after an obfuscated or spaced at', () => {
  it('labels in any script, the top-level domain in ASCII letters', () => {
    // All four were exported as written: the obfuscated domain was read in ASCII letters and digits only.
    email.masks('mail ', 'jane(at)müller.de', ' ok');
    email.masks('mail ', 'jane [at] müller [dot] de', ' ok');
    email.masks('mail ', 'jane at müller dot de', ' ok');
    email.masks('mail ', 'jane @ пример.рф.com', ' ok');
    email.masks('Kontakt: ', 'jörg(a)müller.de', ' bitte');
    email.masks('mail ', 'jane(at)mail.über.de', ' ok');
    // The top-level domain is still ASCII letters, common after a spaced at, and the prose labels still refuse.
    email.keeps('mail jane @ пример.рф ok');
    email.keeps('look at the dot com bubble, über dot com');
    email.keeps('mail jane @ müller.local ok');
  });
});

describe('email: plain and obfuscated addresses in one text', () => {
  it('every finding, in text order (the detector contract)', () => {
    for (const text of [
      'x jane(at)example.com and john@example.org y',
      'x jane [at] example [dot] com, joe@example.net, jim(at)example.de y',
    ]) {
      const starts = find(text).map((f) => f.start);
      expect(starts.length, text).toBe(text.split(/@|\(at\)|\[at\]/).length - 1);
      expect(starts, text).toEqual([...starts].sort((a, b) => a - b));
    }
  });
});

describe('email: the forms fixed this session, through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('an obfuscated internationalized domain, a local part outside the BMP and a 64-character comment are not exported', async () => {
    for (const [text, secret] of [
      ['mail jane(at)müller.de ok', 'müller'],
      ['Kontakt: jörg(a)müller.de bitte', 'jörg'],
      ['mail 𠮷田@example.jp ok', '𠮷田'],
      [`mail jane(${'c'.repeat(64)})@example.com ok`, 'jane'],
    ] as const) {
      const out = await exported(text);
      expect(out, text).not.toContain(secret);
      expect(out, text).toContain(text.slice(0, 4));
    }
  });
});
