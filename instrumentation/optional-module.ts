import { createRequire } from 'node:module';
import { join } from 'node:path';

const fromHere = createRequire(import.meta.url);

/**
 * Loads an optional package synchronously: first as the application sees it (resolved from the working directory,
 * where the application's `node_modules` are), then as this package sees it. Returns `undefined` when neither can
 * resolve it; other errors (a package that throws while loading) propagate.
 */
export function loadOptionalModule<T>(name: string, cwd: string = process.cwd()): T | undefined {
  for (const req of [createRequire(join(cwd, 'noop.js')), fromHere]) {
    let path: string;
    try {
      path = req.resolve(name);
    } catch {
      continue;
    }
    return req(path) as T;
  }
  return undefined;
}
