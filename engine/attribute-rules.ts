import { GlobList } from './glob-list';
import { generalizers } from './generalizers';
import type { Generalizer } from './generalizers';
import type { DefaultAction, GeneralizerName } from '../policy/schema';

/** What the engine does with one attribute key. */
export type AttributeAction = 'drop' | 'encrypt' | 'hash' | 'generalize' | 'allow' | 'mask';

/**
 * The decision for a key: one shared object per rule, so the per-value path can count how often each
 * rule fired (`count`) without a map lookup.
 */
export interface Decision {
  /** What happens to the value. */
  readonly action: AttributeAction;
  /** The rule that decided, e.g. `drop "*password*"` or `default: drop`. */
  readonly rule: string;
  /** For `generalize`: the function. */
  readonly generalizer?: Generalizer;
  /** For kept string values: a sanitizer (URL or SQL) applied before value scanning. */
  readonly transform?: (value: string) => string;
  /** How many values this rule has decided so far (self-observability). */
  count: number;
}

/** Attribute rules with every list resolved (after `extends`, per-signal and per-scope merging). */
export interface ResolvedAttributeRules {
  readonly allow: readonly string[];
  readonly hash: readonly string[];
  readonly encrypt: readonly string[];
  readonly drop: readonly string[];
  readonly generalize: Readonly<Record<string, GeneralizerName>>;
  readonly default: DefaultAction;
  /**
   * Layering (`extends: default`): the keys the user's own document names literally (no glob), and the user's own
   * rules. Such a key is decided by the user's rules alone (their order, so `drop` still beats everything in the
   * user's document), never by a default-policy rule.
   */
  readonly explicit?: { readonly keys: readonly string[]; readonly rules: ResolvedAttributeRules };
}

/** The URL and SQL sanitizers and the keys they apply to (`sanitizers.url`, `sanitizers.sql`). */
export interface KeyTransforms {
  readonly url?: { readonly keys: readonly string[]; readonly apply: (value: string) => string };
  readonly sql?: { readonly keys: readonly string[]; readonly apply: (value: string) => string };
}

const DEFAULT_ACTION: Record<DefaultAction, AttributeAction> = { drop: 'drop', mask: 'mask', hash: 'hash' };

/** Bound on cached key decisions per rule set; past it the oldest entries are evicted. */
const MAX_CACHED_DECISIONS = 8192;

/**
 * Compiled attribute rules for one (signal, scope): globs compiled once, the decision for each key
 * computed once and cached (bounded), in the order `drop > encrypt > hash > generalize > allow > default`.
 */
export class AttributeRules {
  private readonly drop: GlobList;
  private readonly encrypt: GlobList;
  private readonly hash: GlobList;
  private readonly generalize: GlobList;
  private readonly allow: GlobList;
  private readonly urlKeys: GlobList | undefined;
  private readonly sqlKeys: GlobList | undefined;
  private readonly decisions = new Map<string, Decision>();
  private readonly byRule = new Map<string, Decision>();
  private readonly defaultDecision: Decision;
  private readonly explicitKeys: ReadonlySet<string> | undefined;
  /** The user's own rules, for the keys the user's document names literally (see `ResolvedAttributeRules.explicit`). */
  readonly explicit: AttributeRules | undefined;

  /**
   * @param spec the resolved rules
   * @param label where these rules apply, e.g. `traces` or `traces @opentelemetry/instrumentation-pg`
   */
  constructor(
    readonly spec: ResolvedAttributeRules,
    readonly label: string,
    private readonly transforms: KeyTransforms = {},
  ) {
    this.urlKeys = transforms.url ? new GlobList(transforms.url.keys) : undefined;
    this.sqlKeys = transforms.sql ? new GlobList(transforms.sql.keys) : undefined;
    this.drop = new GlobList(spec.drop);
    this.encrypt = new GlobList(spec.encrypt);
    this.hash = new GlobList(spec.hash);
    this.generalize = new GlobList(Object.keys(spec.generalize));
    this.allow = new GlobList(spec.allow);
    this.defaultDecision = this.ruleDecision(DEFAULT_ACTION[spec.default], `default: ${spec.default}`);
    if (spec.explicit) {
      this.explicitKeys = new Set(spec.explicit.keys);
      this.explicit = new AttributeRules(spec.explicit.rules, label, transforms);
    }
  }

  /** Whether `key` is decided by the user's own rules (named literally in a document that extends the default). */
  isExplicit(key: string): boolean {
    return this.explicitKeys?.has(key) === true;
  }

  /** The decision for `key` (cached). */
  decide(key: string): Decision {
    let d = this.decisions.get(key);
    if (d === undefined) {
      d = this.computeDecision(key);
      if (this.decisions.size >= MAX_CACHED_DECISIONS)
        this.decisions.delete(this.decisions.keys().next().value as string);
      this.decisions.set(key, d);
    }
    return d;
  }

  /** Every rule that has decided at least one key so far, with its running count. */
  usedRules(): readonly Decision[] {
    return this.explicit ? [...this.byRule.values(), ...this.explicit.usedRules()] : [...this.byRule.values()];
  }

  private computeDecision(key: string): Decision {
    if (this.explicitKeys?.has(key)) return this.explicit!.decide(key);
    let p: string | undefined;
    if ((p = this.drop.match(key)) !== undefined) return this.ruleDecision('drop', `drop ${JSON.stringify(p)}`);
    if ((p = this.encrypt.match(key)) !== undefined)
      return this.ruleDecision('encrypt', `encrypt ${JSON.stringify(p)}`);
    if ((p = this.hash.match(key)) !== undefined) return this.ruleDecision('hash', `hash ${JSON.stringify(p)}`);
    if ((p = this.generalize.match(key)) !== undefined) {
      const name = this.spec.generalize[p];
      return this.ruleDecision('generalize', `generalize ${JSON.stringify(p)}: ${name}`, generalizers[name]);
    }
    if ((p = this.allow.match(key)) !== undefined) {
      const rule = `allow ${JSON.stringify(p)}`;
      if (this.urlKeys?.match(key) !== undefined)
        return this.ruleDecision('allow', `${rule} + url sanitizer`, undefined, this.transforms.url!.apply);
      if (this.sqlKeys?.match(key) !== undefined)
        return this.ruleDecision('allow', `${rule} + sql sanitizer`, undefined, this.transforms.sql!.apply);
      return this.ruleDecision('allow', rule);
    }
    return this.defaultDecision;
  }

  /** Whether no rule names `key`, so the `default` action decides it (e.g. a log body no rule mentions). */
  isUnnamed(key: string): boolean {
    return this.decide(key) === this.defaultDecision;
  }

  private ruleDecision(
    action: AttributeAction,
    rule: string,
    generalizer?: Generalizer,
    transform?: (value: string) => string,
  ): Decision {
    let d = this.byRule.get(rule);
    if (d === undefined) {
      d = { action, rule, generalizer, transform, count: 0 };
      this.byRule.set(rule, d);
    }
    return d;
  }
}
