import { describe, expect, it } from 'vitest';
import { phoneDetector } from '../../../../engine/detectors/phone';
import type { Finding } from '../../../../engine/detectors/types';

// docs/detectors.md (`phone` row) and `formBlank`'s doc comment: a `+` between digit groups (after a digit or `)`,
// before a digit or `(`) is a blank as form encoding writes it (`%2B1+202-555-0143`, `+1+(202) 555-0143`); not a time
// zone offset after a time: `+HH:MM`, or `+HHMM` after a `:` within the 16 characters before. Read by the detector
// directly (the exact stretch found); fake numbers only.

/** The text `phone` finds in `text`. */
function found(text: string): string[] {
  const out: Finding[] = [];
  phoneDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('phone: a `+` between digit groups read as a blank', () => {
  it('after a digit or `)` and before a digit or `(`: one number', () => {
    for (const n of [
      '+1+202-555-0143',
      '+1+(202) 555-0143',
      '+1+(202)555-0143',
      '(202)+555-0143',
      '202+555+0143',
      '+44+20+7946+0958',
      '+33+1+23+45+67+89',
      '+49+30+901820',
    ]) {
      expect(found(n), n).toEqual([n]);
      expect(found(`call ${n} now`), n).toEqual([n]);
    }
  });

  it('after or before anything else it is no blank: no number is read across it', () => {
    // A blank, `-` or `.` on either side: the `+` is no separator of the groups (each side alone is too short).
    for (const t of [
      '202 +555 0143',
      '202+ 555 0143',
      '202 + 555 0143',
      '202-+555-0143',
      '202.+555.0143',
      '202+-555-0143',
    ])
      expect(found(`call ${t} now`), t).toEqual([]);
    // A `+` before a `)` without `(` still ends the number (`1+44)20 …`).
    expect(found('x 1+44)20 7946 0958')).toEqual([]);
  });

  it('a one-digit group after the `+`: the characters after it are read only when a digit follows the first', () => {
    // `+1+2…` after a label with a `:`: the check for an offset (`+HHMM` after a `:`) needs two digits after the `+`.
    for (const t of ['tel: +33+1+23+45+67+89', 'at 10:00 call +1+202+555+0143'])
      expect(found(t), t).toEqual([t.slice(t.indexOf('+'))]);
    // A `:` two characters after a one-digit group is no `+HH:MM` offset.
    expect(found('phone: 2025550143+1 : ok')).toEqual(['2025550143+1']);
    // Nor is a `.` and a digit after a two-digit group (an index after the number).
    expect(found('tel: +33+1+23+45+67+89.1')).toEqual(['+33+1+23+45+67+89']);
  });
});

describe('phone: a `+` before a time zone offset is no blank', () => {
  it('`+HH:MM` after digits: the offset is not read as a group of the number', () => {
    for (const t of ['at 1995-01-01T00:00:00,00100000+05:30', 'at 00:00:00,001+05:30', 'day 2024-08-18+02:00'])
      expect(found(t), t).toEqual([]);
  });

  it("`+HHMM` after a time's `:` within the 16 characters before: an offset; farther back: a group", () => {
    expect(found('at 1995-01-01T00:00:00,00100000+0530')).toEqual([]);
    // The `:` is 16 characters before the `+` (an offset) or 17 (the `+` is a blank and the groups one number).
    const atDistance = (d: number) => `at 10:0${' '.repeat(d - 12)}0010000000+0530`;
    expect(atDistance(16).indexOf('+') - atDistance(16).indexOf(':')).toBe(16);
    expect(found(atDistance(16))).toEqual([]);
    expect(found(atDistance(17))).toEqual(['0010000000+0530']);
    // Five digits after the `+` are no `+HHMM` (a group of the number whatever the `:` before).
    expect(found('at:  0010000000+05301')).toEqual(['0010000000+05301']);
    // Without a `:` before, four digits after the `+` are a group.
    expect(found('call +1+202+555+0143')).toEqual(['+1+202+555+0143']);
  });

  it("a label's `:` is no time's: the last group after a `+` is read (a `:` between digits only is a time's)", () => {
    // These were not read by the detector (the scanner's normalized view, which reads every `+` as a blank, masked
    // them): `tel:` is 15 characters or fewer before the last `+`, and `0143` read as `+HHMM`.
    for (const t of [
      'tel: +1+202+555+0143',
      'tel:+1+202+555+0143',
      'Phone: %2B1+202+555+0143',
      'tel: +1+(202) 555-0143',
      'tel: +44+20+7946+0958',
      'room 12: +1+202+555+0143',
      'at 12:a +1+202+555+0143',
    ])
      expect(found(t), t).toEqual([t.slice(t.search(/[+%]/))]);
  });
});

describe('phone: the form-blank rule against an oracle written from its doc comment', () => {
  /** Whether the doc reads the `+` at `i` of `text` as a blank. */
  function blankByDoc(text: string, i: number): boolean {
    if (!/[\d)]/.test(text[i - 1]) || !/[\d(]/.test(text[i + 1] ?? '')) return false;
    const after = text.slice(i + 1);
    if (/^\d\d:/.test(after)) return false; // `+HH:MM`
    // `+HHMM` after a time's `:` (a digit on both sides) within the 16 characters before
    const time = /\d:\d/g;
    let near = false;
    for (let m = time.exec(text); m !== null && m.index + 1 < i; m = time.exec(text))
      if (i - (m.index + 1) <= 16) near = true;
    const lastColon = text.lastIndexOf(':', i);
    return !(
      /^\d{4}(?!\d)/.test(after) &&
      near &&
      /\d/.test(text[lastColon - 1]) &&
      /\d/.test(text[lastColon + 1] ?? '')
    );
  }

  /** The ranges `phone` finds in `text`. */
  function ranges(text: string): string[] {
    const out: Finding[] = [];
    phoneDetector.find(text, out);
    return out.map((f) => `${f.start}-${f.end}`);
  }

  it('a blank gives the findings of the text with a blank there; no blank: nothing found in its word', () => {
    const before = [
      '',
      'call ',
      'at 10:00 ',
      'at 10:0 ',
      'tel: ',
      'at 10:00   ',
      'at 10:00      ',
      'x 9: ',
      'at 1:a ',
      '9:30 ',
      'ts :5h ',
    ];
    const left = ['0010000000', '2025550143', '202', '(202)', '+44 20', '+1', '00 44'];
    const right = [
      '05:30',
      '0530',
      '05301',
      '053',
      '0530.1',
      '05.1',
      '5',
      '05',
      '5 555 0143',
      '(202) 555-0143',
      '0143',
    ];
    const moreRight = ['7946 0958', '555-0143', '5:30', '05:3', '20+', '12 34 56 78', '7+946'];
    for (const b of before)
      for (const l of left)
        for (const r of [...right, ...moreRight]) {
          const text = `${b}${l}+${r}`;
          const i = b.length + l.length;
          let ws = i;
          while (ws > 0 && /[\d+()./-]/.test(text[ws - 1])) ws--;
          if (blankByDoc(text, i)) {
            // As with a blank there, but the part before or after the `+` alone is inside the word `left+right`,
            // which is read whole or not at all.
            const spaced = ranges(`${text.slice(0, i)} ${text.slice(i + 1)}`).filter((f) => {
              const [s, e] = f.split('-').map(Number);
              return s < ws || (s <= i && e > i);
            });
            expect(ranges(text), text).toEqual(spaced);
          } else for (const f of ranges(text)) expect(+f.split('-')[1] <= ws || +f.split('-')[0] > i, text).toBe(true);
        }
  });
});
