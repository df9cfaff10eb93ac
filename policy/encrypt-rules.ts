import type { AttributeRulesDocument } from './policy-document';

/** One `encrypt` rule as written: a glob, or `{ key, deterministic }`. */
export type EncryptRule = NonNullable<AttributeRulesDocument['encrypt']>[number];

/** The glob of one `encrypt` rule. */
export function encryptGlob(rule: EncryptRule): string {
  return typeof rule === 'string' ? rule : rule.key;
}

/** The globs of `encrypt` rules, in order, each once. */
export function encryptGlobs(rules: readonly EncryptRule[] | undefined): string[] {
  return rules === undefined ? [] : [...new Set(rules.map(encryptGlob))];
}

/**
 * The globs whose `encrypt` rules ask for the deterministic mode. A glob also listed without it (plain, or with
 * `deterministic: false`, e.g. by another layer of the policy) stays in the random mode: the stronger one wins.
 */
export function deterministicGlobs(rules: readonly EncryptRule[] | undefined): string[] {
  if (rules === undefined) return [];
  const random = new Set(rules.filter((r) => typeof r === 'string' || r.deterministic !== true).map(encryptGlob));
  return [...new Set(rules.filter((r) => typeof r !== 'string' && r.deterministic === true).map(encryptGlob))].filter(
    (g) => !random.has(g),
  );
}
