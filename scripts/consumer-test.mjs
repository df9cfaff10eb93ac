#!/usr/bin/env node
// Consumer tests (`npm run test:consumer`): builds and packs the package, installs the tarball from scratch into two
// temporary applications — OpenTelemetry JS 2.x under the machine's Node 20 and 3.x under the Node 24 of the dev
// install — and runs the same smoke test in each: CommonJS require and ESM import of 'otel-privacy' (spans, metrics
// and logs sanitized and exported over mTLS to a local receiver), then the register hook with --require and --import.
// Everything received is checked: raw OTLP bytes hold no secret or fake identity, allowed attributes are unchanged,
// hashed ids equal the pseudonym the key predicts, encrypted values decrypt. Then, under the register hook with the
// default policy, the field-canary app (test/assurance/testdata/field-canary-app.ts, bundled) writes a canary into
// every OTLP inventory field it can reach; test/consumer/check-field-canaries.ts holds what arrived to the checks of
// test/assurance/register-field-canaries.test.ts. Installs come from the npm registry.
//   options: --keep (leave the temporary apps), --line 2|3 (only one line), --no-build (pack dist/ as it is: npm test
//   builds it just before)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'test', 'consumer');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const noBuild = args.includes('--no-build');
const onlyLine = args.includes('--line') ? args[args.indexOf('--line') + 1] : undefined;
const failures = [];
const timings = [];

function log(line) {
  process.stdout.write(`consumer: ${line}\n`);
}

async function timed(label, task) {
  const started = Date.now();
  try {
    return await task();
  } finally {
    timings.push([label, Date.now() - started]);
  }
}

/** The machine's Node 20 (outside the project's node_modules/.bin), or undefined. */
function systemNode20() {
  const candidates = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'];
  for (const path of (process.env.PATH ?? '').split(':'))
    if (!path.includes('node_modules')) candidates.push(join(path, 'node'));
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (version.startsWith('v20.')) return { path: candidate, version };
  }
  return undefined;
}

const node24 = join(root, 'node_modules', 'node', 'bin', 'node');
const node24Path = existsSync(node24) ? node24 : join(root, 'node_modules', '.bin', 'node');

const lines = [
  {
    name: 'otel-js-2.x',
    node: systemNode20()?.path,
    deps: [
      '@opentelemetry/api@1.9.1',
      '@opentelemetry/core@2.12.1',
      '@opentelemetry/resources@2.12.1',
      '@opentelemetry/sdk-trace@2.12.1',
      '@opentelemetry/sdk-metrics@2.12.1',
      '@opentelemetry/sdk-logs@0.223.1',
      '@opentelemetry/api-logs@0.223.1',
      '@opentelemetry/otlp-transformer@0.223.1',
      '@opentelemetry/sdk-node@0.223.0',
    ],
  },
  {
    name: 'otel-js-3.x',
    node: node24Path,
    deps: [
      '@opentelemetry/api@1.10.0',
      '@opentelemetry/core@3.1.0',
      '@opentelemetry/resources@3.1.0',
      '@opentelemetry/sdk-trace@3.1.0',
      '@opentelemetry/sdk-metrics@3.1.0',
      '@opentelemetry/sdk-logs@3.1.0',
      '@opentelemetry/otlp-transformer@0.301.0',
      '@opentelemetry/sdk-node@0.301.0',
    ],
  },
].filter((line) => !onlyLine || line.name === `otel-js-${onlyLine}.x`);

/** The mTLS receiver process (test/consumer/receiver.ts) and a way to ask what it got. */
async function startReceiver() {
  const child = spawn(node24Path, ['--import', 'tsx', join(fixtures, 'receiver.ts')], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('receiver exited before it was ready');
  const info = JSON.parse(first.value);
  return {
    info,
    async report() {
      child.stdin.write('report\n');
      const next = await lines.next();
      return JSON.parse(next.value);
    },
    stop() {
      child.stdin.end('stop\n');
    },
  };
}

/**
 * Runs `command` without blocking (the two lines run at the same time) and collects its output; killed after
 * `timeout` milliseconds (code null) so that a hanging run fails instead of hanging the script.
 */
function spawnCollect(command, argv, { cwd, env, timeout = 60_000 }) {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd, env, timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => (stderr += `${error.message}\n`));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function run(node, cwd, argv, env) {
  return spawnCollect(node, argv, { cwd, env: { PATH: process.env.PATH, ...env } });
}

async function collect(receiver, done, timeoutMillis = 15_000) {
  const merged = { spans: [], metrics: [], logRecords: [], clients: [], raw: [], requests: [] };
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const report = await receiver.report();
    merged.spans.push(...report.spans);
    merged.metrics.push(...report.metrics);
    merged.logRecords.push(...report.logRecords);
    merged.clients.push(...report.clients);
    merged.requests.push(...report.requests);
    merged.raw.push(Buffer.from(report.raw, 'base64'));
    if (done(merged) || Date.now() > deadline) return { ...merged, raw: Buffer.concat(merged.raw) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function check(label, condition, detail = '') {
  if (condition) return true;
  failures.push(`${label}${detail ? `: ${detail}` : ''}`);
  log(`FAIL ${label}${detail ? `: ${detail}` : ''}`);
  return false;
}

/** Runs test/consumer/check-field-canaries.ts (tsx, from the repository) with `args`; returns its JSON line and code. */
async function fieldCanaryChecker(args, env = {}) {
  const result = await spawnCollect(
    node24Path,
    ['--import', 'tsx', join(fixtures, 'check-field-canaries.ts'), ...args],
    { cwd: root, env: { PATH: process.env.PATH, ...env } },
  );
  const line = result.stdout.trim().split('\n').pop();
  let parsed;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  return { code: result.code, output: parsed, stderr: result.stderr };
}

/** Bundles the field-canary app (OpenTelemetry packages left to the consumer's install) into `out`. */
async function bundleFieldCanaryApp(out) {
  const { build } = await import(pathToFileURL(join(root, 'node_modules', 'esbuild', 'lib', 'main.js')).href);
  await build({
    entryPoints: [join(root, 'test', 'assurance', 'testdata', 'field-canary-app.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@opentelemetry/*'],
    logLevel: 'error',
  });
}

/** The field-canary run of one line: the app under the register hook, then the shared checks on what arrived. */
async function fieldCanaryRun({ line, nodeVersion, app, work, receiver, inputs }) {
  const label = `${line.name} (${nodeVersion}) field canaries`;
  const service = `field-canaries-${line.name}`;
  const hmacKey = `base64:${randomBytes(32).toString('base64')}`;
  const result = await timed(`${line.name}: run field canaries`, () =>
    run(line.node, app, ['--import', 'otel-privacy/register', 'field-canary-app.mjs', ...inputs.args], {
      ...inputs.env,
      OTEL_SERVICE_NAME: service,
      OTEL_PRIVACY_HMAC_KEY: hmacKey,
      OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.info.endpoint,
      OTEL_EXPORTER_OTLP_CERTIFICATE: receiver.info.ca,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: receiver.info.cert,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: receiver.info.key,
    }),
  );
  if (
    !check(
      `${label}: exits 0`,
      result.code === 0,
      `${result.code}\n${result.stderr.trim().split('\n').slice(-8).join('\n')}`,
    )
  )
    return;
  const mine = (requests) => requests.filter((r) => JSON.stringify(r.decoded).includes(`"${service}"`));
  const got = await collect(receiver, (r) =>
    ['traces', 'metrics', 'logs'].every((signal) => mine(r.requests).some((q) => q.signal === signal)),
  );
  const file = join(work, `${service}.json`);
  writeFileSync(file, JSON.stringify({ stdout: result.stdout, requests: mine(got.requests) }));
  const checked = await timed(`${line.name}: check field canaries`, () =>
    fieldCanaryChecker(['check', file], { OTEL_PRIVACY_HMAC_KEY: hmacKey }),
  );
  if (
    check(
      `${label}: every reachable field written, no canary received, every field's outcome as its class says`,
      checked.code === 0 && checked.output?.problems.length === 0,
      checked.output ? checked.output.problems.join('\n') : checked.stderr.trim().split('\n').slice(-8).join('\n'),
    )
  )
    log(`${label}: ok (${checked.output.fields} fields)`);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'otel-privacy-consumer-'));
  const receivers = [];
  try {
    if (noBuild) {
      if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('--no-build: dist/ is not built (npx tsup)');
    } else
      await timed('build (tsup)', () =>
        execFileSync(node24Path, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js')], {
          cwd: root,
          stdio: 'ignore',
        }),
      );
    const { decryptToken: decrypt } = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
    const packed = await timed('npm pack', () =>
      JSON.parse(
        execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
          cwd: root,
          encoding: 'utf8',
        }),
      ),
    );
    const tarball = join(work, packed[0].filename);
    log(`packed ${packed[0].filename} (${packed[0].entryCount} files, ${packed[0].size} bytes)`);
    const registerReady =
      existsSync(join(root, 'dist', 'register.js')) &&
      packed[0].files.some((file) => file.path === 'dist/register.cjs');
    const fieldCanaryApp = join(work, 'field-canary-app.mjs');
    await timed('bundle the field-canary app', () => bundleFieldCanaryApp(fieldCanaryApp));
    const inputs = (await fieldCanaryChecker(['inputs'])).output;
    if (!inputs) throw new Error('check-field-canaries.ts inputs printed no JSON');

    const hmacKey = `fake-consumer-hmac-${randomBytes(16).toString('hex')}`;
    const encKey = randomBytes(32);
    // The lines run at the same time (an install waits on the registry while the other line type-checks or runs),
    // each with its own receiver: a receiver's report hands over what arrived, so one line must not read another's.
    const runLine = async (line) => {
      if (!line.node) {
        check(`${line.name}: a Node 20 binary on this machine`, false, 'none found outside node_modules');
        return;
      }
      const receiver = await startReceiver();
      receivers.push(receiver);
      const nodeVersion = spawnSync(line.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
      const app = join(work, line.name);
      mkdirSync(app);
      writeFileSync(
        join(app, 'package.json'),
        `${JSON.stringify({ name: `consumer-${line.name}`, version: '1.0.0', private: true }, null, 2)}\n`,
      );
      for (const file of readdirSync(fixtures))
        if (!file.endsWith('.ts')) copyFileSync(join(fixtures, file), join(app, file));
      log(`${line.name}: installing the tarball and ${line.deps.length} OpenTelemetry packages (npm registry)…`);
      const installed = await timed(`${line.name}: npm install`, () =>
        spawnCollect(
          'npm',
          ['install', '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock', tarball, ...line.deps],
          { cwd: app, env: process.env, timeout: 600_000 },
        ),
      );
      if (installed.code !== 0)
        throw new Error(`${line.name}: npm install failed (${installed.code})\n${installed.stderr}`);

      // The type declarations compile against this line's OpenTelemetry packages, with skipLibCheck off, for both the
      // CommonJS (index.d.cts) and the ESM (index.d.ts) entry.
      await timed(`${line.name}: tsc`, async () => {
        writeFileSync(
          join(app, 'tsconfig.json'),
          `${JSON.stringify(
            {
              compilerOptions: {
                strict: true,
                noEmit: true,
                skipLibCheck: false,
                module: 'nodenext',
                moduleResolution: 'nodenext',
                target: 'es2022',
                types: ['node'],
                typeRoots: [join(root, 'node_modules', '@types')],
              },
              files: ['types-check.cts', 'types-check.mts'],
            },
            null,
            2,
          )}\n`,
        );
        const body = [
          "const policy: privacy.Policy = privacy.definePolicy({ version: 1, attributes: { allow: ['http.route'] } });",
          'const processor = new privacy.PrivacySpanProcessor({ policy, next: [] });',
          'void processor;',
          '',
        ].join('\n');
        writeFileSync(join(app, 'types-check.cts'), `import privacy = require('otel-privacy');\n${body}`);
        writeFileSync(join(app, 'types-check.mts'), `import * as privacy from 'otel-privacy';\n${body}`);
        // checking every OpenTelemetry declaration (skipLibCheck off) takes 10 s of CPU: a longer timeout than run()'s
        const tsc = await spawnCollect(
          process.execPath,
          [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app],
          {
            cwd: app,
            env: process.env,
            timeout: 180_000,
          },
        );
        check(
          `${line.name}: type declarations compile (skipLibCheck: false)`,
          tsc.code === 0,
          `${tsc.stdout}${tsc.stderr}`.trim().split('\n').slice(0, 20).join('\n'),
        );
      });

      const runs = [
        { mode: 'cjs', argv: ['smoke.cjs'], service: 'smoke-cjs', library: true },
        { mode: 'esm', argv: ['smoke.mjs'], service: 'smoke-esm', library: true },
        ...(registerReady
          ? [
              {
                mode: 'register-require',
                argv: ['--require', 'otel-privacy/register', 'register-app.cjs'],
                service: `register-${line.name}-cjs`,
                library: false,
              },
              {
                mode: 'register-import',
                argv: ['--import', 'otel-privacy/register', 'register-app.mjs'],
                service: `register-${line.name}-esm`,
                library: false,
              },
            ]
          : []),
      ];
      if (!registerReady) log(`${line.name}: register hook not in the package yet; skipped`);
      for (const { mode, argv, service, library } of runs) {
        const secret = `zqx${randomBytes(8).toString('hex')}`;
        const email = `fz.${randomBytes(5).toString('hex')}@example.com`;
        const user = `fake-user-${randomBytes(4).toString('hex')}`;
        const env = {
          SMOKE_ENDPOINT: receiver.info.endpoint,
          SMOKE_CA: receiver.info.ca,
          SMOKE_CERT: receiver.info.cert,
          SMOKE_KEY: receiver.info.key,
          SMOKE_RUN: `${line.name}-${mode}`,
          SMOKE_SECRET: secret,
          SMOKE_EMAIL: email,
          SMOKE_USER: user,
          SMOKE_MODE: mode,
          SMOKE_HMAC_KEY: hmacKey,
          SMOKE_ENC_KEY: `hex:${encKey.toString('hex')}`,
          ...(library
            ? {}
            : {
                OTEL_SERVICE_NAME: service,
                OTEL_PRIVACY_POLICY: join(app, 'register-policy.yaml'),
                OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
                OTEL_EXPORTER_OTLP_ENDPOINT: receiver.info.endpoint,
                OTEL_EXPORTER_OTLP_CERTIFICATE: receiver.info.ca,
                OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: receiver.info.cert,
                OTEL_EXPORTER_OTLP_CLIENT_KEY: receiver.info.key,
                OTEL_PRIVACY_SELF_METRICS: 'false',
              }),
        };
        const label = `${line.name} (${nodeVersion}) ${mode}`;
        const result = await timed(`${line.name}: run ${mode}`, () => run(line.node, app, argv, env));
        if (
          !check(
            `${label}: exits 0`,
            result.code === 0,
            `${result.code}\n${result.stderr.trim().split('\n').slice(-8).join('\n')}`,
          )
        )
          continue;
        const mine = (items) => items.filter((item) => item.resource['service.name'] === service);
        const got = await collect(
          receiver,
          (r) => mine(r.spans).length > 0 && mine(r.metrics).length > 0 && mine(r.logRecords).length > 0,
        );
        const spans = mine(got.spans);
        const metrics = mine(got.metrics);
        const records = mine(got.logRecords);
        check(
          `${label}: a span, a metric and a log record arrived`,
          spans.length > 0 && metrics.length > 0 && records.length > 0,
          `${spans.length}/${metrics.length}/${records.length}`,
        );
        for (const needle of [secret, email, user])
          check(
            `${label}: raw OTLP bytes free of ${needle === secret ? 'the secret' : needle === email ? 'the email' : 'the raw user id'}`,
            !got.raw.includes(needle),
          );
        check(`${label}: over mTLS (client certificate seen)`, got.clients.includes('client-a'));
        const span = spans[0];
        if (!span) continue;
        const pseudonym = `k1:${createHmac('sha256', hmacKey).update(user).digest().subarray(0, 16).toString('base64url')}`;
        check(
          `${label}: allowed attribute unchanged`,
          span.attributes['http.route'] === '/orders/:id',
          JSON.stringify(span.attributes),
        );
        check(
          `${label}: hashed id equals the predicted pseudonym`,
          span.attributes['user.id'] === pseudonym,
          `${span.attributes['user.id']} vs ${pseudonym}`,
        );
        check(`${label}: dropped keys absent`, !('db.secret' in span.attributes) && !('other.key' in span.attributes));
        if (library) {
          const token = span.attributes['user.email'];
          let plain;
          try {
            plain = decrypt(token, encKey, 'user.email');
          } catch (error) {
            plain = `(${error.message})`;
          }
          check(`${label}: encrypted value decrypts to the original`, plain === email, String(plain));
          check(
            `${label}: allowed free text scanned (email masked)`,
            typeof span.attributes['app.note'] === 'string' && !span.attributes['app.note'].includes(email),
            span.attributes['app.note'],
          );
          check(
            `${label}: resource sanitized`,
            span.resource['smoke.run'] === `${line.name}-${mode}` &&
              !('host.secret' in span.resource) &&
              /^[0-9a-f]{16}$/.test(span.resource['privacy.policy.hash']),
          );
        }
        const metricPoint = JSON.stringify(metrics[0].data);
        check(
          `${label}: metric attributes sanitized before aggregation`,
          metricPoint.includes('/orders/:id') && metricPoint.includes(pseudonym),
          metricPoint.slice(0, 300),
        );
        if (failures.every((failure) => !failure.startsWith(label))) log(`${label}: ok`);
      }
      if (registerReady) {
        copyFileSync(fieldCanaryApp, join(app, 'field-canary-app.mjs'));
        await fieldCanaryRun({ line, nodeVersion, app, work, receiver, inputs });
      }
    };
    await Promise.all(lines.map(runLine));
  } finally {
    for (const receiver of receivers) receiver.stop();
    if (keep) log(`apps kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  for (const [label, millis] of timings) log(`time ${label}: ${(millis / 1000).toFixed(1)} s`);
  if (failures.length > 0) {
    log(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  log('all checks passed');
}

main().catch((error) => {
  process.stderr.write(`consumer: ${error?.stack ?? error}\n`);
  process.exit(1);
});
