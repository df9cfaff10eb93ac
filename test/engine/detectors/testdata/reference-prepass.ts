/**
 * The normalization pre-pass as it was before the single-pass pre-filter (`engine/detectors/prefilter.ts`) took
 * its place, kept here as the oracle of `classify`'s normalization flags (`prefilter.test.ts`): a separate loop
 * that returns the digit count (capped at `digitCap`) with `NEEDS_VIEW` or `NEEDS_RUNS`.
 */
import {
  MIN_BASE64_RUN,
  MIN_HEX_RUN,
  MIN_PADDED_BASE64_RUN,
  NEEDS_RUNS,
  NEEDS_VIEW,
  entityAt,
  hexMayDecode,
  isControl,
  isHex,
  looksBase64,
  runMayDecode,
} from '../../../../engine/detectors/normalizer';

/**
 * Character classes of ASCII for the pre-pass: 0 other, 1 lower, 2 upper, 3 digits and `+/-_`, 4 `%` `\\` `&`,
 * 5 control characters the view removes.
 */
const ASCII_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 97; c <= 122; c++) t[c] = 1;
  for (let c = 65; c <= 90; c++) t[c] = 2;
  for (let c = 48; c <= 57; c++) t[c] = 3;
  for (const c of [43, 47, 45, 95]) t[c] = 3;
  for (const c of [37, 92, 38]) t[c] = 4;
  for (let c = 0; c < 128; c++) if (isControl(c)) t[c] = 5;
  return t;
})();

/** ASCII digits in `text` from `from`, added to `digits`, capped at `cap`. */
function countDigits(text: string, from: number, digits: number, cap: number): number {
  for (let i = from; i < text.length && digits < cap; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits < cap ? digits : cap;
}

/**
 * The scanner's single pass over a value: the number of ASCII digits (capped at `digitCap`, the
 * most any detector needs), with `NEEDS_VIEW` set when the value may look different in a normalized
 * view (a non-ASCII code unit, a control character, `%XX`, a backslash escape, an HTML character
 * reference), else `NEEDS_RUNS` when it holds a run that `base64Runs` or `hexRuns` would return and
 * that may decode to text (`runMayDecode`, `hexMayDecode`). Browser user agents (`AppleWebKit/537`) and
 * identifiers with digits (`handleOrders49`) have the letter mix of base64 but do not decode to text, so
 * they set neither. One loop over a class table, no allocation.
 */
export function prepass(text: string, digitCap: number): number {
  const n = text.length;
  let flags = 0;
  let run = 0;
  let upper = 0;
  let runDigits = 0;
  let digits = 0;
  let hex = 0; // length of the current run of hex digits
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97) {
      if (c <= 122) {
        run++;
        if (c <= 102) hex++;
        else if (hex !== 0) {
          if (hex >= MIN_HEX_RUN && flags === 0 && hexMayDecode(text, i - hex, i)) flags = NEEDS_RUNS;
          hex = 0;
        }
        continue;
      }
      if (c > 127) return NEEDS_VIEW | countDigits(text, i + 1, digits, digitCap);
    }
    const k = ASCII_CLASS[c];
    if (k === 5) return NEEDS_VIEW | countDigits(text, i + 1, digits, digitCap);
    if (k === 2) {
      run++;
      upper++;
      if (c <= 70) hex++;
      else if (hex !== 0) {
        if (hex >= MIN_HEX_RUN && flags === 0 && hexMayDecode(text, i - hex, i)) flags = NEEDS_RUNS;
        hex = 0;
      }
      continue;
    }
    if (k === 3) {
      run++;
      if (c <= 57 && c >= 48) {
        runDigits++;
        digits++;
        hex++;
        continue;
      }
    }
    if (hex !== 0) {
      if (hex >= MIN_HEX_RUN && flags === 0 && hexMayDecode(text, i - hex, i)) flags = NEEDS_RUNS;
      hex = 0;
    }
    if (k === 3) continue;
    if (
      flags === 0 &&
      run >= MIN_PADDED_BASE64_RUN &&
      (run >= MIN_BASE64_RUN || c === 61) &&
      looksBase64(run, upper, runDigits, c === 61) &&
      runMayDecode(text, i - run, i)
    )
      flags = NEEDS_RUNS;
    run = 0;
    upper = 0;
    runDigits = 0;
    if (k === 4) {
      let special: boolean;
      if (c === 37) special = i + 2 < n && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2));
      else if (c === 92) special = i + 1 < n;
      else special = entityAt(text, i) !== undefined;
      if (special) return NEEDS_VIEW | countDigits(text, i + 1, digits, digitCap);
    }
  }
  const capped = digits < digitCap ? digits : digitCap;
  if (flags !== 0) return flags | capped;
  if (hex >= MIN_HEX_RUN && hexMayDecode(text, n - hex, n)) return NEEDS_RUNS | capped;
  return run >= MIN_BASE64_RUN && looksBase64(run, upper, runDigits) && runMayDecode(text, n - run, n)
    ? NEEDS_RUNS | capped
    : capped;
}
