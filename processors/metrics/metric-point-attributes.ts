import type { Attributes } from '@opentelemetry/api';
import { DROPPED } from '../../engine/attribute-redactor';
import type { AttributeRedactor } from '../../engine/attribute-redactor';
import { setOwn } from '../../engine/own-property';
import { SDK_OVERFLOW_ATTRIBUTE, SUPPRESSED_ATTRIBUTE } from '../../engine/vocabulary';
import type { Policy } from '../../policy/policy';

export { SDK_OVERFLOW_ATTRIBUTE, SUPPRESSED_ATTRIBUTE };

/** On the prototype of attribute sets the views wrote: the compiled metrics rules that wrote them. */
const WRITTEN_BY: unique symbol = Symbol('otel-privacy.view-sanitized-by');

/** Per compiled rule set, the class of attribute sets it wrote in the views. */
const viewClasses = new WeakMap<AttributeRedactor, new () => Attributes>();

/**
 * The class of the objects the views write `sanitizer`'s output into (the policy's metrics rules, applied
 * per measurement), so the exporter recognizes them and does not hash a pseudonym a second time. The SDK
 * keeps the processed object as the series' attributes. The mark is a symbol on the prototype, not an own
 * property: `Object.keys`, `JSON.stringify`, deep equality and every exporter see a plain attribute set
 * (a `WeakMap`/`WeakSet` entry per measurement cost ≈ 550 ns). The mark names the compiled rules, not the
 * policy: after a hot reload, series written under the old rules no longer match and are sanitized again
 * in full at export (fail closed).
 */
export function viewSanitizedClass(sanitizer: AttributeRedactor): new () => Attributes {
  let Marked = viewClasses.get(sanitizer);
  if (Marked === undefined) {
    Marked = class ViewSanitizedAttributes {} as unknown as new () => Attributes;
    Object.defineProperty(Marked.prototype, WRITTEN_BY, { value: sanitizer });
    viewClasses.set(sanitizer, Marked);
  }
  return Marked;
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
  const scoped = policy.sanitizer('metrics', scopeName);
  const base = policy.sanitizer('metrics');
  if ((attributes as { [WRITTEN_BY]?: AttributeRedactor })[WRITTEN_BY] === base) {
    return scoped === base ? attributes : applyScopeRules(scoped, base, attributes);
  }
  return scoped.sanitize(attributes);
}
