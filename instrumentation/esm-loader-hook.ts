import * as nodeModule from 'node:module';

let registered = false;

/**
 * Registers the instrumentation loader hook for ES modules (`@opentelemetry/instrumentation/hook.mjs`, which is
 * `import-in-the-middle`) with `module.register`, as `@opentelemetry/instrumentation` documents for ESM applications.
 * Without it, instrumentations only patch modules loaded with `require`. Returns false (and does nothing) when this
 * Node.js has no `module.register` (before 20.6) or the hook cannot be resolved.
 */
export function registerEsmLoaderHook(parentUrl: string = import.meta.url): boolean {
  if (registered) return true;
  const register = (nodeModule as { register?: (specifier: string, parentURL: string) => void }).register;
  if (typeof register !== 'function') return false;
  try {
    register('@opentelemetry/instrumentation/hook.mjs', parentUrl);
  } catch {
    return false;
  }
  registered = true;
  return true;
}
