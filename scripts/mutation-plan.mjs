// Mutation testing one module at a time: `npm run test:mutation` (not part of `npm test`).
//
// The configured set (stryker.config.mjs, about 17 800 mutants) does not fit on a shared two-core machine in one run,
// so each module of PLAN below is run on its own against the test files that exercise it
// (stryker.module.config.mjs), with its own incremental file (reports/stryker-<name>.json): a module already run is
// retested only where its code or tests changed. Modules run one after another, never in parallel.
//
//   node scripts/mutation-plan.mjs                  every module of the plan, in order
//   node scripts/mutation-plan.mjs --pending        only modules with no report yet (continue where a session stopped)
//   node scripts/mutation-plan.mjs NAME [NAME...]   the named modules
//   node scripts/mutation-plan.mjs --summary        no run: the table of the reports in reports/
//   node scripts/mutation-plan.mjs --list           the plan, and the configured files no module covers
//   node scripts/mutation-plan.mjs --sample N [--seed S] [--summary]
//                                                   a seeded random sample of N mutants of the whole configured set,
//                                                   each tested alone: the estimated score with its 95 % interval
//                                                   (scripts/mutation-sample.mjs)
//
// After the runs it prints a table (module, mutants, killed, timeout, survived, no coverage, score, run time) and
// writes it to reports/mutation-summary.md. See docs/mutation-testing.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The modules, in the order they are run: `mutate` the files, `tests` the test files that exercise them, `skip` an
 * optional regular expression on test names that cannot pass in Stryker's sandbox copy.
 */
export const PLAN = [
  {
    name: 'sanitize-resource',
    mutate: ['processors/resource/sanitize-resource.ts'],
    tests: [
      'test/processors/resource/sanitize-resource.test.ts',
      'test/engine/sanitized-mark.test.ts',
      'test/policy/default-policy-resource.test.ts',
    ],
  },
  {
    name: 'k-anonymity',
    mutate: ['processors/metrics/metric-k-anonymity.ts'],
    tests: [
      'test/processors/metrics/k-anonymity.test.ts',
      'test/processors/metrics/hot-reload.test.ts',
      'test/processors/metrics/privacy-metric-exporter.test.ts',
    ],
  },
  {
    name: 'span-processor',
    mutate: ['processors/traces/privacy-span-processor.ts'],
    tests: [
      'test/processors/traces/privacy-span-processor.test.ts',
      'test/processors/traces/span-processor-paths.test.ts',
      'test/assurance/fail-closed.test.ts',
      'test/processors/sampling/privacy-sampling.test.ts',
      'test/processors/consent/consent-gating.test.ts',
    ],
  },
  {
    name: 'spool-key',
    mutate: ['exporters/spool-key.ts'],
    tests: [
      'test/exporters/config-and-policy.test.ts',
      'test/exporters/secrets-never-printed.test.ts',
      'test/exporters/encrypted-spool.test.ts',
      'test/exporters/spool-key.test.ts',
    ],
  },
  {
    name: 'span-redactor',
    mutate: ['processors/traces/span-redactor.ts'],
    tests: [
      'test/processors/traces/privacy-span-processor.test.ts',
      'test/processors/traces/privacy-property.test.ts',
      'test/processors/traces/statement-spans.test.ts',
      'test/processors/traces/start-pass-trust.test.ts',
    ],
  },
  {
    name: 'spool',
    mutate: ['exporters/encrypted-spool.ts'],
    tests: [
      'test/exporters/encrypted-spool.test.ts',
      'test/exporters/spool-durability.test.ts',
      'test/exporters/spool-replay-guard.test.ts',
      'test/exporters/spool-flush.test.ts',
      'test/exporters/retry-and-spool.test.ts',
      'test/exporters/spool-edges.test.ts',
      'test/exporters/spool-unwritable-start.test.ts',
    ],
  },
  {
    name: 'field-encryption',
    mutate: ['engine/crypto/field-encryption.ts', 'engine/crypto/deterministic-sealer.ts'],
    tests: [
      'test/engine/deterministic-encryption.test.ts',
      'test/engine/recipient-encryption.test.ts',
      'test/policy/key-rings.test.ts',
    ],
  },
  {
    name: 'trace-state',
    mutate: ['engine/trace-state.ts'],
    tests: [
      'test/engine/trace-state.test.ts',
      'test/engine/trace-state-grammar.test.ts',
      'test/processors/traces/trace-state.test.ts',
    ],
  },
  {
    name: 'attribute-rules',
    mutate: ['engine/attribute-rules.ts'],
    tests: [
      'test/engine/keys-by-meaning.test.ts',
      'test/engine/engine-caches.test.ts',
      'test/engine/value-channels.test.ts',
      'test/engine/attribute-rules-decisions.test.ts',
      'test/policy/policy.test.ts',
      'test/policy/semconv-default-policy.test.ts',
    ],
    skip: 'up to date|generated and current',
  },
  {
    name: 'pseudonyms',
    mutate: ['engine/crypto/hmac-sha256.ts', 'engine/crypto/pseudonymizer.ts'],
    tests: ['test/engine/pseudonyms.test.ts'],
  },
  {
    name: 'consent',
    mutate: ['engine/consent/consent-context.ts', 'engine/consent/consent-gate.ts', 'engine/consent/opt-out-set.ts'],
    tests: ['test/processors/consent/consent-edges.test.ts', 'test/processors/consent/consent-gating.test.ts'],
  },
  {
    name: 'certificate-pins',
    mutate: ['exporters/certificate-pins.ts'],
    tests: ['test/exporters/tls-refusals.test.ts', 'test/exporters/secure-exporters.test.ts'],
  },
  {
    // Reached through the value scanner only: the outside-attack file sends markup through real providers; the
    // labeled-secret values file pins that `<your-password>` stays text.
    name: 'markup-view',
    mutate: ['engine/detectors/markup-view.ts'],
    tests: [
      'test/assurance/outside-attack-markup.test.ts',
      'test/engine/detectors/edges/labeled-secret-values.test.ts',
      'test/engine/detectors/value-scanner.test.ts',
    ],
  },
  {
    // The people and credential segments: the URL oracle (where the rule applies), the name-token rule tables and the
    // legit-routes corpus (which words stay), the outside-attack file (every URL field through real providers).
    name: 'people-routes',
    mutate: ['engine/sanitizers/people-routes.ts'],
    tests: [
      'test/engine/sanitizers/url-whatwg-oracle.test.ts',
      'test/engine/sanitizers/name-tokens-rules.test.ts',
      'test/processors/traces/span-name-leaks.test.ts',
      'test/assurance/outside-attack-people-paths.test.ts',
    ],
  },
  {
    // Reached through the value scanner: no test file imports it by path (`labeled-set`, `adversarial`: left out).
    name: 'labeled-secret',
    mutate: ['engine/detectors/labeled-secret.ts'],
    tests: [
      'test/engine/detectors/edges/labeled-secret-values.test.ts',
      'test/engine/detectors/edges/labeled-secret-cookie-headers.test.ts',
      'test/engine/detectors/edges/labeled-secret.test.ts',
      'test/engine/detectors/edges/labeled-secret-separators.test.ts',
      'test/engine/detectors/edges/labeled-secret-cookie-objects.test.ts',
      'test/engine/detectors/long-secret-values.test.ts',
      'test/processors/labeled-secrets.test.ts',
      'test/engine/detectors/detectors.test.ts',
      'test/engine/detectors/exact-corpora.test.ts',
      'test/engine/detectors/cookie-header-in-name.test.ts',
      'test/engine/detectors/edges/labeled-secret-prose.test.ts',
      'test/engine/detectors/edges/labeled-secret-prose-edges.test.ts',
      'test/engine/detectors/edges/labeled-secret-members.test.ts',
      'test/engine/detectors/edges/labeled-secret-pass.test.ts',
      'test/engine/detectors/edges/labeled-secret-lookalikes.test.ts',
      'test/assurance/outside-attack-prose-labels.test.ts',
    ],
  },
  {
    // The look-alike table: read by labeled-secret's labels, api-token's prefixes and the key names (key-meaning).
    name: 'lookalikes',
    mutate: ['engine/detectors/lookalikes.ts'],
    tests: [
      'test/engine/detectors/edges/labeled-secret-lookalikes.test.ts',
      'test/engine/detectors/edges/labeled-secret-prose.test.ts',
      'test/engine/detectors/edges/api-token-providers.test.ts',
      'test/engine/keys-by-meaning.test.ts',
      'test/assurance/outside-attack-credential-keys.test.ts',
    ],
  },
  {
    // The spaced view is reached through the value scanner: the files that import it by path assert the pre-filter's
    // condition, the scanner files below what is found in spaced text (`adversarial.test.ts`: minutes, left out).
    name: 'spaced-view',
    mutate: ['engine/detectors/spaced-view.ts'],
    tests: [
      'test/engine/detectors/spaced-word.test.ts',
      'test/engine/detectors/separator-runs.test.ts',
      'test/engine/detectors/prefilter.test.ts',
      'test/engine/detectors/edges/prefilter-narrowing.test.ts',
      'test/engine/detectors/detectors.test.ts',
      'test/engine/detectors/separator-classes.test.ts',
      'test/engine/detectors/edges/email-obfuscated.test.ts',
      'test/assurance/outside-attack-group-separators.test.ts',
      'test/assurance/outside-attack-structure-evasions.test.ts',
      'test/assurance/outside-attack-escaped-spacing.test.ts',
      'test/assurance/outside-attack-quoted-local-spaced.test.ts',
    ],
  },
  {
    // span-name identifier tokens: most tests reach the file through the policy (the derived list found three)
    name: 'name-tokens',
    mutate: ['engine/sanitizers/name-tokens.ts'],
    tests: [
      'test/engine/sanitizers/name-tokens-rules.test.ts',
      'test/engine/sanitizers/name-tokens.test.ts',
      'test/engine/sanitizers/name-tokens-id-digits.test.ts',
      'test/processors/traces/span-name-leaks.test.ts',
      'test/processors/token-host-evasions.test.ts',
      'test/processors/value-evasions.test.ts',
    ],
  },
  {
    // Mostly reached through the value scanner (the derived list found the seven files that import it by path).
    name: 'payment-card',
    mutate: ['engine/detectors/payment-card.ts'],
    tests: [
      'test/engine/detectors/edges/payment-card.test.ts',
      'test/engine/detectors/edges/payment-card-hex-words.test.ts',
      'test/engine/detectors/edges/payment-card-id-labels.test.ts',
      'test/engine/detectors/edges/payment-card-issuers.test.ts',
      'test/engine/detectors/edges/payment-card-notations.test.ts',
      'test/engine/detectors/edges/payment-card-separators.test.ts',
      'test/engine/detectors/edges/payment-card-track2.test.ts',
      'test/engine/detectors/edges/payment-card-windows.test.ts',
      'test/engine/detectors/edges/payment-card-groupings.test.ts',
      'test/engine/detectors/edges/payment-card-joints.test.ts',
      'test/engine/detectors/card-in-long-word.test.ts',
      'test/engine/detectors/separator-classes.test.ts',
      'test/engine/detectors/separator-runs.test.ts',
      'test/engine/detectors/detectors.test.ts',
      'test/processors/metrics/metric-value-guard.test.ts',
      'test/processors/metrics/metric-value-guard-rules.test.ts',
      'test/assurance/outside-attack-card-extra-group.test.ts',
    ],
  },
  {
    // Reached through the value scanner (the derived list found none): the edge suites, the vendor file, and the
    // outside-attack files that write look-alike prefixes and tokens in host names.
    name: 'api-token',
    mutate: ['engine/detectors/api-token.ts'],
    tests: [
      'test/engine/detectors/edges/api-token-rule-edges.test.ts',
      'test/engine/detectors/edges/api-token.test.ts',
      'test/engine/detectors/edges/api-token-providers.test.ts',
      'test/engine/detectors/vendor-credentials.test.ts',
      'test/processors/token-host-evasions.test.ts',
      'test/assurance/outside-attack-token-prefixes.test.ts',
      'test/assurance/outside-attack-structure-evasions.test.ts',
      'test/assurance/boundary-behaviour.test.ts',
      'test/engine/detectors/detectors.test.ts',
    ],
  },
  {
    // Reached through the value scanner (the derived list found none); the separator and normalized-view files hold
    // the dotted and folded forms, the exact corpora the precedence.
    name: 'bearer-token',
    mutate: ['engine/detectors/bearer-token.ts'],
    tests: [
      'test/engine/detectors/edges/bearer-token-rule-edges.test.ts',
      'test/engine/detectors/edges/bearer-token.test.ts',
      'test/engine/detectors/edges/bearer-scheme-words.test.ts',
      'test/engine/detectors/detector-edges.test.ts',
      'test/processors/token-host-evasions.test.ts',
      'test/engine/detectors/leak-classes.test.ts',
      'test/engine/detectors/evasion-gaps.test.ts',
      'test/engine/detectors/normalized-views.test.ts',
      'test/engine/detectors/separator-classes.test.ts',
      'test/engine/detectors/exact-corpora.test.ts',
      'test/engine/detectors/detectors.test.ts',
    ],
  },
  {
    // The derived list has the oracle only: the Go DSN files reach the detector through the value scanner.
    name: 'url-credentials',
    mutate: ['engine/detectors/url-credentials.ts'],
    tests: [
      'test/engine/detectors/edges/url-credentials-go-dsn.test.ts',
      'test/engine/detectors/edges/url-credentials.test.ts',
      'test/engine/detectors/edges/url-credentials-oracle.test.ts',
      'test/engine/detectors/edges/value-scanner-clusters.test.ts',
      'test/engine/detectors/edges/api-token-providers.test.ts',
      'test/assurance/outside-attack-token-providers.test.ts',
    ],
  },
  {
    // The UUID guard is pinned in the edge file and by the outside-attack boundaries file.
    name: 'iban',
    mutate: ['engine/detectors/iban.ts'],
    tests: [
      'test/engine/detectors/edges/iban.test.ts',
      'test/engine/detectors/detectors.test.ts',
      'test/engine/detectors/edges/prefilter-narrowing.test.ts',
      'test/assurance/outside-attack-boundaries.test.ts',
    ],
  },
];

const reportOf = (name) => path.join(root, 'reports', `mutation-${name}`, 'mutation.json');
const timesFile = path.join(root, 'reports', 'mutation-plan-times.json');
const readJson = (file, fallback) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : fallback);

/** Counts of one module's last report, or undefined when it has none. */
function countsOf(name) {
  const report = readJson(reportOf(name), undefined);
  if (report === undefined) return undefined;
  const c = { mutants: 0, Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0 };
  for (const file of Object.values(report.files))
    for (const m of file.mutants) {
      c.mutants++;
      c[m.status] = (c[m.status] ?? 0) + 1;
    }
  return c;
}

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(2)} %`);
const duration = (s) => (s === undefined ? '' : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

function summary(plan) {
  const times = readJson(timesFile, {});
  const rows = [
    '| module | mutants | valid | killed | timeout | survived | no coverage | score (valid) | last run | run time |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const total = { valid: 0, detected: 0 };
  let notRun = 0;
  for (const m of plan) {
    const c = countsOf(m.name);
    if (c === undefined) {
      if (m.derived) notRun++;
      else rows.push(`| ${m.name} | not run yet | | | | | | | | |`);
      continue;
    }
    const detected = c.Killed + c.Timeout;
    const valid = detected + c.Survived + c.NoCoverage;
    total.valid += valid;
    total.detected += detected;
    const t = times[m.name] ?? {};
    rows.push(
      `| ${m.name} | ${c.mutants} | ${valid} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ` +
        `${pct(detected, valid)} | ${t.date ?? ''} | ${duration(t.seconds)} |`,
    );
  }
  rows.push(
    `| **modules run** | | ${total.valid} | ${total.detected} detected | | | | **${pct(total.detected, total.valid)}** | | |`,
  );
  const text =
    `${rows.join('\n')}\n\nBy Stryker's report, before any survivor is judged equivalent or checked by hand. ` +
    `${notRun} more configured files (one derived module each, see --list) have not been run.\n`;
  mkdirSync(path.join(root, 'reports'), { recursive: true });
  writeFileSync(path.join(root, 'reports', 'mutation-summary.md'), text);
  process.stdout.write(`\n${text}`);
}

/** Configured files (stryker.config.mjs `mutate`) that no module of the plan covers. */
async function unplanned() {
  const { default: base } = await import(path.join(root, 'stryker.config.mjs'));
  const planned = new Set(PLAN.flatMap((m) => m.mutate));
  const files = new Set(base.mutate.flatMap((pattern) => fs.globSync(pattern, { cwd: root })));
  return [...files].filter((f) => !f.endsWith('.d.ts') && !planned.has(f)).sort();
}

/**
 * A module for a configured file the plan does not name: the file alone, against the test files that import it by
 * its path (`…/attribute-redactor'`). Tests that reach it only through `index.ts` are not found, so such a run is a
 * lower bound; name the module in PLAN with its real tests once it has been looked at.
 */
function derivedModule(file, testTexts) {
  const stem = path.basename(file, '.ts');
  const tests = testTexts.filter(([, text]) => text.includes(`/${stem}'`)).map(([test]) => test);
  return { name: file.replace(/\.ts$/, '').replaceAll('/', '-'), mutate: [file], tests, derived: true };
}

/** The plan's modules, then one derived module per configured file it does not name. */
async function fullPlan() {
  const testTexts = fs
    .globSync('test/**/*.test.ts', { cwd: root })
    .sort()
    .map((test) => [test, readFileSync(path.join(root, test), 'utf8')]);
  return [...PLAN, ...(await unplanned()).map((file) => derivedModule(file, testTexts))];
}

function run(module) {
  for (const test of module.tests)
    if (!existsSync(path.join(root, test))) throw new Error(`mutation plan: ${module.name}: no test file ${test}`);
  const core = path.dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'));
  const stryker = path.join(core, 'bin', 'stryker.js');
  const started = Date.now();
  process.stdout.write(`\n=== ${module.name}: ${module.mutate.join(', ')}\n`);
  const result = spawnSync(process.execPath, [stryker, 'run', 'stryker.module.config.mjs'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      MUTATE: module.mutate.join(','),
      MUTATION_NAME: module.name,
      MUTATION_TESTS: module.tests.join(','),
      ...(module.skip ? { MUTATION_SKIP: module.skip } : {}),
    },
  });
  const times = readJson(timesFile, {});
  times[module.name] = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    seconds: (Date.now() - started) / 1000,
  };
  mkdirSync(path.dirname(timesFile), { recursive: true });
  writeFileSync(timesFile, `${JSON.stringify(times, null, 2)}\n`);
  if (result.status !== 0)
    throw new Error(`mutation plan: ${module.name}: stryker exited with ${result.status ?? result.signal}`);
}

async function main(args) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22)
    throw new Error(`mutation plan: Stryker needs Node 22 or later, this is ${process.version} (use npm run)`);
  const sampleAt = args.indexOf('--sample');
  if (sampleAt >= 0) {
    const { main: sample } = await import('./mutation-sample.mjs');
    return sample([...args.slice(0, sampleAt), ...args.slice(sampleAt + 1)]);
  }
  const plan = await fullPlan();
  if (args.includes('--summary')) return summary(plan);
  if (args.includes('--list')) {
    for (const m of plan)
      process.stdout.write(
        `${m.name}${m.derived ? ' (derived)' : ''}: ${m.mutate.join(', ')}\n  tests: ${m.tests.join(', ') || 'none found'}\n`,
      );
    return;
  }
  const names = args.filter((a) => !a.startsWith('--'));
  for (const n of names) if (!plan.some((m) => m.name === n)) throw new Error(`mutation plan: no module named ${n}`);
  const chosen = plan.filter(
    (m) =>
      (names.length === 0 || names.includes(m.name)) &&
      (!args.includes('--pending') || countsOf(m.name) === undefined) &&
      m.tests.length > 0,
  );
  for (const m of chosen) run(m);
  summary(plan);
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
});
