import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../../../index';
import { isCardNumber, withCheckDigit } from './card-oracle';
import { defaultPolicyExport, edges } from './helpers';

// Scientific notation, thousands grouping and even grouping of `payment-card` (docs/detectors.md) against the card
// oracle: the digits a notation writes are a card exactly when a brand allows their length and the Luhn check passes.

const card = edges('payment-card');
const LEADS = ['4', '51', '2221', '34', '6011', '644', '65', '3528', '300', '36', '62', '2200', '50', '56', '69'];
/** A Luhn-valid number (or, one time in four, one digit off) of 12-19 digits of a brand's range, or of none. */
const number = fc
  .tuple(
    fc.constantFrom(...LEADS, '1', '7', '9'),
    fc.integer({ min: 12, max: 19 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 19, maxLength: 19 }),
    fc.nat(3),
  )
  .map(([lead, length, fill, off]) => {
    const n = withCheckDigit((lead + fill).slice(0, length - 1));
    return off === 0 ? n.slice(0, -1) + String((Number(n.at(-1)) + 1) % 10) : n;
  });

describe('scientific notation', () => {
  it('d.ddd…e<exponent> is a card when the digits it writes are one (exponent from the fraction length to 18)', () => {
    fc.assert(
      fc.property(
        number,
        fc.integer({ min: -3, max: 6 }),
        fc.constantFrom('e', 'E', 'e+', 'E+'),
        fc.constantFrom('', ' end', ', next'),
        (n, extra, e, after) => {
          const mantissa = n.replace(/0+$/, '');
          // Fewer than 12 mantissa digits are not read (docs/detectors.md, "still gets through").
          fc.pre(mantissa.length >= 12);
          const fraction = mantissa.slice(1);
          const exponent = n.length - 1 + extra;
          fc.pre(exponent >= 0);
          const text = `${mantissa[0]}.${fraction}${e}${exponent}`;
          const written =
            exponent >= fraction.length && exponent <= 18 ? mantissa + '0'.repeat(exponent + 1 - mantissa.length) : '';
          // A scientific number whose digits are no card is kept; the digits are too few for a plain number.
          if (written !== '' && isCardNumber(written)) card.masks('v=', text, after);
          else card.keeps(`v=${text}${after}`);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('engineering notation dd.ddd…e<exponent> and ddd.ddd…e<exponent> read the same way; four digits before the point do not', () => {
    fc.assert(
      fc.property(
        number,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: -2, max: 4 }),
        fc.constantFrom('e', 'E+'),
        (n, whole, extra, e) => {
          const mantissa = n.replace(/0+$/, '');
          fc.pre(mantissa.length >= 12);
          const fraction = mantissa.slice(whole);
          const exponent = n.length - whole + extra;
          const text = `${mantissa.slice(0, whole)}.${fraction}${e}${exponent}`;
          const written =
            whole <= 3 && exponent >= fraction.length && exponent <= 18
              ? mantissa + '0'.repeat(exponent + whole - mantissa.length)
              : '';
          if (written !== '' && isCardNumber(written)) card.masks('v=', text, ' end');
          else card.keeps(`v=${text} end`);
        },
      ),
      { numRuns: 400 },
    );
    card.masks('v=', '41.11111111111111e14');
    card.masks('v=', '411.1111111111111E+13');
    card.keeps('v=4111.111111111111e12');
  });

  it('a decimal comma reads the same way (4,111111111111111E+15); another separator or a second point is no notation', () => {
    card.masks('v=', '4,111111111111111E+15', ' ok');
    card.masks('v=', '41,11111111111111e14', ' ok');
    card.keeps('v=4,111111111111111e14 ok');
    for (const sep of ['-', '/', ':', ' ', '_']) card.keeps(`v=4${sep}111111111111111e15 ok`);
    card.keeps('v=4.111111111111.111e15 ok');
    card.keeps('v=4.111111111111.111e18 ok');
  });

  it('an exponent of four digits, a second sign or no exponent digit is no notation', () => {
    for (const tail of ['e0015', 'e0150', 'e1500', 'e++15', 'e', 'e+', 'f15', 'e-15'])
      card.keeps(`v=4.111111111111111${tail}`);
    card.masks('v=', '4.111111111111111e015');
    card.masks('v=', '4.111111111111111E+15');
  });
});

describe('thousands and even grouping', () => {
  const one = fc.constantFrom(' ', ',', '.', '_', '\u00a0', '\u2009', '\u202f');
  /** A grouped number is read from 13 digits (12 only contiguous: a Maestro number). */
  const grouped = (n: string) => n.length >= 13 && isCardNumber(n);
  it('groups of three after a first of one to three, one separator throughout, are a card when the digits are', () => {
    fc.assert(
      fc.property(number, one, (n, sep) => {
        const first = ((n.length - 1) % 3) + 1;
        const text = n.slice(0, first) + n.slice(first).replace(/(\d{3})/g, `${sep}$1`);
        if (grouped(n)) card.masks('total ', text, ' end');
        else card.keeps(`total ${text} end`);
      }),
      { numRuns: 400 },
    );
  });

  it('groups of two, three or five with one separator, the last not longer, are a card when the digits are', () => {
    fc.assert(
      fc.property(
        number,
        fc.constantFrom(' ', '-', '.', '_', ':', '/', '\u00a0'),
        fc.constantFrom(2, 3, 5),
        (n, sep, size) => {
          const groups = n.match(new RegExp(`.{1,${size}}`, 'g'))!;
          const text = groups.join(sep);
          if (grouped(n)) card.masks('total ', text, ' end');
          else card.keeps(`total ${text} end`);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('groups of three with any separator, 13 and 14 digits too (the detector read them, its gate did not)', () => {
    card.masks('total ', '400 000 000 000 6', ' end');
    card.masks('total ', '4-000-000-000-000-002', ' end');
    card.masks('total ', '411 - 111 - 111 - 111 - 111 - 1', ' end');
    card.masks('total ', '411x111x111x111x111x1', ' end');
    card.masks('total ', '411X111X111X111X111X1', ' end');
    card.masks('', '411:111:111:111:9');
  });

  it('a short group after x continues the number (no cents): the digits are a longer run', () => {
    for (const n of ['4111111111111111', '4111 1111 1111 1111']) {
      card.keeps(`pan ${n}x12 end`);
      card.keeps(`pan ${n}X1 end`);
      card.masks('pan ', n, '.12 end');
      card.masks('pan ', n, ',1 end');
    }
  });

  it('a second separator kind, a longer last group or a first group of one digit is no even grouping', () => {
    const n = '4111111111111111';
    card.keeps('41 11 11 11-11 11 11 11');
    card.keeps('41 11 11 11 11 11 11 111 1'.replace(/ 1$/, '1'));
    card.keeps('411 111 111 111 11111');
    expect(isCardNumber(n)).toBe(true);
  });
});

describe('groups of four', () => {
  it('4-4-…-k is a card when the digits are and the last group has 1-4 digits; a longer last group is no layout', () => {
    fc.assert(
      fc.property(number, fc.constantFrom(' ', '-', '\u00a0', ' - '), (n, sep) => {
        fc.pre(n.length >= 13);
        for (let fours = 2; fours * 4 < n.length; fours++) {
          const head = n.slice(0, fours * 4).match(/.{4}/g)!;
          const last = n.slice(fours * 4);
          const text = [...head, last].join(sep);
          const evenly = last.length <= 4 && fours >= 3;
          if (evenly && isCardNumber(n)) card.masks('pan ', text, ' end');
          else if (last.length > 4) card.keeps(`pan ${text} end`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('groups of three through real SDK providers (default policy)', () => {
  const exported = defaultPolicyExport();
  it('no group of a card written in threes is exported', async () => {
    for (const [text, number] of [
      ['total 400 000 000 000 6 end', '400 000 000 000 6'],
      ['total 411-111-111-111-111-1 end', '411-111-111-111-111-1'],
      ['pan 411x111x111x111x111x1', '411x111x111x111x111x1'],
    ]) {
      const out = await exported(text);
      // Any two neighbouring groups with their separator would be a piece of the number.
      for (let k = 0; k + 7 <= number.length; k += 4) expect(out, text).not.toContain(number.slice(k, k + 7));
    }
  });
});

describe('a card recorded as a number', () => {
  it('is masked when payment-card is the only detector of the policy (numbers of 12 digits or more are scanned)', () => {
    const policy = definePolicy({
      version: 1,
      attributes: { allow: ['app.*'], default: 'drop' },
      values: { detectors: ['payment-card'], action: 'mask' },
    });
    const out = policy.sanitizer('logs').sanitize({ 'app.n': 4111111111111111, 'app.m': 5555555555554444n } as never);
    expect(out).toEqual({ 'app.n': '[REDACTED:payment-card]', 'app.m': '[REDACTED:payment-card]' });
  });
});
