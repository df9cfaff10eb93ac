import { AttributeRules } from './attribute-rules';
import type { AttributeAction, ResolvedAttributeRules } from './attribute-rules';
import { AttributeSanitizer, DROPPED, MASK } from './attribute-sanitizer';
import type { SanitizerTools } from './attribute-sanitizer';
import { GlobList } from './glob-list';
import { mergeDocuments } from './merge-documents';
import { PrivacyCounters } from './privacy-counters';
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

/** Bound on distinct instrumentation scope names given their own rule set. */
const MAX_SCOPES = 512;

/** Bound on cached span-name results. */
const MAX_CACHED_SPAN_NAMES = 4096;

function resolveRules(block: AttributeRulesDocument | undefined): ResolvedAttributeRules {
  return {
    allow: block?.allow ?? [],
    hash: block?.hash ?? [],
    encrypt: block?.encrypt ?? [],
    drop: block?.drop ?? [],
    generalize: block?.generalize ?? {},
    default: block?.default ?? 'drop',
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A validated, compiled, immutable policy (SPEC §4). Built by `loadPolicy`, `definePolicy` or
 * `defaultPolicy`; shared by every processor, view and exporter. Rule sets are compiled once per
 * (signal, instrumentation scope) and cached.
 */
export class Policy {
  /** The policy's `name`, if it has one. */
  readonly name: string | undefined;
  /** Stable content hash; exported as the resource attribute `privacy.policy.hash`. */
  readonly hash: string;
  /** The effective document (after `extends`), frozen. */
  readonly document: Readonly<PolicyDocument>;
  /** Whole items dropped by fail-closed handling, shared by every processor using this policy. */
  readonly counters = new PrivacyCounters();
  /** The engine for resource attributes. */
  readonly resourceSanitizer: AttributeSanitizer;

  private readonly tools: SanitizerTools;
  private readonly signalSanitizers = new Map<Signal, AttributeSanitizer>();
  private readonly scopeSanitizers = new Map<string, AttributeSanitizer>();
  private readonly spanNames = new Map<string, string>();
  private readonly scopeBlocks: readonly { readonly pattern: string; readonly glob: GlobList; readonly rules: AttributeRulesDocument | undefined }[];

  /** @internal Use `loadPolicy`, `definePolicy` or `defaultPolicy`. */
  constructor(document: PolicyDocument, hash: string, tools: SanitizerTools) {
    this.document = deepFreeze(document);
    this.name = document.name;
    this.hash = hash;
    this.tools = tools;
    this.scopeBlocks = Object.entries(document.scopes ?? {}).map(([pattern, block]) => ({
      pattern,
      glob: new GlobList([pattern]),
      rules: block.attributes,
    }));
    this.resourceSanitizer = new AttributeSanitizer(new AttributeRules(resolveRules(document.resource), 'resource', tools.transforms), tools);
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      const block = mergeDocuments(document.attributes, document[signal]?.attributes);
      this.signalSanitizers.set(signal, new AttributeSanitizer(new AttributeRules(resolveRules(block), signal, tools.transforms), tools));
    }
  }

  /**
   * The engine for attributes of `signal` emitted under the instrumentation scope `scopeName`:
   * the top-level `attributes`, then the signal's block, then every matching `scopes` block.
   */
  sanitizer(signal: Signal, scopeName?: string): AttributeSanitizer {
    const base = this.signalSanitizers.get(signal)!;
    if (scopeName === undefined || this.scopeBlocks.length === 0) return base;
    const cacheKey = `${signal}\u0000${scopeName}`;
    let s = this.scopeSanitizers.get(cacheKey);
    if (s !== undefined) return s;
    const matching = this.scopeBlocks.filter((b) => b.glob.match(scopeName) !== undefined);
    if (matching.length === 0) s = base;
    else {
      let block = mergeDocuments(this.document.attributes, this.document[signal]?.attributes);
      for (const m of matching) block = mergeDocuments(block, m.rules);
      const label = `${signal} ${matching.map((m) => m.pattern).join(', ')}`;
      s = new AttributeSanitizer(new AttributeRules(resolveRules(block), label, this.tools.transforms), this.tools);
    }
    if (this.scopeSanitizers.size < MAX_SCOPES) this.scopeSanitizers.set(cacheKey, s);
    return s;
  }

  /**
   * Free text that is not an attribute (span and event names, log bodies) through the value
   * scanner: the text to keep, or `undefined` when `values.action: drop` removes it. Without a
   * `values` block, text is returned as it is.
   */
  scanText(text: string): string | undefined {
    const s = this.tools.scanner;
    if (s === undefined) return text;
    const out = s(text, '');
    return out === DROPPED ? undefined : out;
  }

  /**
   * A span name through `sanitizers.spanName` (URL/SQL sanitizers) and the value scanner. Names
   * repeat, so results are cached (bounded).
   */
  sanitizeSpanName(name: string): string {
    let out = this.spanNames.get(name);
    if (out === undefined) {
      const n = this.tools.spanName ? this.tools.spanName(name) : name;
      out = this.scanText(n) ?? MASK;
      if (this.spanNames.size >= MAX_CACHED_SPAN_NAMES) this.spanNames.clear();
      if (name.length <= 512) this.spanNames.set(name, out);
    }
    return out;
  }

  /** Per-rule counts of every value decided so far, over all signals and scopes. */
  ruleStats(): RuleStat[] {
    const out: RuleStat[] = [];
    const seen = new Set<AttributeSanitizer>();
    const add = (signal: Signal | 'resource', s: AttributeSanitizer, scope?: string) => {
      if (seen.has(s)) return;
      seen.add(s);
      for (const d of s.rules.usedRules()) out.push({ signal, scope, action: d.action, rule: d.rule, count: d.count });
    };
    add('resource', this.resourceSanitizer);
    for (const [signal, s] of this.signalSanitizers) add(signal, s);
    for (const [key, s] of this.scopeSanitizers) {
      const [signal] = key.split('\u0000') as [Signal];
      add(signal, s, s.rules.label.slice(signal.length + 1));
    }
    return out;
  }
}
