import type { DROPPED, ValueScanner } from './attribute-redactor';
import { compileCustomPattern } from './detectors/custom-pattern';
import { GlobList } from './glob-list';

/** One `values.allow` entry: a literal text, or a pattern (checked like a custom detector pattern). */
export type ValueAllowEntry = string | { readonly pattern: string };

/** The precision controls around the value scanner (`values.allow`, `values.ignoreKeys`). */
export interface ValueExemptionOptions {
  /** Texts (literal, or matched by a pattern) never masked by the value detectors, wherever they occur in a value. */
  readonly allow?: readonly ValueAllowEntry[];
  /** Attribute keys (globs) whose kept values are not scanned at all. */
  readonly ignoreKeys?: readonly string[];
  /**
   * `values.timestamps: coarsen`: what the values of ignored keys still go through (date-times in text rounded down,
   * `coarsenTimesInText`), since they skip the scanner that does it for every other value.
   */
  readonly times?: (value: string) => string;
}

/** Bound on cached per-key `ignoreKeys` decisions; past it the oldest are evicted. */
const MAX_CACHED_KEYS = 8192;

/** Private-use characters that stand in for an allowed text while the detectors run. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
/** First private-use character used as an index of the stand-ins (letters, never digits: detectors count digits). */
const INDEX_BASE = 0xe100;
/** At most this many allowed texts are stood in per value; later ones are scanned like any text. */
const MAX_STAND_INS = 256;

/**
 * The reason `entry` cannot be used as a `values.allow` pattern, or `undefined` (literals are always
 * usable). Patterns are refused for the same reasons as custom detector patterns (catastrophic
 * backtracking, empty matches).
 */
export function checkAllowEntry(entry: ValueAllowEntry): string | undefined {
  if (typeof entry === 'string') return entry.length === 0 ? 'expected a non-empty text' : undefined;
  const compiled = compileCustomPattern(entry.pattern);
  return compiled.ok ? undefined : compiled.reason;
}

/**
 * Wraps the value scanner with the precision controls:
 * - `ignoreKeys`: values under these keys skip the scanner (decided once per key, cached);
 * - `allow`: every occurrence of an allowed literal, or of a text an allowed pattern matches, is
 *   hidden from the detectors (a private-use stand-in takes its place) and put back afterwards, so
 *   `support@example.com` stays while `jane@example.com` beside it is masked. A stand-in a mask
 *   covered stays masked (fail closed).
 * Patterns are compiled here, once; `checkAllowEntry` must have accepted them.
 */
export function withValueExemptions(scanner: ValueScanner, options: ValueExemptionOptions): ValueScanner {
  const times = options.times;
  const ignore = options.ignoreKeys?.length ? new GlobList(options.ignoreKeys) : undefined;
  const ignored = new Map<string, boolean>();
  const literals = (options.allow ?? []).filter((e): e is string => typeof e === 'string' && e.length > 0);
  const patterns = (options.allow ?? []).flatMap((e) => {
    if (typeof e === 'string') return [];
    const compiled = compileCustomPattern(e.pattern);
    if (!compiled.ok) throw new Error(`values.allow pattern ${JSON.stringify(e.pattern)}: ${compiled.reason}`);
    return [new RegExp(compiled.source, 'g')];
  });
  const exempting = literals.length > 0 || patterns.length > 0;

  const isIgnored = (key: string): boolean => {
    let v = ignored.get(key);
    if (v === undefined) {
      v = ignore!.match(key) !== undefined;
      if (ignored.size >= MAX_CACHED_KEYS) ignored.delete(ignored.keys().next().value as string);
      ignored.set(key, v);
    }
    return v;
  };

  return (value: string, key: string): string | typeof DROPPED => {
    if (ignore !== undefined && key !== '' && isIgnored(key)) return times === undefined ? value : times(value);
    if (!exempting) return scanner(value, key);
    // Allowed texts found in the value, by position (overlaps: the first found wins).
    const spans: [number, number][] = [];
    for (const literal of literals) {
      let at = value.indexOf(literal);
      while (at !== -1 && spans.length < MAX_STAND_INS) {
        spans.push([at, at + literal.length]);
        at = value.indexOf(literal, at + literal.length);
      }
    }
    for (const re of patterns) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while (spans.length < MAX_STAND_INS && (m = re.exec(value)) !== null) {
        if (m[0].length === 0) re.lastIndex++;
        else spans.push([m.index, m.index + m[0].length]);
      }
    }
    if (spans.length === 0) return scanner(value, key);
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const kept: string[] = [];
    let text = '';
    let from = 0;
    for (const [start, end] of spans) {
      if (start < from) continue; // overlaps one already stood in
      text += value.slice(from, start) + OPEN + String.fromCharCode(INDEX_BASE + kept.length) + CLOSE;
      kept.push(value.slice(start, end));
      from = end;
    }
    text += value.slice(from);
    const out = scanner(text, key);
    if (typeof out !== 'string') return out;
    let restored = out;
    for (let i = 0; i < kept.length; i++)
      restored = restored.split(OPEN + String.fromCharCode(INDEX_BASE + i) + CLOSE).join(kept[i]);
    return restored;
  };
}
