import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const PEERS = resolve(__dirname, '../peers');
/** Held (as a directory: creating one is atomic) by the one test process that installs `test/peers/`. */
const LOCK = resolve(PEERS, '.install-lock');
/** A lock older than this was left by a process that died mid-install. */
const STALE_LOCK_MILLIS = 5 * 60_000;

function sleep(millis: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, millis);
}

function installed(name: string): boolean {
  return existsSync(resolve(PEERS, 'node_modules', name, 'package.json'));
}

/**
 * Installs `test/peers/` from the npm registry unless `name` is already there. Test files run in parallel processes
 * and several load peers: one installs while the others wait for it (two npm installs in one folder corrupt it).
 */
function ensureInstalled(name: string): void {
  while (!installed(name)) {
    try {
      mkdirSync(LOCK);
    } catch {
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MILLIS) rmSync(LOCK, { recursive: true, force: true });
      else sleep(250);
      continue;
    }
    try {
      if (!installed(name))
        execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
          cwd: PEERS,
          stdio: 'inherit',
        });
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
    if (!installed(name)) throw new Error(`test/peers: npm install did not install ${name}`);
  }
}

/**
 * Loads a reference package from `test/peers/` (its own install, apart from the project's, so it
 * can pin another OpenTelemetry line), installing that folder from the npm registry on first use.
 */
export function loadPeer<T>(name: string): T {
  ensureInstalled(name);
  return createRequire(resolve(PEERS, 'package.json'))(name) as T;
}
