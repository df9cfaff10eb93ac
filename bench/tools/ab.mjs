// A/B of two builds on the steady-state method (not a scenario of `npm run bench`): the request unit of
// bench/lib.mjs through bare pipelines (twice: the A/A control) and through PrivacySpanProcessor of build A and of
// build B with the same policy document, interleaved in one process (alternating order, per-round ratios, median and
// IQR), so a hot-path change is compared with its baseline on a loaded machine. A build is a copy of `dist/`
// somewhere under this checkout (so its imports resolve), e.g. `cp -r dist node_modules/.ab/base` before a change and
// `npm run build` after it (copy `policy/default-policy.yaml` into the copy too: the build reads it from beside itself).
//
//   node bench/tools/ab.mjs --a node_modules/.ab/base --b dist [--users 1000,100000] [--rounds 20] [--repeats 2]
//        [--policy default|keyonly|encrypt|encrypt-deterministic] [--n 2000] [--wall] [--signal traces|logs]
//        [--control] [--body scenario|url|url-email] [--exporter noop|proto] [--in-span 0]
// `--policy encrypt` / `encrypt-deterministic`: the default policy plus one `encrypt` rule on user.id (scenario 2's
// field-encryption policy; `{ key: 'user.id', deterministic: true }` for the second), one token per request. Build A
// also runs with the default policy (pipeline "Adef"), so each build's cost per token over the pseudonym it replaces
// is printed (A − Adef, B − Adef).
// `--control`: build A runs twice (A and A2, two pipelines); A2/A is the A/A control of the build comparison (the
// bare/bare2 control only says whether the machine was quiet).
// `--signal logs`: scenario 9's record (e-mail in the body) through LoggerProvider → [PrivacyLogRecordProcessor →]
// BatchLogRecordProcessor instead of the request unit. `--body url`: the record's body is an access-log line whose
// URL path the URL rules rewrite (`GET /users/<u>/orders?page=<n> returned 404 after <n> ms`, clean after the rewrite);
// `--body url-email`: the same line with the user's e-mail address after it (masked). `--exporter proto` (logs): the
// asynchronous exporter also encodes each batch as an OTLP/protobuf request (`ProtobufLogsSerializer`, what the OTLP
// exporters send) before it completes, instead of doing nothing with the records. `--in-span <k>` (logs): the records
// are emitted in a request's span, a new span context (fresh ids, no trace state) every k records (0: none, as in
// scenario 9).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as api from '@opentelemetry/api';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  aaLine,
  asyncNoopExporter,
  checkRequest,
  encodingExporter,
  KEY_ONLY_KEYS,
  logRecordWork,
  perRound,
  quantile,
  rate,
  requestSpanContexts,
  requestWork,
  roundOf,
  scenarioLogBody,
  steadyRounds,
  summary,
  throughputRatio,
} from '../lib.mjs';

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: 'node_modules/.ab/base' },
    b: { type: 'string', default: 'dist' },
    users: { type: 'string', default: '1000,100000' },
    rounds: { type: 'string', default: '20' },
    repeats: { type: 'string', default: '2' },
    policy: { type: 'string', default: 'default' },
    n: { type: 'string', default: '2000' },
    wall: { type: 'boolean', default: false },
    signal: { type: 'string', default: 'traces' },
    control: { type: 'boolean', default: false },
    body: { type: 'string', default: 'scenario' },
    exporter: { type: 'string', default: 'noop' },
    'in-span': { type: 'string', default: '0' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
process.env.OTEL_PRIVACY_BENCH_ENCRYPTION_KEY ??= 'hex:' + 'b0'.repeat(32); // fake, bench only
const ENCRYPTING = values.policy === 'encrypt' || values.policy === 'encrypt-deterministic';
const load = async (dir) => import(pathToFileURL(resolve(dir, 'index.js')).href);
const A = await load(values.a);
const B = await load(values.b);
const KEY_ONLY = KEY_ONLY_KEYS;
const policyOf = (lib, policy = values.policy) =>
  policy === 'keyonly'
    ? lib.definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEY_ONLY }, resource: { allow: ['*'] } })
    : policy === 'encrypt' || policy === 'encrypt-deterministic'
      ? lib.definePolicy({
          version: 1,
          extends: 'default',
          keys: { encryption: { id: 'e1', env: 'OTEL_PRIVACY_BENCH_ENCRYPTION_KEY' } },
          attributes: { encrypt: [policy === 'encrypt' ? 'user.id' : { key: 'user.id', deterministic: true }] },
        })
      : lib.defaultPolicy();

/** The record's body (`--body`), built per record. */
const bodyOf =
  values.body === 'url'
    ? (i, u) => 'GET /users/' + u + '/orders?page=' + (i % 7) + ' returned 404 after ' + (i % 97) + ' ms'
    : values.body === 'url-email'
      ? (i, u) =>
          'GET /users/' +
          u +
          '/orders?page=' +
          (i % 7) +
          ' returned 404 for fake' +
          u +
          '@example.com after ' +
          (i % 97) +
          ' ms'
      : scenarioLogBody;

/** Scenario 9's logs pipeline (bench/scenarios/09-logs.mjs) with build `lib`'s processor, or bare. */
function logsPipeline(lib, users) {
  const exporter =
    values.exporter === 'proto'
      ? encodingExporter((records) => ProtobufLogsSerializer.serializeRequest(records))
      : asyncNoopExporter();
  const batch = new BatchLogRecordProcessor({ exporter });
  const provider = new LoggerProvider({
    processors: [lib ? new lib.PrivacyLogRecordProcessor({ policy: policyOf(lib), next: batch }) : batch],
  });
  const perSpan = Number(values['in-span']);
  const contexts = perSpan > 0 ? requestSpanContexts(api, perSpan) : undefined;
  const work = logRecordWork(provider.getLogger('bench'), users, bodyOf, contexts);
  const flush = () => provider.forceFlush();
  return { provider, exporter, work, flush, exported: () => exporter.exported, perUnit: 1 };
}

function pipeline(lib, users, policy) {
  if (values.signal === 'logs') return logsPipeline(lib, users);
  const exporter = asyncNoopExporter();
  const batch = new BatchSpanProcessor({ exporter });
  const provider = new TracerProvider({
    spanProcessors: [lib ? new lib.PrivacySpanProcessor({ policy: policyOf(lib, policy), next: batch }) : batch],
  });
  return {
    provider,
    exporter,
    work: requestWork(api, provider.getTracer('bench'), users),
    flush: () => provider.forceFlush(),
    exported: () => exporter.exported,
  };
}

/**
 * A round's cost: CPU time of this process per request (user + system, all threads: the exports and the garbage
 * collector count too), which other processes on a loaded machine disturb far less than wall time; `--wall` for
 * the wall time of the steady-state method itself.
 */
const costOf = (round) =>
  values.wall
    ? round
    : async () => {
        const before = process.cpuUsage();
        await round();
        const used = process.cpuUsage(before);
        return (used.user + used.system) / Number(values.n);
      };

const plan = { rounds: Number(values.rounds), repeats: Number(values.repeats), warmup: 3 };
console.log(
  `ab: A=${values.a} B=${values.b} policy=${values.policy}${values.signal === 'logs' ? ` body=${values.body} exporter=${values.exporter} in-span=${values['in-span']}` : ''} node ${process.version}; ${plan.rounds} rounds × ${plan.repeats} repeats, ${values.n} requests per round`,
);
for (const users of values.users.split(',').map(Number)) {
  const p = {
    bare: pipeline(undefined, users),
    bare2: pipeline(undefined, users),
    A: pipeline(A, users),
    B: pipeline(B, users),
    ...(values.control ? { A2: pipeline(A, users) } : {}),
    ...(ENCRYPTING && values.signal === 'traces' ? { Adef: pipeline(A, users, 'default') } : {}),
  };
  const costs = await steadyRounds(
    Object.fromEntries(Object.entries(p).map(([name, x]) => [name, costOf(roundOf(x, Number(values.n)))])),
    plan,
  );
  if (values.policy === 'default' && values.signal === 'traces') {
    checkRequest(p.A.exporter.sample, 'A', (v) => v.startsWith('k0:'));
    checkRequest(p.B.exporter.sample, 'B', (v) => v.startsWith('k0:'));
  }
  if (ENCRYPTING && values.signal === 'traces') {
    checkRequest(p.A.exporter.sample, 'A', (v) => v.startsWith('enc:v1:e1:'));
    checkRequest(p.B.exporter.sample, 'B', (v) => v.startsWith('enc:v1:e1:'));
    checkRequest(p.Adef.exporter.sample, 'Adef', (v) => v.startsWith('k0:'));
  }
  for (const x of Object.values(p)) await x.provider.shutdown();
  const label = `${rate(users)} users`;
  const med = (name) => quantile(costs[name].flat(), 0.5).toFixed(2);
  console.log(`${label}: µs/request bare ${med('bare')}, A ${med('A')}, B ${med('B')}`);
  console.log(aaLine(label, costs, 'bare', 'bare2').line);
  console.log(`${label}: A/bare ${summary(perRound(costs.bare, costs.A, throughputRatio))}`);
  console.log(`${label}: B/bare ${summary(perRound(costs.bare, costs.B, throughputRatio))}`);
  if (values.control)
    console.log(`${label}: A2/A (build A/A control) ${summary(perRound(costs.A, costs.A2, throughputRatio))}`);
  if (p.Adef !== undefined)
    for (const name of ['A', 'B'])
      console.log(
        `${label}: ${name} per token over the pseudonym (${name} − Adef, µs/request) ${summary(
          perRound(costs[name], costs.Adef, (x, d) => x - d),
          2,
        )}`,
      );
  console.log(`${label}: B/A (throughput, >1 = B faster) ${summary(perRound(costs.A, costs.B, throughputRatio))}`);
  console.log(
    `${label}: B−A µs/request ${summary(
      perRound(costs.B, costs.A, (b, a) => b - a),
      2,
    )}`,
  );
}
process.exit(0);
