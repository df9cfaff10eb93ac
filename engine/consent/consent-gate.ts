import { propagation } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import type { AttributeRules } from '../attribute-rules';
import { canonicalString } from '../canonical-value';
import type { Pseudonymizer } from '../crypto/pseudonymizer';
import { GlobList } from '../glob-list';
import { printOnlySummary } from '../inspect-summary';
import { CONSENT_SUBJECT_KEY } from './consent-context';
import type { OptOutSet } from './opt-out-set';

/** What happens to an opted-out subject's items. */
export type ConsentAction = 'drop' | 'minimize';

/** The compiled `consent` section. */
export interface ConsentSettings {
  /** Attribute keys whose values identify the subject. */
  readonly attributes: readonly string[];
  /** Baggage entries whose values identify the subject. */
  readonly baggage: readonly string[];
  /** Whether the subject set with `withConsentSubject` is read. */
  readonly context: boolean;
  /** What happens to opted-out items. */
  readonly action: ConsentAction;
  /** Keys `minimize` removes besides hashed, encrypted and generalized keys and the subject keys. */
  readonly personal: readonly string[];
}

/** Length of a pseudonym after its `<keyId>:` prefix (base64url of 16 bytes). */
const PSEUDONYM_BODY = 22;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Consent gating, compiled once per policy: finds the subject of an item (attributes, context, baggage), looks its
 * pseudonym up in the opt-out set (raw identifiers are pseudonymized with the policy's HMAC key first; values that
 * already are that key's pseudonyms are looked up as they are), and says which attribute keys `minimize` removes.
 * Decisions are cached per raw value and filter; identifying-key decisions per rule set.
 */
export class ConsentGate {
  /** `drop` or `minimize`. */
  readonly action: ConsentAction;
  private readonly attributes: readonly string[];
  private readonly baggage: readonly string[];
  private readonly context: boolean;
  private readonly subjectKeys: ReadonlySet<string>;
  private readonly personal: GlobList;
  private readonly prefix: string;
  private readonly identifying = new WeakMap<AttributeRules, Map<string, boolean>>();

  constructor(
    settings: ConsentSettings,
    private readonly pseudonymizer: Pseudonymizer,
    /** The opt-out set (its filter is replaced on reload). */
    readonly optOut: OptOutSet,
  ) {
    this.action = settings.action;
    this.attributes = settings.attributes;
    this.baggage = settings.baggage;
    this.context = settings.context;
    this.subjectKeys = new Set(settings.attributes);
    this.personal = new GlobList(settings.personal);
    this.prefix = `${pseudonymizer.keyId}:`;
  }

  /** True when the subject identifier `value` (raw or the policy's pseudonym; arrays: any element) opted out. */
  optedOut(value: unknown): boolean {
    if (value === undefined || value === null) return false;
    if (Array.isArray(value)) return value.some((v) => this.optedOut(v));
    const raw = canonicalString(value);
    const set = this.optOut;
    const hit = set.cached(raw);
    if (hit !== undefined) return hit;
    const out = set.has(this.pseudonymOf(raw));
    set.remember(raw, out);
    return out;
  }

  /** The pseudonym the opt-out set is searched for: `raw` itself when it already is one of this key. */
  pseudonymOf(raw: string): string {
    if (
      raw.length === this.prefix.length + PSEUDONYM_BODY &&
      raw.startsWith(this.prefix) &&
      BASE64URL.test(raw.slice(this.prefix.length))
    )
      return raw;
    return this.pseudonymizer.pseudonym(raw);
  }

  /** True when an attribute named in `subject.attributes` carries an opted-out subject. */
  attributesOptedOut(attributes: Attributes | undefined): boolean {
    if (attributes === undefined) return false;
    for (let i = 0; i < this.attributes.length; i++) {
      const v = attributes[this.attributes[i]];
      if (v !== undefined && this.optedOut(v)) return true;
    }
    return false;
  }

  /**
   * True when the span's own attributes, any event's or any link's attributes carry an opted-out subject (a subject
   * named only on an event or a link is the span's subject too).
   */
  spanOptedOut(span: {
    readonly attributes: Attributes;
    readonly events: readonly { readonly attributes?: Attributes }[];
    readonly links: readonly { readonly attributes?: Attributes }[];
  }): boolean {
    if (this.attributesOptedOut(span.attributes)) return true;
    for (const e of span.events) if (this.attributesOptedOut(e.attributes)) return true;
    for (const l of span.links) if (this.attributesOptedOut(l.attributes)) return true;
    return false;
  }

  /** True when the context names an opted-out subject (`withConsentSubject`, or a `subject.baggage` entry). */
  contextOptedOut(ctx: Context | undefined): boolean {
    if (ctx === undefined) return false;
    if (this.context) {
      const v = ctx.getValue(CONSENT_SUBJECT_KEY);
      if (v !== undefined && this.optedOut(v)) return true;
    }
    if (this.baggage.length > 0) {
      const bag = propagation.getBaggage(ctx);
      if (bag !== undefined)
        for (const key of this.baggage) {
          const v = bag.getEntry(key)?.value;
          if (v !== undefined && this.optedOut(v)) return true;
        }
    }
    return false;
  }

  /**
   * True when `minimize` removes `key` under `rules`: the rules hash, encrypt or generalize it, or it is a subject
   * key or named by `consent.personal` (cached per rule set).
   */
  isIdentifying(rules: AttributeRules, key: string): boolean {
    let byKey = this.identifying.get(rules);
    if (byKey === undefined) this.identifying.set(rules, (byKey = new Map()));
    let out = byKey.get(key);
    if (out === undefined) {
      const action = rules.decide(key).action;
      out =
        action === 'hash' ||
        action === 'encrypt' ||
        action === 'generalize' ||
        this.subjectKeys.has(key) ||
        this.personal.match(key) !== undefined;
      if (byKey.size >= 4096) byKey.clear();
      byKey.set(key, out);
    }
    return out;
  }

  /** `attributes` without the keys `minimize` removes (the same object when none is there). */
  minimize(rules: AttributeRules, attributes: Attributes): Attributes {
    let out: Attributes | undefined;
    for (const key in attributes) {
      if (!this.isIdentifying(rules, key)) continue;
      if (out === undefined) out = { ...attributes };
      delete out[key];
    }
    return out ?? attributes;
  }
}

// Its opt-out set caches raw subject identifiers: a print shows only the action.
printOnlySummary(ConsentGate.prototype, 'ConsentGate', (g) => ({ action: g.action }));
