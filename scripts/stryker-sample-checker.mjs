// A Stryker checker plugin ("sample") for `npm run test:mutation -- --sample N` (scripts/mutation-sample.mjs): it
// passes the mutants of the drawn sample on to the next checker (TypeScript) and the test runs, and stops every other
// mutant before any check or test ("not in the sample"). Stryker's checker API has only two outcomes, so those
// mutants are reported as compile errors; the sample's summary counts the drawn mutants only, by their key.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CheckStatus } from '@stryker-mutator/api/check';
import { PluginKind, declareFactoryPlugin, tokens } from '@stryker-mutator/api/plugin';
import { mutantKey } from './mutation-sample-key.mjs';

/** Reason given to the mutants the sample leaves out. */
export const NOT_IN_SAMPLE = 'not in the sample';

function createChecker() {
  const file = process.env.MUTATION_SAMPLE_FILE;
  if (!file) throw new Error('stryker-sample-checker: set MUTATION_SAMPLE_FILE to the sample file');
  const sample = JSON.parse(readFileSync(file, 'utf8'));
  const keys = new Set(sample.mutants.map((m) => m.key));
  const relative = (fileName) => {
    const fromCwd = path.relative(process.cwd(), fileName);
    return (fromCwd.startsWith('..') ? path.relative(sample.root, fileName) : fromCwd).split(path.sep).join('/');
  };
  return {
    async init() {},
    async check(mutants) {
      return Object.fromEntries(
        mutants.map((m) => [
          m.id,
          keys.has(mutantKey(relative(m.fileName), m))
            ? { status: CheckStatus.Passed }
            : { status: CheckStatus.CompileError, reason: NOT_IN_SAMPLE },
        ]),
      );
    },
  };
}

createChecker.inject = tokens();

export const strykerPlugins = [declareFactoryPlugin(PluginKind.Checker, 'sample', createChecker)];
