/**
 * Sets an own enumerable property on a plain object, also for keys such as `__proto__` (a plain
 * assignment would replace the object's prototype instead). Attribute keys are user data: every place
 * that writes them into a fresh object uses this.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
