import type { Attributes } from '@opentelemetry/api';
import type { AttributeAction } from './attribute-rules';
import type { AttributeRedactor } from './attribute-redactor';
import { GlobList } from './glob-list';

/** The attribute written on items by the retention rules (`retention`). */
export const RETENTION_ATTRIBUTE = 'privacy.retention';

/** The classes of keys a retention rule can ask about: the action the policy decided for them. */
export type CarriedKeyClass = Exclude<AttributeAction, 'drop'>;

/** One compiled retention rule (`retention.rules[i]`). */
export interface RetentionRuleSettings {
  /** The class written (`privacy.retention`). */
  readonly class: string;
  /** Signals it applies to (all when empty). */
  readonly signals: readonly ('traces' | 'logs')[];
  /** Instrumentation scope name patterns it applies to (all when empty). */
  readonly scopes: readonly string[];
  /** The item must carry at least one attribute decided with one of these actions (any item when empty). */
  readonly carries: readonly CarriedKeyClass[];
}

/** Bound on scope names whose matching rules are remembered per signal. */
const MAX_SCOPES = 512;

/**
 * The retention rules of a policy, compiled once: the first rule whose signal, scope and carried key classes match an
 * item gives its `privacy.retention` class, else the default class (if any). Scope patterns are matched once per scope
 * name (bounded cache); the carried classes are read from the decisions the engine already caches per key, and only
 * when a rule asks for them.
 */
export class RetentionLabels {
  private readonly rules: readonly (RetentionRuleSettings & { readonly glob: GlobList | undefined })[];
  private readonly byScope = new Map<string, readonly number[]>();

  /**
   * @param rules in document order
   * @param defaultClass the class of items no rule matches, if any
   */
  constructor(
    rules: readonly RetentionRuleSettings[],
    readonly defaultClass: string | undefined,
  ) {
    this.rules = rules.map((r) => ({ ...r, glob: r.scopes.length > 0 ? new GlobList([...r.scopes]) : undefined }));
  }

  /**
   * The class of an item of `signal` under `scopeName` whose raw attributes are `attributes`, decided by `redactor`;
   * `undefined` when no rule and no default applies.
   */
  classify(
    signal: 'traces' | 'logs',
    scopeName: string | undefined,
    attributes: Attributes,
    redactor: AttributeRedactor,
  ): string | undefined {
    const candidates = this.candidates(signal, scopeName ?? '');
    for (let i = 0; i < candidates.length; i++) {
      const rule = this.rules[candidates[i]];
      if (rule.carries.length === 0 || this.carries(attributes, redactor, rule.carries)) return rule.class;
    }
    return this.defaultClass;
  }

  /** Indexes of the rules that apply to `signal` and the scope (cached per signal and scope name). */
  private candidates(signal: 'traces' | 'logs', scopeName: string): readonly number[] {
    const id = `${signal}\u0000${scopeName}`;
    const out = this.byScope.get(id);
    if (out !== undefined) return out;
    const found: number[] = [];
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i];
      if (r.signals.length > 0 && !r.signals.includes(signal)) continue;
      if (r.glob !== undefined && r.glob.match(scopeName) === undefined) continue;
      found.push(i);
    }
    if (this.byScope.size >= MAX_SCOPES) this.byScope.clear();
    this.byScope.set(id, found);
    return found;
  }

  private carries(attributes: Attributes, redactor: AttributeRedactor, classes: readonly CarriedKeyClass[]): boolean {
    for (const key in attributes) {
      if (attributes[key] === undefined) continue;
      const d = redactor.rules.decide(key);
      if (d.keyFindings === undefined && (classes as readonly string[]).includes(d.action)) return true;
    }
    return false;
  }
}
