#!/usr/bin/env node
// The long fuzz run (`npm run fuzz -- --runs 20000`): the same fast-check properties `npm test` runs with moderate
// counts (test/assurance/*-fuzz.test.ts), with FUZZ_RUNS runs each. `--seed N` replays a reported failure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNumericOptions } from './numeric-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runs, seed } = parseNumericOptions('fuzz', process.argv.slice(2), {
  runs: { kind: 'integer', default: 10_000 },
  seed: { kind: 'integer' },
});
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
