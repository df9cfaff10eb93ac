/**
 * Number of fast-check runs for a fuzz property: `FUZZ_RUNS` from the environment (the long run, `npm run fuzz`),
 * else the moderate count `npm test` uses.
 */
export function fuzzRuns(moderate: number): number {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : moderate;
}

/** fast-check parameters shared by the fuzz suites: run count, and `FUZZ_SEED` to replay a reported failure. */
export function fuzzParameters(moderate: number): { numRuns: number; seed?: number } {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns: fuzzRuns(moderate), ...(Number.isInteger(seed) ? { seed } : {}) };
}
