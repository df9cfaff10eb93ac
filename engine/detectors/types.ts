/** One detection: the half-open range `[start, end)` of the text that must not be exported. */
export interface Finding {
  /** Index of the first character of the match. */
  start: number;
  /** Index one past the last character of the match. */
  end: number;
  /** The detector (or custom pattern) name, written into the mask as `{type}`. */
  type: string;
}

/**
 * A value detector. Implementations are pure and run in time linear in the text: they anchor on
 * cheap literals (`@`, `eyJ`, digits, …) and inspect a bounded window around each anchor.
 */
export interface Detector {
  /** The name written into findings and masks. */
  readonly name: string;
  /**
   * A cheap necessary condition: `false` means the text certainly holds no match, so `find` is
   * skipped. Must be much cheaper than `find` (typically one native regex or `indexOf` scan).
   */
  readonly mayMatch: (text: string) => boolean;
  /**
   * A regex every text with a match also matches (a superset of `mayMatch`, case-insensitively). The
   * scanner's single pass (`classify` in `prefilter.ts`) encodes a necessary condition of each built-in
   * detector's trigger as a candidate bit, so a change here needs the same change there (the pre-filter's
   * property test compares against every detector's `mayMatch`). Must run in linear time (bounded quantifiers only).
   */
  readonly trigger: RegExp;
  /**
   * Fewest ASCII digits any match contains. The scanner's single pass counts digits and the scanner skips
   * detectors whose minimum is not reached, before calling `mayMatch`.
   */
  readonly minDigits?: number;
  /** Appends every match in `text` to `out`, in ascending order of `start`. */
  readonly find: (text: string, out: Finding[]) => void;
}
