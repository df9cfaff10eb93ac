import { mergeDocuments } from './merge-documents';
import type { PolicyDocument } from './schema';

/** The environment variable naming the environment whose `when` blocks apply. */
export const ENV_VARIABLE = 'OTEL_PRIVACY_ENV';

/** One `when` block as written. */
type WhenBlock = NonNullable<PolicyDocument['when']>[number];

/** Whether `block` applies in `env`. */
export function whenMatches(block: WhenBlock, env: string | undefined): boolean {
  if (env === undefined || env === '') return false;
  return typeof block.env === 'string' ? block.env === env : block.env.includes(env);
}

/**
 * The document with the `when` blocks for `env` laid over it, in document order (lists are added to, other settings
 * replaced, like `extends: default`), and without `when`: done once, when the policy is loaded, so nothing is
 * selected per item. Without `env` (or no matching block) only `when` is removed.
 */
export function applyWhenBlocks(doc: PolicyDocument, env: string | undefined): PolicyDocument {
  if (doc.when === undefined) return doc;
  const { when, ...rest } = doc;
  let out: PolicyDocument = rest;
  for (const block of when) {
    if (!whenMatches(block, env)) continue;
    const { env: _env, ...sections } = block;
    out = mergeDocuments(out, sections as PolicyDocument)!;
  }
  return out;
}
