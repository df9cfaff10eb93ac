import { GlobList, isGlob } from './glob-list';
import { KeyMeaningPatterns, keyByMeaning } from './key-meaning';
import type { AttributeAction } from './vocabulary';
import { printOnlySummary } from './inspect-summary';
import { generalizers } from './generalizers';
import type { Generalizer } from './generalizers';
import type { DefaultAction, GeneralizerName } from '../policy/schema';
import { sanitizeStatementSpanName } from './sanitizers/statement-sanitizer';
import type { StatementFamily } from './sanitizers/statement-sanitizer';

export type { AttributeAction };

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
  /** For kept string values: a sanitizer (URL) applied before value scanning. */
  readonly transform?: (value: string) => string;
  /**
   * For kept statements (`db.query.text`, `db.statement`): the statement sanitizer, given the family
   * of the database system named by the same attribute map (`db.system.name`/`db.system`).
   */
  readonly statement?: (value: string, family: StatementFamily) => string;
  /**
   * Set when the key itself holds a finding (an e-mail address, a card number, …): the distinct
   * types found. Such a key is dropped with its value, whatever the rules say, and every
   * occurrence counts one finding per type.
   */
  readonly keyFindings: readonly string[] | undefined;
  /** For `allow`: the key is named literally (no glob), which `values.bytes: keep` requires. */
  readonly literalAllow: boolean;
  /** For `encrypt`: the deterministic mode (equal values give equal tokens). */
  readonly deterministic?: boolean;
  /** How many values this rule has decided so far (self-observability). */
  count: number;
}

/**
 * Scans an attribute key with the value detectors: the types of its findings (one entry per
 * finding), or `undefined` when it is clean. Must not count (the engine counts every occurrence).
 */
export type KeyScanner = (key: string) => readonly string[] | undefined;

/** Attribute rules with every list resolved (after `extends`, per-signal and per-scope merging). */
export interface ResolvedAttributeRules {
  readonly allow: readonly string[];
  readonly hash: readonly string[];
  readonly encrypt: readonly string[];
  /** The `encrypt` globs in the deterministic mode (`{ key, deterministic: true }`); the others are random. */
  readonly deterministic?: readonly string[];
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

/** The URL and statement sanitizers and the keys they apply to (`sanitizers.url`, `sanitizers.statements`). */
export interface KeyTransforms {
  readonly url?: { readonly keys: readonly string[]; readonly apply: (value: string) => string };
  readonly statement?: {
    readonly keys: readonly string[];
    readonly apply: (value: string, family: StatementFamily) => string;
  };
}

/**
 * A query summary of a command family (Redis/Valkey, memcached) that starts with a command and its arguments (`AUTH
 * default pw`, `CONFIG SET requirepass pw`): read by that family's rules first (`AUTH ? ?`), as its span name is; the
 * SQL reading after it keeps bare words.
 */
function commandSummary(summary: string, family: StatementFamily): string {
  return family === 'redis' || family === 'memcached'
    ? (sanitizeStatementSpanName(summary, family) ?? summary)
    : summary;
}

/** Statement keys holding a query summary rather than a statement (read as SQL in every system). */
const SUMMARY_KEYS: ReadonlySet<string> = new Set(['db.query.summary']);

const DEFAULT_ACTION: Record<DefaultAction, AttributeAction> = { drop: 'drop', mask: 'mask', hash: 'hash' };

export { keyByMeaning };

/** Bound on cached key decisions per rule set; past it the oldest entries are evicted. */
const MAX_CACHED_DECISIONS = 8192;

/**
 * Compiled attribute rules for one (signal, scope): globs compiled once, the decision for each key
 * computed once and cached (bounded), in the order `drop > encrypt > hash > generalize > allow > default`.
 * `drop` patterns also match under any case and naming style (`*password*` drops `server.Password`,
 * `code.dbPassword`, `db-password`, `app.pass.word`; `*.pin.*` drops `app.pin` and `userPin`; see `KeyMeaningPatterns`).
 */
export class AttributeRules {
  private readonly drop: GlobList;
  /** `drop` patterns matched by meaning (any case, naming style, across dots, look-alike letters; whole words). */
  private readonly dropByMeaning: KeyMeaningPatterns;
  private readonly encrypt: GlobList;
  private readonly deterministic: ReadonlySet<string>;
  private readonly hash: GlobList;
  private readonly generalize: GlobList;
  private readonly allow: GlobList;
  private readonly urlKeys: GlobList | undefined;
  private readonly statementKeys: GlobList | undefined;
  private readonly decisions = new Map<string, Decision>();
  private readonly byRule = new Map<string, Decision>();
  private readonly defaultDecision: Decision;
  private readonly explicitKeys: ReadonlySet<string> | undefined;
  /** The user's own rules, for the keys the user's document names literally (see `ResolvedAttributeRules.explicit`). */
  readonly explicit: AttributeRules | undefined;

  /**
   * @param transforms the URL and SQL sanitizers
   * @param keyScanner when given, every key the rules would keep is scanned once (on its first
   *   decision, then cached with it); a key with a finding gets a `drop` decision with `keyFindings`
   */
  constructor(
    readonly spec: ResolvedAttributeRules,
    readonly label: string,
    private readonly transforms: KeyTransforms = {},
    private readonly keyScanner?: KeyScanner,
  ) {
    this.urlKeys = transforms.url ? new GlobList(transforms.url.keys) : undefined;
    this.statementKeys = transforms.statement ? new GlobList(transforms.statement.keys) : undefined;
    this.drop = new GlobList(spec.drop);
    this.dropByMeaning = new KeyMeaningPatterns(spec.drop);
    this.encrypt = new GlobList(spec.encrypt);
    this.deterministic = new Set(spec.deterministic);
    this.hash = new GlobList(spec.hash);
    this.generalize = new GlobList(Object.keys(spec.generalize));
    this.allow = new GlobList(spec.allow);
    this.defaultDecision = this.ruleDecision(DEFAULT_ACTION[spec.default], `default: ${spec.default}`);
    if (spec.explicit) {
      this.explicitKeys = new Set(spec.explicit.keys);
      this.explicit = new AttributeRules(spec.explicit.rules, label, transforms, keyScanner);
    }
  }

  /** Whether `key` is decided by the user's own rules (named literally in a document that extends the default). */
  isExplicit(key: string): boolean {
    return this.explicitKeys?.has(key) === true;
  }

  /**
   * The decision for `key` (cached: a repeated key costs one `Map.get`). A key the rules keep is
   * scanned by the value detectors on its first decision; with a finding it is dropped.
   */
  decide(key: string): Decision {
    let d = this.decisions.get(key);
    if (d === undefined) {
      d = this.computeDecision(key);
      if (d.action !== 'drop' && this.keyScanner !== undefined) {
        const types = this.keyScanner(key);
        if (types !== undefined) d = this.keyFindingDecision(types);
      }
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
    // Decided once per key (cached): the drop patterns under any case or naming style.
    if ((p = this.dropByMeaning.match(key)) !== undefined)
      return this.ruleDecision('drop', `drop ${JSON.stringify(p)}`);
    if ((p = this.encrypt.match(key)) !== undefined)
      return this.deterministic.has(p)
        ? this.ruleDecision(
            'encrypt',
            `encrypt ${JSON.stringify(p)} (deterministic)`,
            undefined,
            undefined,
            undefined,
            false,
            true,
          )
        : this.ruleDecision('encrypt', `encrypt ${JSON.stringify(p)}`);
    if ((p = this.hash.match(key)) !== undefined) return this.ruleDecision('hash', `hash ${JSON.stringify(p)}`);
    if ((p = this.generalize.match(key)) !== undefined) {
      const name = this.spec.generalize[p];
      return this.ruleDecision('generalize', `generalize ${JSON.stringify(p)}: ${name}`, generalizers[name]);
    }
    if ((p = this.allow.match(key)) !== undefined) {
      const rule = `allow ${JSON.stringify(p)}`;
      if (this.urlKeys?.match(key) !== undefined)
        return this.ruleDecision('allow', `${rule} + url sanitizer`, undefined, this.transforms.url!.apply);
      if (this.statementKeys?.match(key) !== undefined) {
        // A query summary (`SELECT orders`, `find orders`) is operation and target words in every system: read it as
        // SQL with `"…"` a string (bare words kept, every quoted and numeric literal replaced), whatever db.system
        // says, so a document or quoted value copied in (`find {"uid":"jane-0001"}`) is masked, not kept as a
        // PostgreSQL identifier.
        const apply = this.transforms.statement!.apply;
        return this.ruleDecision(
          'allow',
          `${rule} + statement sanitizer`,
          undefined,
          undefined,
          SUMMARY_KEYS.has(key)
            ? (v: string, family: StatementFamily) => apply(commandSummary(v, family), 'mysql')
            : apply,
        );
      }
      return this.ruleDecision('allow', rule, undefined, undefined, undefined, !isGlob(p));
    }
    return this.defaultDecision;
  }

  /** The shared `drop` decision for keys holding findings of `types` (rule `drop key holding email`). */
  private keyFindingDecision(types: readonly string[]): Decision {
    const distinct = [...new Set(types)];
    const rule = `drop key holding ${distinct.join(', ')}`;
    let d = this.byRule.get(rule);
    if (d === undefined) {
      d = {
        action: 'drop',
        rule,
        generalizer: undefined,
        transform: undefined,
        keyFindings: distinct,
        literalAllow: false,
        count: 0,
      };
      this.byRule.set(rule, d);
    }
    return d;
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
    statement?: (value: string, family: StatementFamily) => string,
    literalAllow = false,
    deterministic = false,
  ): Decision {
    let d = this.byRule.get(rule);
    if (d === undefined) {
      d = {
        action,
        rule,
        generalizer,
        transform,
        statement,
        keyFindings: undefined,
        literalAllow,
        deterministic,
        count: 0,
      };
      this.byRule.set(rule, d);
    }
    return d;
  }
}

// Its decision cache holds raw keys (also keys holding findings): prints only where it applies.
printOnlySummary(AttributeRules.prototype, 'AttributeRules', (r) => ({ label: r.label }));
