import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import { detectorNames } from '../../../policy/schema';
import { seedValues } from './testdata/corpus';
import { generateNegatives, generatePositives } from './testdata/generate';

// Prints recall and precision on the generated corpus (the table in docs/detectors.md). What the scanner does on each
// sample is asserted exactly in exact-corpora.test.ts (every positive found with its type, every look-alike negative
// unchanged, but the listed exceptions).

describe('generated corpus: seeds × evasion, separator, case, punctuation and wrapping operators', () => {
  const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]' });
  const positives = generatePositives(seedValues);
  const negatives = generateNegatives(60);

  const misses: string[] = [];
  const perDetector = new Map<string, { n: number; tp: number }>();
  let tp = 0;
  for (const s of positives) {
    const type = s.types[0];
    const c = perDetector.get(type) ?? { n: 0, tp: 0 };
    c.n++;
    const r = scanner.scan(s.text);
    if (r.types.includes(type)) {
      c.tp++;
      tp++;
    } else misses.push(`${type} [${s.secret}] ${JSON.stringify(s.text)} → ${JSON.stringify(r.types)}`);
    perDetector.set(type, c);
  }
  const falsePositives: string[] = [];
  for (const s of negatives) {
    const r = scanner.scan(s.text);
    if (r.findings > 0) falsePositives.push(`[${s.secret}] ${JSON.stringify(s.text)} → ${JSON.stringify(r.types)}`);
  }
  const recall = tp / positives.length;
  const precision = tp / (tp + falsePositives.length);
  const fpRate = falsePositives.length / negatives.length;

  it('prints the measured recall and precision', () => {
    const lines = [
      `generated corpus: ${positives.length} positives, ${negatives.length} look-alike negatives`,
      `recall ${(recall * 100).toFixed(2)} % (${tp}/${positives.length}), precision ${(precision * 100).toFixed(2)} %, ` +
        `false positives on negatives ${(fpRate * 100).toFixed(2)} % (${falsePositives.length}/${negatives.length})`,
      ...[...perDetector].map(([d, c]) => `  ${d}: recall ${((c.tp / c.n) * 100).toFixed(2)} % (${c.tp}/${c.n})`),
      ...misses.slice(0, 20).map((m) => `  miss: ${m}`),
      ...falsePositives.slice(0, 20).map((m) => `  false positive: ${m}`),
    ];
    console.log(lines.join('\n'));
    expect(perDetector.size).toBe(detectorNames.length);
  });

  it('has positives for every detector under every operator that applies to it', () => {
    for (const d of detectorNames) expect(perDetector.get(d)?.n ?? 0, d).toBeGreaterThanOrEqual(100);
    expect(negatives.length).toBeGreaterThanOrEqual(positives.length / 3);
  });
});
