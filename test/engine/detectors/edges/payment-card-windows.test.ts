import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paymentCardDetector } from '../../../../engine/detectors/payment-card';
import type { Finding } from '../../../../engine/detectors/types';
import { isCardNumber, withCheckDigit } from './card-oracle';
import { edges } from './helpers';

// docs/detectors.md, `payment-card`: "a card with one or two more digit groups beside it: a window of whole groups in a
// card layout with an issuer prefix and check digit is found inside a longer 4-4-4-… run of at most two groups more";
// with three or more groups of four beside it, the run is a table or array and nothing is read (listed under "still
// gets through"). Groups of other lengths beside a card (a count, a short code) do not hide it. The card oracle
// computes the number's digits; the runs here are joined by blanks, where a value may end.

const card = edges('payment-card');

/** The stretches the detector finds in `text`. */
function spans(text: string): string[] {
  const out: Finding[] = [];
  paymentCardDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

/** A card number split into a printed layout: 4-4-4-4, 4-4-4-4-3, 4-4-4-1, 4-6-5, 4-6-4, or contiguous. */
const LAYOUTS: [string, number[]][] = [
  ['4', [4, 4, 4, 4]],
  ['4', [4, 4, 4, 4, 3]],
  ['4', [4, 4, 4, 1]],
  ['5', [4, 4, 4, 4]],
  ['6011', [4, 4, 4, 4, 2]],
  ['37', [4, 6, 5]],
  ['36', [4, 6, 4]],
  ['4', [16]],
  ['3528', [19]],
];
const decimal = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
/** [groups of a card number, its digits] */
const layoutCard = fc.tuple(fc.constantFrom(...LAYOUTS), decimal(19)).map(([[lead, sizes], fill]) => {
  const total = sizes.reduce((s, x) => s + x, 0);
  const n = withCheckDigit((lead + fill).slice(0, total - 1));
  const groups: string[] = [];
  let k = 0;
  for (const size of sizes) groups.push(n.slice(k, (k += size)));
  return groups;
});
/** Whether consecutive groups of `run` other than `[from, to)` join to a card number (any length, any layout). */
function otherCard(run: string[], from: number, to: number): boolean {
  for (let a = 0; a < run.length; a++)
    for (let b = a + 1; b <= run.length; b++)
      if ((a !== from || b !== to) && isCardNumber(run.slice(a, b).join(''))) return true;
  return false;
}
/** A group beside the card that no issuer range starts with (`0…`, `1…`, `7…`-`9…`, an expiry `28…`): of `size` digits. */
const beside = (size: number) =>
  fc
    .tuple(fc.constantFrom('0', '1', '7', '8', '9', '28'), decimal(4))
    .map(([lead, fill]) => (lead + fill).slice(0, size));

describe('payment-card: a card among more digit groups', () => {
  it('one or two groups beside a card leave it found; three or more of four digits hide it; shorter ones never do', () => {
    fc.assert(
      fc.property(
        layoutCard,
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(4, 3, 2),
        fc.array(decimal(4), { minLength: 8, maxLength: 8 }),
        fc.constantFrom(' ', '  ', '\t', ' - ', '\n'),
        (groups, before, after, size, fills, sep) => {
          const extra = fills.map((f, k) => ['0', '1', '7', '8', '9', '28'][k % 6] + f).map((g) => g.slice(0, size));
          const run = [...extra.slice(0, before), ...groups, ...extra.slice(4, 4 + after)];
          // Other groups that are a card number themselves (a 19-digit card of the card and a three-digit group after
          // it, a card's last group and the groups after it): more than one answer, left out.
          fc.pre(!otherCard(run, before, before + groups.length));
          const text = `pan ${run.join(sep)} end`;
          const hidden = groups.length > 1 && size === 4 && before + after >= 3;
          expect(spans(text), JSON.stringify(text)).toEqual(hidden ? [] : [groups.join(sep)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a contiguous card is found among any number of four-digit groups', () => {
    fc.assert(
      fc.property(beside(4), beside(4), beside(4), (x, y, z) => {
        expect(spans(`${x} ${y} ${z} 4111111111111111 ${x} ${y} ${z}`)).toEqual(['4111111111111111']);
        card.masks(`${x} ${y} ${z} `, '5555555555554444', ` ${x}`);
      }),
      { numRuns: 30 },
    );
  });

  it('the value scanner masks the card and keeps the groups beside it', () => {
    card.masks('card ', '4111 1111 1111 1111', ' 2812');
    card.masks('card ', '4111 1111 1111 1111', ' 2812 737');
    card.masks('card 1234 ', '4111 1111 1111 1111', ' 2812');
    card.masks('card 12 34 56 ', '4111 1111 1111 1111', ' 78 90');
    card.keeps('card 1234 5678 9012 4111 1111 1111 1111');
    card.keeps('card 4111 1111 1111 1111 2812 0123 7890');
  });
});
