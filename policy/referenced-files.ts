import { formatPath } from './policy-error';

/**
 * Every field of a policy document that names a file the policy reads, as a dotted path through the schema
 * (`policy/schema.ts`). A key ring (`keys.hmac` / `keys.encryption` as a list) is walked item by item. A test walks
 * the generated JSON Schema and fails when a field described as a file is missing here, so a new file field cannot
 * escape the signed manifest unnoticed.
 */
export const REFERENCED_FILE_FIELDS = [
  'keys.hmac.file',
  'keys.encryption.file',
  'keys.encryption.recipient',
  'consent.optOut.file',
] as const;

/** One file a policy names: where in the document, and the path as written there. */
export interface ReferencedFile {
  /** The document path, e.g. `keys.encryption[0].recipient`. */
  readonly field: string;
  /** The path as written in the policy (relative paths are resolved against the policy file's folder). */
  readonly path: string;
}

/**
 * The files a validated policy document names, in document order (a path named twice is listed twice, once per
 * field). Environment variables are not files and are not listed.
 */
export function referencedFiles(document: unknown): ReferencedFile[] {
  const out: ReferencedFile[] = [];
  for (const field of REFERENCED_FILE_FIELDS) walk(document, field.split('.'), [], out);
  return out;
}

function walk(value: unknown, rest: readonly string[], at: PropertyKey[], out: ReferencedFile[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, rest, [...at, i], out));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const [head, ...tail] = rest;
  if (head === undefined || !Object.prototype.hasOwnProperty.call(value, head)) return;
  const next = (value as Record<string, unknown>)[head];
  if (tail.length === 0) {
    if (typeof next === 'string') out.push({ field: formatPath([...at, head]), path: next });
    return;
  }
  walk(next, tail, [...at, head], out);
}
