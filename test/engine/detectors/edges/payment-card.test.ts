import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paymentCardDetector } from '../../../../engine/detectors/payment-card';
import type { Finding } from '../../../../engine/detectors/types';
import { RUNS, UNICODE_PUNCT_SEPARATORS, defaultPolicyExport, edges } from './helpers';

// Rule edges of engine/detectors/payment-card.ts against docs/detectors.md (`payment-card` row): random card numbers of
// each issuer range with their Luhn digit computed here (test numbers, not anyone's card).

const card = edges('payment-card');

/** `body` with its Luhn check digit appended. */
function withLuhn(body: string): string {
  let sum = 0;
  for (let k = 0; k < body.length; k++) {
    let d = Number(body[body.length - 1 - k]);
    if (k % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}
/** A number of `length` digits starting with `prefix`, random in between, Luhn-valid. */
const cardOf = (prefix: string, length: number) =>
  fc
    .string({ unit: fc.constantFrom(...'0123456789'), minLength: 19, maxLength: 19 })
    .map((r) => withLuhn(prefix + r.slice(0, length - prefix.length - 1)));
const wrongLuhn = (s: string) => s.slice(0, -1) + String((Number(s[s.length - 1]) + 1) % 10);
const fours = (s: string, sep: string) => s.match(/.{1,4}/g)!.join(sep);

/** Issuer ranges at their edges: prefix, lengths found, lengths refused; and the nearest prefixes outside. */
const ISSUERS: ReadonlyArray<readonly [string, readonly number[], readonly number[]]> = [
  ['4', [13, 16, 19], [14, 15, 17, 18]], // Visa
  ['51', [16], [15, 17]],
  ['55', [16], [19]],
  ['2221', [16], [15]],
  ['2720', [16], [17]], // Mastercard
  ['34', [15], [14, 16]],
  ['37', [15], [16]], // Amex
  ['6011', [16, 19], [15]],
  ['644', [16, 19], [15]],
  ['649', [17], [15]],
  ['65', [18], [15]], // Discover
  ['3528', [16, 19], [15]],
  ['3589', [16], [15]], // JCB
  ['300', [14, 19], [13]],
  ['305', [14], [13]],
  ['36', [14], [13]],
  ['38', [15], [13]],
  ['39', [16], [13]], // Diners
  ['62', [16, 19], [15]], // UnionPay
  ['2200', [16, 19], [15]],
  ['2204', [17], [15]], // Mir
  ['50', [12, 19], []],
  ['56', [12], []],
  ['69', [13], []], // Maestro
];
const NO_ISSUER = ['1', '2220', '2721', '2199', '2205', '33', '35', '3527', '3590', '306', '70', '8', '9', '0'];

describe('payment-card: issuer, length and Luhn', () => {
  it('each issuer range at its lengths is found; other lengths, a wrong check digit, no issuer are not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ISSUERS),
        fc.nat(),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 19, maxLength: 19 }),
        ([prefix, ok, bad], pick, r) => {
          const make = (len: number) => withLuhn(prefix + r.slice(0, len - prefix.length - 1));
          const n = make(ok[pick % ok.length]);
          card.masks('x ', n, ' y');
          card.keeps(`x ${wrongLuhn(n)} y`);
          if (bad.length > 0) card.keeps(`x ${make(bad[pick % bad.length])} y`);
        },
      ),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...NO_ISSUER),
        fc.constantFrom(13, 14, 15, 16, 19),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 19, maxLength: 19 }),
        (prefix, len, r) => {
          // Prefixes a longer issuer prefix could extend are kept apart by their next digit: `35` + `0…` is no JCB.
          const body = prefix + (prefix.length < 4 ? '0' : '') + r;
          card.keeps(`x ${withLuhn(body.slice(0, len - 1))} y`);
        },
      ),
      RUNS,
    );
  });
});

describe('payment-card: separators and layouts', () => {
  const PUNCT = ['-', '.', '_', ':', '|', '/', '+', '*', '~', ',', ';', ...UNICODE_PUNCT_SEPARATORS];
  const BLANKS = [' ', '\t', '\n', '\r\n', '  ', '\u00a0', '\u2007', '\u202f', '\u205f', '\u3000', '\u1680'];
  const visa = cardOf('4', 16);
  it('each punctuation character and blank in 4-4-4-4, and x; mixed inside one number', () => {
    fc.assert(
      fc.property(visa, fc.constantFrom(...PUNCT, ...BLANKS, 'x', ' - ', ' -- '), (n, sep) =>
        card.masks('x ', fours(n, sep), ' y'),
      ),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(visa, (n) =>
        card.masks('x ', `${n.slice(0, 4)}-${n.slice(4, 8)} ${n.slice(8, 12)}.${n.slice(12)}`, ' y'),
      ),
      RUNS,
    );
  });

  it('five separator characters, or a comma or semicolon with a blank (a list), are no separator', () => {
    fc.assert(
      fc.property(visa, fc.constantFrom(', ', '; ', ' ,', '-----', '     ', '--,'), (n, sep) => {
        if (sep.length < 5) card.keeps(`x ${fours(n, sep)} y`);
        // Five are none for the detector (the scanner's spaced view may still read the groups: not pinned here).
        const found: Finding[] = [];
        paymentCardDetector.find(`x ${fours(n, sep)} y`, found);
        expect(found).toEqual([]);
      }),
      RUNS,
    );
    card.keeps('x 4001, 4002, 4003, 4004 y');
  });

  it('12 digits only contiguous (a Maestro number): 4-4-4 is no layout', () => {
    fc.assert(
      fc.property(cardOf('50', 12), (m) => {
        card.masks('x ', m, ' y');
        card.keeps(`x ${fours(m, ' ')} y`);
      }),
      RUNS,
    );
  });

  it('4-6-5, 4-6-4, even groupings and thousands; not an uneven grouping', () => {
    fc.assert(
      fc.property(cardOf('37', 15), cardOf('36', 14), visa, (amex, diners, v) => {
        card.masks('x ', `${amex.slice(0, 4)} ${amex.slice(4, 10)} ${amex.slice(10)}`, ' y');
        card.masks('x ', `${diners.slice(0, 4)} ${diners.slice(4, 10)} ${diners.slice(10)}`, ' y');
        card.masks('x ', v.match(/.{1,2}/g)!.join(' '), ' y');
        card.masks('x ', v.match(/.{1,3}/g)!.join('.'), ' y');
        card.masks('x ', `${v[0]},${v.slice(1).match(/.{3}/g)!.join(',')}`, ' y');
        card.keeps(`x ${v.slice(0, 5)} ${v.slice(5, 8)} ${v.slice(8)} y`);
        card.keeps(`x ${v.slice(0, 3)} ${v.slice(3, 10)} ${v.slice(10)} y`);
        card.keeps(`x ${v.slice(0, 4)} ${v.slice(4).match(/.{3}/g)!.join(' ')} y`); // 4-3-3-3-3: no thousands, no layout
      }),
      RUNS,
    );
  });
});

describe('payment-card: what glues before and after it', () => {
  const LABELS = [
    'ID',
    'no',
    'nr',
    'num',
    'ord',
    'ref',
    'inv',
    'txn',
    'trx',
    'tx',
    'req',
    'sku',
    'po',
    'so',
    'msg',
    'evt',
    'job',
    'run',
    'seq',
    'pkg',
    'upc',
    'ean',
    'gtin',
    'SN',
    'lot',
    'acct',
    'orderId',
    'order',
    'invoice',
    'ticket',
    'case',
    'event',
    'build',
    'batch',
    'track',
    'tracking',
    'shipment',
    'isbn',
    'serial',
    'imei',
    'number',
    'account',
  ];
  const visa = cardOf('4', 16);
  it('letters on either side, a word and -, a version or count joined by one punctuation character, cents', () => {
    fc.assert(
      fc.property(
        visa,
        fc.constantFrom('', 'x ', 'CC', 'abc', 'card-', 'cc-', 'x-', 'v2-', 'v2.', '1.0-', '1.0.', '(', 'xno-', 'é'),
        fc.constantFrom('', ' y', 'xyz', 'n', '.00', ',00', '/2', '-2', '.'),
        (n, before, after) => card.masks(before, n, after),
      ),
      RUNS,
    );
  });

  it('an identifier label and -, a decimal point, a longer digit run glue', () => {
    fc.assert(
      fc.property(visa, fc.constantFrom(...LABELS), fc.boolean(), (n, label, upper) => {
        card.keeps(`${upper ? label.toUpperCase() : label}-${n} y`);
        card.keeps(`x 1.${n} y`);
        card.keeps(`x 1${n} y`);
        card.keeps(`x ${n}1 y`);
      }),
      { numRuns: 60 },
    );
    for (const label of LABELS) card.keeps(`${label}-4111111111111111 y`);
  });

  it('inside an all-hex word of 24 characters or more a decimal stretch is no card; a non-hex character anywhere makes it one', () => {
    fc.assert(
      fc.property(visa, fc.integer({ min: 8, max: 20 }), (n, pad) => {
        card.keeps(`x ${'a'.repeat(pad)}${n} y`); // 16 + 8 … 36 hex characters
        card.masks(`x ${'a'.repeat(3)}`, n, ' y'); // 19 characters
        card.masks(`x g${'a'.repeat(pad)}`, n, ' y');
        card.masks(`x ${'a'.repeat(pad)}`, n, 'g y');
      }),
      RUNS,
    );
    card.masks('x abcdefa', '4111111111111111', ' y'); // 23
    card.keeps('x abcdefab4111111111111111 y'); // 24
  });

  it('the groups of a UUID are no card; scientific notation holding every digit is one', () => {
    card.keeps('id 123e4567-e89b-000d-560000000003 y'.replace('560000000003', '4111-111111111111'));
    card.masks('x ', '4.111111111111111e15', ' y');
    card.masks('x ', '4.111111111111111E+15', ' y');
    card.keeps('x 4.111111111111111e14 y');
  });

  it('scientific notation follows the rules of the plain digits: an identifier label and - hides it, another word not', () => {
    fc.assert(
      fc.property(
        visa,
        fc.constantFrom(...LABELS),
        fc.constantFrom('card', 'x', 'pay', 'cc'),
        fc.constantFrom('e15', 'E15', 'e+15', 'E+15'),
        (n, label, word, exp) => {
          const sci = `${n[0]}.${n.slice(1)}${exp}`;
          card.keeps(`${label}-${sci} y`);
          card.masks(`${word}-`, sci, ' y');
          card.masks('x ', sci, ' y');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('payment-card: through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('a card at each edge is not exported; an identifier of the same digits is exported as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        cardOf('4', 16),
        fc.constantFrom(['CC', ''], ['card-', '.00'], ['v2-', ''], ['', 'xyz']),
        async (n, [before, after]) => {
          expect(await exported(`${before}${fours(n, ' ')}${after}`)).not.toContain(n.slice(4, 12));
          expect(await exported(`${before}${n}${after}`)).not.toContain(n);
          expect(await exported(`ORD-${n}`)).toContain(`ORD-${n}`);
        },
      ),
      { numRuns: 12 },
    );
  });
});
