// Card-number oracles written from the brands' published ranges and the Luhn definition (not from
// engine/detectors/payment-card.ts), shared by the payment-card rule-edge suites.

/** Brands in the order the doc comment of `validCardPrefix` lists them; the first whose prefix matches decides. */
export const BRANDS: { name: string; ranges: [string, string][]; lengths: number[] }[] = [
  { name: 'Visa', ranges: [['4', '4']], lengths: [13, 16, 19] },
  {
    name: 'Mastercard',
    ranges: [
      ['51', '55'],
      ['2221', '2720'],
    ],
    lengths: [16],
  },
  {
    name: 'Amex',
    ranges: [
      ['34', '34'],
      ['37', '37'],
    ],
    lengths: [15],
  },
  {
    name: 'Discover',
    ranges: [
      ['6011', '6011'],
      ['644', '649'],
      ['65', '65'],
    ],
    lengths: [16, 17, 18, 19],
  },
  { name: 'JCB', ranges: [['3528', '3589']], lengths: [16, 17, 18, 19] },
  {
    name: 'Diners',
    ranges: [
      ['300', '305'],
      ['36', '36'],
      ['38', '39'],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  },
  { name: 'UnionPay', ranges: [['62', '62']], lengths: [16, 17, 18, 19] },
  { name: 'Mir', ranges: [['2200', '2204']], lengths: [16, 17, 18, 19] },
  {
    name: 'Maestro',
    ranges: [
      ['50', '50'],
      ['56', '69'],
    ],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
];

/** The brand whose range holds the leading digits `lead` (a string of at least four digits), or undefined. */
export function brandOf(lead: string) {
  return BRANDS.find((b) =>
    b.ranges.some(([lo, hi]) => {
      const head = lead.slice(0, lo.length);
      return head >= lo && head <= hi;
    }),
  );
}

export function oracleLuhn(digitsOnly: string): boolean {
  const total = [...digitsOnly]
    .reverse()
    .map((ch, k) => (k % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(ch)] : Number(ch)))
    .reduce((x, y) => x + y, 0);
  return total % 10 === 0;
}

/** `body` completed with its Luhn check digit (found by trying the ten). */
export function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (oracleLuhn(body + d)) return body + d;
  throw new Error('unreachable');
}

/** Whether `digitsOnly` is a card number: a brand allows its length and the Luhn check passes. */
export function isCardNumber(digitsOnly: string): boolean {
  const brand = brandOf(digitsOnly);
  return brand !== undefined && brand.lengths.includes(digitsOnly.length) && oracleLuhn(digitsOnly);
}
