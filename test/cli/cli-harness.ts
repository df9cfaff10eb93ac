import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'tsup';
import type { Options } from 'tsup';
import { afterAll, beforeAll } from 'vitest';
import tsupConfig from '../../tsup.config';
import { SCAN_NODE_FLAGS } from '../../cli/tuned-node-process';

/** The repository root. */
export const root = resolve(__dirname, '../..');
/** Fixtures of the CLI tests. */
export const testdata = join(__dirname, 'testdata');

function sourceFiles(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|yaml|json)$/.test(name)) out.push(p);
  }
}

/**
 * The `otel-privacy` binary built from the current sources with the package's own tsup configuration
 * (CLI entry only, ESM, no declarations). Built once per source state into
 * `node_modules/.cache/otel-privacy-cli/<hash>/bin/cli.js` (beside a copy of `policy/default-policy.yaml`,
 * which the bundle reads at `../policy/`), so concurrent test files never race on `dist/` (whose build
 * starts by deleting it) and never run a stale build.
 */
export async function cliBinary(): Promise<string> {
  const files: string[] = [];
  for (const d of ['cli', 'policy', 'processors', 'engine', 'exporters']) sourceFiles(join(root, d), files);
  files.push(join(root, 'package.json'), join(root, 'tsup.config.ts'));
  const h = createHash('sha256');
  for (const f of files) h.update(f).update(readFileSync(f));
  const dir = join(root, 'node_modules/.cache/otel-privacy-cli', h.digest('hex').slice(0, 16));
  const bin = join(dir, 'bin/cli.js');
  if (existsSync(bin)) return bin;
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const base = (Array.isArray(tsupConfig) ? tsupConfig[0] : tsupConfig) as Options;
  await build({
    ...base,
    entry: { cli: join(root, 'cli/main.ts') },
    outDir: join(tmp, 'bin'),
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: false,
    silent: true,
    config: false,
  });
  mkdirSync(join(tmp, 'policy'));
  copyFileSync(join(root, 'policy/default-policy.yaml'), join(tmp, 'policy/default-policy.yaml'));
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another test file built the same sources first
  }
  return bin;
}

/** What a CLI run produced. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the binary in a child process (`node <bin> …args`), optionally feeding standard input. */
export function runCli(
  bin: string,
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    input?: string | Buffer;
    cwd?: string;
    timeoutMillis?: number;
    /** `scan` through its launcher, which starts the scanning process with the tuned V8 flags (two Node starts). */
    launcher?: boolean;
  } = {},
): Promise<CliRun> {
  // `scan` started with its tuned V8 flags already runs in this one process (cli/tuned-node-process.ts): one Node start
  // per run instead of two; the launcher's own path is run where it is the subject (`launcher: true`).
  const flags = args[0] === 'scan' && options.launcher !== true ? SCAN_NODE_FLAGS : [];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...flags, bin, ...args], {
      cwd: options.cwd ?? root,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // killed after this long (code null): only so that a run that hangs fails instead of hanging the test
      timeout: options.timeoutMillis,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}

/** Fresh keys for one test file, in the policy's key format (generated at test time, never committed). */
export function testKeys(): { OTEL_PRIVACY_HMAC_KEY: string; OTEL_PRIVACY_ENC_KEY: string } {
  return {
    OTEL_PRIVACY_HMAC_KEY: `base64:${randomBytes(32).toString('base64')}`,
    OTEL_PRIVACY_ENC_KEY: `base64:${randomBytes(32).toString('base64')}`,
  };
}

/**
 * For a test file that runs `scan`: a temporary directory (removed after the file) holding `policy.yaml` with
 * `policy`, and the built binary (read `bin()` inside tests).
 */
export function scanFixture(prefix: string, policy: string): { dir: string; policyFile: string; bin: () => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, policy);
  let bin = '';
  beforeAll(async () => {
    bin = await cliBinary();
  }, 120_000);
  return { dir, policyFile, bin: () => bin };
}
