import * as nodeModule from 'node:module';

// Process-global, not module state: the ESM and CommonJS builds of this package are separate module instances, and
// registering import-in-the-middle twice makes it warn and hook every module twice.
const REGISTERED = Symbol.for('otel-privacy.esm-loader-hook');
type GlobalSlot = { [REGISTERED]?: boolean };

/**
 * Registers the instrumentation loader hook for ES modules (`@opentelemetry/instrumentation/hook.mjs`, which is
 * `import-in-the-middle`) with `module.register`, as `@opentelemetry/instrumentation` documents for ESM applications.
 * Without it, instrumentations only patch modules loaded with `require`. Returns false (and does nothing) when this
 * Node.js has no `module.register` (before 20.6) or the hook cannot be resolved.
 */
export function registerEsmLoaderHook(parentUrl: string = import.meta.url): boolean {
  const slot = globalThis as GlobalSlot;
  if (slot[REGISTERED]) return true;
  const register = (nodeModule as { register?: (specifier: string, parentURL: string) => void }).register;
  if (typeof register !== 'function') return false;
  try {
    register('@opentelemetry/instrumentation/hook.mjs', parentUrl);
  } catch {
    return false;
  }
  slot[REGISTERED] = true;
  return true;
}
