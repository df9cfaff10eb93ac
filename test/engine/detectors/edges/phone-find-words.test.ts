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
