import fc from 'fast-check';

// Generators of written phone numbers and their look-alikes, shared by the phone suites (edges/phone-*.test.ts): each
// generated value has exactly one expected answer (the whole number masked, or the text kept as written).

/** `n` random decimal digits. */
export const digitsOf = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
/** `n` random digits 1-9. */
export const nonZero = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'123456789'), minLength: n, maxLength: n });
/** `n` digits starting with `00` (`0018`, `00`): a group of a number that starts with `00`. */
const zeros = (n: number) => digitsOf(n - 2).map((d) => `00${d}`);
/** A digit in `[min, max]`. */
const oneDigit = (min: number, max: number) => fc.integer({ min, max }).map(String);

/**
 * International numbers with `+` in the layouts of nine countries, one later group starting with `00` (`+33 6 00 09
 * 33 16`, `+7 495 008-34-44`, `+44 20 7946 0018`): `00` is an international prefix only at the start of a number.
 */
export const internationalWith00 = fc.oneof(
  fc
    .tuple(zeros(2), fc.array(digitsOf(2), { minLength: 3, maxLength: 3 }), fc.nat(3))
    .map(([z, rest, at]) => `+33 6 ${[...rest.slice(0, at), z, ...rest.slice(at)].join(' ')}`),
  fc.tuple(oneDigit(1, 9), digitsOf(2), zeros(2), digitsOf(2)).map(([a, b, z, c]) => `+7 495 ${a}${b}-${z}-${c}`),
  fc.tuple(oneDigit(1, 9), digitsOf(2), zeros(2), digitsOf(2)).map(([a, b, z, c]) => `+7 495 ${a}${b}-${c}-${z}`),
  fc.tuple(digitsOf(2), zeros(4)).map(([a, z]) => `+86 138 ${z} ${a}${a}`),
  fc.tuple(digitsOf(3), zeros(4)).map(([a, z]) => `+44 20 7${a} ${z}`),
  fc.tuple(digitsOf(4), zeros(4)).map(([a, z]) => `+55 11 9${a}-${z}`),
  fc.tuple(digitsOf(4), zeros(5)).map(([a, z]) => `+91 9${a} ${z}`),
  fc.tuple(digitsOf(3), zeros(2), digitsOf(2)).map(([a, z, c]) => `+41 79 ${a} ${z} ${c}`),
  fc.tuple(digitsOf(3), zeros(4)).map(([a, z]) => `0044 20 7${a} ${z}`),
  fc.tuple(digitsOf(3), zeros(2), digitsOf(2)).map(([a, z, c]) => `0041 44 ${a} ${z} ${c}`),
);

/** Zero-padded sequences: the group after the first starts with `00` (`001 002 003 004`): no number. */
export const zeroPaddedSequence = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map((k) => [k, k + 1, k + 2, k + 3].map((x) => `00${x}`).join(' ')),
  fc.integer({ min: 1, max: 6 }).map((k) => [k, k + 1, k + 2, k + 3].map((x) => `000${x}`).join(' ')),
  fc.integer({ min: 1, max: 6 }).map((k) => `00 ${k} 00${k + 1} 00${k + 2} 00${k + 3}`),
);

/** A Chinese mobile number (`1[3-9]` and nine digits) unformatted, 3-4-4 with blanks or with `-`. */
export const chineseMobile = fc
  .tuple(oneDigit(3, 9), digitsOf(9), fc.constantFrom('', ' ', '-'))
  .map(([b, rest, sep]) => {
    const m = `1${b}${rest}`;
    return sep === '' ? m : `${m.slice(0, 3)}${sep}${m.slice(3, 7)}${sep}${m.slice(7)}`;
  });

/** Chinese, Japanese and Korean phone labels with a full-width or ASCII colon or nothing (`手机：`, `电话:`, `手機`). */
export const cjkPhoneLabel = fc
  .tuple(
    fc.constantFrom('手机', '手机号码', '手机号', '电话', '联系电话', '手機', '電話', '電話番号', '携帯', '전화', '휴대폰'),
    fc.constantFrom('：', ':', ': ', ' ', ''),
  )
  .map(([w, c]) => w + c);

/** Phone words of other languages as labels (`Celular: `, `Móvil: `, `telemóvel: `, `Handy: `, `Tél. : `, `телефон: `). */
export const otherPhoneLabel = fc
  .tuple(
    fc.constantFrom(
      'Celular',
      'celular',
      'Móvil',
      'Movil',
      'telemóvel',
      'Telemovel',
      'Handy',
      'Mobil',
      'Mobiel',
      'Telefon',
      'Telefonnummer',
      'teléfono',
      'Telefone',
      'Tél.',
      'tél',
      'Tlf.',
      'телефон',
      'Телефон',
      'тел.',
      'Cel',
      'cel.',
      'WhatsApp',
      'movil',
      'Telemovel',
      '핸드폰',
      'komórka',
      'Komórka',
      'SĐT',
      'моб.',
      'мобильный',
    ),
    fc.constantFrom(': ', ' : ', ' ', ':'),
  )
  .map(([w, c]) => w + c);

/**
 * National numbers without a trunk prefix, as found after a phone word (`docs/detectors.md`, `phone` row): Spain
 * `612 345 678`, Brazil `(11) 91234-5678`, Norway `912 34 567`, a Chinese mobile number.
 */
export const nationalAfterLabel = fc.oneof(
  fc.tuple(oneDigit(6, 9), digitsOf(2), digitsOf(3), digitsOf(3)).map(([a, b, c, d]) => `${a}${b} ${c} ${d}`),
  fc.tuple(oneDigit(1, 9), oneDigit(1, 9), digitsOf(4), digitsOf(4)).map(([a, b, c, d]) => `(${a}${b}) 9${c}-${d}`),
  fc.tuple(oneDigit(4, 9), digitsOf(2), digitsOf(2), digitsOf(3)).map(([a, b, c, d]) => `${a}${b} ${c} ${d}`),
  chineseMobile,
);

/** Chinese words for contacting and dialling before a number (`联系方式：`, `请拨打`, `致电 `). */
export const chineseContactLabel = fc.constantFrom('联系方式：', '联系方式: ', '联系人：', '请拨打', '请拨打 ', '致电', '致电 ');

/**
 * Layouts found only after a phone word: Brazil's `11 98765-4321` and `11 3456-7890`, India's trunk `0` as its own
 * group (`0 98765 43210`) or glued (`09876543210`), and `8` before a plain area code and an unsplit subscriber number
 * (`8 916 1536625`).
 */
export const layoutAfterWord = fc.oneof(
  fc
    .tuple(oneDigit(1, 9), oneDigit(1, 9), fc.constantFrom(4, 5), digitsOf(4))
    .chain(([a, b, k, d]) => nonZero(k).map((c) => `${a}${b} ${c}-${d}`)),
  fc
    .tuple(oneDigit(6, 9), digitsOf(4), digitsOf(5), fc.constantFrom(' ', '-'))
    .map(([a, b, c, sep]) => `0${sep}${a}${b}${sep}${c}`),
  fc.tuple(oneDigit(6, 9), digitsOf(9)).map(([a, b]) => `0${a}${b}`),
  fc
    .tuple(fc.constantFrom('916', '903', '495', '812', '727'), digitsOf(7), fc.constantFrom(' ', '-'))
    .map(([area, b, sep]) => `8${sep}${area}${sep}${b}`),
);

/**
 * Trunk `8` with a bracketed area code in the other layouts (`8 (8452) 12-34-56`, `8 (916) 1536625`): found without a
 * phone word.
 */
export const trunk8BracketedOther = fc.oneof(
  fc
    .tuple(fc.constantFrom('8452', '3812', '4012', '8422'), digitsOf(6), fc.constantFrom(' ', '-'))
    .map(([area, b, sep]) => `8 (${area}) ${b.slice(0, 2)}${sep}${b.slice(2, 4)}${sep}${b.slice(4)}`),
  fc.tuple(fc.constantFrom('916', '903', '495', '812'), digitsOf(7)).map(([area, b]) => `8 (${area}) ${b}`),
);

/** Non-phone labels before the same numbers (`订单号：`, `order `, `Bestellung `): the number stays as written. */
export const otherLabel = fc.constantFrom('订单号：', '编号:', 'order ', 'Bestellung ', 'pedido: ', 'ref ', '');

/**
 * Russia, Belarus and Kazakhstan with the trunk prefix `8` and a bracketed area code (`8 (495) 525-76-11`, `8 (029)
 * 123-45-67`): found without a phone word (no id is written with a bracketed group).
 */
export const trunk8Bracketed = fc
  .tuple(fc.constantFrom('495', '499', '812', '916', '903', '727', '701', '029', '017', '343'), digitsOf(7))
  .map(([area, s]) => `8 (${area}) ${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`);

/**
 * National numbers with a trunk prefix found only after a phone word (ids are written the same way: `lot 01 625965`,
 * `batch 088909 43342`, `Rechnung 06 1 372 5262`, `артикул 8 465 883-99-89`): Russia, Belarus and Kazakhstan
 * `8-916-153-66-25`, `8 727 933 60 21`, `8 495 525-76-11`; Hungary `06 1 323 4208`; Vienna `01 543178`; India `093935
 * 85907`.
 */
export const trunkAfterWord = fc.oneof(
  fc
    .tuple(fc.constantFrom('495', '499', '812', '916', '903', '727', '701', '029', '017', '343'), digitsOf(7))
    .chain(([area, s]) =>
      fc.constantFrom(
        `8-${area}-${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`,
        `8 ${area} ${s.slice(0, 3)} ${s.slice(3, 5)} ${s.slice(5)}`,
        `8 ${area} ${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`,
      ),
    ),
  fc.tuple(digitsOf(3), digitsOf(4), fc.constantFrom(' ', '-')).map(([a, b, sep]) => `06${sep}1${sep}${a}${sep}${b}`),
  fc.tuple(digitsOf(6), fc.constantFrom(' ', '/', '-')).map(([s, sep]) => `01${sep}${s}`),
  fc.tuple(oneDigit(6, 9), digitsOf(4), digitsOf(5)).map(([a, b, c]) => `0${a}${b} ${c}`),
);

/** The layouts `docs/detectors.md` names for trunk prefixes `8`, `06 1`, `01` (Vienna) and `0` before an Indian mobile. */
export const trunkNational = fc.oneof(trunk8Bracketed, trunkAfterWord);

/** Words that name an id, not a phone (`lot `, `Rechnung `, `артикул `), or none: no phone word within reach. */
export const idLabel = fc.constantFrom(
  '',
  'lot ',
  'Lot: ',
  'batch ',
  'room ',
  'seq=',
  'ref ',
  'Pos. ',
  'Art.-Nr. ',
  'invoice ',
  'Kunde ',
  'Rechnung ',
  'заказ ',
  'артикул ',
  'order ',
  'ids [',
  'count=',
);

/** Near misses of `trunkNational` that no rule reads (an area code starting 1, 2, 5 or 6 after `8`, …). */
export const trunkNearMiss = fc.oneof(
  fc
    .tuple(fc.constantFrom('123', '212', '512', '612'), digitsOf(7))
    .map(([area, s]) => `8 (${area}) ${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`),
  fc.tuple(digitsOf(7)).map(([s]) => `8 (495) ${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}-1`),
  fc.tuple(digitsOf(3), digitsOf(4)).map(([a, b]) => `06 2 ${a} ${b}`),
  fc.tuple(digitsOf(6), oneDigit(2, 9)).map(([s, d]) => `0${d} ${s}`),
  digitsOf(5).map((s) => `01 ${s}`),
  fc.tuple(oneDigit(1, 5), digitsOf(4), digitsOf(5)).map(([a, b, c]) => `0${a}${b} ${c}`),
);

/** Dashed ids of three groups of three with a leading 0 (`082-234-821`) and ZIP+4 codes with one (`02139-4307`). */
export const zeroLedIds = fc.oneof(
  fc.tuple(oneDigit(1, 9), digitsOf(1), digitsOf(3), digitsOf(3)).map(([a, b, c, d]) => `0${a}${b}-${c}-${d}`),
  fc.tuple(oneDigit(1, 9), digitsOf(3), digitsOf(4)).map(([a, b, c]) => `0${a}${b}-${c}`),
);

/**
 * The phone numbers nearest to `zeroLedIds`, still found without a phone word: three groups with blanks (`082 234
 * 821`), a last group of four (`082-234-8210`), five and four digits with a blank (`02139 4307`, a German number).
 */
export const zeroLedNumbers = fc.oneof(
  fc.tuple(oneDigit(1, 9), digitsOf(1), digitsOf(3), digitsOf(3)).map(([a, b, c, d]) => `0${a}${b} ${c} ${d}`),
  fc.tuple(oneDigit(1, 9), digitsOf(1), digitsOf(3), digitsOf(4)).map(([a, b, c, d]) => `0${a}${b}-${c}-${d}`),
  fc.tuple(oneDigit(1, 9), digitsOf(3), digitsOf(4)).map(([a, b, c]) => `0${a}${b} ${c}`),
);

/** A USPS tracking number printed in its groups (`9400 0638 8306 6814 1846 24`): 22 digits starting `91`-`95`. */
export const uspsTracking = fc
  .tuple(oneDigit(1, 5), digitsOf(2), fc.array(digitsOf(4), { minLength: 4, maxLength: 4 }), digitsOf(2))
  .map(([b, c, groups, tail]) => `9${b}${c} ${groups.join(' ')} ${tail}`);

/**
 * The same with one other separator throughout: two blanks, `-` or a no-break space (`9520-5812-3788-3331-4443-41`).
 */
export const uspsTrackingWritten = fc
  .tuple(uspsTracking, fc.constantFrom(' ', '  ', '-', '\u00a0'))
  .map(([t, sep]) => t.replaceAll(' ', sep));
