/**
 * The canonical string form of an attribute value (`AnyValue`), used as the input of keyed hashing
 * and field encryption: strings as they are, numbers/booleans/bigints via `String`, bytes as
 * `base64:<…>`, arrays and maps as JSON with sorted keys (bytes inside as above).
 */
export function canonicalString(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      if (value instanceof Uint8Array) return `base64:${Buffer.from(value).toString('base64')}`;
      return stableJson(value);
  }
}

/** JSON with object keys sorted at every depth; `Uint8Array` as `base64:`, `undefined` as null. */
export function stableJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(String(value));
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Uint8Array) return JSON.stringify(`base64:${Buffer.from(value).toString('base64')}`);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
