// A/B of two builds on the OpenTelemetry SDK 2.x line of scenario 3 (not part of `npm run bench`): the steady-state
// request unit through bare, and through PrivacySpanProcessor of build A (twice: A and A2, the A/A control of the
// builds) and of build B, with the key-only policy of scenario 3 (or the default policy), interleaved in one process
// (rotating order), CPU time of the process per request. A build must sit under bench/peers/node_modules so its SDK
// imports resolve to the 2.x packages: `cp -r dist bench/peers/node_modules/.ab/base` (plus
// policy/default-policy.yaml beside it) before a change, the same for `.ab/new` after `npm run build`.
//   node bench/peers/ab-peers.mjs --a node_modules/.ab/base --b node_modules/.ab/new [--users 1000] [--rounds 30]
//        [--policy keyonly|default] [--n 2000] [--peers]
// `--peers`: ADOT's and autotel's processors as two more pipelines (scenario 3's configuration), for their added cost,
// and per peer the ceiling of ours/peer: bare/peer throughput in the same rounds (a processor costing nothing keeps
// the bare throughput, so no ratio to the peer can exceed it).
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as api from '@opentelemetry/api';
import { createRequire } from 'node:module';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AttributeRedactingProcessor } from 'autotel/attribute-redacting-processor';
import { asyncNoopExporter, KEY_ONLY_KEYS, perRound, quantile, requestWork, roundOf, steadyRounds, summary, throughputRatio } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: 'node_modules/.ab/base' },
    b: { type: 'string', default: 'node_modules/.ab/new' },
    users: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '30' },
    policy: { type: 'string', default: 'keyonly' },
    n: { type: 'string', default: '2000' },
    peers: { type: 'boolean', default: false },
  },
});
/** The 16 keys of scenario 3's key-only policy (`KEY_ONLY_KEYS` in bench/lib.mjs). */
const KEYS = KEY_ONLY_KEYS;
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const here = fileURLToPath(new URL('.', import.meta.url));
const load = async (dir) => import(pathToFileURL(resolve(here, dir, 'index.js')).href);
const A = await load(values.a);
const B = await load(values.b);
const policyOf = (lib) =>
  values.policy === 'keyonly'
    ? lib.definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEYS }, resource: { allow: ['*'] } })
    : lib.defaultPolicy();

// ADOT's package exports only ./register and ./lite; the processor module is loaded by its file path.
const { AttributeRedactingSpanProcessor } = createRequire(import.meta.url)(
  fileURLToPath(
    new URL(
      'node_modules/@aws/aws-distro-opentelemetry-node-autoinstrumentation/build/src/attribute-redacting-span-processor.js',
      import.meta.url,
    ),
  ),
);

/** `lib`: a build of otel-privacy, `'adot'` / `'autotel'` (configured as in scenario 3), or undefined (bare). */
function pipeline(lib, users) {
  const exporter = asyncNoopExporter();
  const batch = new BatchSpanProcessor(exporter);
  const processors =
    lib === 'adot'
      ? [new AttributeRedactingSpanProcessor([...KEYS]), batch]
      : lib === 'autotel'
        ? [new AttributeRedactingProcessor(batch, { redactor: { paths: KEYS, builtins: false, replacement: '[REDACTED]' } })]
        : [lib ? new lib.PrivacySpanProcessor({ policy: policyOf(lib), next: batch }) : batch];
  const provider = new BasicTracerProvider({ spanProcessors: processors });
  return {
    provider,
    work: requestWork(api, provider.getTracer('bench'), users),
    flush: () => provider.forceFlush(),
    exported: () => exporter.exported,
  };
}
const n = Number(values.n);
const cpuOf = (round) => async () => {
  const before = process.cpuUsage();
  await round();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
};
console.log(`ab-peers (SDK 2.x): A=${values.a} B=${values.b} policy=${values.policy} node ${process.version}`);
for (const users of values.users.split(',').map(Number)) {
  const p = { bare: pipeline(undefined, users), A: pipeline(A, users), B: pipeline(B, users), A2: pipeline(A, users) };
  if (values.peers) Object.assign(p, { adot: pipeline('adot', users), autotel: pipeline('autotel', users) });
  const costs = await steadyRounds(
    Object.fromEntries(Object.entries(p).map(([name, x]) => [name, cpuOf(roundOf(x, n))])),
    { rounds: Number(values.rounds), repeats: 1, warmup: 3 },
  );
  for (const x of Object.values(p)) await x.provider.shutdown();
  const med = (name) => quantile(costs[name].flat(), 0.5).toFixed(2);
  console.log(`${users} users: CPU µs/request bare ${med('bare')}, A ${med('A')}, B ${med('B')}, A2 ${med('A2')}`);
  console.log(`${users} users: added over bare (median µs) A ${(med('A') - med('bare')).toFixed(2)}, B ${(med('B') - med('bare')).toFixed(2)}`);
  console.log(`${users} users: A2/A (build A/A control) ${summary(perRound(costs.A, costs.A2, throughputRatio))}`);
  console.log(`${users} users: B/A (>1 = B faster) ${summary(perRound(costs.A, costs.B, throughputRatio))}`);
  console.log(`${users} users: B/bare (share of bare kept) ${summary(perRound(costs.bare, costs.B, throughputRatio))}`);
  if (values.peers)
    for (const peer of ['adot', 'autotel']) {
      // ours/peer = (bare/peer) × (ours/bare) and ours/bare < 1: bare/peer bounds the ratio however cheap we are
      console.log(
        `${users} users: ceiling of B/${peer} (bare/${peer} throughput, per round) ${summary(perRound(costs[peer], costs.bare, throughputRatio))}`,
      );
      console.log(
        `${users} users: ${peer} CPU µs/request ${med(peer)} (added over bare ${(med(peer) - med('bare')).toFixed(2)}); B/${peer} throughput ${summary(perRound(costs[peer], costs.B, throughputRatio))}`,
      );
    }
}
process.exit(0);
