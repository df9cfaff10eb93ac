import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const PEERS = resolve(__dirname, '../peers');

/**
 * Loads a reference package from `test/peers/` (its own install, apart from the project's, so it
 * can pin another OpenTelemetry line), installing that folder from the npm registry on first use.
 */
export function loadPeer<T>(name: string): T {
  if (!existsSync(resolve(PEERS, 'node_modules', name, 'package.json'))) {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
      cwd: PEERS,
      stdio: 'inherit',
    });
  }
  return createRequire(resolve(PEERS, 'package.json'))(name) as T;
}
