// A Stryker test runner plugin ("vitest-static-by-file") for the sampled run (scripts/mutation-sample.mjs): Stryker's
// vitest runner with two changes that make a run of the whole unit suite affordable without judging any mutant on
// fewer tests than could kill it.
//
// 1. A static mutant runs only where the dry run executed its code. A mutant is "static" when the dry run hit it while
//    no test was running: module-level code (tables, compiled regular expressions), and any code a test file runs at
//    load time, in a describe body or in a beforeAll hook (a pipeline or scanner built once per file). Stryker cannot
//    tell which tests such a mutant affects, so it runs every test file with the mutant active from the start (with
//    `vitest.related`, the files whose imports reach the mutated file: for the engine, nearly the whole unit suite,
//    minutes per mutant on a loaded machine). This runner records where the dry run hit each mutant (each test file
//    runs in a fresh worker, so the coverage the vitest runner keeps per file is that file's own) and runs a static
//    mutant, active from the start, against every test of the files that hit it outside a test (their setup may carry
//    it into any of their tests), then against the tests of other files that hit it inside the test. A file or test
//    that never reached the mutant's code in the dry run does not reach it with the mutant active either (the code
//    up to the mutant is the original): the same assumption Stryker's perTest coverage makes for every other mutant,
//    with the same limit (tests that are not deterministic: random inputs not replayed, timing, state one test leaves
//    for another).
// 2. A mutant covered by tests runs those tests only. The config's test name pattern (MUTATION_SKIP) is a vitest
//    override that replaced the runner's filter, so every test of a covering file ran.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginKind, commonTokens, declareFactoryPlugin, tokens } from '@stryker-mutator/api/plugin';
import { TestStatus, determineHitLimitReached, toMutantRunResult } from '@stryker-mutator/api/test-runner';

const runnerDir = path.dirname(createRequire(import.meta.url).resolve('@stryker-mutator/vitest-runner/package.json'));
const { createVitestTestRunnerFactory } = await import(
  pathToFileURL(path.join(runnerDir, 'dist', 'src', 'vitest-test-runner.js')).href
);

/** Where the dry run's runner leaves the per-file coverage for the other runner processes. */
const mapFile = () => {
  const file = process.env.MUTATION_STATIC_FILES;
  if (!file) throw new Error('stryker-static-by-file-runner: set MUTATION_STATIC_FILES');
  return file;
};

class StaticByFileRunner {
  /** @param {import('@stryker-mutator/api/test-runner').TestRunner & { ctx: any, run: Function, readHitCount: Function }} inner */
  constructor(inner) {
    this.inner = inner;
    /** @type {Record<string, { static: string[], tests: string[] }> | undefined} mutant id: where the dry run hit it */
    this.hits = undefined;
  }

  capabilities() {
    return this.inner.capabilities();
  }

  init() {
    return this.inner.init();
  }

  dispose() {
    return this.inner.dispose();
  }

  async dryRun(options) {
    const result = await this.inner.dryRun(options);
    if (result.status === 'complete') {
      const hits = {};
      const at = (id) => (hits[id] ??= { static: [], tests: [] });
      for (const file of this.inner.ctx.state.getFiles()) {
        const coverage = file.meta?.mutantCoverage;
        if (!coverage) continue;
        for (const id of Object.keys(coverage.static ?? {})) at(id).static.push(file.filepath);
        for (const [test, ids] of Object.entries(coverage.perTest ?? {}))
          for (const id of Object.keys(ids)) at(id).tests.push(test);
      }
      writeFileSync(mapFile(), JSON.stringify(hits));
      this.hits = hits;
    }
    return result;
  }

  /**
   * Runs `run` without the config's test name pattern (MUTATION_SKIP): vitest lets that pattern override the one the
   * runner sets for a test filter, so every test of a covering file ran instead of the covering tests. A filter never
   * names a skipped test (those did not run in the dry run, so they cover nothing).
   */
  async withoutSkipPattern(run) {
    const override = this.inner.ctx.configOverride;
    const pattern = override?.testNamePattern;
    if (pattern !== undefined) delete override.testNamePattern;
    try {
      return await run();
    } finally {
      if (pattern !== undefined) override.testNamePattern = pattern;
    }
  }

  async mutantRun(options) {
    if (options.testFilter !== undefined) return this.withoutSkipPattern(() => this.inner.mutantRun(options));
    if (options.mutantActivation !== 'static') return this.inner.mutantRun(options);
    this.hits ??= JSON.parse(readFileSync(mapFile(), 'utf8'));
    const hit = this.hits[options.activeMutant.id];
    if (hit === undefined) return this.inner.mutantRun(options);
    // As the vitest runner's mutantRun (the mutant active from the start), against: every test of the files that hit
    // the mutant outside a test (their setup may carry it into any of their tests), then, in the other files, the
    // tests that hit it.
    const { ctx } = this.inner;
    ctx.provide('mode', 'mutant');
    ctx.provide('hitLimit', options.hitLimit);
    ctx.provide('mutantActivation', options.mutantActivation);
    ctx.provide('activeMutant', options.activeMutant.id);
    const staticFiles = new Set(hit.static);
    const tests = hit.tests.filter((t) => !staticFiles.has(t.slice(0, t.indexOf('#'))));
    const results = [];
    let hitCount = 0;
    if (staticFiles.size > 0) {
      results.push(await this.inner.run({ testFiles: [...staticFiles] }));
      hitCount += this.inner.readHitCount();
    }
    const failed = (r) => r.status !== 'complete' || r.tests.some((t) => t.status === TestStatus.Failed);
    if (tests.length > 0 && !results.some(failed)) {
      results.push(await this.withoutSkipPattern(() => this.inner.run({ testIds: tests })));
      hitCount += this.inner.readHitCount();
    }
    const timeOut = determineHitLimitReached(hitCount, options.hitLimit);
    const notComplete = results.find((r) => r.status !== 'complete');
    const result = notComplete ?? { status: 'complete', tests: results.flatMap((r) => r.tests) };
    return toMutantRunResult(timeOut ?? result);
  }
}

const createInner = createVitestTestRunnerFactory();

function createRunner(injector) {
  return new StaticByFileRunner(createInner(injector));
}
createRunner.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'vitest-static-by-file', createRunner)];
