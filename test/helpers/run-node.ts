import { spawn } from 'node:child_process';

/** What a child Node process printed and how it ended. */
export interface NodeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the Node binary the tests run on (Node 24 from the dev install) with `args` in `cwd`, with only PATH
 * and `env` in its environment, and collects its output.
 */
export function runNode(args: string[], env: Record<string, string | undefined>, cwd: string): Promise<NodeRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
