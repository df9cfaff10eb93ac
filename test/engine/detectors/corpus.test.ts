import { describe, expect, it } from 'vitest';
import { detectorNames } from '../../../policy/schema';
import { corpus } from './testdata/corpus';
import { evaluate } from './testdata/evaluate';

// The hand-written corpus's size and coverage. What the scanner does on each sample is asserted exactly in
// exact-corpora.test.ts (every positive with its labeled types and its value gone, every negative unchanged);
// `npx tsx scripts/detector-report.ts` prints the per-detector recall and precision.

describe('detector corpus', () => {
  it('has at least 40 positives per detector and 300 negatives', () => {
    const { scores, negatives } = evaluate(corpus);
    for (const s of scores) expect(s.positives, s.detector).toBeGreaterThanOrEqual(40);
    expect(negatives).toBeGreaterThanOrEqual(300);
    expect(scores.map((s) => s.detector)).toEqual([...detectorNames]);
  });
});
