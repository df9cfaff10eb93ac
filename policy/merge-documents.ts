/**
 * Merges policy blocks: maps merge key by key, lists are concatenated (duplicates removed), scalars of `override`
 * win, so a block laid over another adds to its rule lists instead of replacing them. Used for `extends: default` and for laying the
 * `traces`/`metrics`/`logs`/`scopes` blocks over the top level.
 */
export function mergeDocuments<T>(base: T | undefined, override: T | undefined): T | undefined {
  if (override === undefined) return base;
  if (base === undefined) return override;
  if (Array.isArray(base) && Array.isArray(override)) {
    const out = [...base];
    for (const item of override) if (typeof item === 'object' || !out.includes(item)) out.push(item);
    return out as T;
  }
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = mergeDocuments(out[k], v);
    return out as T;
  }
  return override;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
