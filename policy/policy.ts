import { privacyDiag } from '../engine/diagnostic-text';
import type { Attributes } from '@opentelemetry/api';
import type { AttributeAction } from '../engine/attribute-rules';
import type { AttributeRedactor, RedactorTools } from '../engine/attribute-redactor';
import type { BaggageFilter } from '../engine/baggage-filter';
import { PrivacyCounters } from '../engine/privacy-counters';
import type { TraceStateFilter } from '../engine/trace-state';
import { CompiledPolicy } from './compiled-policy';
import type { PolicyDocument, Signal } from './schema';
import { printOnlySummary } from '../engine/inspect-summary';
import { canonicalString } from '../engine/canonical-value';
import { LeakAlarm } from '../engine/leak-alarm';
import { deepFreeze } from '../engine/deep-freeze';

/** How often one rule decided a value, for self-observability and reports. */
export interface RuleStat {
  /** `traces`, `metrics`, `logs` or `resource`. */
  readonly signal: Signal | 'resource';
  /** The instrumentation scope pattern(s) whose block applied, if any. */
  readonly scope?: string;
  /** What the rule does. */
  readonly action: AttributeAction;
  /** The rule, e.g. `hash "user.id"`. */
  readonly rule: string;
  /** Values decided by it so far. */
  readonly count: number;
}

/**
 * A validated, compiled policy. Built by `loadPolicy`, `definePolicy` or `defaultPolicy`;
 * shared by every processor, view and exporter. Rule sets are compiled once per (signal,
 * instrumentation scope) and cached.
 *
 * The compiled rules are immutable; `replaceWith` (hot reload) swaps them as a whole, in one
 * assignment, so every signal moves to the new rules at once and no item sees a mix of both.
 * Processors therefore look rules up from the policy per item and never keep a sanitizer.
 */
export class Policy {
  /** Whole items dropped by fail-closed handling and detector findings, shared by every processor using this policy (kept across reloads). */
  readonly counters = new PrivacyCounters(() => this.findingTotals());

  private current: CompiledPolicy;
  /** Findings counted under rules this policy applied before a `replaceWith`. */
  private readonly retiredFindings = Object.create(null) as Record<string, number>;
  /** The current rules' findings when this policy adopted them (a replacement may have counted some on its own). */
  private findingsBaseline: Readonly<Record<string, number>> = Object.create(null) as Record<string, number>;
  private readonly listeners = new Set<(policy: Policy) => void>();
  /** The leak alarm (`alarms.leak`), kept across reloads once a policy had one. */
  private leak: LeakAlarm | undefined;
  private leakWarn: ((line: string) => void) | undefined;

  /**
   * @internal Use `loadPolicy`, `definePolicy` or `defaultPolicy`. `own` is the user's document when `document` is
   * it laid over the default policy (`extends: default`).
   */
  constructor(document: PolicyDocument, hash: string, tools: RedactorTools, own?: PolicyDocument) {
    this.current = new CompiledPolicy(deepFreeze(document), hash, tools, own ? deepFreeze(own) : undefined);
    this.adoptLeakAlarm();
  }

  /**
   * The leak alarm (`alarms.leak`): what it tracks and the alarms it raised (`otel_privacy.leak_suspected`);
   * undefined while no policy this one applied had `alarms.leak`.
   */
  get leakAlarm(): LeakAlarm | undefined {
    return this.leak;
  }

  /**
   * Where leak alarms print their WARN line (default `diag.warn`; the register hook writes them to stderr). Applies
   * to the alarm from now on, also after reloads.
   */
  onLeakWarning(warn: (line: string) => void): void {
    this.leakWarn = warn;
  }

  /** Connects the compiled policy in effect to the leak alarm (created on first need, reconfigured after). */
  private adoptLeakAlarm(): void {
    const settings = this.current.leakAlarm;
    const log = this.current.tools.findingLog;
    if (settings === undefined || log === undefined) return;
    const groupLogs = (this.current.userGroups?.groupPolicies() ?? []).map((g) => g.tools.findingLog);
    if (this.leak === undefined)
      this.leak = new LeakAlarm(settings, (line) =>
        this.leakWarn ? this.leakWarn(line) : privacyDiag.warn(`otel-privacy: ${line}`),
      );
    else this.leak.configure(settings);
    const leak = this.leak;
    log.sink = (signal, key, type) => leak.record(signal, key, type);
    // items of user groups are scanned by their group's tools: their findings alarm too
    for (const g of groupLogs) if (g !== undefined) g.sink = log.sink;
  }

  /**
   * @internal The compiled policy in effect: every setting, compiled once. Processors read it per item (one
   * property read) and keep nothing derived from it across items without checking its `generation`, so a
   * hot reload applies from the next item.
   */
  get compiled(): CompiledPolicy {
    return this.current;
  }

  /** @internal The generation of the compiled policy in effect (changes with every `replaceWith`). */
  get generation(): number {
    return this.current.generation;
  }

  /** The policy's `name`, if it has one. */
  get name(): string | undefined {
    return this.current.name;
  }

  /** Stable content hash; exported as the resource attribute `privacy.policy.hash`. */
  get hash(): string {
    return this.current.hash;
  }

  /**
   * The effective document (after `extends`), frozen, as loaded: for display and tests. The library itself reads
   * the compiled settings (`compiled`), never this.
   */
  get document(): Readonly<PolicyDocument> {
    return this.current.document;
  }

  /** The engine for resource attributes. */
  get resourceSanitizer(): AttributeRedactor {
    return this.current.resourceSanitizer;
  }

  /**
   * The tracestate filter (`traces.traceState`, default: only `ot`), for exported spans and links and for
   * propagated `tracestate` headers. Look it up per use: a hot reload replaces it.
   */
  get traceStateFilter(): TraceStateFilter {
    return this.current.traceState;
  }

  /**
   * The baggage filter (`propagation.baggage`, default: every entry dropped), for propagated `baggage` headers and
   * extracted contexts. Look it up per use: a hot reload replaces it.
   */
  get baggageFilter(): BaggageFilter {
    return this.current.baggage;
  }

  /**
   * Hot reload: from now on this policy applies the rules of `next` (a freshly loaded policy), for
   * every signal at once, in one assignment of the compiled policy. Counters stay with this policy. Every
   * setting follows, except those the SDK fixes when a provider or reader is built (cardinality limits, export
   * interval) and the instrumentation options from `privacyInstrumentationConfig`; listeners registered with
   * `onReplace` are told.
   */
  replaceWith(next: Policy): void {
    if (!(next instanceof Policy))
      throw new TypeError('Policy.replaceWith: expected a Policy (loadPolicy/definePolicy)');
    if (next === this) return;
    const current = findingsOf(this.current);
    for (const type in current)
      this.retiredFindings[type] =
        (this.retiredFindings[type] ?? 0) + current[type] - (this.findingsBaseline[type] ?? 0);
    this.current = next.current;
    this.adoptLeakAlarm();
    this.findingsBaseline = Object.assign(Object.create(null) as Record<string, number>, findingsOf(next.current));
    for (const listener of this.listeners) {
      try {
        listener(this);
      } catch {
        // a listener's failure must not undo or block the swap
      }
    }
  }

  /** Calls `listener` after every `replaceWith`; returns a function that unregisters it. */
  onReplace(listener: (policy: Policy) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The engine for attributes of `signal` emitted under the instrumentation scope `scopeName`:
   * the top-level `attributes`, then the signal's block, then every matching `scopes` block.
   */
  sanitizer(signal: Signal, scopeName?: string): AttributeRedactor {
    return this.current.sanitizer(signal, scopeName);
  }

  /**
   * Subject lookup across key eras: the pseudonym `value` gets under every `keys.hmac` key of the ring, the active
   * key's first (e.g. `["k2:…", "k1:…"]`), so records written before a rotation can still be found (access and
   * erasure requests). Empty when the policy has no HMAC key. The value is canonicalized as `hash` rules do.
   */
  pseudonymsOf(value: unknown): string[] {
    const tools = this.current.tools;
    const ring = tools.pseudonymRing ?? (tools.pseudonymizer ? [tools.pseudonymizer] : []);
    const text = canonicalString(value);
    return ring.map((p) => p.pseudonym(text));
  }

  /**
   * Free text that is not an attribute (span and event names, log bodies) through the value
   * scanner: the text to keep, or `undefined` when `values.action: drop` removes it. Without a
   * `values` block, text is returned as it is.
   */
  scanText(text: string): string | undefined {
    return this.current.scanText(text);
  }

  /**
   * A span name through `sanitizers.spanName` (URL/SQL sanitizers) and the value scanner. Names
   * repeat, so results are cached (bounded).
   *
   * @param attributes the span's attributes: when they name a database system (`db.system.name`,
   *   `db.system`) and `sanitizers.spanName` is on, a name carrying a statement (`SET user:4711 jane`,
   *   `find {"email": …}`) goes through that system's statement sanitizer
   */
  redactSpanName(name: string, attributes?: Attributes): string {
    return this.current.redactSpanName(name, attributes);
  }

  /** Findings so far by type, over every rule set this policy has applied (see `PrivacyCounters.findings`). */
  private findingTotals(): Record<string, number> {
    const out = Object.create(null) as Record<string, number>;
    for (const type in this.retiredFindings) out[type] = this.retiredFindings[type];
    const current = findingsOf(this.current);
    for (const type in current) {
      const n = current[type] - (this.findingsBaseline[type] ?? 0);
      if (n > 0) out[type] = (out[type] ?? 0) + n;
    }
    return out;
  }

  /** Per-rule counts of every value decided so far, over all signals and scopes. */
  ruleStats(): RuleStat[] {
    const out: RuleStat[] = [];
    const seen = new Set<AttributeRedactor>();
    // the user groups' rule sets too (`userGroups`): their items are decided there
    for (const compiled of [this.current, ...(this.current.userGroups?.groupPolicies() ?? [])])
      for (const { signal, sanitizer, scope } of compiled.ruleSets()) {
        if (seen.has(sanitizer)) continue;
        seen.add(sanitizer);
        for (const d of sanitizer.rules.usedRules())
          out.push({ signal, scope, action: d.action, rule: d.rule, count: d.count });
      }
    return out;
  }
}

/**
 * The findings counted by a compiled policy's value scanners, by type: its own and its user groups' (whose items are
 * scanned by their group's tools). Undefined without a scanner.
 */
function findingsOf(compiled: CompiledPolicy): Record<string, number> | undefined {
  const own = compiled.tools.findings;
  const groups = compiled.userGroups?.groupPolicies();
  if (groups === undefined || groups.length === 0) return own;
  const out = Object.assign(Object.create(null) as Record<string, number>, own);
  for (const g of groups) {
    const f = g.tools.findings;
    if (f !== undefined && f !== own) for (const type in f) out[type] = (out[type] ?? 0) + f[type]!;
  }
  return out;
}

// Key material, raw-value caches (pseudonyms, span names, clean outputs) and raw keys live below
// these two: a print shows only the name and content hash.
printOnlySummary(CompiledPolicy.prototype, 'CompiledPolicy', (c) => ({ name: c.document.name, hash: c.hash }));
printOnlySummary(Policy.prototype, 'Policy', (p) => ({ name: p.name, hash: p.hash }));
