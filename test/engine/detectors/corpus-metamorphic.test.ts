import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpus } from './testdata/corpus';
import {
  GENERATED_FALSE_POSITIVES,
  LABELED_SET_FALSE_POSITIVES,
  LABELED_SET_MISSES,
  corpusScanner,
} from './testdata/exact-expectations';
import { generateNegatives } from './testdata/generate';
import { labeledSet } from './testdata/labeled-set';

// Metamorphic relations over the labeled corpora (fast-check picks the item and its surroundings): what the scanner
// does to a labeled item does not depend on neutral text around it, a second pass over masked output only re-masks
// masks, and the pre-filter and the clean-value cache change nothing. Items come from the exact expectations
// (exact-corpora.test.ts) minus their listed exceptions. The corpora are built here, the scanners inside each test.

const labeled = labeledSet();
const positives: readonly { text: string; secret: string }[] = [
  ...corpus
    .filter((s) => s.types.length > 0 && s.secret !== undefined)
    .map((s) => ({ text: s.text, secret: s.secret! })),
  ...labeled
    .filter((s) => s.positive && !(s.text in LABELED_SET_MISSES))
    .map((s) => ({ text: s.text, secret: s.secret! })),
];
const negatives: readonly string[] = [
  ...corpus.filter((s) => s.types.length === 0).map((s) => s.text),
  ...labeled.filter((s) => !s.positive && !(s.text in LABELED_SET_FALSE_POSITIVES)).map((s) => s.text),
  ...generateNegatives(60)
    .map((s) => s.text)
    .filter((t) => !(t in GENERATED_FALSE_POSITIVES)),
];

/** Words that name nothing a detector keys on (no phone, card, id, credential or address word). */
const word = fc.constantFrom('request', 'failed', 'while', 'retrying', 'later', 'see', 'the', 'log', 'done', 'again');
const words = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));

/**
 * Neutral surroundings of a whole value: words and blanks before and after, a line break or tab, brackets and quotes,
 * a sentence's closing punctuation after a blank, a JSON string, a `key=value` field of a log line. A value's own
 * first or last character stays next to a blank or one of these (docs/detectors.md: a value glued to letters or digits
 * is part of a longer word). `after: false` is for negatives: a word next to one can complete it (`Authorization:
 * Bearer` and a word is a credential, a name and `@example.com` an address), so nothing follows it but closing
 * punctuation and what precedes it ends in `:` (not `=`: `=` and two hex digits read as quoted-printable, `a=256.1.1.1`
 * is `a%6.1.1.1` there, an address; not a quote: `"request" detail="@example.com` has a quoted local part).
 */
const surroundingsOf = (after: boolean) =>
  fc.oneof(
    ...(after
      ? [
          fc.tuple(words, words).map(([a, b]) => ({ name: 'words', wrap: (v: string) => `${a} ${v} ${b}` })),
          fc.tuple(words, fc.constantFrom('\n', '\t', '\r\n')).map(([a, sep]) => ({
            name: 'line',
            wrap: (v: string) => `${a}${sep}${v}${sep}${a}`,
          })),
          words.map((a) => ({
            name: 'key=value',
            wrap: (v: string) => `level=info msg="${a}" detail=${v} status=done`,
          })),
        ]
      : [
          words.map((a) => ({ name: 'words and a colon before', wrap: (v: string) => `${a}: ${v}` })),
          fc.tuple(words, fc.constantFrom('\n', '\t', '\r\n')).map(([a, sep]) => ({
            name: 'a line before',
            wrap: (v: string) => `${a}:${sep}${v}`,
          })),
        ]),
    fc
      .constantFrom(['(', ')'], ['[', ']'], ['<', '>'], ['{', '}'], ['"', '"'], ['« ', ' »'])
      .map(([l, r]) => ({ name: `brackets ${l}${r}`, wrap: (v: string) => `see ${l} ${v} ${r}` })),
    fc.constantFrom(' .', ' ,', ' ;', ' !', ' ?').map((p) => ({ name: `then ${p}`, wrap: (v: string) => `${v}${p}` })),
    words.map((a) => ({ name: 'json', wrap: (v: string) => JSON.stringify({ msg: a, detail: v, n: 2 }) })),
  );
const surroundings = surroundingsOf(true);
const surroundingsBeforeOnly = surroundingsOf(false);

/** The secret as it reads inside `text` (a JSON string escapes it). */
const asWritten = (secret: string, wrapped: string) =>
  wrapped.startsWith('{') ? JSON.stringify(secret).slice(1, -1) : secret;

const RUNS = Number(process.env.METAMORPHIC_RUNS ?? 1500);
const MASK = /\[REDACTED:[a-z0-9-]+\]/g;

describe('metamorphic relations over the labeled items', () => {
  it('a positive in neutral surroundings is still found and its secret removed', () => {
    const scanner = corpusScanner();
    fc.assert(
      fc.property(fc.constantFrom(...positives), surroundings, (p, s) => {
        const text = s.wrap(p.text);
        const r = scanner.scan(text);
        expect({ text, found: r.findings > 0, kept: r.value.includes(asWritten(p.secret, text)) }).toEqual({
          text,
          found: true,
          kept: false,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('a negative in neutral surroundings is returned unchanged', () => {
    const scanner = corpusScanner();
    fc.assert(
      fc.property(fc.constantFrom(...negatives), surroundingsBeforeOnly, (n, s) => {
        const text = s.wrap(n);
        expect({ text, out: scanner.redact(text) }).toEqual({ text, out: text });
      }),
      { numRuns: RUNS },
    );
  });

  it('masking is idempotent: a second pass over the masked output finds nothing but masks to re-mask', () => {
    const scanner = corpusScanner();
    fc.assert(
      fc.property(fc.constantFrom(...positives.map((p) => p.text), ...negatives), surroundings, (v, s) => {
        const once = scanner.redact(s.wrap(v))!;
        const twice = scanner.redact(once)!;
        expect({ once, twice: twice.replace(MASK, '[REDACTED:*]') }).toEqual({
          once,
          twice: once.replace(MASK, '[REDACTED:*]'),
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('the pre-filter and the clean-value cache change no output (first and repeated sightings)', () => {
    const oracle = corpusScanner({ prefilter: false });
    const cached = corpusScanner({ cleanCacheSize: 4096 });
    fc.assert(
      fc.property(fc.constantFrom(...positives.map((p) => p.text), ...negatives), surroundings, (v, s) => {
        const text = s.wrap(v);
        const want = oracle.scan(text);
        expect({ text, first: cached.scan(text), again: cached.scan(text) }).toEqual({
          text,
          first: want,
          again: want,
        });
      }),
      { numRuns: RUNS },
    );
  });
});
