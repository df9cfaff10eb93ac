// A uniform random sample of the configured mutants, each tested alone: `npm run test:mutation -- --sample N`.
//
// The configured set (stryker.config.mjs `mutate`, tens of thousands of mutants) takes days on a shared two-core
// machine, so its score is estimated from a simple random sample instead:
//   1. every configured file is instrumented with Stryker's own instrumenter (seconds) and every mutant gets a key
//      (file, place, mutator, replacement: scripts/mutation-sample-key.mjs);
//   2. the N mutants with the smallest SHA-256 of `seed` and key are drawn: a sample without replacement, the same
//      for the same code and seed (default seed 1), written to reports/mutation-sample-<seed>-<N>/sample.json;
//   3. one Stryker run (stryker.sample.config.mjs) instruments the drawn mutants' places only (mutate ranges); the
//      "sample" checker (scripts/stryker-sample-checker.mjs) stops the other mutants of those places (other mutators,
//      nested expressions) before the type check and the tests; the drawn
//      ones are type-checked and tested as usual (perTest coverage) against the unit tests of the library
//      (test/engine, test/processors, test/exporters, test/policy, test/assurance);
//   4. the summary counts the drawn mutants only: the estimated score (detected / valid, a mutant discarded by the type
//      checker is not valid, a timeout counts as detected as in Stryker) with its 95 % Wilson interval, and lists the
//      survivors (reports/mutation-sample-<seed>-<N>/summary.md).
// Incremental per seed and size (reports/stryker-sample-<seed>-<N>.json): a rerun after a change retests only what
// changed, and an interrupted run keeps what it finished (`--summary` then counts the mutants done, which are not a
// uniform sample: Stryker tests file by file).
//
//   node scripts/mutation-sample.mjs N [--seed S]             draw, run, summarize
//   node scripts/mutation-sample.mjs N [--seed S] --summary   summarize the last run of that sample (no run)
//   node scripts/mutation-sample.mjs N [--seed S] --draw      only draw and print the sample
//   node scripts/mutation-sample.mjs --pool                   every sample run so far, pooled (independent seeds:
//                                                             a larger sample without rerunning the first)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { mutantKey } from './mutation-sample-key.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The unit tests of the configured code: the tests a drawn mutant may be killed by (perTest picks among them). */
export const SAMPLE_TESTS = [
  'test/engine/**/*.test.ts',
  'test/processors/**/*.test.ts',
  'test/exporters/**/*.test.ts',
  'test/policy/**/*.test.ts',
  'test/assurance/**/*.test.ts',
];
/**
 * Test files left out: they start the SDK through the register path, which refuses to start in the worker thread
 * Stryker's vitest runner runs tests in (its default pool).
 */
const SAMPLE_TESTS_LEFT_OUT = new Set(['test/policy/signed-manifest.test.ts']);
/** Tests that cannot pass in Stryker's sandbox copy (generated files compared with their generator's output) or on
 * instrumented code (a time bound). */
const SAMPLE_SKIP =
  'up to date|generated and current|linear time on adversarial input|adversarial inputs finish|the labeled corpora';

const quiet = {
  debug() {},
  info() {},
  trace() {},
  isDebugEnabled: () => false,
  isTraceEnabled: () => false,
  warn: console.warn,
  error: console.error,
};

/** Every mutant of the configured files, with its key, in file order. */
export async function listMutants() {
  const { default: base } = await import(path.join(root, 'stryker.config.mjs'));
  const files = [...new Set(base.mutate.flatMap((p) => fs.globSync(p, { cwd: root })))]
    .filter((f) => !f.endsWith('.d.ts'))
    .sort();
  const { mutants } = await new Instrumenter(quiet).instrument(
    files.map((f) => ({ name: f, mutate: true, content: fs.readFileSync(path.join(root, f), 'utf8') })),
    { ignorers: [], excludedMutations: [], plugins: null },
  );
  return {
    files,
    mutants: mutants.map((m) => ({
      key: mutantKey(m.fileName.split(path.sep).join('/'), m),
      file: m.fileName.split(path.sep).join('/'),
      line: m.location.start.line + 1,
      location: m.location,
      mutator: m.mutatorName,
      replacement: m.replacement,
    })),
  };
}

/** The n mutants with the smallest SHA-256 of seed and key: a simple random sample, reproducible. */
export function draw(mutants, n, seed) {
  const rank = (m) => createHash('sha256').update(`${seed}\0${m.key}`).digest('hex');
  return mutants
    .map((m) => [rank(m), m])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([, m]) => m);
}

/** Wilson score interval at 95 % for k successes out of n. */
export function wilson(k, n) {
  if (n === 0) return [0, 1];
  const z = 1.959964;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

const dirOf = (seed, n) => path.join(root, 'reports', `mutation-sample-${seed}-${n}`);
const nameOf = (seed, n) => `sample-${seed}-${n}`;

function runStryker(sampleFile, sample, seed, n, strykerArgs) {
  const core = path.dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'));
  // MUTATION_SAMPLE_TESTS (comma-separated globs) replaces SAMPLE_TESTS: a quicker run whose estimate is a lower bound
  // (mutants those tests do not reach count as not covered).
  const patterns = process.env.MUTATION_SAMPLE_TESTS ? process.env.MUTATION_SAMPLE_TESTS.split(',') : SAMPLE_TESTS;
  const tests = patterns
    .flatMap((p) => fs.globSync(p.trim(), { cwd: root }))
    .filter((t) => !SAMPLE_TESTS_LEFT_OUT.has(t))
    .sort();
  const result = spawnSync(
    process.execPath,
    [path.join(core, 'bin', 'stryker.js'), 'run', 'stryker.sample.config.mjs', ...strykerArgs],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        // Only the drawn mutants' places are instrumented (`file:line:column-line:column`, lines from 1, columns from
        // 0): the instrumented code then runs at nearly the speed of the original in the dry run and every test run (a
        // whole file's mutant switches made heavy tests pass their time limits). A place also holds the other mutants of
        // the same expression and those nested in it; the sample checker stops them.
        MUTATE: sample
          .map(
            ({ file, location: { start, end } }) =>
              `${file}:${start.line + 1}:${start.column}-${end.line + 1}:${end.column}`,
          )
          .join(','),
        MUTATION_NAME: nameOf(seed, n),
        MUTATION_TESTS: tests.join(','),
        MUTATION_SKIP: SAMPLE_SKIP,
        MUTATION_SETUP: '1',
        MUTATION_TEST_TIMEOUT: '120000',
        MUTATION_SAMPLE_FILE: sampleFile,
        MUTATION_STATIC_FILES: path.join(path.dirname(sampleFile), 'files-by-mutant.json'),
      },
    },
  );
  if (result.status !== 0)
    process.stderr.write(`mutation sample: stryker exited with ${result.status ?? result.signal}\n`);
}

/** The drawn mutants' results: from the run's report, or from the incremental file of an interrupted run. */
function resultsOf(seed, n) {
  const report = path.join(root, 'reports', `mutation-${nameOf(seed, n)}`, 'mutation.json');
  const incremental = path.join(root, 'reports', `stryker-${nameOf(seed, n)}.json`);
  const file = [report, incremental]
    .filter((f) => fs.existsSync(f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (file === undefined) return new Map();
  const byKey = new Map();
  for (const [name, f] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')).files)) {
    const rel = path.relative(root, path.resolve(root, name)).split(path.sep).join('/');
    for (const m of f.mutants) {
      // the report counts lines and columns from 1, the instrumenter from 0
      const at = (p) => ({ line: p.line - 1, column: p.column - 1 });
      const loc = { start: at(m.location.start), end: at(m.location.end) };
      byKey.set(mutantKey(rel, { ...m, location: loc }), m);
    }
  }
  return byKey;
}

/**
 * Counts the drawn mutants of one or more samples (each `{ seed, n, sample, population }`; a mutant drawn by two
 * seeds counts once), the estimated score with its interval, and the undetected mutants; written to `out`.
 */
function summarize(samples, out) {
  const counts = {};
  // Valid mutants split by Stryker's "static" flag (hit while no test was running: module-level code, describe
  // bodies, beforeAll hooks), which decides how a mutant is tested (see docs/mutation-testing.md).
  const split = { static: [0, 0], 'not static': [0, 0] };
  const undetected = [];
  const seen = new Set();
  for (const { seed, n, sample } of samples) {
    const results = resultsOf(seed, n);
    for (const m of sample) {
      if (seen.has(m.key)) continue;
      seen.add(m.key);
      const r = results.get(m.key);
      const status = r === undefined || r.status === 'Pending' ? 'NotRun' : r.status;
      counts[status] = (counts[status] ?? 0) + 1;
      const isDetected = status === 'Killed' || status === 'Timeout';
      if (isDetected || status === 'Survived' || status === 'NoCoverage') {
        const part = split[r.static ? 'static' : 'not static'];
        part[0] += isDetected ? 1 : 0;
        part[1] += 1;
      }
      if (status === 'Survived' || status === 'NoCoverage')
        undetected.push({ ...m, status, static: r.static === true });
    }
  }
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  const [lo, hi] = wilson(detected, valid);
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  const parts = Object.entries(split).map(([name, [k, v]]) => {
    const [l, h] = wilson(k, v);
    return `${name}: ${k} / ${v}${v === 0 ? '' : ` = ${pct(k / v)} (${pct(l)} to ${pct(h)})`}`;
  });
  const lines = [
    `${samples.map(({ seed, n }) => `seed ${seed} (${n})`).join(', ')}: ${seen.size} distinct mutants drawn of ` +
      `${samples.map(({ population }) => population).join(' / ')} configured ` +
      `(${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    `statuses: ${Object.entries(counts)
      .map(([s, c]) => `${s} ${c}`)
      .join(', ')}`,
    `valid (tested) ${valid}, detected ${detected} (killed ${counts.Killed ?? 0}, timeout ${counts.Timeout ?? 0})`,
    `estimated score ${valid === 0 ? 'n/a' : pct(detected / valid)}, 95 % Wilson interval ${pct(lo)} to ${pct(hi)}`,
    `detected / valid by kind: ${parts.join('; ')}`,
    '',
    'undetected:',
    ...undetected.map(
      (m) =>
        `- ${m.status}${m.static ? ' (static)' : ''} ${m.file}:${m.line} ${m.mutator} ${JSON.stringify(m.replacement)}`,
    ),
  ];
  const text = `${lines.join('\n')}\n`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  process.stdout.write(`\n${text}`);
}

/** Every sample run so far (reports/mutation-sample-<seed>-<N>/ with a report), pooled. */
function summarizePool() {
  const dirs = fs.existsSync(path.join(root, 'reports'))
    ? fs.readdirSync(path.join(root, 'reports')).filter((d) => /^mutation-sample-.+-\d+$/.test(d))
    : [];
  const samples = dirs
    .map((d) => JSON.parse(fs.readFileSync(path.join(root, 'reports', d, 'sample.json'), 'utf8')))
    .map(({ seed, population, mutants }) => ({ seed, n: mutants.length, population, sample: mutants }))
    .filter(({ seed, n }) => resultsOf(seed, n).size > 0);
  if (samples.length === 0) throw new Error('mutation sample: no sample has been run yet');
  summarize(samples, path.join(root, 'reports', 'mutation-sample-pool.md'));
}

export async function main(args) {
  if (args.includes('--pool')) return summarizePool();
  const seedAt = args.indexOf('--seed');
  // --concurrency C: Stryker's test processes (default 1, stryker.config.mjs); given on to Stryker.
  const concurrencyAt = args.indexOf('--concurrency');
  const strykerArgs = concurrencyAt >= 0 ? ['--concurrency', args[concurrencyAt + 1]] : [];
  const n = Number(
    args.find(
      (a, i) => /^\d+$/.test(a) && (seedAt < 0 || i !== seedAt + 1) && (concurrencyAt < 0 || i !== concurrencyAt + 1),
    ),
  );
  const seed = seedAt >= 0 ? args[seedAt + 1] : '1';
  if (!Number.isInteger(n) || n <= 0) throw new Error('mutation sample: give the sample size, e.g. --sample 300');
  const { mutants } = await listMutants();
  const sample = draw(mutants, n, seed);
  const dir = dirOf(seed, n);
  fs.mkdirSync(dir, { recursive: true });
  const sampleFile = path.join(dir, 'sample.json');
  fs.writeFileSync(
    sampleFile,
    `${JSON.stringify({ seed, root, population: mutants.length, mutants: sample }, null, 1)}\n`,
  );
  if (args.includes('--draw')) {
    for (const m of sample) process.stdout.write(`${m.file}:${m.line} ${m.mutator} ${JSON.stringify(m.replacement)}\n`);
    process.stdout.write(`${sample.length} of ${mutants.length} mutants, seed ${seed}\n`);
    return;
  }
  if (!args.includes('--summary')) runStryker(sampleFile, sample, seed, n, strykerArgs);
  summarize([{ seed, n, sample, population: mutants.length }], path.join(dir, 'summary.md'));
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  });
