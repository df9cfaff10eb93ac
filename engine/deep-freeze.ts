/**
 * Freezes `value` and every object reachable through its own enumerable properties (byte arrays, which cannot be
 * frozen, are left as they are); returns `value`. For objects built once and shared, e.g. a compiled policy's document
 * or a sanitized resource's attributes, that nothing may change afterwards.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
