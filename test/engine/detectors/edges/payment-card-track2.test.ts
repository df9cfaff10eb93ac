import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paymentCardDetector } from '../../../../engine/detectors/payment-card';
import type { Finding } from '../../../../engine/detectors/types';
import { BRANDS, isCardNumber, withCheckDigit } from './card-oracle';
import { edges } from './helpers';

// docs/detectors.md, `payment-card`: track 2 equivalent data is a card, "the last 12-19 digits before `D` or `=` and an
// expiry `YYMM`" (EMV tag 57, alone or inside a TLV hex string; `;…=…?` on a magnetic stripe). The oracle here: after
// `D`, `d` or `=` come a year, a month 01-12 and at least one digit of the service code; the card is the longest run of
// 12-19 digits that ends at the separator and is a card number (issuer prefix of its length, Luhn).

const card = edges('payment-card');

/** The stretches the detector finds in `text`. */
function spans(text: string): string[] {
  const out: Finding[] = [];
  paymentCardDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

/** The longest 12-19 digits ending `group` that are a card number, or undefined. */
function trackCard(group: string): string | undefined {
  for (let len = Math.min(19, group.length); len >= 12; len--)
    if (isCardNumber(group.slice(group.length - len))) return group.slice(group.length - len);
  return undefined;
}

const decimal = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** A card number of a brand at one of its lengths, or (one time in four) the same digits one check digit off. */
const pan = fc
  .tuple(fc.constantFrom(...BRANDS), fc.nat(), decimal(19, 19), fc.nat(3))
  .map(([brand, pick, fill, off]) => {
    const [lo] = brand.ranges[pick % brand.ranges.length];
    const length = brand.lengths[pick % brand.lengths.length];
    const n = withCheckDigit((lo + fill).slice(0, length - 1));
    return off === 0 ? n.slice(0, -1) + String((Number(n.at(-1)) + 1) % 10) : n;
  });
/** What a log writes before the card: nothing, a label, a stripe's start sentinel, TLV hex ending in digits. */
const before = fc.constantFrom('', 'tag57=', 'emv ', 'track2 ;', '5F2A020978');
const month = fc.integer({ min: 0, max: 13 }).map((m) => String(m).padStart(2, '0'));
/** What follows the service code: the end of the value, TLV padding, the end sentinel, more text. */
const after = fc.constantFrom('', 'F', '?', ' ok');

describe('payment-card: track 2 (card number, D or =, YYMM, service code)', () => {
  it('the longest card number of 12-19 digits before the separator is found, with digits glued before it', () => {
    fc.assert(
      fc.property(
        before,
        decimal(0, 6),
        pan,
        fc.constantFrom('D', 'd', '='),
        decimal(2, 2),
        month,
        decimal(0, 3),
        after,
        (head, lead, n, sep, year, mm, service, tail) => {
          const group = lead + n;
          const text = `${head}${group}${sep}${year}${mm}${service}${tail}`;
          const track = Number(mm) >= 1 && Number(mm) <= 12 && service.length >= 1;
          // With no track-2 reading, only a group that is itself a card could be found: such draws are left out.
          fc.pre(track || group.length > 19 || !isCardNumber(group));
          const expected = track ? trackCard(group) : undefined;
          expect(spans(text), JSON.stringify(text)).toEqual(expected === undefined ? [] : [expected]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('another letter after the number, or fewer than five digits after the separator, is no track 2', () => {
    for (const sep of ['E', 'F', 'C', 'G', 'X'])
      expect(spans(`5713${'4111111111111111'}${sep}2812201F`), sep).toEqual([]);
    expect(spans('57134111111111111111D2812F')).toEqual([]);
    expect(spans('57134111111111111111D28122F')).toEqual(['4111111111111111']);
    expect(spans('57134111111111111111=2812 201')).toEqual([]);
  });

  it('a 12-digit Maestro and a 19-digit Visa before D are read whole; more digits before them are not', () => {
    const maestro = withCheckDigit('50000000001');
    const visa19 = withCheckDigit('411111111111111111');
    expect(spans(`99${maestro}D2812201F`)).toEqual([maestro]);
    expect(spans(`9${visa19}D2812201F`)).toEqual([visa19]);
    expect(spans(`${visa19}D2812201F`)).toEqual([visa19]);
  });

  it('the value scanner masks exactly the card number, whatever the letter case of the hex data', () => {
    card.masks('tag57=', '4111111111111111', 'D28122010000000000F');
    card.masks('5F2A02097857134111111111111111D2812201'.slice(0, 14), '4111111111111111', 'D28122010000000000F');
    card.masks('emv 5713', '5555555555554444', 'd2812201f');
    card.masks('track2 ;', '4012888888881881', '=2812101?');
    card.keeps('build 4111111111111112D2812201F');
    card.keeps('tag57=4111111111111111D2813201F');
  });
});
