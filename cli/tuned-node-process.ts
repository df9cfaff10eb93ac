import { spawn } from 'node:child_process';

/**
 * V8 flags for streaming scans. Node's default young generation grows to tens of MB, and objects that
 * live across a few `await`s (one export request) get promoted and pile up until a full collection:
 * a 200 MB scan peaked above 250 MB RSS with the defaults and at about 140 MB with a 2 MB semi-space,
 * at the same speed. V8 reads these flags only at start-up, so `scan` runs in a child process that has them.
 */
export const SCAN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/** Set in the child so it does not start another one. */
const CHILD_ENV = 'OTEL_PRIVACY_CLI_TUNED';

/**
 * Runs this CLI again in a child process started with `flags` (same arguments, standard streams
 * inherited, signals forwarded) and resolves to its exit code; returns `undefined` when this process
 * already is that child, or was started with its own semi-space setting.
 */
export function rerunWithNodeFlags(flags: readonly string[], args: readonly string[]): Promise<number> | undefined {
  if (process.env[CHILD_ENV] === '1' || process.execArgv.some((a) => a.startsWith('--max-semi-space-size')))
    return undefined;
  const script = process.argv[1];
  if (script === undefined) return undefined;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, [CHILD_ENV]: '1' },
    });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (err) => {
      process.stderr.write(`otel-privacy: cannot start ${process.execPath}: ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
