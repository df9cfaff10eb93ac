import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHONE_CONTEXT } from '../../../../engine/detectors/phone';
import { RUNS, defaultPolicyExport, digit, digits, edges, nz, prose } from './helpers';

// Rule edges of engine/detectors/phone.ts against docs/detectors.md (`phone` row): each rule's smallest found input and
// its nearest kept neighbour, with random digits and contexts around them. Every input is fictitious (NANP 555
// exchanges where the rule allows, otherwise random digits).

const phone = edges('phone');
/** A valid North American number: area [2-9][0-8]x, exchange [2-9]xx, line xxxx. */
const nanp = fc.tuple(
  fc.tuple(digit(2, 9), digit(0, 8), digit()).map((d) => d.join('')),
  fc.tuple(digit(2, 9), digits(2)).map((d) => d.join('')),
  nz(4),
);
const dashed = nanp.map(([a, e, l]) => `${a}-${e}-${l}`);

/** Every context word of the docs and of PHONE_CONTEXT, as written before a number. */
const CONTEXT_WORDS = [
  'phone',
  'tel',
  'tel:',
  'mobile',
  'cell',
  'fax',
  'sms',
  'whatsapp',
  'msisdn',
  'call',
  'caller',
  'callback',
  'dial',
  'dialing',
  'dialled',
  'dialed',
  'contact',
  'ph#',
  'ph:',
  'ph.',
  'mob#',
  'mob:',
  'mob.',
  'tel#',
  'tel.',
];
/** Near misses: a word boundary a keyword needs, or a suffix it must not have. */
const NOT_CONTEXT = [
  'hotelx',
  'xtelx',
  'xcell',
  'xfax',
  'xsms',
  'recall',
  'calls',
  'callers',
  'redial',
  'dials',
  'xph#',
  'xph:',
  'ph.x',
  'xph.',
  'xmob#',
  'xmob:',
  'mob.x',
  'xmob.',
  'xtel#',
  'telex',
  'phon',
  'mobi',
  'whatsap',
  'msisd',
  'contac',
];

describe('phone: context words before an unformatted run', () => {
  it('every word of the list is one PHONE_CONTEXT reads, no near miss is', () => {
    for (const w of CONTEXT_WORDS) expect(PHONE_CONTEXT.test(` ${w} `), w).toBe(true);
    for (const w of NOT_CONTEXT) expect(PHONE_CONTEXT.test(` ${w} `), w).toBe(false);
  });

  it('every word makes a ten-digit run a number (any case, after any prose); the run alone is kept', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONTEXT_WORDS), nanp, prose, fc.boolean(), (w, [a, e, l], p, upper) => {
        const run = a + e + l;
        phone.masks(`${p}${upper ? w.toUpperCase() : w} `, run);
        phone.keeps(`${p}note ${run}`);
        phone.masks(`${p}${w} `, `1${run}`, ' x'); // 11 digits starting with 1
      }),
      { numRuns: 80 },
    );
  });

  it('each word as written (smartphone, contacts, automobile hold one) and glued after a label', () => {
    for (const w of ['smartphone', 'contacts', 'automobile', 'whatsapp:', 'msisdn=', 'callback', 'dialled'])
      phone.masks(`${w} `, '2025550143');
    for (const w of ['ph#', 'tel#', 'mob#']) phone.masks(w, '2025550143');
  });

  it('no near miss of a word is one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NOT_CONTEXT), nanp, (w, [a, e, l]) => phone.keeps(`${w} ${a}${e}${l}`)),
      { numRuns: 60 },
    );
    for (const w of NOT_CONTEXT) phone.keeps(`${w} 2025550143`);
  });

  it('the word counts within 32 characters before the number, not 33', () => {
    fc.assert(
      fc.property(fc.constantFrom('phone', 'tel', 'fax', 'contact'), nanp, (w, [a, e, l]) => {
        const run = a + e + l;
        phone.masks(w + ' '.repeat(32 - w.length), run);
        phone.keeps(w + ' '.repeat(33 - w.length) + run);
      }),
      RUNS,
    );
  });

  it('a context-word number at the very start of a value', () => {
    phone.masks('phone:', '2025550143');
    phone.masks('tel:', '2025550143', ' x');
    phone.keeps('2025550143 phone');
  });
});

describe('phone: North American layouts', () => {
  it('dashed, dotted, bracketed, blank, 1- and +1 layouts are found without a word', () => {
    fc.assert(
      fc.property(nanp, prose, ([a, e, l], p) => {
        for (const n of [
          `${a}-${e}-${l}`,
          `${a}.${e}.${l}`,
          `(${a}) ${e}-${l}`,
          `(${a})${e}-${l}`,
          `${a} ${e} ${l}`,
          `${a}-${e}.${l}`,
          `1-${a}-${e}-${l}`,
          `1 ${a} ${e} ${l}`,
          `+1 ${a} ${e} ${l}`,
          `+1-${a}-${e}-${l}`,
          `+1(${a})${e}-${l}`,
          `+1.${a}.${e}.${l}`,
        ])
          phone.masks(p, n, ' end');
      }),
      RUNS,
    );
  });

  it("'/' separators, a dotted area with a dashed line, a paren elsewhere, unformatted runs are kept without a word", () => {
    fc.assert(
      fc.property(nanp, ([a, e, l]) => {
        for (const n of [`${a}/${e}/${l}`, `${a}.${e}-${l}`, `${a} (${e}) ${l}`, `${a}${e}${l}`, `1${a}${e}${l}`])
          phone.keeps(`note ${n} end`);
      }),
      RUNS,
    );
  });

  it('area code and exchange start with 2-9, the area code has no 9 in the middle', () => {
    fc.assert(
      fc.property(nanp, digit(0, 1), ([a, e, l], bad) => {
        const one = '1';
        phone.masks('', `${a}-${e}-${l}`);
        phone.keeps(`${one}${a.slice(1)}-${e}-${l}`); // 0 would be a trunk prefix
        phone.keeps(`${a[0]}9${a[2]}-${e}-${l}`);
        phone.keeps(`${a}-${bad}${e.slice(1)}-${l}`);
        // Through the keyword path (a bare run after a word) the same digits decide.
        // Through the keyword path (a bare run after a word, 1 first: no international number) the same digits decide.
        phone.masks('phone ', `1${a}${e}${l}`);
        phone.keeps(`phone 1${one}${a.slice(1)}${e}${l}`);
        // Eleven digits starting 13-19 after a phone word are a Chinese mobile number (`手机 13800138000`): there
        // the North American digits decide only after 12.
        for (const run of [`1${a}${bad}${e.slice(1)}${l}`, `1${a[0]}9${a[2]}${e}${l}`])
          if (a[0] === '2') phone.keeps(`phone ${run}`);
          else phone.masks('phone ', run);
      }),
      RUNS,
    );
  });
});

describe('phone: what glues before and after a number', () => {
  it('a boundary before it: start, blank, non-ASCII, a word and a separator, a word and _, a short label and #', () => {
    fc.assert(
      fc.property(
        dashed,
        fc.constantFrom(
          '',
          'x ',
          'é',
          'customer.',
          'calls/',
          'user_',
          'id-',
          'ph#',
          'tel#',
          'mob#',
          'PH#',
          '(',
          '\u00a0',
        ),
        (n, before) => phone.masks(before, n, ' x'),
      ),
      RUNS,
    );
  });

  it('glued before it: an ASCII letter or digit, a digit and _, #, $, %, &, @, \\, €, £, ¥, a non-label # (`ab #`; a phone word and one blank before `#` is a label)', () => {
    fc.assert(
      fc.property(
        dashed,
        fc.constantFrom(
          'x',
          'Z',
          '9',
          '1_',
          '#',
          '$',
          '&',
          '@',
          '\\',
          '€',
          '£',
          '¥',
          'ab#',
          'xph#',
          'xtel#',
          'hph#',
          'ab #',
        ),
        (n, before) => phone.keeps(`${before}${n} x`),
      ),
      RUNS,
    );
  });

  it('% before it glues (a percentage); %XX that decodes to a letter is tried in the normalized view too', () => {
    fc.assert(
      fc.property(digit(1, 8), nanp, (d, [, e, l]) => phone.keeps(`%4${d}5-${e}-${l} x`)),
      RUNS,
    );
  });

  it('a boundary after it: end, blank, punctuation, a remark in brackets, a dotted word, _ and a word, 1-3 digits after a dot, non-ASCII', () => {
    fc.assert(
      fc.property(
        dashed,
        fc.constantFrom(
          '',
          ' x',
          '.',
          ',',
          '(cell)',
          '(2)',
          '.json',
          '_backup.csv',
          '_x',
          '.1',
          '.12',
          '.123',
          'é',
          '°',
          '-',
          '/',
        ),
        (n, after) => phone.masks('x ', n, after),
      ),
      RUNS,
    );
  });

  it('a word and a separator before it and a dot and 1-3 digits after it together', () => {
    fc.assert(
      fc.property(
        dashed,
        fc.constantFrom('customer.', 'calls/', 'id-', 'a.b.'),
        fc.constantFrom('.1', '.12', '.123'),
        (n, before, after) => phone.masks(before, n, after),
      ),
      RUNS,
    );
  });

  it('glued after it: an ASCII letter, a digit, _ and a digit, a dot and four digits', () => {
    fc.assert(
      fc.property(dashed, fc.constantFrom('abc', 'X', '0', '_1', '_ x', '.1234', '-12'), (n, after) =>
        phone.keeps(`x ${n}${after}`),
      ),
      RUNS,
    );
  });

  it('a + number: glued to letters, _ or a path on the left and letters or _ on the right; not after a digit, ., $, @', () => {
    fc.assert(
      fc.property(nanp, ([a, e, l]) => {
        const n = `+1${a}${e}${l}`;
        for (const before of ['tel_', 'callto', '/users/', 'x.', 'é']) phone.masks(before, n);
        for (const after of ['ext', '_x', '/orders']) phone.masks('', n, after);
        for (const before of ['1', '1.0.0', '$', '@', '€', '%', '&']) phone.keeps(`${before}${n}`);
      }),
      RUNS,
    );
  });

  it('brackets around the whole number are not part of it', () => {
    fc.assert(
      fc.property(nanp, ([a, e, l]) => {
        phone.masks('(', `${a}-${e}-${l}`, ')');
        phone.masks('(call ', `+1 ${a} ${e} ${l}`, ')');
        phone.masks('[', `${a}.${e}.${l}`, ']');
      }),
      RUNS,
    );
  });

  it('inside a UUID the groups are one identifier', () => {
    phone.keeps('id 123e4567-e89b-000d-0040-560000000003 x');
    phone.masks('id ', '0040-560000000003'); // control: the groups alone are a number
  });
});

describe('phone: a bracket glued after the country code, a dot and digits after the last group', () => {
  it('( glued after + and one to three digits is an area code; after four digits or another character a remark', () => {
    fc.assert(
      fc.property(nz(8), (r) => {
        phone.masks('x ', `+1(${r.slice(0, 3)})${r.slice(3, 6)}-${r.slice(4, 8)}`.replace(/^\+1\((\d)/, '+1(2'), ' y');
        phone.masks('x ', `+44(${r.slice(0, 2)})${r.slice(2, 6)}-${r.slice(4, 8)}`, ' y');
        phone.masks('x ', `+353(${r[0]})${r.slice(1, 4)}-${r.slice(4, 8)}`, ' y');
        phone.keeps(`x +1234(${r[0]})${r.slice(1, 4)}-${r.slice(4, 8)} y`);
        // A last group of two to four digits and a remark: no country code, the ( is a remark.
        phone.masks('x ', `+1 2${r.slice(0, 2)} 2${r.slice(2, 4)} ${r.slice(4, 8)}`, '(cell)');
        phone.masks('x ', `+44 20 ${r.slice(0, 4)} ${r.slice(4, 8)}`, '(office)');
        phone.masks('x ', `+33 1 ${r.slice(0, 2)} ${r.slice(2, 4)} ${r.slice(4, 6)} ${r.slice(6, 8)}`, '(2)');
        phone.keeps(`x +3.5(${r[0]})${r.slice(1, 4)}-${r.slice(4, 8)} y`);
      }),
      RUNS,
    );
  });

  it('the dot needs a digit before it and two characters of the word before it; a second dot makes it a group', () => {
    phone.masks('x ', '+33 1 23 45 67 89', '.1'); // docs/detectors.md
    phone.masks('x ', '+44 20 7946 0958', '.12');
    fc.assert(
      fc.property(nanp, ([a, e, l]) => {
        phone.keeps(`x ${a}-${e}-${l}-.1 y`);
        phone.keeps(`x ${a}-${e}-${l}..1 y`);
        phone.masks('x ', `${a}.${e}.${l}`, ' y');
        phone.keeps(`x ${a}.${e}.${l}.1 y`);
      }),
      RUNS,
    );
  });
});

describe('phone: gaps between words', () => {
  it('one blank, or up to three blanks with one line break or tab; not two blanks, two breaks or four characters', () => {
    fc.assert(
      fc.property(nanp, ([a, e, l]) => {
        for (const gap of [' ', '\n', '\t', '\r', '\r\n', ' \n ', ' \n', '\n '])
          phone.masks('x ', `+1 ${a}${gap}${e} ${l}`, ' x');
        for (const gap of ['  ', '\n\n', ' \n  ', '\t\t', '   '])
          expect(phone.finds(`x +1 ${a}${gap}${e} ${l} x`), JSON.stringify(gap)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('phone: separators inside one number', () => {
  it('two separators in a row, a ) without ( are no number; a + between groups is a blank', () => {
    fc.assert(
      fc.property(nanp, ([a, e, l]) => {
        for (const t of [
          `${a}--${e}-${l}`,
          `${a}-${e}..${l}`,
          `${a}-/${e}-${l}`,
          `+1 ${a}++${e} ${l}`,
          `+44 20)${e}${l.slice(0, 1)} ${l}`,
        ])
          phone.keeps(`x ${t} y`);
        phone.masks('x ', `+1 ${a}+${e} ${l}`, ' y'); // form encoding writes a blank as +
        phone.masks('x ', `(${a})-${e}-${l}`, ' y'); // one more separator may follow )
      }),
      RUNS,
    );
  });

  it('after a bracketed area code, a gap with a line break is one space too', () => {
    fc.assert(
      fc.property(nanp, fc.constantFrom(' ', '\n', '\r\n', ' \n', '\n ', '\t', '\r'), ([a, e, l], gap) =>
        phone.masks('x ', `(${a})${gap}${e}-${l}`, ' y'),
      ),
      RUNS,
    );
  });
});

describe('phone: trunk-prefixed national numbers', () => {
  const rest = (n: number) => nz(n);
  it('0 and 2-5 digits, then groups of two or more: 9 to 12 digits; dotted only in pairs', () => {
    fc.assert(
      fc.property(digit(1, 9), rest(2), rest(4), rest(4), rest(8), (d, x, y, z, pairs) => {
        phone.masks('', `0${d}${x} ${y} ${z}`, ' x'); // 020 7946 0958
        phone.masks('', `0${d}${x}-${y}-${z}`);
        phone.masks('', `0${d} ${pairs.match(/../g)!.join(' ')}`); // 06 12 34 56 78
        phone.masks('', `0${d}.${pairs.match(/../g)!.join('.')}`);
        phone.masks('', `0${d}${x}/${y}${z.slice(0, 2)}`); // 030/901820
        phone.keeps(`x 0${d}${x}.${y}.${z} x`); // dotted four-digit groups
        phone.keeps(`x 0 ${d}${x} ${y} ${z} x`); // a first group of one digit
        phone.keeps(`x 0${d}${x}${y.slice(0, 2)} ${y.slice(2)}${z} x`); // a first group of six
        phone.keeps(`x 0${d}${x}-${y}-${z.slice(0, 3)}-${z[3]} x`); // a one-digit group
        phone.keeps(`x 0${d}${x[0]}-${y.slice(0, 2)}-${z} x`); // the SSN layout 3-2-4 with dashes
        phone.masks('x ', `0${d}${x[0]} ${y.slice(0, 2)} ${z}`, ' x'); // … with blanks it is a number
      }),
      RUNS,
    );
  });

  it('digit count: 8 kept, 9 and 12 found, 13 kept; a single run needs a word and 10 to 12 digits', () => {
    fc.assert(
      fc.property(digit(1, 9), nz(12), (d, r) => {
        phone.keeps(`x 0${d}${r.slice(0, 2)} ${r.slice(2, 6)} x`); // 8
        phone.masks('x ', `0${d}${r.slice(0, 2)} ${r.slice(2, 7)}`, ' x'); // 9
        phone.masks('x ', `0${d}${r.slice(0, 2)} ${r.slice(2, 10)}`, ' x'); // 12
        phone.keeps(`x 0${d}${r.slice(0, 2)}-${r.slice(2, 11)} x`); // 13
        phone.keeps(`x 0${d}${r.slice(0, 8)} x`); // 10, no word
        phone.masks('phone ', `0${d}${r.slice(0, 8)}`); // 10
        phone.masks('phone ', `0${d}${r.slice(0, 10)}`); // 12
        phone.keeps(`phone 0${d}${r.slice(0, 7)} x`); // 9
        phone.keeps(`phone 0${d}${r.slice(0, 11)} x`); // 13
      }),
      RUNS,
    );
  });

  it('a date and an hour after a phone word are no number', () => {
    for (const t of [
      'contact 2023-08-18 07:35',
      'tel 25-08-2023 07:35',
      'phone 2023/08/18 0735',
      'phone 18.08.2023 0735',
      'call 1999-12-31 2359',
      'call 31/12/1999 2359',
      'dial 01-01-2020 1200',
    ])
      phone.keeps(t);
    phone.masks('phone ', '2023 0818 0735'.replace(/^2/, '9')); // control: not a date, a national number
  });
});

describe('phone: international numbers', () => {
  it('+: 8 to 15 digits, first digit not 0, at most seven groups, no +(; a later group may start with 00', () => {
    fc.assert(
      fc.property(digit(1, 9), nz(15), (d, r) => {
        phone.masks('x ', `+${d}${r.slice(0, 7)}`, ' x'); // 8
        phone.keeps(`x +${d}${r.slice(0, 6)} x`); // 7
        phone.masks('x ', `+${d}${r.slice(0, 14)}`, ' x'); // 15
        phone.keeps(`x +${d}${r} x`); // 16
        phone.keeps(`x +0${r.slice(0, 9)} x`);
        phone.masks(
          'x ',
          `+${d}-${r.slice(0, 2)}-${r.slice(2, 4)}-${r.slice(4, 6)}-${r.slice(6, 8)}-${r.slice(8, 10)}-${r.slice(10, 12)}`,
          ' x',
        ); // 7 groups
        phone.keeps(
          `x +${d}-${r.slice(0, 2)}-${r.slice(2, 4)}-${r.slice(4, 6)}-${r.slice(6, 8)}-${r.slice(8, 10)}-${r.slice(10, 12)}-${r.slice(12, 14)} x`,
        ); // 8
        phone.keeps(`x +(${d}${r.slice(0, 1)}) ${r.slice(1, 5)} ${r.slice(5, 9)} x`);
        phone.masks('x ', `+${d}${r.slice(0, 1)}-00-${r.slice(1, 5)}-${r.slice(5, 9)}`, ' x'); // `00` starts only a number
        phone.masks('x ', `+${d}${r.slice(0, 1)} 10 ${r.slice(1, 5)} ${r.slice(5, 9)}`, ' x');
      }),
      RUNS,
    );
  });

  it('+ and dots: a two-group dotted number is a decimal; short dotted groups are a version unless French pairs', () => {
    phone.keeps('lat +52.520008 x');
    phone.masks('x ', '+1.202.555.0143');
    phone.masks('x ', '+33.1.23.45.67.89');
    phone.masks('x ', '+44.2079.4609.5'); // four groups, one short
    phone.keeps('x +4.42.079.460.9.5 x'); // five groups, a one-digit one
    phone.masks('x ', '+4.42.079.460.95.5'.replace(/\.5$/, '')); // five groups of two or more
  });

  it('00 as a plus: 8 to 15 digits after it, no 0 after it, a group of three or more or 00 alone before two more', () => {
    fc.assert(
      fc.property(digit(1, 9), nz(15), (d, r) => {
        phone.masks('x ', `00${d}${r.slice(0, 1)} ${r.slice(1, 3)} ${r.slice(3, 7)} ${r.slice(7, 11)}`, ' x');
        phone.masks('x ', `00 ${d}${r.slice(0, 1)} ${r.slice(1, 3)} ${r.slice(3, 7)} ${r.slice(7, 11)}`, ' x');
        phone.keeps(`x 00 ${d}${r.slice(0, 11)} x`); // 00 and one group
        phone.keeps(`x 000${r.slice(0, 1)} ${r.slice(1, 3)} ${r.slice(3, 7)} ${r.slice(7, 11)} x`);
        phone.masks('x ', `00${d}${r.slice(0, 3)} ${r.slice(3, 7)}`, ' x'); // 8 after 00
        phone.keeps(`x 00${d}${r.slice(0, 3)} ${r.slice(3, 6)} x`); // 7 after 00
        phone.masks('x ', `00${d}${r.slice(0, 3)} ${r.slice(3, 7)} ${r.slice(7, 10)} ${r.slice(10, 14)}`, ' x'); // 15
        phone.keeps(`x 00${d}${r.slice(0, 3)}-${r.slice(3, 7)}-${r.slice(7, 11)}-${r.slice(11, 15)} x`); // 16
        phone.keeps(`x 00${d}${r.slice(0, 1)}-00-${r.slice(3, 7)}-${r.slice(7, 11)} x`);
        phone.keeps(`x 00${d}${r.slice(0, 1)}.${r.slice(1, 3)}.${r.slice(3, 7)}.${r.slice(7, 11)} x`);
        phone.masks(
          'x ',
          `00${d}${r.slice(0, 1)}.${r.slice(1, 2)}.${r.slice(2, 4)}.${r.slice(4, 6)}.${r.slice(6, 8)}.${r.slice(8, 10)}`,
          ' x',
        );
      }),
      RUNS,
    );
  });
});

describe('phone: unformatted after 00 and the fixed-length country plans', () => {
  const PLANS: ReadonlyArray<readonly [string, number, number, string]> = [
    ['20', 10, 10, '1'],
    ['27', 9, 9, '12345678'],
    ['30', 10, 10, '26'],
    ['31', 9, 9, '123456789'],
    ['32', 8, 9, '123456789'],
    ['33', 9, 9, '1234567'],
    ['34', 9, 9, '6789'],
    ['39', 9, 10, '03'],
    ['41', 9, 9, '23456789'],
    ['44', 10, 10, '12378'],
    ['45', 8, 8, '23456789'],
    ['47', 8, 8, '2345789'],
    ['48', 9, 9, '123456789'],
    ['49', 10, 11, '123456789'],
    ['52', 10, 10, '123456789'],
    ['55', 10, 11, '123456789'],
    ['61', 9, 9, '23478'],
    ['63', 10, 10, '2345689'],
    ['64', 8, 9, '2345679'],
    ['65', 8, 8, '689'],
    ['66', 8, 9, '2345689'],
    ['81', 9, 10, '123456789'],
    ['82', 9, 10, '123456789'],
    ['86', 11, 11, '1'],
    ['90', 10, 10, '2345'],
    ['91', 10, 10, '6789'],
    ['234', 10, 10, '789'],
    ['254', 9, 9, '1234567'],
    ['351', 9, 9, '29'],
    ['353', 8, 9, '12456789'],
    ['852', 8, 8, '2345679'],
    ['971', 8, 9, '2345679'],
    ['972', 8, 9, '2345789'],
  ];

  it('34 plans (Russia besides): found at each length and leading digit, kept one digit short or long or led wrong', () => {
    expect(PLANS.length + 1).toBe(34); // docs/detectors.md: "one of 34 with a fixed-length numbering plan"
    fc.assert(
      fc.property(fc.constantFrom(...PLANS), digits(12), fc.nat(), ([code, min, max, lead], r, pick) => {
        const ok = lead[pick % lead.length];
        const bad = '0123456789'.split('').filter((c) => !lead.includes(c));
        const len = min + (pick % (max - min + 1));
        const nat = (n: number, first: string) => first + r.slice(0, n - 1);
        phone.masks('x ', `00${code}${nat(len, ok)}`, ' x');
        phone.masks('x ', `00${code}${nat(min, ok)}`, ' x');
        phone.masks('x ', `00${code}${nat(max, ok)}`, ' x');
        if (min + code.length - 1 >= 10) phone.keeps(`x 00${code}${nat(min - 1, ok)} x`);
        phone.keeps(`x 00${code}${nat(max + 1, ok)} x`);
        if (bad.length > 0) phone.keeps(`x 00${code}${nat(len, bad[pick % bad.length])} x`);
        // After a phone word any 12+ digits do.
        phone.masks('phone ', `00${code}${nat(max + 1, ok)}`);
      }),
      { numRuns: 120 },
    );
  });

  it('every plan, every leading digit, every length from one short to one long (the whole table, no sampling)', () => {
    const rest = '23456789012345';
    for (const [code, min, max, lead] of PLANS)
      for (const first of '0123456789')
        for (let len = min - 1; len <= max + 1; len++) {
          const text = `00${code}${first}${rest.slice(0, len - 1)}`;
          const number = lead.includes(first) && len >= min && len <= max;
          // Twelve digits or more (a shorter run is no `00` number at all).
          if (number) phone.masks('x ', text, ' x');
          else if (text.length >= 12) phone.keeps(`x ${text} x`);
        }
  });

  it('Russia: 7 and ten digits starting 3, 4, 8 or 9', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'3489'), fc.constantFrom(...'01567'), digits(9), (ok, bad, r) => {
        phone.masks('x ', `007${ok}${r}`, ' x');
        phone.keeps(`x 007${bad}${r} x`);
        phone.keeps(`x 007${ok}${r}1 x`);
        phone.keeps(`x 007${ok}${r.slice(1)} x`);
      }),
      RUNS,
    );
  });

  it('001 and a valid North American number without a word; 11 digits after 00 only with 12 in all', () => {
    fc.assert(
      fc.property(nanp, ([a, e, l]) => {
        phone.masks('x ', `001${a}${e}${l}`, ' x');
        phone.keeps(`x 0011${a.slice(1)}${e}${l} x`);
        phone.keeps(`phone 00${a}${e}${l.slice(0, 3)} x`); // 11 digits
        phone.masks('phone ', `00${a}${e}${l}`); // 12 digits
      }),
      RUNS,
    );
  });
});

describe('phone: numbers without + or trunk prefix after a phone word', () => {
  it('international: 10 to 15 digits, not 28x, 83x, 89x or 80x but 800/808; no /, no brackets, dots only in pairs', () => {
    fc.assert(
      fc.property(digit(2, 7), nz(14), (d, r) => {
        const cc = d === '2' ? '4' + r[0] : d + r[0]; // never 28
        phone.masks('phone ', `${cc}${r.slice(1, 9)}`); // 10
        phone.masks('phone ', `${cc}${r.slice(1, 14)}`); // 15
        phone.keeps(`phone ${cc}${r.slice(1, 8)} x`.replace(/^phone (\d)(\d)/, 'phone $1$2') + ''); // 9 digits
        phone.masks('msisdn ', `${cc} ${r.slice(1, 5)} ${r.slice(5, 11)}`);
        // Twelve digits (eleven starting 8 are a Russian national number with its trunk prefix 8).
        for (const bad of ['28', '83', '89', '801', '809']) phone.keeps(`phone ${bad}${r.slice(0, 12 - bad.length)} x`);
        for (const good of ['800', '808', '27', '84', '88', '90'])
          phone.masks('phone ', `${good}${r.slice(0, 11 - good.length)}`);
        phone.keeps(`phone ${cc}/${r.slice(1, 5)}/${r.slice(5, 11)} x`);
        phone.keeps(`phone ${cc}.${r.slice(1, 5)}.${r.slice(5, 11)} x`);
        phone.masks('phone ', `33.${r[0]}.${r.slice(1, 3)}.${r.slice(3, 5)}.${r.slice(5, 7)}.${r.slice(7, 9)}`);
      }),
      RUNS,
    );
  });

  it('national: three or more groups of 2-5 digits, one blank or - throughout, 8-11 digits; two groups of four with a blank', () => {
    fc.assert(
      fc.property(digit(1, 9), nz(11), (d, r) => {
        phone.masks('phone: ', `${d}${r.slice(0, 2)} ${r.slice(2, 5)} ${r.slice(5, 8)}`); // 912 345 678
        phone.masks('sms ', `${d}${r[0]} ${r.slice(1, 3)} ${r.slice(3, 5)} ${r.slice(5, 7)}`); // 22 12 34 47
        phone.masks('tel ', `${d}${r.slice(0, 2)}-${r.slice(2, 5)}-${r.slice(5, 8)}`);
        phone.masks('phone ', `${d}${r.slice(0, 3)} ${r.slice(3, 7)}`); // 9123 4567
        phone.keeps(`phone ${d}${r.slice(0, 3)}-${r.slice(3, 7)} x`);
        phone.keeps(`phone ${d}${r.slice(0, 2)}${r.slice(2, 5)} ${r.slice(5, 7)} x`); // two groups, not 4-4
        phone.keeps(`phone ${d}${r.slice(0, 2)}.${r.slice(2, 5)}.${r.slice(5, 8)} x`);
        phone.keeps(`phone ${d}${r.slice(0, 2)} ${r.slice(2, 5)}-${r.slice(5, 8)} x`);
        phone.keeps(`phone ${d}${r.slice(0, 5)}-${r[5]}-${r.slice(6, 8)} x`); // a one-digit group
        phone.keeps(`phone ${d}-${r.slice(0, 6)}-${r.slice(6, 8)} x`); // 1-6-2
        phone.masks('phone ', `${d}${r.slice(0, 4)}-${r.slice(4, 6)}-${r.slice(6, 8)}`); // 5-2-2
        phone.keeps(`phone 1${r.slice(0, 5)}-${r.slice(5, 7)}-${r.slice(7, 9)} x`); // 6-2-2 (1 first: no international number)
      }),
      RUNS,
    );
  });

  it('national: not the layouts of dates, SSNs or dashed addresses; a bracketed area code of two or three digits', () => {
    fc.assert(
      fc.property(digit(1, 9), nz(11), (d, r) => {
        phone.keeps(`phone ${d}${r.slice(0, 3)} ${r.slice(3, 5)} ${r.slice(5, 7)} x`); // 4-2-2
        phone.keeps(`phone ${d}${r[0]} ${r.slice(1, 3)} ${r.slice(3, 7)} x`); // 2-2-4
        phone.keeps(`phone ${d}${r.slice(0, 2)} ${r.slice(2, 4)} ${r.slice(4, 8)} x`); // 3-2-4
        phone.masks('phone ', `${d}${r.slice(0, 2)} ${r.slice(2, 4)} ${r.slice(4, 7)}`); // 3-2-3
        // Four dashed groups of at most three digits (1 first: no international number without +).
        phone.keeps(`phone 1${r.slice(0, 2)}-${r.slice(2, 4)}-${r.slice(4, 7)}-${r.slice(7, 9)} x`); // 3-2-3-2
        phone.keeps(`phone 1${r.slice(0, 2)}-${r.slice(2, 5)}-${r.slice(5, 7)}-${r.slice(7, 10)} x`); // 3-3-2-3
        phone.masks('phone ', `1${r.slice(0, 2)} ${r.slice(2, 4)} ${r.slice(4, 7)} ${r.slice(7, 9)}`); // … with blanks
        for (const at of [0, 1, 2, 3]) {
          const g = ['1' + r[0], '9' + r[1], r.slice(3, 5), r.slice(5, 7)]; // 9x: no month, no date
          g[at] += r[8];
          phone.keeps(`phone ${g.join('-')} x`); // one group of three: all at most three
          g[at] += r[9];
          phone.masks('phone ', g.join('-')); // one group of four
        }
        phone.masks('tel ', `(${d}${r[0]}) ${r.slice(1, 5)}-${r.slice(5, 9)}`); // (21) 2345-6789
        phone.masks('tel ', `(${d}${r.slice(0, 2)}) ${r.slice(2, 5)} ${r.slice(5, 9)}`);
        phone.keeps(`tel (${d}) ${r.slice(1, 5)}-${r.slice(5, 9)} x`);
        phone.keeps(`tel (${d}${r.slice(0, 3)}) ${r.slice(3, 6)}-${r.slice(6, 10)} x`);
        phone.keeps(`tel (${d}${r[0]}) ${r.slice(1, 3)}-${r.slice(3, 9)} x`);
        phone.keeps(`tel (${d}${r[0]}) ${r.slice(1, 5)}-${r.slice(5, 8)} x`);
        phone.keeps(`tel (${d}${r[0]}) ${r.slice(1, 5)}.${r.slice(5, 9)} x`);
        phone.keeps(`tel (${d}${r[0]}) ${r.slice(1, 5)}/${r.slice(5, 9)} x`);
      }),
      RUNS,
    );
  });
});

describe('phone: through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('a number at each edge is not exported from a log body or span name; its near miss is exported as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        nanp,
        fc.constantFrom('', 'customer.', 'ph#', 'user_', 'phone '),
        fc.constantFrom('', '(cell)', '.1', '_x'),
        async ([a, e, l], before, after) => {
          const n = before === 'phone ' ? `${a}${e}${l}` : `${a}-${e}-${l}`;
          expect(await exported(`${before}${n}${after}`)).not.toContain(n);
          const near = before === 'phone ' ? `note ${n}${after}` : `x${n}${after}`;
          expect(await exported(near)).toContain(near);
        },
      ),
      { numRuns: 15 },
    );
  });
});
