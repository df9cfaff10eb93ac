import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paymentCardDetector } from '../../../../engine/detectors/payment-card';
import type { Finding } from '../../../../engine/detectors/types';
import { defaultPolicyExport, edges } from './helpers';

// docs/detectors.md, `payment-card`: punctuation joining a version, date or count to a card does not hide it
// (`v2-4111…`, `1.0-4111 1111 1111 1111`, `4111…/2`, `1.0.4111…`, and a run of two to four such characters:
// `2024-01-15--4111…`, `7::4111…`); one `.` after a number glued to a letter is a version (`v2.4111…`), after a plain
// number a decimal point (`1.4111…`: no card).

const card = edges('payment-card');

/** The stretches the detector finds in `text`. */
function spans(text: string): string[] {
  const out: Finding[] = [];
  paymentCardDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

/** Punctuation runs of two to four characters without a comma or semicolon (those end list items). */
const RUNS_OF_PUNCT = ['--', '::', '//', '-.', '.-', '__', '~~', '-/', '|', '||', '---', '----', '+-', '*:'];
const PANS = ['4111111111111111', '4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005'];

describe('payment-card: a version, date or count joined by punctuation', () => {
  it('one to four punctuation characters between a number and a card leave the card found, before and after it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PANS),
        fc.constantFrom(...RUNS_OF_PUNCT),
        fc.constantFrom('v2', '2024-01-15', '1234', '7', '1.0', 'x1'),
        fc.constantFrom('2', '12', '2812', '1.0'),
        (pan, joint, head, tail) => {
          expect(spans(`a ${head}${joint}${pan} b`)).toEqual([pan]);
          expect(spans(`a ${pan}${joint}${tail} b`)).toEqual([pan]);
        },
      ),
      { numRuns: 150 },
    );
  });

  const exported = defaultPolicyExport();
  it('a card joined to a date by `--` is not exported through real SDK providers (default policy)', async () => {
    for (const [text, pan] of [
      ['at 2024-01-15--4111111111111111 ok', '4111111111111111'],
      ['build v2--4111 1111 1111 1111', '4111 1111 1111 1111'],
      ['n 5555555555554444::2', '5555555555554444'],
    ])
      expect(await exported(text), text).not.toContain(pan);
  });

  it('the value scanner masks the card and keeps the number joined to it', () => {
    card.masks('at 2024-01-15--', '4111111111111111', ' ok');
    card.masks('v2--', '4111111111111111');
    card.masks('', '4111111111111111', '--2');
    card.masks('id 7::', '4111 1111 1111 1111', ' ok');
  });
});

describe('payment-card: a first `.` is a decimal point unless a letter is glued before the number', () => {
  it('after a number glued to a letter the card is found; after a plain number it is a fraction', () => {
    for (const pan of ['4111111111111111', '4111 1111 1111 1111']) {
      for (const head of ['v2', 'x1', 'V10', 'rc3']) expect(spans(`a ${head}.${pan} b`), head).toEqual([pan]);
      for (const head of ['2', '10', '0']) expect(spans(`a ${head}.${pan} b`), head).toEqual([]);
      card.masks('v2.', pan, ' b');
      card.keeps(`a 1.${pan} b`);
    }
  });
});

describe('payment-card: an identifier word hides a card only with `-`', () => {
  it('the same words before a blank, `:`, `=` or `#` leave the card found (Card No 4111…, ref:4111…)', () => {
    for (const word of ['No', 'no', 'ref', 'id', 'ID', 'num', 'acct', 'order', 'number', 'account'])
      for (const sep of [' ', ':', '=', '#', ': '])
        expect(spans(`Card ${word}${sep}4111111111111111 ok`), `${word}${sep}`).toEqual(['4111111111111111']);
    card.masks('Card No ', '4111111111111111', ' exp 12/29');
    card.keeps('ORD-4111111111111111 ok');
  });
});
