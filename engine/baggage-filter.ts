import { propagation } from '@opentelemetry/api';
import type { Baggage, BaggageEntry } from '@opentelemetry/api';
import { GlobList } from './glob-list';
import { IdentityMemo } from './identity-memo';
import type { ValueScanner } from './attribute-redactor';
import type { Pseudonymizer } from './crypto/pseudonymizer';

/** Most baggage entries kept (the W3C Baggage minimum every platform must propagate); later entries are dropped. */
export const MAX_BAGGAGE_ENTRIES = 64;

/** Entries in the cache of key decisions before it is cleared (keys come from callers: bounded). */
const MAX_CACHED_KEYS = 512;

/**
 * Marks an entry whose value is a pseudonym this package wrote: the entry holds its own value under this symbol. An
 * entry copied with another value (`{ ...entry, value }`) no longer matches, so it is hashed again.
 */
const PSEUDONYM: unique symbol = Symbol('otel-privacy.baggage-pseudonym');

type MarkedEntry = BaggageEntry & { [PSEUDONYM]?: string };

/** What happens to one baggage key. */
export type BaggageKeyAction = 'allow' | 'hash' | 'drop';

/** The compiled `propagation.baggage` rules. */
export interface BaggageRules {
  /** Keys (glob patterns) kept with their value, which is scanned. */
  readonly allow: readonly string[];
  /** Keys (glob patterns) kept with their value replaced by a keyed pseudonym. */
  readonly hash: readonly string[];
}

/** What the filter needs besides the rules. */
export interface BaggageFilterTools {
  /** The policy's value scanner; without one, allowed values are kept unscanned. */
  readonly scanner?: ValueScanner;
  /** The policy's pseudonymizer; required when `hash` names a key. */
  readonly pseudonymizer?: Pseudonymizer;
}

/**
 * Filters W3C baggage by the policy's `propagation.baggage` rules. Baggage is copied into the headers of every
 * outgoing request, to every downstream service including third parties, so only what the rules name survives:
 *
 * - a key matched by `hash` is kept with a keyed pseudonym of its value (HMAC-SHA256, the policy's key);
 * - a key matched by `allow` is kept when the value scanner finds nothing in its value;
 * - every other key, every key the value scanner finds something in, and every entry's properties (metadata)
 *   are dropped; at most `MAX_BAGGAGE_ENTRIES` entries are kept.
 *
 * Decisions are made once per key (glob matching and key scanning; bounded cache). Baggage objects are immutable, so
 * the results for the last few are remembered by identity (except when a value had a finding: it is scanned and
 * counted again every time). A filtered baggage passes through again unchanged: pseudonyms this package wrote are
 * never hashed twice, even when the application adds entries to a filtered baggage. Never mutates its input. One
 * instance belongs to one compiled policy.
 */
export class BaggageFilter {
  private readonly allow: GlobList;
  private readonly hash: GlobList;
  private readonly keyActions = new Map<string, BaggageKeyAction>();
  /** Recent input baggage → filtered baggage (`null`: nothing left). */
  private readonly outputs = new IdentityMemo<Baggage, Baggage | null>();

  /** @throws Error when `rules.hash` names keys but `tools.pseudonymizer` is missing. */
  constructor(
    rules: BaggageRules,
    private readonly tools: BaggageFilterTools,
  ) {
    this.allow = new GlobList(rules.allow);
    this.hash = new GlobList(rules.hash);
    if (!this.hash.isEmpty && tools.pseudonymizer === undefined)
      throw new Error('propagation.baggage.hash needs keys.hmac');
  }

  /** True when no key can survive (no `allow`, no `hash`): every baggage is dropped whole. */
  get dropsEverything(): boolean {
    return this.allow.isEmpty && this.hash.isEmpty;
  }

  /** What happens to `key` (cached per key): `drop` for keys no rule names and keys with a finding. */
  decide(key: string): BaggageKeyAction {
    let action = this.keyActions.get(key);
    if (action === undefined) {
      action = this.hash.match(key) !== undefined ? 'hash' : this.allow.match(key) !== undefined ? 'allow' : 'drop';
      const scanner = this.tools.scanner;
      if (action !== 'drop' && scanner !== undefined && scanner(key, key) !== key) action = 'drop';
      if (this.keyActions.size >= MAX_CACHED_KEYS) this.keyActions.clear();
      this.keyActions.set(key, action);
    }
    return action;
  }

  /**
   * The baggage with only what the rules keep: `baggage` itself when nothing changed, a new baggage otherwise,
   * `undefined` when no entry is left.
   */
  filter(baggage: Baggage | undefined): Baggage | undefined {
    if (baggage === undefined) return undefined;
    if (this.outputs.has(baggage)) return this.outputs.get(baggage) ?? undefined;
    if (this.dropsEverything) return undefined;
    const entries = baggage.getAllEntries();
    const kept: Record<string, BaggageEntry> = Object.create(null) as Record<string, BaggageEntry>;
    let count = 0;
    let changed = false;
    let finding = false;
    for (const [key, entry] of entries) {
      if (count >= MAX_BAGGAGE_ENTRIES) {
        changed = true;
        break;
      }
      const action = this.decide(key);
      if (action === 'drop') {
        changed = true;
        continue;
      }
      let out = entry;
      if (action === 'hash') {
        if ((entry as MarkedEntry)[PSEUDONYM] !== entry.value || entry.metadata !== undefined) {
          const value = this.tools.pseudonymizer!.pseudonym(String(entry.value));
          out = { value, [PSEUDONYM]: value } as MarkedEntry;
        }
      } else {
        const value = String(entry.value);
        const scanner = this.tools.scanner;
        if (scanner !== undefined && scanner(value, key) !== value) {
          finding = true;
          changed = true;
          continue;
        }
        if (entry.metadata !== undefined || typeof entry.value !== 'string') out = { value };
      }
      if (out !== entry) changed = true;
      kept[key] = out;
      count++;
    }
    const result = !changed ? baggage : count === 0 ? undefined : propagation.createBaggage(kept);
    if (!finding) {
      this.outputs.set(baggage, result ?? null);
      if (result !== undefined && result !== baggage) this.outputs.set(result, result);
    }
    return result;
  }
}
