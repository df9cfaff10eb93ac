import { describe, expect, it } from 'vitest';
import { paymentCardDetector } from '../../../../engine/detectors/payment-card';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// docs/detectors.md, `payment-card`: a whole run of digit groups is one number when it is an even grouping with one
// separator (`41 11 11 11 …`, groups of the same length of at least two digits, the last not longer) or thousands
// grouping (a first group of one to three digits, then groups of three, one separator throughout). Blanks of any kind
// and count are one separator (a table's alignment); a mix with punctuation is another. What follows the run (a
// blank, then a word) is not part of it.

const card = edges('payment-card');

/** The stretches the detector finds in `text`. */
function spans(text: string): string[] {
  const out: Finding[] = [];
  paymentCardDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('payment-card: even grouping', () => {
  it('groups of two joined by spaces, a tab, two spaces or a no-break space are one grouped number', () => {
    for (const sep of ['  ', '\t', '\u00a0', '\u3000'])
      expect(spans(`pan 41 11 11 11${sep}11 11 11 11 end`), JSON.stringify(sep)).toEqual([
        `41 11 11 11${sep}11 11 11 11`,
      ]);
  });

  it('a blank and a punctuation mix are two separators: no even grouping', () => {
    expect(spans('pan 41 -11 11 11 11 11 11 11 end')).toEqual([]);
    expect(spans('pan 41 11 11 11 -11 11 11 11 end')).toEqual([]);
    expect(spans('pan 41 -11 -11 -11 -11 -11 -11 -11 end')).toEqual(['41 -11 -11 -11 -11 -11 -11 -11']);
  });

  it('two groups are an even grouping too (8-8, 10-6); a first group of one digit is not', () => {
    expect(spans('pan 41111111 11111111 end')).toEqual(['41111111 11111111']);
    expect(spans('pan 4111111111-111111 end')).toEqual(['4111111111-111111']);
    card.masks('pan ', '41111111 11111111', ' end');
  });
});

describe('payment-card: thousands grouping', () => {
  it('is read whole with a blank and a word after it, with any blank between the groups', () => {
    expect(spans('total 4,111,111,111,111,111 end')).toEqual(['4,111,111,111,111,111']);
    expect(spans('total 4.111.111.111.111.111 EUR')).toEqual(['4.111.111.111.111.111']);
    expect(spans('pan 4\t111 111 111 111 111 end')).toEqual(['4\t111 111 111 111 111']);
    expect(spans('total 4,111,111,111,111,111\n')).toEqual(['4,111,111,111,111,111']);
  });

  it('two separators, or a group of another length, are no thousands grouping', () => {
    card.keeps('x 4.111,111,111,111,111 y');
    card.keeps('x 4,111.111.111.111.111 y');
    card.keeps('x 4 111 1111 111 111 11 y');
    expect(spans('x 4 111 111 111 1111 11 y')).toEqual([]);
  });
});

describe('payment-card: 4-6-5 and 4-6-4 are the only layouts with a group of six', () => {
  it('a card of the right digits in 5-6-5, 4-6-6, 4-6-5-1 or 10-6 (with a group after) is an uneven grouping', () => {
    for (const text of [
      'x 41111 111111 11111 y',
      'x 4111 111111 111111 y',
      'x 4111 111111 11111 1 y',
      'x 4111111111 111111 2812 y',
    ]) {
      expect(spans(text), text).toEqual([]);
      card.keeps(text);
    }
    expect(spans('x 3782 822463 10005 y')).toEqual(['3782 822463 10005']);
    expect(spans('x 3056 930902 5904 y')).toEqual(['3056 930902 5904']);
  });
});

describe('payment-card: an identifier label before a grouped number', () => {
  it('hides an even or thousands grouping as it hides the plain digits (ORD-4111…)', () => {
    for (const n of ['41 11 11 11 11 11 11 11', '4,111,111,111,111,111', '411 111 111 111 111 1']) {
      expect(spans(`ORD-${n} y`), n).toEqual([]);
      card.keeps(`ORD-${n} y`);
      expect(spans(`card-${n} y`), n).toEqual([n]);
    }
  });
});
