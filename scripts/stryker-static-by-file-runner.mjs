// A Stryker test runner plugin ("vitest-static-by-file") for the sampled run (scripts/mutation-sample.mjs): Stryker's
// vitest runner, except that a static mutant runs only the test files that executed its code in the dry run.
//
// A mutant is "static" when the dry run hit it while no test was running: module-level code (tables, compiled
// regular expressions), and any code a test file runs at load time, in a describe body or in a beforeAll hook (a
// pipeline or scanner built once per file). Stryker cannot tell which tests such a mutant affects, so it runs it with
// the mutant active from the start against every test file (`vitest.related` narrows that to the files whose imports
// reach the mutated file: for the engine, nearly the whole unit suite, minutes per mutant). But a test file can only
// observe a mutant whose code runs in its process: the code up to the mutant is the original, so a file that never
// reached it in the dry run does not reach it with the mutant active either. This runner records, per test file,
// every mutant the file hit in the dry run (static or in a test: each file runs in a fresh worker, so the vitest
// runner's per-file coverage is the file's own), and runs a static mutant against those files only, with the mutant
// active from the start (all their tests, none filtered). It is the same assumption Stryker's own perTest coverage
// makes for every other mutant (what the dry run did not execute, no test can kill); nondeterministic tests (random
// inputs not replayed, timing) are its limit in both cases. A static mutant without per-file coverage (none recorded)
// falls back to Stryker's own behaviour.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginKind, commonTokens, declareFactoryPlugin, tokens } from '@stryker-mutator/api/plugin';
import { determineHitLimitReached, toMutantRunResult } from '@stryker-mutator/api/test-runner';

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
    /** @type {Record<string, string[]> | undefined} mutant id: the test files that hit it */
    this.filesByMutant = undefined;
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
      const filesByMutant = {};
      for (const file of this.inner.ctx.state.getFiles()) {
        const coverage = file.meta?.mutantCoverage;
        if (!coverage) continue;
        const ids = new Set(Object.keys(coverage.static ?? {}));
        for (const perTest of Object.values(coverage.perTest ?? {})) for (const id of Object.keys(perTest)) ids.add(id);
        for (const id of ids) (filesByMutant[id] ??= []).push(file.filepath);
      }
      writeFileSync(mapFile(), JSON.stringify(filesByMutant));
      this.filesByMutant = filesByMutant;
    }
    return result;
  }

  async mutantRun(options) {
    if (options.testFilter === undefined && options.mutantActivation === 'static') {
      this.filesByMutant ??= JSON.parse(readFileSync(mapFile(), 'utf8'));
      const files = this.filesByMutant[options.activeMutant.id];
      if (files !== undefined && files.length > 0) {
        // As the vitest runner's mutantRun, with the files that hit the mutant instead of every (related) file.
        const { ctx } = this.inner;
        ctx.provide('mode', 'mutant');
        ctx.provide('hitLimit', options.hitLimit);
        ctx.provide('mutantActivation', options.mutantActivation);
        ctx.provide('activeMutant', options.activeMutant.id);
        const result = await this.inner.run({ testFiles: files });
        const timeOut = determineHitLimitReached(this.inner.readHitCount(), options.hitLimit);
        return toMutantRunResult(timeOut ?? result);
      }
    }
    return this.inner.mutantRun(options);
  }
}

const createInner = createVitestTestRunnerFactory();

function createRunner(injector) {
  return new StaticByFileRunner(createInner(injector));
}
createRunner.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'vitest-static-by-file', createRunner)];
