import { inspect } from 'node:util';

/**
 * Makes `target` (a class prototype, or one object) print only a summary: `util.inspect` (at any
 * depth, also with `showHidden`) shows `Name { …summary }` and `JSON.stringify` writes the summary.
 * Used on everything that holds key material or caches of raw values (policies, compiled rules, exporters,
 * pseudonymizer, encryptor, caches), so a debug print or a logged object never shows a key or a
 * cached identifier.
 *
 * @param describe the fields that may be shown (never key bytes, never cached values)
 */
export function printOnlySummary<T extends object>(
  target: T,
  name: string,
  describe: (self: T) => Record<string, unknown>,
): void {
  Object.defineProperty(target, inspect.custom, {
    value(this: T, _depth: number, options: { stylize?: unknown }): string {
      return `${name} ${inspect(describe(this), { depth: 1, colors: (options as { colors?: boolean }).colors })}`;
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(target, 'toJSON', {
    value(this: T): Record<string, unknown> {
      return describe(this);
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/** Makes one object print only `text` (`util.inspect` and `JSON.stringify`), e.g. `[key material: id k1]`. */
export function printOnlyText(target: object, text: string): void {
  Object.defineProperty(target, inspect.custom, { value: () => text, enumerable: false, configurable: true });
  Object.defineProperty(target, 'toJSON', { value: () => text, enumerable: false, configurable: true });
}
