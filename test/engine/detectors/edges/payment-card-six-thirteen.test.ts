import fc from 'fast-check';
import { describe, it } from 'vitest';
import { isCardNumber, withCheckDigit } from './card-oracle';
import { edgeScanners } from './secret-edges-helpers';

// The 19-digit layout 6-13 of UnionPay, Maestro and Visa (`622673 5125266467531`; docs/detectors.md, `payment-card`
// row) is a printed card layout: the whole number is masked (it was exported: no window of it was a layout). A Luhn-wrong
// neighbour stays as written. Pre-filter on and off.

const card = edgeScanners(['payment-card']);
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
/** Issuer prefixes of 19-digit cards (UnionPay `62`, Visa `4`, Maestro `67`/`50`). */
const prefix = fc.constantFrom('622673', '624233', '627981', '487866', '420347', '675994', '676342', '501800');
/** A 19-digit card number (Luhn right) and its 6-13 writing with a blank or `-`. */
const sixThirteen = fc.tuple(prefix, digits(12), fc.constantFrom(' ', '-')).map(([p, body, sep]) => {
  const n = withCheckDigit(p + body);
  return { n, written: `${n.slice(0, 6)}${sep}${n.slice(6)}` };
});
const context = fc.constantFrom('', 'card ', 'payment declined for card ', 'pan=', '{"card_number":"');

describe('payment-card: the 19-digit 6-13 layout', () => {
  it('is masked whole, in any context (0 of 24 per brand and separator before)', () => {
    fc.assert(
      fc.property(context, sixThirteen, (before, { written }) =>
        card.marked(`${before}«${written}»${before.startsWith('{') ? '"}' : ''}`),
      ),
      { numRuns: 200 },
    );
  });

  it('a neighbour with a wrong check digit stays as written (when neither group alone is a card)', () => {
    fc.assert(
      fc.property(sixThirteen, ({ n, written }) => {
        const last = String((Number(n[18]) + 1) % 10);
        fc.pre(!isCardNumber(n.slice(6, 18) + last));
        card.kept(written.slice(0, -1) + last);
      }),
      { numRuns: 150 },
    );
  });
});
