import { describe, expect, it } from 'vitest';
import { phoneDetector } from '../../../../engine/detectors/phone';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// Two rules of docs/detectors.md (`phone` row) checked over every input of their alphabet against an oracle written
// from the sentence, not from the detector: the gap between two words of a number ("one blank, or up to three blanks
// with one line break or tab": CRLF is one line break, a lone CR one too) and the label before `#` ("a phone word and at
// most one blank before the `#`"). The detector is called directly (its doc comment is the contract); samples go
// through the scanner with and without its pre-filter.

/** The text `phone` finds in `text`. */
function found(text: string): string[] {
  const out: Finding[] = [];
  phoneDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

/** Every string of 1 to 4 characters over blank, tab, LF and CR. */
function allGaps(): string[] {
  const out: string[] = [];
  const grow = (s: string) => {
    if (s.length > 0) out.push(s);
    if (s.length < 4) for (const c of [' ', '\t', '\n', '\r']) grow(s + c);
  };
  grow('');
  return out;
}

/** The docs' rule: one blank, or at most three characters of which exactly one is a line break (CRLF, LF, CR) or tab. */
function gapAccepted(gap: string): boolean {
  if (gap === ' ') return true;
  if (gap.length > 3) return false;
  const breaks = gap.replace(/\r\n/g, '\n').replace(/ /g, '').length;
  return breaks === 1;
}

describe('phone: every gap of up to four blanks, tabs and line breaks between two words', () => {
  const gaps = allGaps();

  it('a + number across the gap is found whole exactly when the gap is one blank or holds one line break or tab in three characters', () => {
    const bad: string[] = [];
    for (const gap of gaps) {
      const n = `+1 202${gap}555 0143`;
      const want = gapAccepted(gap) ? [n] : [];
      const got = found(`x ${n} x`);
      if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${JSON.stringify(gap)}: ${JSON.stringify(got)}`);
    }
    expect(bad).toEqual([]);
  });

  it('after a bracketed area code the same gaps are read the same way', () => {
    const bad: string[] = [];
    for (const gap of gaps) {
      const n = `(202)${gap}555-0143`;
      const want = gapAccepted(gap) ? [n] : [];
      const got = found(`x ${n} x`);
      if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${JSON.stringify(gap)}: ${JSON.stringify(got)}`);
    }
    expect(bad).toEqual([]);
  });

  it('through the scanner, pre-filter on and off: a blank and CR, CR and a blank, a blank and tab', () => {
    const phone = edges('phone');
    for (const gap of [' \r', '\r ', ' \t', '\t ', ' \r\n']) phone.masks('x ', `+1 202${gap}555 0143`, ' x');
  });
});

/** The phone words a `#` label may end with (docs: `ph#`, `tel#`, `mob#`, `phone #`, `Cell#`, …). */
const LABELS = 'ph tel mob phone telephone cellphone mobile cell fax sms whatsapp msisdn contact'.split(' ');

describe('phone: a phone label ending at #', () => {
  it('a phone word, in any case, then nothing, one blank or one tab before # makes the number glued to # one', () => {
    const bad: string[] = [];
    for (const w of LABELS)
      for (const word of [w, w.toUpperCase(), w[0].toUpperCase() + w.slice(1)])
        for (const before of ['', ' ', 'x ', '(', '.'])
          for (const blank of ['', ' ', '\t']) {
            const text = `${before}${word}${blank}#202-555-0143 x`;
            if (found(text).join() !== '202-555-0143') bad.push(text);
          }
    expect(bad).toEqual([]);
  });

  it('two blanks, another word or letter between, or a word glued before it: the # glues the number (an id)', () => {
    const bad: string[] = [];
    for (const w of LABELS)
      for (const [before, after] of [
        ['', '  '],
        ['', ' \t'],
        ['', 'x'],
        ['', 's'],
        ['', ' no'],
        ['', ' x '],
        ['', '.'],
        ['', '1'],
        ['x', ''],
        ['x', ' '],
        ['1', ''],
        ['_', ''],
      ]) {
        const text = `${before}${w}${after}#202-555-0143 x`;
        if (found(text).length !== 0) bad.push(text);
      }
    expect(bad).toEqual([]);
  });

  it('through the scanner, pre-filter on and off', () => {
    const phone = edges('phone');
    phone.masks('phone #', '202-555-0143', ' x');
    phone.masks('Cell\t#', '202-555-0143', ' x');
    phone.keeps('phone  #202-555-0143 x');
    phone.keeps('phone no#202-555-0143 x');
  });
});

describe('phone: a label or word and a separator before the number', () => {
  it('after : ) ] and a word, and after a word and . / -, the separator is not part of the number; after a digit it glues', () => {
    const bad: string[] = [];
    for (const n of ['202-555-0143', '202.555.0143', '(202) 555-0143'])
      for (const sep of ['-', '.', '/']) {
        for (const label of ['Phone:', 'x)', '[cell]', '(mobile)', 'customer', 'é'])
          if (found(`${label}${sep}${n} x`).join() !== n) bad.push(`${label}${sep}${n}`);
        for (const glued of ['9', '1_', '_'])
          if (found(`${glued}${sep}${n} x`).length !== 0) bad.push(`${glued}${sep}${n}`);
      }
    expect(bad).toEqual([]);
  });
});

describe('phone: a decimal as the word after a number', () => {
  it('a word of one digit, a dot and one digit (`1.5`) is a decimal, no group: the number before it ends there', () => {
    for (const dec of ['1.5', '7.1', '3.9']) {
      expect(found(`+44 20 7946 0958 ${dec}`), dec).toEqual(['+44 20 7946 0958']);
      expect(found(`x +1 202 555 ${dec} x`), dec).toEqual([]);
    }
    // control: two digits before the dot are a last group and an index (`0143.1`)
    expect(found('+1 202 555 0143.1')).toEqual(['+1 202 555 0143']);
  });
});
