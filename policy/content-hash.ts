import { createHash } from 'node:crypto';
import { stableJson } from '../engine/canonical-value';

/**
 * The stable content hash of an effective policy document: SHA-256 over its canonical JSON (keys
 * sorted, lists of strings sorted and de-duplicated, `name` left out, key references reduced to
 * their ids — never key material), first 16 hex digits. Same rules → same hash, whatever the key
 * order, whitespace or file format.
 */
export function contentHash(effectiveDocument: Record<string, unknown>): string {
  const { name: _name, extends: _extends, keys, ...rules } = effectiveDocument;
  const keyIds: Record<string, unknown> = {};
  for (const [kind, ref] of Object.entries((keys ?? {}) as Record<string, { id: string }>)) keyIds[kind] = ref.id;
  return createHash('sha256')
    .update(stableJson(normalize({ ...rules, keys: keyIds })))
    .digest('hex')
    .slice(0, 16);
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.every((i) => typeof i === 'string') ? [...new Set(items as string[])].sort() : items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalize(v);
    return out;
  }
  return value;
}
