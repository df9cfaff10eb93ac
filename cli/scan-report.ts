import type { AttributeAction } from '../engine/attribute-rules';
import type { Attributes } from '@opentelemetry/api';
import type { AttributeRedactor } from '../engine/attribute-redactor';
import type { StatementFamily } from '../engine/sanitizers/statement-sanitizer';
import { createValueScanner } from '../engine/detectors/value-scanner';
import type { DetectorScanner } from '../engine/detectors/value-scanner';
import type { Policy, RuleStat } from '../policy/policy';
import { findingTypes, looksLikeKeyMaterial } from '../engine/crypto/key-material';

/** What happened to one value, as the report counts it. */
export type Outcome = 'kept' | 'dropped' | 'hashed' | 'encrypted' | 'masked' | 'generalized';

/** The pseudo key span names are reported under. */
export const SPAN_NAME_KEY = '(span name)';

/** The pseudo key span event names are reported under. */
export const EVENT_NAME_KEY = '(event name)';

const OUTCOMES: readonly Outcome[] = ['kept', 'dropped', 'hashed', 'encrypted', 'masked', 'generalized'];

/** Where a value was: a signal's attributes, or the resource. */
export type Where = 'traces' | 'metrics' | 'logs' | 'resource';

/** Counts for one attribute key (or pseudo key such as `(span name)` and `log.body`). */
export type KeyTally = { readonly where: Where; readonly key: string } & Record<Outcome, number>;

/** Items read, written and removed whole. */
export interface ItemCounts {
  /** Export requests read (lines, or 1 for a single document). */
  requests: number;
  spans: number;
  metricPoints: number;
  logRecords: number;
  /** Log records not written: below `logs.minSeverity` (as the log processor does). */
  logsBelowMinSeverity: number;
  /** Log records not written: not kept by `logs.sampling.ratio`. */
  logsSampledOut: number;
  /** Items removed whole because sanitizing threw (fail closed, as the processors do). */
  failed: number;
  /** Metrics removed whole because their name had a finding and `values.action` drops such values. */
  metricsDroppedForName: number;
  /** Metric points removed whole because a number was a card or phone number, or their instrument is named for an identifier. */
  metricIdentifierValues: number;
  /** Numbers of metric points written cut to their first six digits because they spelled a card or phone number. */
  metricNumbersCut: number;
  /** Spans, log records, metric points and exemplars not written because their subject opted out (`consent: drop`). */
  consentSuppressed: number;
  /** Links of written spans removed because they pointed into an opted-out subject's trace (`consent: drop`). */
  consentLinksRemoved: number;
}

/** The scan report in `--json` form. */
export interface ScanReportJson {
  readonly policy: { readonly name?: string; readonly hash: string };
  readonly items: ItemCounts;
  readonly totals: Record<Outcome, number>;
  readonly keys: readonly KeyTally[];
  /** Values changed by each value detector (`detector:<name>`) or sanitizer (`sanitizer:url`, `sanitizer:statement`), counted once per value. */
  readonly detectors: Readonly<Record<string, number>>;
  /** The engine's own per-rule counts for this run (`Policy.ruleStats()`). */
  readonly rules: readonly RuleStat[];
}

const ACTION_OUTCOME: Record<Exclude<AttributeAction, 'allow'>, Outcome> = {
  drop: 'dropped',
  hash: 'hashed',
  encrypt: 'encrypted',
  mask: 'masked',
  generalize: 'generalized',
};

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array)
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka)
    if (
      !Object.prototype.hasOwnProperty.call(b, k) ||
      !sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
    )
      return false;
  return true;
}

function stringLeaves(value: unknown, out: string[], depth = 0): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && depth < 32) {
    for (const v of Object.values(value)) stringLeaves(v, out, depth + 1);
  }
}

/**
 * Tallies what the engine did, by comparing each value before and after the policy's own sanitizers ran
 * (it never decides anything itself): the outcome comes from the key's `Decision`, and for kept values
 * that changed, a report-only detector scan names which detectors (or URL/SQL sanitizers) fired.
 */
export class ScanReport {
  readonly items: ItemCounts = {
    requests: 0,
    spans: 0,
    metricPoints: 0,
    logRecords: 0,
    logsBelowMinSeverity: 0,
    logsSampledOut: 0,
    failed: 0,
    metricsDroppedForName: 0,
    metricIdentifierValues: 0,
    metricNumbersCut: 0,
    consentSuppressed: 0,
    consentLinksRemoved: 0,
  };
  private readonly keys = new Map<string, KeyTally>();
  private readonly detectors = new Map<string, number>();
  private readonly scanner: DetectorScanner | undefined;

  constructor(private readonly policy: Policy) {
    const values = policy.compiled.values;
    this.scanner = values
      ? createValueScanner({
          detectors: values.detectors,
          custom: values.custom,
          action: 'mask',
          mask: '{type}',
          maxScanLength: values.maxScanLength,
        })
      : undefined;
  }

  /** Counts one value of `key` under `where`. */
  count(where: Where, key: string, outcome: Outcome): void {
    const id = `${where}\u0000${key}`;
    let t = this.keys.get(id) as Record<Outcome, number> | undefined;
    if (t === undefined) {
      t = { where, key, kept: 0, dropped: 0, hashed: 0, encrypted: 0, masked: 0, generalized: 0 } as KeyTally;
      this.keys.set(id, t as KeyTally);
    }
    t[outcome]++;
  }

  /** Counts a value changed by a detector or sanitizer. */
  private detector(name: string): void {
    this.detectors.set(name, (this.detectors.get(name) ?? 0) + 1);
  }

  /**
   * Names the detectors/sanitizers that changed a kept value (`transform`: the key's URL sanitizer, if
   * any; `statement`: its statement sanitizer, with the family of the system named beside it).
   */
  private attribute(before: unknown, transform: ((v: string) => string) | undefined, name: string): void {
    const strings: string[] = [];
    stringLeaves(before, strings);
    const seen = new Set<string>();
    for (const s of strings) {
      let text = s;
      if (transform !== undefined) {
        text = transform(s);
        if (text !== s) seen.add(name);
      }
      if (this.scanner !== undefined) for (const type of this.scanner.scan(text).types) seen.add(`detector:${type}`);
    }
    for (const name of seen) this.detector(name);
  }

  /**
   * Tallies one attribute map: `before` went into `sanitizer.sanitize` (or the processor) and `after` came
   * out. A key missing from `after` was dropped.
   */
  attributes(
    where: Where,
    sanitizer: AttributeRedactor,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
  ): void {
    let family: StatementFamily | undefined;
    for (const key of Object.keys(before)) {
      const has = Object.prototype.hasOwnProperty.call(after, key);
      if (sanitizer.rules.decide(key).statement !== undefined && family === undefined)
        family = sanitizer.familyOf(before as Attributes);
      this.value(where, key, sanitizer, before[key], has, has ? after[key] : undefined, false, family);
    }
  }

  /** Tallies one value of `key`: `present` false when the engine removed it. `asAllowed`: decided as kept (log bodies without a rule). */
  value(
    where: Where,
    key: string,
    sanitizer: AttributeRedactor,
    before: unknown,
    present: boolean,
    after: unknown,
    asAllowed = false,
    family: StatementFamily = 'unknown',
  ): void {
    const d = sanitizer.rules.decide(key);
    if (d.keyFindings !== undefined) {
      // Never print a key holding a finding: it is tallied under its finding types.
      for (const type of d.keyFindings) this.detector(`detector:${type}`);
      return this.count(where, `(key holding ${d.keyFindings.join(', ')})`, 'dropped');
    }
    if (d.action === 'drop' && !asAllowed) return this.count(where, droppedKeyShown(key, d.rule), 'dropped');
    if (!present) return this.count(where, key, 'dropped');
    if (d.action !== 'allow' && !asAllowed) return this.count(where, key, ACTION_OUTCOME[d.action]);
    if (sameValue(before, after)) return this.count(where, key, 'kept');
    this.count(where, key, 'masked');
    if (d.statement !== undefined && !asAllowed) {
      const statement = d.statement;
      this.attribute(before, (v) => statement(v, family), 'sanitizer:statement');
    } else this.attribute(before, asAllowed ? undefined : d.transform, 'sanitizer:url');
  }

  /**
   * Tallies free text (span and event names): kept, or changed. Detectors that find something in the
   * original are named; a span name changed without a detector finding was changed by the span-name
   * (URL/SQL) sanitizer.
   */
  text(where: Where, key: string, before: string, after: string): void {
    if (before === after) return this.count(where, key, 'kept');
    this.count(where, key, 'masked');
    const types = this.scanner?.scan(before).types ?? [];
    for (const type of types) this.detector(`detector:${type}`);
    if (types.length === 0 && key === SPAN_NAME_KEY) this.detector('sanitizer:span-name');
  }

  /**
   * Tallies one free-text field of the OTLP field inventory (scope name, schema URL, metric name, log event name,
   * …) under the pseudo key `(<field id>)`: kept, masked (changed by the value scanner) or dropped; the detectors
   * that find something in the original are named either way.
   */
  textField(where: Where, key: string, before: string, after: string | undefined): void {
    if (before === after) return this.count(where, key, 'kept');
    this.count(where, key, after === undefined ? 'dropped' : 'masked');
    for (const type of this.scanner?.scan(before).types ?? []) this.detector(`detector:${type}`);
  }

  /** The whole report. */
  toJSON(): ScanReportJson {
    const totals = { kept: 0, dropped: 0, hashed: 0, encrypted: 0, masked: 0, generalized: 0 };
    const keys = [...this.keys.values()].sort((a, b) =>
      a.where === b.where ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.where < b.where ? -1 : 1,
    );
    for (const k of keys) for (const o of OUTCOMES) totals[o] += k[o];
    const detectors = Object.fromEntries(
      [...this.detectors.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    );
    return {
      policy: { name: this.policy.name, hash: this.policy.hash },
      items: { ...this.items },
      totals,
      keys,
      detectors,
      rules: this.policy.ruleStats(),
    };
  }

  /** True when any value detector fired (personal data or secrets found in values the policy keeps). */
  get detectorFindings(): number {
    let n = 0;
    for (const [name, count] of this.detectors) if (name.startsWith('detector:')) n += count;
    return n;
  }

  /** The human-readable report: items, a table per key, detectors. */
  toText(): string {
    const r = this.toJSON();
    const lines: string[] = [];
    const i = r.items;
    lines.push(`policy ${r.policy.name ? `${r.policy.name} ` : ''}(hash ${r.policy.hash})`);
    lines.push(
      `read ${i.requests} export request(s): ${i.spans} span(s), ${i.metricPoints} metric point(s), ${i.logRecords} log record(s)`,
    );
    const removed = [
      i.logsBelowMinSeverity ? `${i.logsBelowMinSeverity} log record(s) below logs.minSeverity` : '',
      i.logsSampledOut ? `${i.logsSampledOut} log record(s) sampled out (logs.sampling.ratio)` : '',
      i.failed ? `${i.failed} item(s) that could not be sanitized (fail closed)` : '',
      i.metricsDroppedForName ? `${i.metricsDroppedForName} metric(s) whose name had a finding` : '',
      i.metricIdentifierValues ? `${i.metricIdentifierValues} metric point(s) whose numbers are identifiers` : '',
      i.consentSuppressed ? `${i.consentSuppressed} item(s) about opted-out subjects (consent)` : '',
      i.consentLinksRemoved ? `${i.consentLinksRemoved} span link(s) into opted-out subjects' traces (consent)` : '',
    ].filter(Boolean);
    if (removed.length > 0) lines.push(`removed whole: ${removed.join(', ')}`);
    if (i.metricNumbersCut)
      lines.push(`cut to six digits: ${i.metricNumbersCut} metric number(s) that spelled a card or phone number`);
    lines.push('');
    const head = ['where', 'key', ...OUTCOMES];
    const rows = r.keys.map((k) => [k.where, k.key, ...OUTCOMES.map((o) => (k[o] === 0 ? '.' : String(k[o])))]);
    rows.push(['total', '', ...OUTCOMES.map((o) => String(r.totals[o]))]);
    const width = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
    const fmt = (row: string[]) =>
      row
        .map((cell, c) => (c < 2 ? cell.padEnd(width[c]!) : cell.padStart(width[c]!)))
        .join('  ')
        .trimEnd();
    lines.push(fmt(head), ...rows.map(fmt));
    lines.push('');
    const det = Object.entries(r.detectors);
    lines.push(
      det.length === 0
        ? 'detectors and sanitizers: nothing found'
        : `detectors and sanitizers (values changed): ${det.map(([n, c]) => `${n} ${c}`).join(', ')}`,
    );
    return `${lines.join('\n')}\n`;
  }
}

/**
 * How the report names a key the rules drop (it never leaves the process, so it is not scanned on the way out and
 * may hold anything): `(key holding email)` when the value scanner finds something in it, `(key holding key
 * material)`, the key itself when a rule names it literally, otherwise the rule that dropped it (`(dropped by
 * default: drop)`), never the raw key.
 */
function droppedKeyShown(key: string, rule: string): string {
  const types = findingTypes(key);
  if (types.length > 0) return `(key holding ${types.join(', ')})`;
  if (looksLikeKeyMaterial(key)) return '(key holding key material)';
  return rule.includes(JSON.stringify(key)) ? key : `(dropped by ${rule})`;
}
