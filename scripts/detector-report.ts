/**
 * Prints recall and precision per value detector over the labeled corpus in
 * `test/engine/detectors/testdata/corpus.ts`. Run with `npx tsx scripts/detector-report.ts`
 * (`--mismatches` also lists every sample a detector got wrong).
 */
import { corpus } from '../test/engine/detectors/testdata/corpus';
import { evaluate } from '../test/engine/detectors/testdata/evaluate';

const { scores, mismatches, negatives } = evaluate(corpus);
const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const pct = (x: number): string => x.toFixed(3);

console.log(`corpus: ${corpus.length} samples, ${negatives} negatives (no PII)\n`);
console.log(
  `${pad('detector', 16)}${pad('positives', 11)}${pad('TP', 6)}${pad('FN', 6)}${pad('FP', 6)}${pad('recall', 9)}precision`,
);
for (const s of scores) {
  console.log(
    `${pad(s.detector, 16)}${pad(s.positives, 11)}${pad(s.tp, 6)}${pad(s.fn, 6)}${pad(s.fp, 6)}${pad(pct(s.recall), 9)}${pct(s.precision)}`,
  );
}
if (process.argv.includes('--mismatches')) {
  console.log('\nmismatches:');
  for (const m of mismatches)
    console.log(`  expected [${m.expected.join(', ')}] reported [${m.reported.join(', ')}]: ${JSON.stringify(m.text)}`);
}
