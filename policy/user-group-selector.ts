import type { Attributes } from '@opentelemetry/api';
import type { CompiledPolicy } from './compiled-policy';
import type { Signal } from './schema';
import { BASE_GROUP, canonicalUserGroup } from './user-group-name';
import { printOnlySummary } from '../engine/inspect-summary';

/** No group: the item's group attribute is absent (its own rules, or its trace's group, decide). */
export const NO_GROUP = -1;

/** Bound on the spellings of declared groups remembered (beyond it the map starts again). */
const MAX_SPELLINGS = 1024;

/** The stricter of two ranks (a lower rank is stricter; `NO_GROUP` loses to any group). */
export function stricterGroup(a: number, b: number): number {
  if (a < 0) return b;
  if (b < 0) return a;
  return a < b ? a : b;
}

/**
 * The user groups of a compiled policy (`userGroups`, `when[].userGroup`), compiled once at load: the compiled policy
 * of each group and of `base`, ranked from strictest (0) to loosest as `userGroups.order` lists them, and the lookup
 * from an item's group attribute to a rank.
 *
 * - A string value is matched in canonical form (`canonicalUserGroup`: case, surrounding whitespace, invisible format
 *   characters, fullwidth forms); the spellings seen are remembered (bounded), so the usual per-item cost is one
 *   `Map.get` of the value as written.
 * - An array value names several groups: the strictest wins.
 * - A value no block names (or not a string: a number, a boolean, bytes, an empty array; `base` is no value's group)
 *   gets the rules of `userGroups.unknown` (default: the strictest entry of `order`) and is counted per signal.
 */
export class UserGroupSelector {
  private readonly ranks = new Map<string, number>();
  private readonly spellings = new Map<string, number>();
  private readonly byRank: readonly CompiledPolicy[];
  /** The rank of `userGroups.unknown`. */
  readonly unknownRank: number;

  /**
   * @param attribute `userGroups.attribute`
   * @param order `userGroups.order` in canonical form (every group and `base`, strictest first)
   * @param unknown `userGroups.unknown` in canonical form (an entry of `order`)
   * @param policies the compiled policy of each group (canonical name) besides `base`
   * @param base the compiled policy of items without a group
   */
  constructor(
    readonly attribute: string,
    readonly order: readonly string[],
    unknown: string,
    private readonly policies: ReadonlyMap<string, CompiledPolicy>,
    private readonly base: CompiledPolicy,
  ) {
    order.forEach((name, i) => this.ranks.set(name, i));
    this.unknownRank = this.ranks.get(unknown)!;
    this.byRank = order.map((name) => (name === BASE_GROUP ? base : policies.get(name)!));
  }

  /** The compiled policies of the groups (not the base one), each once. */
  groupPolicies(): CompiledPolicy[] {
    return [...this.policies.values()];
  }

  /** The compiled policy of rank `rank` (`NO_GROUP`: the base policy). */
  policy(rank: number): CompiledPolicy {
    return rank < 0 ? this.base : this.byRank[rank]!;
  }

  /** The canonical name of rank `rank` (`base` for `NO_GROUP`). */
  name(rank: number): string {
    return rank < 0 ? BASE_GROUP : this.order[rank]!;
  }

  /** The rank of a group name (any spelling; `base` too), or `NO_GROUP` when `order` does not list it. */
  rankOfName(name: string): number {
    return this.ranks.get(name) ?? this.ranks.get(canonicalUserGroup(name)) ?? NO_GROUP;
  }

  /** The compiled policy of the group `name` (any spelling; `base`: the base policy), or undefined when unknown. */
  policyOfName(name: string): CompiledPolicy | undefined {
    const c = canonicalUserGroup(name);
    return c === BASE_GROUP ? this.base : this.policies.get(c);
  }

  /**
   * The rank an item's attributes give it: `NO_GROUP` without the group attribute; the strictest named group; the
   * rank of `userGroups.unknown` (counted in `counts[signal]`) for a value no block names (in an array: a member no
   * block names counts as that rank, and is counted).
   */
  rankOf(attributes: Attributes | undefined, counts: Record<Signal, number>, signal: Signal): number {
    if (attributes === undefined) return NO_GROUP;
    const value = attributes[this.attribute];
    if (value === undefined || value === null) return NO_GROUP;
    if (typeof value === 'string') {
      const known = this.spellings.get(value);
      if (known !== undefined) return known;
      const rank = this.groupRank(value);
      if (rank >= 0) {
        if (value.length <= 256) {
          if (this.spellings.size >= MAX_SPELLINGS) this.spellings.clear();
          this.spellings.set(value, rank);
        }
        return rank;
      }
    } else if (Array.isArray(value) && value.length > 0) {
      let out = NO_GROUP;
      let unknown = false;
      for (const member of value) {
        const r = typeof member === 'string' ? this.groupRank(member) : NO_GROUP;
        if (r < 0) unknown = true;
        out = stricterGroup(out, r < 0 ? this.unknownRank : r);
      }
      if (unknown) counts[signal]++;
      return out;
    }
    counts[signal]++;
    return this.unknownRank;
  }

  /** The rank of a group value (any spelling; `base` is no value's group), or `NO_GROUP`. */
  private groupRank(value: string): number {
    const c = canonicalUserGroup(value);
    return c === BASE_GROUP ? NO_GROUP : (this.ranks.get(c) ?? NO_GROUP);
  }
}

printOnlySummary(UserGroupSelector.prototype, 'UserGroupSelector', (s) => ({ attribute: s.attribute, order: s.order }));
