// The attribute keys exported by the installed @opentelemetry/semantic-conventions, found by walking both entry
// points' exports (never a hand list): the default policy is generated from their classification.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as stable from '@opentelemetry/semantic-conventions';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import { TEMPLATE_PLACEHOLDER } from '../policy/semconv-classification';

/** One attribute key of the conventions, with the exports that name it. */
export interface SemconvKey {
  /** The key; templates end in `<key>` (`http.request.header.<key>`). */
  readonly key: string;
  /** `stable` when the stable entry point exports it, else `incubating`. */
  readonly stability: 'stable' | 'incubating';
  /** The export names, e.g. `stable:ATTR_HTTP_ROUTE`. */
  readonly exports: readonly string[];
}

const KEY_EXPORT = /^(ATTR|SEMATTRS|SEMRESATTRS)_[A-Z0-9_]+$/;
const KEY_OBJECTS = new Set(['SemanticAttributes', 'SemanticResourceAttributes']);
/** Exports that are not attribute keys: metric and event names, enum values and enum objects. */
const NOT_KEYS = [/^METRIC_/, /^EVENT_/, /_VALUE_/, /^[A-Z0-9]+VALUES_/, /^[A-Z][A-Za-z0-9]*Values$/];
const KEY_SHAPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.<key>)?$/;

/** The installed package's version. */
export function semconvVersion(): string {
  // The package does not export its package.json: read it from the folder above the resolved entry point.
  let dir = dirname(createRequire(import.meta.url).resolve('@opentelemetry/semantic-conventions'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Every attribute key both entry points export, sorted. String constants are keys; template functions are called
 * with `<key>`; the `SemanticAttributes`/`SemanticResourceAttributes` objects are walked too.
 * @throws Error naming the export when an export is of a kind this walker does not know (so nothing is skipped
 *   silently when the package adds one) or a key has an unexpected shape.
 */
export function semconvKeys(): SemconvKey[] {
  const found = new Map<string, { stable: boolean; exports: string[] }>();
  const add = (key: unknown, source: string, isStable: boolean) => {
    if (typeof key !== 'string' || !KEY_SHAPE.test(key))
      throw new Error(`${source}: unexpected attribute key ${JSON.stringify(key)}`);
    let e = found.get(key);
    if (e === undefined) found.set(key, (e = { stable: false, exports: [] }));
    e.stable ||= isStable;
    e.exports.push(source);
  };
  for (const [entry, mod, isStable] of [
    ['stable', stable, true],
    ['incubating', incubating, false],
  ] as const) {
    for (const [name, value] of Object.entries(mod as Record<string, unknown>)) {
      if (name === 'default' || name === '__esModule') continue; // CommonJS interop, not exports of the package
      const source = `${entry}:${name}`;
      if (KEY_EXPORT.test(name)) {
        if (typeof value === 'function') {
          const key: unknown = (value as (k: string) => unknown)(TEMPLATE_PLACEHOLDER);
          if (typeof key !== 'string' || !key.endsWith(`.${TEMPLATE_PLACEHOLDER}`))
            throw new Error(`${source}: a template that does not end in .${TEMPLATE_PLACEHOLDER}`);
          add(key, source, isStable);
        } else add(value, source, isStable);
      } else if (KEY_OBJECTS.has(name)) {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(v, `${source}.${k}`, isStable);
      } else if (!NOT_KEYS.some((re) => re.test(name))) {
        throw new Error(`${source}: an export of unknown kind; teach scripts/semconv-keys.ts whether it is a key`);
      }
    }
  }
  return [...found]
    .map(([key, e]) => ({
      key,
      stability: e.stable ? ('stable' as const) : ('incubating' as const),
      exports: e.exports,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
