import { createHmac, randomBytes } from 'node:crypto';
import type { Decision } from './attribute-rules';
import type { Pseudonymizer } from './crypto/pseudonymizer';
import { LOG_BODY_KEY, STATUS_MESSAGE_KEY } from './vocabulary';

/** Characters of the keyed-hash tag a leak alarm prints for a key it does not name (48 bits, base64url). */
const TAG_LENGTH = 8;
/** Labels remembered per policy (findings are rare; cleared when full). */
const MAX_LABELS = 4096;
const GLOB = /[*?[\]{}]/;
const QUOTED_PATTERN = /^[a-z]+ ("(?:[^"\\]|\\.)*")/;

/**
 * What a leak alarm (WARN line and the `otel_privacy.leak_suspected{key}` label) prints for the key of a finding.
 * A key can itself be personal data no detector recognizes (`customer.jane_doe_1984.visits`, let through by an
 * `allow: [customer.*]` glob), so a key is printed as it is only when the policy names it literally (in any list of
 * the effective document, the default policy's semantic-convention keys included with `extends: default`), it is a
 * known semantic-convention key (named literally by the default policy, which is generated from them), or one of the
 * pseudo keys `log.body` and `otel.status_description`; otherwise the policy pattern that decided it (`customer.*`, or `(default)` when no
 * rule names it) and a short keyed-hash tag of the key (`customer.* #q3Zk0_aB`), so operators can tell keys apart
 * and find them (`otel-privacy subject`-style: hash a suspected key with the same policy) without the alarm printing
 * them. The tag is keyed with the policy's HMAC key (stable across restarts and processes), or a random key per
 * process without one.
 */
export class AlarmKeyLabels {
  private readonly labels = new Map<string, string>();
  private readonly tagKey: Buffer | undefined;

  /**
   * @param named keys printed as they are: named literally by the policy, or known semantic-convention keys
   * @param pseudonymizer the policy's keyed hash (undefined: a random key for this process)
   */
  constructor(
    private readonly named: ReadonlySet<string>,
    private readonly pseudonymizer: Pseudonymizer | undefined,
  ) {
    this.tagKey = pseudonymizer === undefined ? randomBytes(32) : undefined;
  }

  /** The printable label of `key`, decided by `decision` (undefined for keys no rule set decides: baggage, …). */
  label(key: string, decision: Decision | undefined): string {
    // Cached per rule and key: one policy decides a key by different patterns per signal and scope (`customer.*` in
    // traces, `customer.profile.*` in logs), and each alarm names the pattern of its own signal.
    const cacheKey = `${decision?.rule ?? ''}\u0000${key}`;
    let out = this.labels.get(cacheKey);
    if (out !== undefined) return out;
    out = this.compute(key, decision);
    if (this.labels.size >= MAX_LABELS) this.labels.clear();
    this.labels.set(cacheKey, out);
    return out;
  }

  /** The keyed-hash tag of `key` (`#` and 8 base64url characters). */
  tag(key: string): string {
    const text = `otel-privacy leak-alarm key\u0000${key}`;
    const digest =
      this.pseudonymizer !== undefined
        ? this.pseudonymizer.pseudonym(text).slice(this.pseudonymizer.keyId.length + 1)
        : createHmac('sha256', this.tagKey!).update(text).digest('base64url');
    return `#${digest.slice(0, TAG_LENGTH)}`;
  }

  private compute(key: string, decision: Decision | undefined): string {
    const pattern = decision === undefined ? undefined : patternOf(decision.rule);
    if (pattern === key || this.named.has(key) || key === LOG_BODY_KEY || key === STATUS_MESSAGE_KEY) return key;
    return `${pattern ?? '(unnamed key)'} ${this.tag(key)}`;
  }
}

/** The pattern a rule text names (`allow "customer.*" + url sanitizer` → `customer.*`; `default: …` → `(default)`). */
function patternOf(rule: string): string | undefined {
  if (rule.startsWith('default')) return '(default)';
  const m = QUOTED_PATTERN.exec(rule);
  if (m === null) return undefined;
  try {
    return JSON.parse(m[1]) as string;
  } catch {
    return undefined;
  }
}

/** Every string of a policy document (or part) that is not a glob: the keys it names literally. */
export function literalKeys(doc: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 12 || doc === null || typeof doc !== 'object') return out;
  if (Array.isArray(doc)) {
    for (const v of doc) if (typeof v === 'string' && !GLOB.test(v)) out.add(v);
    for (const v of doc) literalKeys(v, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(doc)) {
    // maps keyed by attribute keys (`generalize`, `scopes` blocks are keyed by scope names: not keys)
    if (k !== 'scopes' && typeof v === 'string' && depth > 0 && !GLOB.test(k) && k.includes('.')) out.add(k);
    literalKeys(v, out, depth + 1);
  }
  return out;
}
