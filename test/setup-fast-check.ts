import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fc from 'fast-check';

// Runs in every test process before its test file: the seed of every fast-check property that does not set its own.
// - `FUZZ_SEED=S`: replays a reported failure (every property with seed S).
// - Under CI (`CI=true`): a seed derived from the commit under test, so a CI run and a local `CI=true` run of the same
//   commit draw the same cases (a red CI is reproducible, and a green local run predicts CI). Each commit draws anew.
// - Otherwise fast-check's own random seed: local runs keep exploring.
function commitSeed(): number | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: __dirname, encoding: 'utf8', stdio: 'pipe' });
    return createHash('sha256').update(head.trim()).digest().readInt32BE(0);
  } catch {
    return undefined; // not a git checkout: fast-check's random seed
  }
}

const replay = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const seed = Number.isInteger(replay) ? replay : process.env.CI === 'true' ? commitSeed() : undefined;
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
