import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { detectorNames } from '../../../../policy/schema';
import type { DetectorName } from '../../../../policy/schema';
import type { LabeledSample } from './corpus';

/** Per-detector counts and scores over a labeled corpus. */
export interface DetectorScore {
  /** Detector name. */
  readonly detector: DetectorName;
  /** Samples labeled with the detector. */
  readonly positives: number;
  /** Labeled and reported. */
  readonly tp: number;
  /** Labeled but not reported. */
  readonly fn: number;
  /** Reported but not labeled. */
  readonly fp: number;
  /** tp / (tp + fn). */
  readonly recall: number;
  /** tp / (tp + fp); 1 when nothing was reported. */
  readonly precision: number;
}

/** One mismatch, for debugging the corpus or a detector. */
export interface Mismatch {
  /** The sample text. */
  readonly text: string;
  /** Expected types. */
  readonly expected: readonly string[];
  /** Reported types. */
  readonly reported: readonly string[];
}

/** Runs the scanner with every detector over `corpus` and scores each detector. */
export function evaluate(corpus: readonly LabeledSample[]): { scores: DetectorScore[]; mismatches: Mismatch[]; negatives: number } {
  const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]' });
  const counts = new Map<DetectorName, { positives: number; tp: number; fn: number; fp: number }>();
  for (const d of detectorNames) counts.set(d, { positives: 0, tp: 0, fn: 0, fp: 0 });
  const mismatches: Mismatch[] = [];
  let negatives = 0;
  for (const sample of corpus) {
    const reported = scanner.scan(sample.text).types;
    if (sample.types.length === 0) negatives++;
    let mismatch = false;
    for (const d of detectorNames) {
      const c = counts.get(d)!;
      const expected = sample.types.includes(d);
      const found = reported.includes(d);
      if (expected) c.positives++;
      if (expected && found) c.tp++;
      else if (expected) c.fn++;
      else if (found) c.fp++;
      if (expected !== found) mismatch = true;
    }
    if (mismatch) mismatches.push({ text: sample.text, expected: sample.types, reported });
  }
  const scores = detectorNames.map((detector) => {
    const c = counts.get(detector)!;
    return {
      detector,
      ...c,
      recall: c.positives === 0 ? 1 : c.tp / c.positives,
      precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
    };
  });
  return { scores, mismatches, negatives };
}
