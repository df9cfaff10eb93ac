import { describe, expect, it } from 'vitest';
import { phoneDetector } from '../../../../engine/detectors/phone';
import type { Finding } from '../../../../engine/detectors/types';

// docs/detectors.md (`phone` row): how `find` reads a number's words out of their context: a remark in brackets glued
// after it (`202-555-0143(cell)`) and brackets around it (`(call +1 202 555 0143)`) are no part of it, also when the
// number starts with a bracketed area code or sits in brackets nested in prose. Read by the detector directly (the
// exact stretch found); fake numbers only.

/** The text `phone` finds in `text`. */
function found(text: string): string[] {
  const out: Finding[] = [];
  phoneDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('phone: a remark glued after a number that starts with a bracketed area code', () => {
  it('the remark is cut and the number found whole', () => {
    for (const [text, n] of [
      ['(202)555-0143(cell)', '(202)555-0143'],
      ['x (202)555-0143(2) y', '(202)555-0143'],
      ['202-555-0143(2)', '202-555-0143'],
      ['call (202) 555-0143(office)', '(202) 555-0143'],
    ])
      expect(found(text), text).toEqual([n]);
  });
});

describe('phone: brackets around a number nested in brackets of prose', () => {
  it('every closing bracket after it that opens nothing of it is cut', () => {
    for (const [text, n] of [
      ['(see (202-555-0143))', '202-555-0143'],
      ['(see (+44 20 7946 0958))', '+44 20 7946 0958'],
      ['x (202-555-0143)) y', '202-555-0143'],
    ])
      expect(found(text), text).toEqual([n]);
  });
});

describe('phone: what glues to a number without `+`', () => {
  it('a glue character before a bracketed area code does not glue (no id, handle, price or percentage starts with one)', () => {
    for (const [text, n] of [
      ['@(202) 555-0143', '(202) 555-0143'],
      ['#(202)555-0143', '(202)555-0143'],
      ['$(202) 555-0143', '(202) 555-0143'],
      ['%(202) 555-0143', '(202) 555-0143'],
      ['x_(202) 555-0143', '(202) 555-0143'], // `_` after a word is a separator
    ])
      expect(found(text), text).toEqual([n]);
    // `_` after a digit glues (an id), bracket or not; so does a glue character before a digit.
    for (const t of ['1_(202) 555-0143', '@202-555-0143']) expect(found(t), t).toEqual([]);
  });

  it('after it: ASCII letters glue, `_` and a word end it, `_` and a digit or a blank continue an id', () => {
    for (const t of ['202-555-0143abc', '202-555-0143x', '202-555-0143a1', '202-555-0143_1', '202-555-0143_ 1'])
      expect(found(t), t).toEqual([]);
    for (const t of ['202-555-0143_backup.csv', '202-555-0143_']) expect(found(t), t).toEqual(['202-555-0143']);
  });
});

describe('phone: what glues after a number with `+`', () => {
  it('ASCII letters and `_` do not hide it (`+12025550143ext`, `+12025550143_x`), `_` and a digit neither', () => {
    for (const [text, n] of [
      ['+12025550143_x', '+12025550143'],
      ['+12025550143_1', '+12025550143'],
      ['+12025550143_ 1', '+12025550143'],
      ['+44 20 7946 0958_2', '+44 20 7946 0958'],
      ['+12025550143ext', '+12025550143'],
      ['+44 20 7946 0958_backup', '+44 20 7946 0958'],
    ])
      expect(found(text), text).toEqual([n]);
  });
});

describe('phone: a percent-encoded `+` glued before a number', () => {
  it('starts it, as form encoding writes a number (`phone=%2B91+98765-43210`)', () => {
    for (const [text, n] of [
      ['phone=%2B12025550143', '%2B12025550143'],
      ['phone=%2B91+98765-43210', '%2B91+98765-43210'],
      ['v=%2B44+20+7946+0958&x=1', '%2B44+20+7946+0958'],
    ])
      expect(found(text), text).toEqual([n]);
  });
});
