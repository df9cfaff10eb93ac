// 3. Peers on equal work, steady state (bench/lib.mjs), all on the OpenTelemetry SDK 2.x line the peers
// need, in one child process (bench/peers/peer-worker.mjs, SDK and peers installed in bench/peers/ on
// first run, never a dependency of otel-privacy; our current build copied there by install.mjs):
// - autotel's AttributeRedactingProcessor, ADOT's AttributeRedactingSpanProcessor and otel-privacy's
//   "key-only" policy redact the SAME 16 exact keys and do nothing else (no value scanning, no
//   sanitizers): the equal-work comparison;
// - otel-privacy's full default policy (allowlist, pseudonyms, /24 addresses, URL/SQL sanitizers, value
//   scanning) against each peer: more work for the same request.
// Bare SDK 2.x runs twice (A/A control). Users cycle over 1 000 and over 100 000. The ratio is
// ours/theirs in throughput, per round (their µs per request / ours in the neighbouring round).
// Targets (for the hot-path work): key-only ≥ 3× each peer; full default policy ≥ 1.0× ADOT. Each ours/theirs line
// also prints its ceiling, bare/theirs in the same rounds: the ratio a processor costing nothing would reach.
// Afterwards each pipeline's first exported request is checked.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import {
  aaLine,
  checkRequest,
  perRound,
  perSecond,
  rate,
  steadyPlan,
  steadyRounds,
  summary,
  throughputRatio,
} from '../lib.mjs';
import { ensurePeers, installOurs, PEERS } from '../peers/install.mjs';

/** Starts the peer worker; returns what it loaded and a function sending one request and awaiting its answer. */
async function startWorker() {
  const child = fork(join(PEERS, 'peer-worker.mjs'), [], {
    execPath: process.execPath,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let pending;
  const failure = new Promise((_, reject) => {
    child.on('exit', (code) => reject(new Error(`peer worker exited with code ${code}`)));
    child.on('error', reject);
  });
  failure.catch(() => {});
  child.on('message', (message) => pending?.(message));
  const next = () => Promise.race([new Promise((resolve) => (pending = resolve)), failure]);
  const { loaded } = await next();
  const ask = async (message) => {
    const answer = next();
    child.send(message);
    const got = await answer;
    if (got.error) throw new Error(`peer worker: ${got.error}`);
    return got;
  };
  return { loaded, ask, close: () => child.send({ exit: true }) };
}

/** Throws unless the key-only pipelines removed or replaced the listed keys they saw. */
function checkKeyOnly(name, spans) {
  const server = spans?.find((s) => s.name === 'GET /users/:id/orders');
  if (!server) throw new Error(`${name}: nothing exported`);
  for (const key of ['user.id', 'url.full', 'client.address', 'http.request.header.authorization']) {
    const v = server.attributes[key];
    if (v !== undefined && !/REDACTED/.test(String(v))) throw new Error(`${name} kept ${key} (${v}): misconfigured`);
  }
}

export default async function ({ quick }) {
  const installError = ensurePeers();
  if (installError) return [`3 peers: SKIPPED — ${installError}`];
  installOurs(); // throws with the reason when our copy would not run on the peers' SDK 2.x
  const plan = steadyPlan(quick);
  const n = quick ? 200 : 1_000;
  const peer = await startWorker();
  const lines = [];
  try {
    if (!peer.loaded.ours.startsWith(join(PEERS, 'node_modules', 'otel-privacy'))) {
      throw new Error(
        `the peer worker loaded otel-privacy from ${peer.loaded.ours}, not from bench/peers/node_modules`,
      );
    }
    const sdk = `SDK ${peer.loaded.sdkTrace}`;
    for (const users of [1_000, 100_000]) {
      const { pipelines } = await peer.ask({ setup: { users } });
      const costs = await steadyRounds(
        Object.fromEntries(pipelines.map((name) => [name, async () => (await peer.ask({ round: name, n })).us])),
        plan,
      );
      const { sample } = await peer.ask({ check: true });
      for (const name of ['keyonly', 'autotel', 'adot']) checkKeyOnly(name, sample[name]);
      checkRequest(sample.default, `default policy on ${sdk}`, (v) => v.startsWith('k0:'));

      const label = `3 peers on ${sdk}, ${rate(users)} users`;
      const kept = (name) => perRound(costs.bare, costs[name], throughputRatio);
      lines.push(
        aaLine(label, costs, 'bare', 'bare2').line,
        `${label}, share of bare kept (bare ${rate(perSecond(costs.bare))} requests/s): ` +
          ['keyonly', 'default', 'autotel', 'adot'].map((name) => `${name} ${summary(kept(name))}`).join('; '),
      );
      for (const [ours, target] of [
        ['keyonly', 3],
        ['default', 1],
      ]) {
        for (const theirs of ['autotel', 'adot']) {
          const r = perRound(costs[ours], costs[theirs], (o, t) => t / o);
          const what =
            ours === 'keyonly' ? 'key-only policy (same 16 keys, equal work)' : 'full default policy (more work)';
          const goal =
            ours === 'default' && theirs === 'autotel'
              ? ''
              : ` (target ≥ ${target}×: ${r.median >= target ? 'met' : 'MISSED'})`;
          // ours/theirs = (bare/theirs) × (ours/bare), and ours/bare < 1: bare/theirs bounds the ratio however
          // cheap our processor is, so a target above it cannot be met by any processor on this pipeline
          const ceiling = perRound(costs[theirs], costs.bare, throughputRatio);
          lines.push(
            `${label}, ours ${what} vs ${theirs}: ${rate(perSecond(costs[ours]))} vs ${rate(perSecond(costs[theirs]))} requests/s; ours/theirs ${summary(r)}×${goal}; ceiling (bare/${theirs}) ${ceiling.median.toFixed(2)}×`,
          );
        }
      }
    }
  } finally {
    peer.close();
  }
  return lines;
}
