import { describe, expect, it } from 'vitest';
import { corpus, seedValues } from './testdata/corpus';
import {
  GENERATED_EXTRA_TYPES,
  GENERATED_FALSE_POSITIVES,
  GENERATED_MISSES,
  LABELED_SET_FALSE_POSITIVES,
  LABELED_SET_MISSES,
  compareWithKnown,
  corpusScanner,
  familyDetector,
} from './testdata/exact-expectations';
import { generateNegatives, generatePositives } from './testdata/generate';
import { labeledSet } from './testdata/labeled-set';

// Exact behaviour on every labeled item of the three corpora: a positive is found (with exactly the types its label
// names, where it names them) and its secret is gone from the masked output; a negative is returned as the same string
// instance. The only exceptions are the items listed in testdata/exact-expectations.ts, each with its reason; a listed
// item that passes now fails too (remove it from the list). Floors and ceilings on counts would let a change lose a
// few detections unnoticed; these do not. The corpora are built here (no engine code runs), the scanner inside each test.

const handCorpus = corpus;
const labeled = labeledSet();
const generatedPositives = generatePositives(seedValues);
const generatedNegatives = generateNegatives(60);

const textsOf = (items: readonly { text: string }[]) => new Set(items.map((s) => s.text));
const sorted = (types: readonly string[]) => [...new Set(types)].sort();

describe('exact expectations on every labeled item', () => {
  it('hand corpus: every positive reports exactly its labeled types and loses its embedded value', () => {
    const scanner = corpusScanner();
    const wrong: string[] = [];
    let n = 0;
    for (const s of handCorpus) {
      if (s.types.length === 0) continue;
      n++;
      const r = scanner.scan(s.text);
      const leaked = s.secret !== undefined && r.value.includes(s.secret);
      if (leaked || JSON.stringify(sorted(r.types)) !== JSON.stringify(sorted(s.types)))
        wrong.push(
          `${JSON.stringify(s.text)}: labeled ${sorted(s.types)}, reported ${sorted(r.types)}${leaked ? ', secret kept' : ''}`,
        );
    }
    expect(n).toBeGreaterThan(700);
    expect(wrong).toEqual([]);
  });

  it('hand corpus: every negative is returned as the same string instance', () => {
    const scanner = corpusScanner();
    const negatives = handCorpus.filter((s) => s.types.length === 0);
    const changed = negatives.filter((s) => scanner.redact(s.text) !== s.text);
    expect(negatives.length).toBeGreaterThan(300);
    expect(changed.map((s) => `${JSON.stringify(s.text)} → ${JSON.stringify(scanner.scan(s.text).types)}`)).toEqual([]);
  });

  it('independent labeled set: every positive is found and its secret removed, but the listed misses', () => {
    const scanner = corpusScanner();
    const positives = labeled.filter((s) => s.positive);
    const wrong: { text: string; detail: string }[] = [];
    for (const s of positives) {
      const r = scanner.scan(s.text);
      const expected = familyDetector(s.family);
      const detail: string[] = [];
      if (r.findings === 0) detail.push('nothing found');
      if (r.value.includes(s.secret!)) detail.push('secret kept');
      if (expected !== undefined && !r.types.includes(expected)) detail.push(`no ${expected} (reported ${r.types})`);
      if (detail.length > 0) wrong.push({ text: s.text, detail: `(${s.family}): ${detail.join(', ')}` });
    }
    expect(positives.length).toBeGreaterThanOrEqual(880);
    expect(compareWithKnown('miss', wrong, LABELED_SET_MISSES, textsOf(positives))).toEqual([]);
  });

  it('independent labeled set: every negative is returned unchanged, but the listed false positives', () => {
    const scanner = corpusScanner();
    const negatives = labeled.filter((s) => !s.positive);
    const wrong = negatives
      .filter((s) => scanner.redact(s.text) !== s.text)
      .map((s) => ({ text: s.text, detail: `(${s.family}) → ${scanner.scan(s.text).types}` }));
    expect(negatives.length).toBeGreaterThanOrEqual(700);
    expect(compareWithKnown('false positive', wrong, LABELED_SET_FALSE_POSITIVES, textsOf(negatives))).toEqual([]);
  });

  it('generated corpus: every positive reports its labeled type (and no other but the listed extras), but the listed misses', () => {
    const scanner = corpusScanner();
    const wrong: { text: string; detail: string }[] = [];
    const unexpected: string[] = [];
    for (const s of generatedPositives) {
      const type = s.types[0]!;
      const r = scanner.scan(s.text);
      if (!r.types.includes(type)) wrong.push({ text: s.text, detail: `(${type}, ${s.secret}) → ${r.types}` });
      const extra = r.types.filter((t) => t !== type && !(GENERATED_EXTRA_TYPES[type] ?? []).includes(t));
      if (extra.length > 0) unexpected.push(`${JSON.stringify(s.text)} (${type}) also reported ${extra}`);
    }
    expect(generatedPositives.length).toBeGreaterThan(8000);
    expect(compareWithKnown('miss', wrong, GENERATED_MISSES, textsOf(generatedPositives))).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  it('generated corpus: every look-alike negative is returned unchanged, but the listed false positives', () => {
    const scanner = corpusScanner();
    const wrong = generatedNegatives
      .filter((s) => scanner.redact(s.text) !== s.text)
      .map((s) => ({ text: s.text, detail: `(${s.secret}) → ${scanner.scan(s.text).types}` }));
    expect(generatedNegatives.length).toBeGreaterThan(5000);
    expect(compareWithKnown('false positive', wrong, GENERATED_FALSE_POSITIVES, textsOf(generatedNegatives))).toEqual(
      [],
    );
  });
});
