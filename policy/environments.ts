import { mergeDocuments } from './merge-documents';
import type { PolicyDocument } from './schema';
import { canonicalUserGroup } from './user-group-name';

/** The environment variable naming the environment whose `when` blocks apply. */
export const ENV_VARIABLE = 'OTEL_PRIVACY_ENV';

/** One `when` block as written. */
type WhenBlock = NonNullable<PolicyDocument['when']>[number];

function named(names: string | readonly string[], name: string | undefined): boolean {
  if (name === undefined || name === '') return false;
  return typeof names === 'string' ? names === name : names.includes(name);
}

/** Whether `names` (user groups as written) include `group`, compared in canonical form (case, whitespace). */
function namesGroup(names: string | readonly string[], group: string | undefined): boolean {
  if (group === undefined) return false;
  const g = canonicalUserGroup(group);
  if (g === '') return false;
  return typeof names === 'string' ? canonicalUserGroup(names) === g : names.some((n) => canonicalUserGroup(n) === g);
}

/**
 * Whether `block` applies in `env` and to the user group `group`: each condition the block has must hold (a block
 * with `userGroup` never applies without a group; a block with only `userGroup` applies in every environment).
 * Group names are compared in canonical form (`canonicalUserGroup`: case, surrounding whitespace).
 */
export function whenMatches(block: WhenBlock, env: string | undefined, group?: string): boolean {
  if (block.env !== undefined && !named(block.env, env)) return false;
  if (block.userGroup !== undefined) return namesGroup(block.userGroup, group);
  return block.env !== undefined;
}

/** The user groups the `when` blocks name, in canonical form (`canonicalUserGroup`), in document order, each once. */
export function userGroupsOf(doc: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const block of doc.when ?? []) {
    const g = block.userGroup;
    if (g !== undefined) for (const name of typeof g === 'string' ? [g] : g) out.add(canonicalUserGroup(name));
  }
  return [...out];
}

/**
 * The document with the `when` blocks for `env` (and, with `group`, that user group's blocks) laid over it, in
 * document order (lists are added to, other settings replaced, like `extends: default`), and without `when`: done
 * once, when the policy is loaded (once more per user group), so nothing is merged per item. Without `env` (or no
 * matching block) only `when` is removed.
 */
export function applyWhenBlocks(doc: PolicyDocument, env: string | undefined, group?: string): PolicyDocument {
  if (doc.when === undefined) return doc;
  const { when, ...rest } = doc;
  let out: PolicyDocument = rest;
  for (const block of when) {
    if (!whenMatches(block, env, group)) continue;
    const { env: _env, userGroup: _group, ...sections } = block;
    out = mergeDocuments(out, sections as PolicyDocument)!;
  }
  return out;
}
