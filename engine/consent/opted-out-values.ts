import type { Attributes } from '@opentelemetry/api';
import { printOnlySummary } from '../inspect-summary';
import { MAX_SUBJECT_VALUES, SubjectMask } from './subject-mask';

/** Most values held (the most recently found first kept); older ones are forgotten. */
export const MAX_OPTED_OUT_VALUES = 1024;

/**
 * The identifier values found to belong to opted-out subjects in this process (raw ids and pseudonyms the opt-out
 * set matched, from attributes, `withConsentSubject`, baggage), at most `MAX_OPTED_OUT_VALUES`, the oldest forgotten
 * first. Metric points reach `PrivacyMetricExporter` without the context they were recorded in (always so without
 * `privacyViews`): a point whose attribute text holds one of these values is about that subject. Values are numbered
 * as they come, so an attribute set checked before is only checked again against the values added since.
 */
export class OptedOutValues {
  /** value → its number (1-based, increasing). */
  private readonly numbers = new Map<string, number>();
  private added = 0;
  /** Masks of the groups of `MAX_SUBJECT_VALUES` values by number (group `g`: numbers `16g + 1` … `16g + 16`). */
  private readonly groups = new Map<number, SubjectMask>();

  /** The number of the value added last (0 when none): what an attribute set was checked up to. */
  get version(): number {
    return this.added;
  }

  /** Notes `value` (a string, ignored when empty or known). */
  note(value: string): void {
    if (value === '' || this.numbers.has(value)) return;
    this.numbers.set(value, ++this.added);
    this.groups.delete(group(this.added));
    if (this.numbers.size > MAX_OPTED_OUT_VALUES) {
      const [oldest, n] = this.numbers.entries().next().value as [string, number];
      this.numbers.delete(oldest);
      this.groups.delete(group(n));
    }
  }

  /**
   * The mask of the values numbered after `since` (still held) of which one occurs in a key or value of
   * `attributes` (as written, percent-encoded, in the normalized view: `SubjectMask`), or `undefined`.
   */
  match(attributes: Attributes, since: number): SubjectMask | undefined {
    if (since >= this.added) return undefined;
    const oldest = this.added - this.numbers.size + 1;
    for (let g = group(Math.max(since + 1, oldest)); g <= group(this.added); g++) {
      const mask = this.mask(g);
      if (mask !== undefined && mask.attributes(attributes) !== attributes) return mask;
    }
    return undefined;
  }

  private mask(g: number): SubjectMask | undefined {
    let m = this.groups.get(g);
    if (m !== undefined) return m;
    const lo = g * MAX_SUBJECT_VALUES + 1;
    const values: string[] = [];
    // numbers are given in insertion order: the group's values are a run of the map
    for (const [v, n] of this.numbers) if (n >= lo && n < lo + MAX_SUBJECT_VALUES) values.push(v);
    m = SubjectMask.of(values);
    if (m !== undefined) this.groups.set(g, m);
    return m;
  }
}

function group(n: number): number {
  return Math.floor((n - 1) / MAX_SUBJECT_VALUES);
}

// Holds raw identifiers of opted-out subjects: a print shows only how many.
printOnlySummary(OptedOutValues.prototype, 'OptedOutValues', (v) => ({ version: v.version }));
