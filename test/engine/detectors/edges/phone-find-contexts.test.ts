import fc from 'fast-check';
import { describe, it } from 'vitest';
import { edges, RUNS, word } from './helpers';

// A differential oracle for what `phone` cuts out of its context, written from docs/detectors.md's `phone` row: a
// number between separating text is masked exactly (no character of it left, no character of its context taken);
// one glued to an ASCII letter, `_` or `#`/`$`/`%`/`&`/`@`/`\` (without `+`, not starting with a bracket) is kept.
// Every number × every context is checked (exhaustive), then fast-check moves the pair into random prose.

const phone = edges('phone');

/** Fake numbers in the layouts the docs name; `plus` numbers follow the `+` rules. */
const NUMBERS = [
  { n: '202-555-0143', plus: false, dotted: false, bracket: false },
  { n: '(202) 555-0143', plus: false, dotted: false, bracket: true },
  { n: '202.555.0143', plus: false, dotted: true, bracket: false },
  { n: '1-800-555-0100', plus: false, dotted: false, bracket: false },
  { n: '202 555 0143', plus: false, dotted: false, bracket: false },
  { n: '+1 202 555 0143', plus: true, dotted: false, bracket: false },
  { n: '+44 20 7946 0958', plus: true, dotted: false, bracket: false },
  { n: '+12025550143', plus: true, dotted: false, bracket: false },
  { n: '020 7946 0958', plus: false, dotted: false, bracket: false },
  // the area code bracketed and glued to the country code: found after a glued `(`, path or label too
  { n: '+1(202)555-0143', plus: true, dotted: false, bracket: false },
];

/** Text before a number that is no part of it (docs: a word and a blank, quotes, brackets, a path, a label). */
const BEFORE = [
  '',
  'call ',
  'Tel: ',
  '"',
  "'",
  '[',
  '(',
  '{',
  'calls/',
  'Phone:-',
  '[cell]-',
  '(mobile)',
  'é',
  '= ',
  ', ',
];
/** Before only numbers without `+` (a `+` after `.` glues, `1.0.0+2024…`). */
const BEFORE_NO_PLUS = ['customer.', 'a.b.', 'x-'];
/** Before only `+` numbers: a path, `_` or letters glued before it (`/users/+1…`, `tel_+1…`, `callto+1…`). */
const BEFORE_PLUS = ['/users/', 'tel_', 'callto', 'ab/cd/'];

/** Text after a number that is no part of it: punctuation, brackets, a remark, a file suffix, a version. */
const AFTER = [
  '',
  ' now',
  '.',
  '. Next',
  ',',
  ';',
  ':',
  '!',
  '?',
  ']',
  '"',
  '.json',
  '-',
  '/',
  '/orders',
  '+',
  '(cell)',
  '(2)',
  '-(',
  ')(',
  '.(',
  'é',
  '°',
  '_backup.csv',
  '-.',
  '/.',
  '.-',
];
/** After only numbers whose last group holds no other `.` (an index or version after it). */
const AFTER_UNDOTTED = ['.1', '.12', '.123'];
/** After only `+` numbers: letters glued after it (`+12025550143ext`). */
const AFTER_PLUS = ['ext', 'abc', '_x'];

/** Glued before a number without `+` and not starting with a bracket: the number is kept. */
const GLUE_BEFORE = ['x', 'id', 'A', '_', '#', '$', '%', '&', '@', '\\', '1_'];
/** Glued after a number without `+`: kept. */
const GLUE_AFTER = ['abc', 'x', 'Z', '_1', '_2'];

function befores(plus: boolean): string[] {
  return [...BEFORE, ...(plus ? BEFORE_PLUS : BEFORE_NO_PLUS)];
}
function afters(plus: boolean, dotted: boolean): string[] {
  return [...AFTER, ...(dotted ? [] : AFTER_UNDOTTED), ...(plus ? AFTER_PLUS : [])];
}

describe('phone: a number in its context is masked exactly', () => {
  it('every number × every separating context before and after (exhaustive)', () => {
    for (const { n, plus, dotted } of NUMBERS)
      for (const b of befores(plus)) for (const a of afters(plus, dotted)) phone.masks(b, n, a);
  });

  it('a bracket pair around the whole number is no part of it', () => {
    for (const { n } of NUMBERS)
      for (const [b, a] of [
        ['(', ')'],
        ['call (', ') now'],
        ['(', ').'],
        ['x (', '), y'],
      ])
        phone.masks(b, n, a);
  });

  it('glued to an ASCII letter, `_` or an id sign, a number without `+` is kept', () => {
    for (const { n, plus, bracket } of NUMBERS) {
      if (plus) continue;
      if (!bracket) for (const g of GLUE_BEFORE) phone.keeps(`${g}${n}`);
      for (const g of GLUE_AFTER) phone.keeps(`${n}${g}`);
    }
  });

  it('random prose around a number and a context pair: only the number is masked', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NUMBERS),
        fc.nat(),
        fc.nat(),
        fc.array(word(), { maxLength: 3 }),
        fc.array(word(), { maxLength: 3 }),
        fc.constantFrom('', 'CALL ', 'Phone: ', 'fax '),
        ({ n, plus, dotted }, bi, ai, pre, post, kw) => {
          const bs = befores(plus);
          const as = afters(plus, dotted);
          const lead = kw + (pre.length ? `${pre.join(' ')} ` : '');
          const tail = post.length ? ` ${post.join(' ')}` : '';
          phone.masks(lead + bs[bi % bs.length], n, as[ai % as.length] + tail);
        },
      ),
      RUNS,
    );
  });
});
