import type { Attributes } from '@opentelemetry/api';
import { DROPPED } from '../../engine/attribute-redactor';
import type { AttributeRedactor } from '../../engine/attribute-redactor';
import { setOwn } from '../../engine/own-property';
import { markedClass, sanitizedUnder } from '../../engine/sanitized-mark';
import { SDK_OVERFLOW_ATTRIBUTE, SUPPRESSED_ATTRIBUTE } from '../../engine/vocabulary';
import type { Policy } from '../../policy/policy';

export { SDK_OVERFLOW_ATTRIBUTE, SUPPRESSED_ATTRIBUTE };

/**
 * The class of the objects the views write the policy's metrics rules' output into (applied per measurement)
 * under compiled-policy generation `generation`, so the exporter recognizes them and does not hash a pseudonym
 * a second time. The SDK keeps the processed object as the series' attributes. The mark (`SANITIZED_UNDER`) is
 * on the prototype, not an own property: `Object.keys`, `JSON.stringify`, deep equality and every exporter see
 * a plain attribute set (a `WeakMap`/`WeakSet` entry per measurement cost ≈ 550 ns). After a hot reload the
 * generation changes: series written under the old one are sanitized again in full at export (fail closed).
 */
export function viewSanitizedClass(generation: number): new () => Attributes {
  return markedClass<Attributes>(generation);
}

/** True for the SDK's overflow series and the k-anonymity fold: markers written by software, not user data. */
function isMarkerSet(attributes: Attributes): boolean {
  let n = 0;
  for (const key in attributes) {
    if (++n > 1) return false;
    if ((key !== SDK_OVERFLOW_ATTRIBUTE && key !== SUPPRESSED_ATTRIBUTE) || attributes[key] !== true) return false;
  }
  return n === 1;
}

/**
 * Attributes already sanitized by the views (the `metrics` rules without scope blocks), under the
 * rules of the meter's scope: a key decided the same way by both is kept as it is (already applied:
 * a pseudonym is not hashed twice); a key the scope block decides differently is decided again.
 */
function applyScopeRules(scoped: AttributeRedactor, base: AttributeRedactor, attributes: Attributes): Attributes {
  let out: Attributes | undefined;
  const keys = Object.keys(attributes);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (scoped.rules.decide(key).action === base.rules.decide(key).action) {
      if (out !== undefined) setOwn(out, key, attributes[key]);
      continue;
    }
    if (out === undefined) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j]!, attributes[keys[j]!]);
    }
    const v = scoped.sanitizeValue(key, attributes[key]);
    if (v !== DROPPED) setOwn(out, key, v);
  }
  return out ?? attributes;
}

/**
 * The attributes of one exported point under the policy's metrics rules for the meter `scopeName`
 * (the top level, the `metrics` block and matching `scopes` blocks): raw attributes are sanitized;
 * attribute sets the views already sanitized under the current rules only get what the scope blocks
 * change; the SDK's overflow
 * series and the k-anonymity fold are kept. Returns the same object when nothing changes.
 */
export function sanitizePointAttributes(policy: Policy, scopeName: string, attributes: Attributes): Attributes {
  if (isMarkerSet(attributes)) return attributes;
  // `userGroups`: the point's group (counted when unknown only on raw points: the views counted theirs)
  const marked = sanitizedUnder(attributes) !== undefined;
  const compiled = policy.compiled.forItem(
    attributes,
    marked ? undefined : policy.counters.userGroupUnknown,
    'metrics',
  );
  const scoped = compiled.sanitizer('metrics', scopeName);
  const base = compiled.sanitizer('metrics');
  if (sanitizedUnder(attributes) === compiled.generation) {
    return scoped === base ? attributes : applyScopeRules(scoped, base, attributes);
  }
  return scoped.sanitize(attributes);
}
