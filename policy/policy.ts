import { AttributeRules } from '../engine/attribute-rules';
import type { AttributeAction, ResolvedAttributeRules } from '../engine/attribute-rules';
import { AttributeRedactor, DROPPED, MASK } from '../engine/attribute-redactor';
import type { RedactorTools } from '../engine/attribute-redactor';
import { GlobList } from '../engine/glob-list';
import { mergeDocuments } from './merge-documents';
import { PrivacyCounters } from '../engine/privacy-counters';
import type { AttributeRulesDocument, PolicyDocument, Signal } from './schema';

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

/** Bound on scope names cached per signal (beyond it a name is matched again, but its rules are never recompiled). */
const MAX_SCOPES = 512;

/** Bound on cached span-name results. */
const MAX_CACHED_SPAN_NAMES = 4096;

function resolveRules(
  block: AttributeRulesDocument | undefined,
  own?: AttributeRulesDocument | undefined,
): ResolvedAttributeRules {
  const rules = {
    allow: block?.allow ?? [],
    hash: block?.hash ?? [],
    encrypt: block?.encrypt ?? [],
    drop: block?.drop ?? [],
    generalize: block?.generalize ?? {},
    default: block?.default ?? 'drop',
  };
  if (own === undefined) return rules;
  // the keys the user's document names literally: decided by the user's rules, not the default policy's
  const named = [...(own.allow ?? []), ...(own.hash ?? []), ...(own.encrypt ?? []), ...(own.drop ?? [])];
  named.push(...Object.keys(own.generalize ?? {}));
  const keys = [...new Set(named.filter((k) => !/[*?[\]{}()!+@]/.test(k)))];
  if (keys.length === 0) return rules;
  return { ...rules, explicit: { keys, rules: { ...resolveRules(own), default: rules.default } } };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Everything compiled from one policy document; swapped as a whole by `Policy.replaceWith`. */
class CompiledPolicy {
  readonly resourceSanitizer: AttributeRedactor;
  readonly signalSanitizers = new Map<Signal, AttributeRedactor>();
  /** Per signal: instrumentation scope name → its sanitizer (bounded). */
  readonly scopeSanitizers = new Map<Signal, Map<string, AttributeRedactor>>();
  /** Per signal and combination of matching `scopes` patterns: the compiled sanitizer (few distinct ones). */
  readonly comboSanitizers = new Map<string, AttributeRedactor>();
  readonly spanNames = new Map<string, string>();
  readonly scopeBlocks: readonly {
    readonly pattern: string;
    readonly glob: GlobList;
    readonly rules: AttributeRulesDocument | undefined;
  }[];

  constructor(
    readonly document: Readonly<PolicyDocument>,
    readonly hash: string,
    readonly tools: RedactorTools,
    /** The user's own document when it extends the default policy (its literally named keys override). */
    readonly own: Readonly<PolicyDocument> | undefined,
  ) {
    this.scopeBlocks = Object.entries(document.scopes ?? {}).map(([pattern, block]) => ({
      pattern,
      glob: new GlobList([pattern]),
      rules: block.attributes,
    }));
    this.resourceSanitizer = new AttributeRedactor(
      new AttributeRules(resolveRules(document.resource, own?.resource), 'resource', tools.transforms),
      tools,
    );
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      const block = mergeDocuments(document.attributes, document[signal]?.attributes);
      const ownBlock = own ? (mergeDocuments(own.attributes, own[signal]?.attributes) ?? {}) : undefined;
      this.signalSanitizers.set(
        signal,
        new AttributeRedactor(new AttributeRules(resolveRules(block, ownBlock), signal, tools.transforms), tools),
      );
    }
  }
}

/**
 * A validated, compiled policy (SPEC §4). Built by `loadPolicy`, `definePolicy` or `defaultPolicy`;
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

  private compiled: CompiledPolicy;
  /** Findings counted under rules this policy applied before a `replaceWith`. */
  private readonly retiredFindings = Object.create(null) as Record<string, number>;
  /** The current rules' findings when this policy adopted them (a replacement may have counted some on its own). */
  private findingsBaseline: Readonly<Record<string, number>> = Object.create(null) as Record<string, number>;
  private readonly listeners = new Set<(policy: Policy) => void>();

  /**
   * @internal Use `loadPolicy`, `definePolicy` or `defaultPolicy`. `own` is the user's document when `document` is
   * it laid over the default policy (`extends: default`).
   */
  constructor(document: PolicyDocument, hash: string, tools: RedactorTools, own?: PolicyDocument) {
    this.compiled = new CompiledPolicy(deepFreeze(document), hash, tools, own ? deepFreeze(own) : undefined);
  }

  /** The policy's `name`, if it has one. */
  get name(): string | undefined {
    return this.compiled.document.name;
  }

  /** Stable content hash; exported as the resource attribute `privacy.policy.hash`. */
  get hash(): string {
    return this.compiled.hash;
  }

  /** The effective document (after `extends`), frozen. */
  get document(): Readonly<PolicyDocument> {
    return this.compiled.document;
  }

  /** The engine for resource attributes. */
  get resourceSanitizer(): AttributeRedactor {
    return this.compiled.resourceSanitizer;
  }

  /**
   * Hot reload: from now on this policy applies the rules of `next` (a freshly loaded policy), for
   * every signal at once. Counters stay with this policy. Settings read once at start-up (trace sampling,
   * rate limits, cardinality limits, export interval) keep their start-up values; listeners
   * registered with `onReplace` are told.
   */
  replaceWith(next: Policy): void {
    if (!(next instanceof Policy))
      throw new TypeError('Policy.replaceWith: expected a Policy (loadPolicy/definePolicy)');
    if (next === this) return;
    const current = this.compiled.tools.findings;
    for (const type in current)
      this.retiredFindings[type] =
        (this.retiredFindings[type] ?? 0) + current[type] - (this.findingsBaseline[type] ?? 0);
    this.compiled = next.compiled;
    this.findingsBaseline = Object.assign(Object.create(null) as Record<string, number>, next.compiled.tools.findings);
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
    const c = this.compiled;
    const base = c.signalSanitizers.get(signal)!;
    if (scopeName === undefined || c.scopeBlocks.length === 0) return base;
    let byName = c.scopeSanitizers.get(signal);
    if (byName === undefined) c.scopeSanitizers.set(signal, (byName = new Map()));
    let s = byName.get(scopeName);
    if (s !== undefined) return s;
    const matching = c.scopeBlocks.filter((b) => b.glob.match(scopeName) !== undefined);
    if (matching.length === 0) s = base;
    else {
      // Compiled once per combination of matching patterns, however many scope names share it.
      const label = `${signal} ${matching.map((m) => m.pattern).join(', ')}`;
      s = c.comboSanitizers.get(label);
      if (s === undefined) {
        let block = mergeDocuments(c.document.attributes, c.document[signal]?.attributes);
        for (const m of matching) block = mergeDocuments(block, m.rules);
        let ownBlock = c.own ? (mergeDocuments(c.own.attributes, c.own[signal]?.attributes) ?? {}) : undefined;
        if (c.own) for (const m of matching) ownBlock = mergeDocuments(ownBlock, c.own.scopes?.[m.pattern]?.attributes);
        s = new AttributeRedactor(
          new AttributeRules(resolveRules(block, ownBlock), label, c.tools.transforms),
          c.tools,
        );
        c.comboSanitizers.set(label, s);
      }
    }
    if (byName.size < MAX_SCOPES) byName.set(scopeName, s);
    return s;
  }

  /**
   * Free text that is not an attribute (span and event names, log bodies) through the value
   * scanner: the text to keep, or `undefined` when `values.action: drop` removes it. Without a
   * `values` block, text is returned as it is.
   */
  scanText(text: string): string | undefined {
    const s = this.compiled.tools.scanner;
    if (s === undefined) return text;
    const out = s(text, '');
    return out === DROPPED ? undefined : out;
  }

  /**
   * A span name through `sanitizers.spanName` (URL/SQL sanitizers) and the value scanner. Names
   * repeat, so results are cached (bounded).
   */
  redactSpanName(name: string): string {
    const c = this.compiled;
    let out = c.spanNames.get(name);
    if (out === undefined) {
      const n = c.tools.spanName ? c.tools.spanName(name) : name;
      out = this.scanText(n) ?? MASK;
      if (c.spanNames.size >= MAX_CACHED_SPAN_NAMES) c.spanNames.clear();
      if (name.length <= 512) c.spanNames.set(name, out);
    }
    return out;
  }

  /** Findings so far by type, over every rule set this policy has applied (see `PrivacyCounters.findings`). */
  private findingTotals(): Record<string, number> {
    const out = Object.create(null) as Record<string, number>;
    for (const type in this.retiredFindings) out[type] = this.retiredFindings[type];
    const current = this.compiled.tools.findings;
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
    const add = (signal: Signal | 'resource', s: AttributeRedactor, scope?: string) => {
      if (seen.has(s)) return;
      seen.add(s);
      for (const d of s.rules.usedRules()) out.push({ signal, scope, action: d.action, rule: d.rule, count: d.count });
    };
    const c = this.compiled;
    add('resource', c.resourceSanitizer);
    for (const [signal, s] of c.signalSanitizers) add(signal, s);
    for (const [signal, byName] of c.scopeSanitizers)
      for (const s of byName.values()) add(signal, s, s.rules.label.slice(signal.length + 1));
    return out;
  }
}
