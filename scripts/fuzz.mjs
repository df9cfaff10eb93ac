#!/usr/bin/env node
// The long fuzz run (`npm run fuzz -- --runs 20000`): the same fast-check properties `npm test` runs with moderate
// counts (test/assurance/*-fuzz.test.ts), with FUZZ_RUNS runs each. `--seed N` replays a reported failure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value)) {
    process.stderr.write(`fuzz: --${name} expects an integer\n`);
    process.exit(2);
  }
  return value;
};
const runs = option('runs', 10_000);
const seed = option('seed', undefined);
const env = { ...process.env, FUZZ_RUNS: String(runs), ...(seed === undefined ? {} : { FUZZ_SEED: String(seed) }) };
process.stdout.write(`fuzz: ${runs} runs per property${seed === undefined ? '' : `, seed ${seed}`}\n`);
const suites = readdirSync(join(root, 'test', 'assurance'))
  .filter((name) => name.endsWith('-fuzz.test.ts'))
  .map((name) => `test/assurance/${name}`);
const started = Date.now();
const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...suites, '--testTimeout=0', '--hookTimeout=0'],
  { cwd: root, env, stdio: 'inherit' },
);
process.stdout.write(`fuzz: finished in ${Math.round((Date.now() - started) / 1000)} s\n`);
process.exit(result.status ?? 1);
