// otel-privacy benchmarks: `npm run bench` (full), `npm run bench -- --quick` (every scenario briefly,
// a smoke run for CI, figures meaningless), `npm run bench -- --only <text>` (scenarios whose file
// name contains <text>, e.g. `--only export` or `--only 03`). The quick run is part of `npm test`; no
// thresholds fail a run (targets are printed as met / MISSED).
//
// Throughput figures (scenarios 2, 3, 5, 7, 9) use the steady-state method described in bench/lib.mjs:
// the request unit with strings built per request, the SDK's default batch settings, an asynchronous
// no-op exporter, yields to the event loop, 30 alternating rounds × 3 repeats, per-round ratios (median
// and IQR) and an A/A control row per comparison.
//
// Runs every bench/scenarios/*.mjs in name order. A scenario exports
//   export default async function ({ quick }) → Promise<string[]>   (the lines to print)
// and prints one line per figure with the ratio against a baseline measured in the same run;
// helpers (the steady-state rounds, the request unit, medians) are in bench/lib.mjs.
// A scenario that throws is reported and makes the run exit with status 1; a .mjs file there without
// a default export is not a scenario and is skipped with a note (it is never imported).
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    [
      'usage: npm run bench [-- --quick] [-- --only <text>]',
      '  (no option)    every scenario in bench/scenarios/, full method (8-9 minutes on a loaded 2-core machine)',
      '  --quick        every scenario briefly: a smoke run (part of npm test), figures meaningless',
      '  --only <text>  only the scenarios whose file name contains <text> (e.g. --only 02, --only logs)',
      'tools (not scenarios): node bench/tools/ab.mjs (A/B of two builds, steady state),',
      '  node --cpu-prof bench/tools/profile-request.mjs (profile the request unit), node bench/tools/hmac-compare.mjs,',
      "  node bench/tools/profile-split.mjs (where the privacy pipeline's added cost goes, by part of the hot path),",
      "  node bench/tools/request-floor.mjs (the cheapest read / lookup / HMAC per request next to bare: the targets' floor)",
      '  npx node bench/tools/offthread-ab.mjs (an off-thread value-work mode, measured: bench/RESULTS.md)',
    ].join('\n'),
  );
  process.exit(0);
}
const unknown = args.filter(
  (a, i) => a.startsWith('-') && a !== '--quick' && a !== '--only' && args[i - 1] !== '--only',
);
if (unknown.length > 0) {
  console.error(`bench: unknown option ${unknown[0]} (see --help)`);
  process.exit(2);
}
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
if (onlyAt >= 0 && !only) {
  console.error('bench: --only needs a scenario name (part of a file name in bench/scenarios/)');
  process.exit(2);
}
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';

const scenarioDir = join(here, 'scenarios');
const files = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.mjs') && (!only || f.includes(only)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no scenario in bench/scenarios matches "${only}"`);
  process.exit(2);
}

const versionOf = (pkg) => {
  try {
    return JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
};
console.log(
  `otel-privacy bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB; @opentelemetry/sdk-trace ${versionOf('@opentelemetry/sdk-trace')}, ` +
    `api ${versionOf('@opentelemetry/api')}; ${quick ? 'quick (smoke run, figures meaningless)' : 'full'}; ` +
    `${new Date().toISOString().slice(0, 10)}`,
);

let failed = 0;
for (const file of files) {
  const started = Date.now();
  // a script without a default export (a standalone tool parked here) would run its own main on import
  if (!/^export default /m.test(readFileSync(join(scenarioDir, file), 'utf8'))) {
    console.log(`${file}: skipped — no \`export default async function ({ quick })\`, so not a scenario`);
    continue;
  }
  try {
    const { default: scenario } = await import(pathToFileURL(join(scenarioDir, file)).href);
    if (typeof scenario !== 'function') throw new Error('has no default export function ({ quick }) → string[]');
    const lines = await scenario({ quick });
    for (const line of lines) console.log(line);
  } catch (err) {
    failed++;
    console.log(`${file}: FAILED — ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  if (!quick) console.log(`   (${file}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
if (failed > 0) console.log(`${failed} scenario(s) failed`);
// exit explicitly: a scenario's leftover timer or socket must not keep the run alive
process.exit(failed > 0 ? 1 : 0);
