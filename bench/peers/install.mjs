// Installation of bench/peers/ for bench scenario 3 (run in the parent process, before the peer worker starts):
//
// - ensurePeers(): the peers and the OpenTelemetry SDK 2.x line they need, from bench/peers/package.json, installed
//   with npm into bench/peers/node_modules (first run, or when a pinned version there changed). Never a dependency
//   of otel-privacy.
// - installOurs(): the CURRENT build of otel-privacy (dist/ and the package's other published files, as listed in
//   package.json "files") copied to bench/peers/node_modules/otel-privacy at every run, so that the peer worker can
//   run our PrivacySpanProcessor on the same SDK 2.x as the peers. Then every package dist/index.js imports is
//   resolved from the copied location, the way Node will resolve it in the worker, and checked: the OpenTelemetry
//   packages must come from bench/peers/node_modules (not fall through to the project's SDK 3.x) and satisfy the
//   package's peerDependencies; the runtime dependencies (zod, yaml, picomatch, @grpc/grpc-js) must be the versions
//   package.json pins. Anything else fails with a one-line message naming the package, where it resolved and why.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/peers/ (this folder). */
export const PEERS = dirname(fileURLToPath(import.meta.url));
const ROOT = join(PEERS, '..', '..');
const PEER_MODULES = join(PEERS, 'node_modules');
/** Where the copy of otel-privacy goes. */
export const OURS = join(PEER_MODULES, 'otel-privacy');

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const installedVersion = (name) => {
  try {
    return readJson(join(PEER_MODULES, name, 'package.json')).version;
  } catch {
    return undefined;
  }
};

/**
 * Installs bench/peers/ from the npm registry when a dependency of bench/peers/package.json is missing or at
 * another version than pinned; returns an error text, or undefined when everything is in place.
 */
export function ensurePeers() {
  const wanted = Object.entries(readJson(join(PEERS, 'package.json')).dependencies);
  const stale = () => wanted.filter(([name, version]) => installedVersion(name) !== version);
  if (stale().length === 0) return undefined;
  try {
    // autotel declares optional peers on the 0.222 exporters line while ADOT pins 0.219: only the
    // processors are used here, so peer resolution is skipped (also set in bench/peers/.npmrc)
    execFileSync('npm', ['install', '--prefix', PEERS, '--no-audit', '--no-fund', '--no-package-lock', '--legacy-peer-deps', '--loglevel=error'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 600_000,
    });
  } catch (err) {
    const detail = String(err.stderr ?? err.message).split('\n').find((line) => line.includes('ERR')) ?? err.message;
    return `npm install --prefix bench/peers failed: ${detail.trim()}`;
  }
  const left = stale();
  if (left.length > 0) {
    return `npm install --prefix bench/peers left ${left.map(([name, version]) => `${name} at ${installedVersion(name) ?? 'missing'} (wanted ${version})`).join(', ')}`;
  }
  return undefined;
}

/** `1.2.3` → [1, 2, 3] (pre-release and build suffixes ignored). */
function parseVersion(text, what) {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  if (!m) throw new Error(`bench peers: cannot read version "${text}" (${what})`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/**
 * Whether `version` satisfies an npm range of the forms package.json uses: `*`, `1.2.3`, `^1.2.3`, `>=1.2.3`,
 * `<1.2.3` (space = and, `||` = or). Any other form throws, so a new range form is noticed instead of passed.
 */
export function satisfies(version, range) {
  const v = parseVersion(version, 'installed');
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        if (comparator === '*' || comparator === '') return true;
        const m = /^(\^|>=|<|=)?(\d+\.\d+\.\d+)$/.exec(comparator);
        if (!m) throw new Error(`bench peers: range form "${comparator}" (in "${range}") is not understood`);
        const bound = parseVersion(m[2], range);
        if (m[1] === '>=') return compare(v, bound) >= 0;
        if (m[1] === '<') return compare(v, bound) < 0;
        if (m[1] !== '^') return compare(v, bound) === 0;
        // ^: same major (same minor for 0.x), not below the bound
        const upper = bound[0] > 0 ? [bound[0] + 1, 0, 0] : [0, bound[1] + 1, 0];
        return compare(v, bound) >= 0 && compare(v, upper) < 0;
      }),
  );
}

/** The package folder holding a resolved file: the nearest package.json up from it whose name is `name`. */
function packageRootOf(file, name) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && readJson(pkg).name === name) return { dir, version: readJson(pkg).version };
  }
  throw new Error(`bench peers: no package.json named ${name} above ${file}`);
}

/** The bare package names an ES module imports statically (`from "x"`, `from "@scope/x/sub"` → `@scope/x`). */
function importedPackages(file, seen = new Set()) {
  const names = new Set();
  if (seen.has(file)) return [];
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  // The bundles share chunks (tsup splitting): follow the relative imports to them.
  for (const [, relativePath] of text.matchAll(/\b(?:from|import)\s*["'](\.\.?\/[^"']+)["']/g))
    for (const name of importedPackages(join(dirname(file), relativePath), seen)) names.add(name);
  for (const [, specifier] of text.matchAll(/\bfrom\s+["']([^"'./][^"']*)["']/g)) {
    if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names].sort();
}

/**
 * Copies the current build of otel-privacy to bench/peers/node_modules/otel-privacy and checks where its imports
 * resolve from there. Returns `{ versions }` (package name → resolved version) or throws an Error whose message
 * says what is wrong.
 */
export function installOurs() {
  const pkg = readJson(join(ROOT, 'package.json'));
  const entry = join(ROOT, 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error('bench peers: dist/index.js is missing; build first (npx tsup)');
  rmSync(OURS, { recursive: true, force: true });
  mkdirSync(OURS, { recursive: true });
  writeFileSync(join(OURS, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const item of pkg.files) {
    if (!existsSync(join(ROOT, item))) continue; // README.md is optional at run time
    cpSync(join(ROOT, item), join(OURS, item), { recursive: true, filter: (source) => !source.endsWith('.map') });
  }

  const copiedEntry = join(OURS, 'dist', 'index.js');
  const require = createRequire(copiedEntry);
  const versions = {};
  for (const name of importedPackages(copiedEntry)) {
    let resolved;
    try {
      resolved = require.resolve(name);
    } catch (err) {
      throw new Error(`bench peers: ${name} (imported by otel-privacy's dist/index.js) does not resolve from ${relative(ROOT, OURS)}`, { cause: err });
    }
    const { dir, version } = packageRootOf(resolved, name);
    const where = relative(ROOT, dir);
    versions[name] = version;
    if (pkg.dependencies?.[name] !== undefined) {
      if (version !== pkg.dependencies[name]) {
        throw new Error(`bench peers: ${name} resolves from otel-privacy's copy to ${where} at ${version}, but package.json pins ${pkg.dependencies[name]}`);
      }
    } else if (pkg.peerDependencies?.[name] !== undefined) {
      if (!dir.startsWith(PEER_MODULES + sep)) {
        throw new Error(`bench peers: ${name} resolves from otel-privacy's copy to ${where} (${version}), outside bench/peers/node_modules: add it to bench/peers/package.json at its SDK 2.x version`);
      }
      if (!satisfies(version, pkg.peerDependencies[name])) {
        throw new Error(`bench peers: ${name} in bench/peers/node_modules is ${version}, outside otel-privacy's peer range ${pkg.peerDependencies[name]}: change its pin in bench/peers/package.json`);
      }
    } else {
      throw new Error(`bench peers: otel-privacy's dist/index.js imports ${name}, which package.json lists neither in dependencies nor in peerDependencies`);
    }
  }
  const sdk = versions['@opentelemetry/sdk-trace'];
  if (sdk === undefined || parseVersion(sdk, '@opentelemetry/sdk-trace')[0] !== 2) {
    throw new Error(`bench peers: otel-privacy's copy resolves @opentelemetry/sdk-trace ${sdk ?? '(not imported)'}, not the SDK 2.x line the peers run on`);
  }
  return { versions };
}
