import { describe, expect, it } from 'vitest';
import { phoneDetector } from '../../../../engine/detectors/phone';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// docs/detectors.md (`phone` row) and the detector's doc comment: a number is digit groups with one separator
// between neighbours (a blank, `-`, `.`, `/`, or a bracket pair around the area code with at most one more separator
// after `)`); the `+` and country code may be bracketed (`(+91) 98765 43210`); a North American number may lead with
// `1` (`1-800-555-0100`); a `+` between digit groups is a blank as form encoding writes it (`%2B1+202-555-0143`). Each layout read by the detector directly
// and, where the scanner's other views do not read it too, through the scanner.

/** The text `phone` finds in `text`. */
function found(text: string): string[] {
  const out: Finding[] = [];
  phoneDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

const phone = edges('phone');

describe('phone: how the groups of one number are written', () => {
  it('a bracketed + and country code starts the number, with or without a blank after the bracket', () => {
    for (const n of ['(+91) 98765 43210', '(+91)98765 43210', '(+44) 20 7946 0958', '(+44)20 7946 0958']) {
      expect(found(n)).toEqual([n]);
      expect(found(`x ${n} y`)).toEqual([n]);
      phone.masks('note ', n, ' end');
    }
  });

  it('a leading 1 before a bracketed area code is part of the North American number', () => {
    for (const n of ['1 (202) 555-0143', '1 (202)555-0143', '1 (202) 555 0143']) {
      expect(found(n)).toEqual([n]);
      phone.masks('see ', n, '.');
    }
    // A leading group of two digits is no trunk `1`: only the number after it is found.
    expect(found('12 202 555 0143')).toEqual(['202 555 0143']);
    expect(found('x 12 202 555 0143')).toEqual(['202 555 0143']);
  });

  it('one separator between groups: a blank and a `-` together are two, and no number is read across them', () => {
    for (const t of [
      '202 -555-0143',
      '(202) -555-0143',
      '+1 202 -555 0143',
      '+1 (202) -555-0143',
      '+1 202 \n -555 0143',
    ])
      expect(found(t), JSON.stringify(t)).toEqual([]);
    // Controls: one separator (a line break with blanks is one gap) is a number.
    for (const t of ['202 555-0143', '(202) 555-0143', '+1 202 555 0143', '+1 (202) 555-0143', '+1 202 \n 555 0143'])
      expect(found(t), JSON.stringify(t)).toEqual([t]);
  });

  it('the `00` prefix and country code bracketed like a `+` one', () => {
    for (const n of ['(0044) 20 7946 0958', '(0044)20 7946 0958', '(0033) 1 23 45 67 89']) {
      expect(found(n)).toEqual([n]);
      phone.masks('x ', n, ' y');
    }
  });

  it('a bracket pair is around the area code only: two bracketed groups are no number', () => {
    for (const t of ['+1 (202) (555) 0143', '+1(202)(555)0143']) expect(found(t)).toEqual([]);
    expect(found('+1(202)555-0143')).toEqual(['+1(202)555-0143']); // control
  });

  it('a `+` between digit groups is a blank (form encoding); before a `)` without `(` it still ends the number', () => {
    // Form encoding writes a blank as `+` (`%2B1+202-555-0143`): the detector reads a `+` between a digit or `)` and a
    // digit or `(` as one blank, in any number (`tel=202+555+0143` is read by the spaced view too).
    for (const [t, n] of [
      ['phone: 2025550143+1', '2025550143+1'],
      ['202+555+0143', '202+555+0143'],
      ['tel=202+555+0143', '202+555+0143'],
      ['+1+202-555-0143', '+1+202-555-0143'],
      ['(202)+555-0143', '(202)+555-0143'],
    ])
      expect(found(t)).toEqual([n]);
    for (const t of ['1+44)20 7946 0958', 'x 1+44)20 7946 0958', '1.0.0+20240101123', 'x 202++555+0143 y'])
      expect(found(t)).toEqual([]);
    expect(found('phone: 2025550143')).toEqual(['2025550143']); // control
  });
});

describe('phone: the dotted layout of two-digit pairs', () => {
  // docs/detectors.md: dots in an international number only in the French pairs (`+33.1.23.45.67.89`, `0033.1.23.…`):
  // the country code, a subscriber prefix of one to three digits, then at least three pairs, dots throughout.
  it('after `00` and after a phone word: the layout only', () => {
    for (const n of ['0033.1.23.45.67.89', '0033.123.45.67.89', '0033.12.34.56.78']) expect(found(n), n).toEqual([n]);
    expect(found('phone: 33.1.23.45.67.89')).toEqual(['33.1.23.45.67.89']);
    for (const t of [
      '0033.1234.56.78.90', // a prefix of four digits
      '0033.123.45.67', // two pairs
      '0033.1.23.45.678', // a last group of three
      '0033.12.34.56.789',
      '0033.1.23.45.67-89', // a dash among the dots
      '0033.1.23-45.67.89',
      'phone: 33.123.45.67',
      'phone: 33.1.23.45.678',
    ])
      expect(found(t), t).toEqual([]);
  });

  it('after `+`: five groups are the layout (a one-digit prefix is no version)', () => {
    for (const n of ['+33.1.23.45.67', '+33.1.23.45.67.89']) expect(found(n), n).toEqual([n]);
    // A one-digit group after the prefix in a dotted run of five or more groups is a version.
    expect(found('+33.1.2.45.67.89')).toEqual([]);
  });
});
