import type { DetectorScanner, FindingTally } from './detectors/value-scanner';

/** Longest rewrite remembered (as the engine's output caches: longer values are not kept). */
export const MAX_REMEMBERED_REWRITE = 256;

/** Most keys a rewrite is remembered for at once; past it the memo starts over. */
const MAX_REWRITE_KEYS = 64;

/**
 * The scan of a value a URL or statement sanitizer rewrote (`RedactorTools.scanTransformed`): `before` (home
 * directories, percent-encoded times) over the raw value and the rewrite, then `redactTransformed`. The rewrites of a
 * service repeat where its raw values do not (`/users/{id}/orders` for every user), so per key the last rewrite that
 * came out clean is remembered: an equal rewrite is then scanned as that string itself, whose `before` is known (it
 * left the text as it was) and whose hash the clean-value cache has already read, instead of running `before` over a
 * new string and hashing it. The raw value is read as before on every call, and so is the remembered rewrite (a
 * clean-value-cache lookup, or a scan after the cache was emptied): the calls, and so the values and counts, are those
 * of the full path. Exact because `before` left the remembered text unchanged (`before(known)` is `known`) and it equals
 * the new rewrite. Only a rewrite of at most `MAX_REMEMBERED_REWRITE` characters with no finding counted in the call and
 * the final value equal to it is remembered (one per key, in process memory only, like the clean-value cache: a value
 * with a finding is never kept).
 */
export function rewriteScan(
  detector: DetectorScanner,
  before: (value: string) => string,
  tally: FindingTally,
): (raw: string, transformed: string, key: string) => string | undefined {
  const last = new Map<string, string>();
  return (raw, transformed, key) => {
    const known = last.get(key);
    if (known !== undefined && known === transformed) return detector.redactTransformed(before(raw), known);
    const rewrite = before(transformed);
    const total = tally.total;
    const out = detector.redactTransformed(before(raw), rewrite);
    if (
      rewrite === transformed &&
      out === rewrite &&
      tally.total === total &&
      rewrite.length <= MAX_REMEMBERED_REWRITE
    ) {
      if (last.size >= MAX_REWRITE_KEYS && !last.has(key)) last.clear();
      last.set(key, rewrite);
    }
    return out;
  };
}
