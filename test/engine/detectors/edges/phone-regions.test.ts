import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phoneDetector } from '../../../../engine/detectors/phone';
import type { Finding } from '../../../../engine/detectors/types';
import { digit, digits, edges, nz } from './helpers';

// A number after, between or among long runs of separators and short words: the detector reads such runs in bounded
// steps (docs/detectors.md: long inputs stay linear), and a number after any length of them is found exactly where it
// is written, as alone. The oracle: words with no digit are no number and change nothing about the number after them.

/** The spans `phone` finds in `text`. */
function spans(text: string): string[] {
  const out: Finding[] = [];
  phoneDetector.find(text, out);
  return out.map((f) => `${f.start}-${f.end}`);
}

const nanp = fc
  .tuple(fc.tuple(digit(2, 9), digit(0, 8), digit()), fc.tuple(digit(2, 9), digits(2)), nz(4))
  .map(([a, e, l]) => [a.join(''), e.join(''), l]);
/** Layouts of one number (docs: `phone` row). */
const number = fc.oneof(
  nanp.map(([a, e, l]) => `${a}-${e}-${l}`),
  nanp.map(([a, e, l]) => `(${a}) ${e}-${l}`),
  nanp.map(([a, e, l]) => `+1 ${a} ${e} ${l}`),
  nanp.map(([a, e, l]) => `${a}.${e}.${l}`),
  nz(4).map((l) => `+44 20 7946 ${l}`),
  nz(4).map((l) => `020 7946 ${l}`),
);
/** Words of separators only, and the gaps between words (one blank, or a line break or tab). */
const sepWord = fc.constantFrom('-', '.', '/', '(', ')', '--', '+', '-.-', '()', '/-/', ')(', '(-)');
const gap = fc.constantFrom(' ', ' ', ' ', '\n', '\t', ' \n ', '\r\n');
/** A run of separator words, about `max` characters long at most. */
const filler = (max: number) =>
  fc
    .array(fc.tuple(sepWord, gap), { minLength: 0, maxLength: max / 2, size: 'max' })
    .map((ws) => ws.map(([w, g]) => w + g).join(''));

describe('phone: a number after long runs of separator words', () => {
  it('is found where it is written, after any length of separator words (up to 3 000 characters)', () => {
    fc.assert(
      fc.property(filler(3000), number, fc.constantFrom('', ' ', ' x', '.', ' - -'), (before, n, after) => {
        const text = `${before}${n}${after}`;
        expect(spans(text), JSON.stringify(text.slice(-60))).toEqual([`${before.length}-${before.length + n.length}`]);
      }),
      { numRuns: 150 },
    );
  });

  it('after one separator word repeated 0 to 20 times, and at random lengths up to 1 000 words', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 20, max: 1000 })),
        fc.constantFrom('- ', '. ', ') ', '-\n', '/ '),
        (k, w) => {
          const before = w.repeat(k);
          expect(spans(`${before}202-555-0143`)).toEqual([`${before.length}-${before.length + 12}`]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('where the bounded read of a run ends inside the number: every length of 360 to 400 words (720 to 800 characters)', () => {
    for (const w of ['- ', '. ', ') ']) {
      const bad: number[] = [];
      for (let k = 360; k <= 400; k++) {
        const before = w.repeat(k);
        if (spans(`${before}202-555-0143`).join() !== `${before.length}-${before.length + 12}`) bad.push(k);
      }
      expect(bad, JSON.stringify(w)).toEqual([]);
    }
  });

  it('between such runs, two numbers are both found', () => {
    fc.assert(
      fc.property(filler(1600), number, filler(1600), number, (a, n1, b, n2) => {
        const text = `${a}${n1} x ${b}${n2}`;
        const s1 = a.length;
        const s2 = a.length + n1.length + 3 + b.length;
        expect(spans(text)).toEqual([`${s1}-${s1 + n1.length}`, `${s2}-${s2 + n2.length}`]);
      }),
      { numRuns: 60 },
    );
  });

  it('short digit words (fewer than eight digits in reach) before a number do not hide it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('1', '12', '-1', '1-', '(1)', '1.2', 'x'), { minLength: 1, maxLength: 400 }),
        number,
        (words, n) => {
          const before = words.join(' - ') + ' x ';
          expect(spans(before + n)).toEqual([`${before.length}-${before.length + n.length}`]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('through the scanner, pre-filter on and off, after 800 separator words', () => {
    const phone = edges('phone');
    phone.masks('- '.repeat(800), '202-555-0143', ' x');
    phone.masks('. '.repeat(800), '+1 202 555 0143');
  });
});
