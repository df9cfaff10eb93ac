// 3. Peers: the span of scenario 2 through autotel's AttributeRedactingProcessor and ADOT's
// AttributeRedactingSpanProcessor (@aws/aws-distro-opentelemetry-node-autoinstrumentation), each
// configured to do the closest thing it can to the default policy (see bench/peers/peer-worker.mjs).
// Both need the OpenTelemetry SDK 2.x line, so they run in a child process with their own SDK from
// bench/peers/ (installed there on first run, never a dependency of otel-privacy). The bare SDK 2.x
// pipeline is faster than the bare 3.x one, so comparing our 3.x figure with their 2.x figure would
// compare SDK lines as much as processors: the child therefore ALSO runs our PrivacySpanProcessor (the
// current build, copied into bench/peers/node_modules by bench/peers/install.mjs, its imports checked to
// resolve to the SDK 2.x there and to the pinned zod/yaml/picomatch/grpc-js) on the same SDK, provider
// and batch settings as the peers. The headline ratio is ours/theirs on SDK 2.x (same SDK, same
// process, interleaved rounds; target ≥ 3×); our pipeline on the project's SDK 3.x (parent process) is
// shown too, as secondary information. Every processor's output is checked afterwards: the peers must
// have changed user.id; ours (both lines) must hold a `k0:` pseudonym and no authorization header.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { defaultPolicy } from 'otel-privacy';
import { interleaved, providerRound, rate, roundsFor, spanWork, verdict } from '../lib.mjs';
import { ensurePeers, installOurs, PEERS } from '../peers/install.mjs';
import { benchProvider } from '../providers.mjs';

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
  const ask = (message) => {
    const answer = next();
    child.send(message);
    return answer;
  };
  return { loaded, ask, close: () => child.send({ exit: true }) };
}

/** The no-op exporter of the bench, keeping a copy of the first exported span's attributes for the checks. */
function sampleExporter() {
  const sample = [];
  return {
    sample,
    export: (spans, done) => {
      if (sample.length === 0 && spans.length > 0) sample.push({ ...spans[0].attributes });
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
}

/** Throws unless a span exported through otel-privacy shows the default policy's work. */
function checkOurs(attributes, where) {
  if (!attributes) throw new Error(`otel-privacy on ${where} exported no span`);
  if (!/^k0:/.test(String(attributes['user.id'])))
    throw new Error(`otel-privacy on ${where} did not pseudonymize user.id (got ${attributes['user.id']})`);
  if ('http.request.header.authorization' in attributes)
    throw new Error(`otel-privacy on ${where} kept the authorization header`);
}

export default async function ({ quick }) {
  const installError = ensurePeers();
  if (installError) return [`3 peers: SKIPPED — ${installError}`];
  installOurs(); // throws with the reason when our copy would not run on the peers' SDK 2.x

  const policy = defaultPolicy();
  const users = 1_000;
  const n = quick ? 5_000 : 50_000;
  const bare = benchProvider(undefined);
  const ourExporter = sampleExporter();
  const ours = benchProvider(policy, ourExporter);
  const bareWork = spanWork(bare.getTracer('bench'), users);
  const ourWork = spanWork(ours.getTracer('bench'), users);
  const peer = await startWorker();
  let us;
  try {
    if (!peer.loaded.ours.startsWith(join(PEERS, 'node_modules', 'otel-privacy'))) {
      throw new Error(
        `the peer worker loaded otel-privacy from ${peer.loaded.ours}, not from bench/peers/node_modules`,
      );
    }
    await peer.ask({ setup: { users } });
    let offset = 0;
    const remote = (round) => async () => (await peer.ask({ round, n })).us;
    us = await interleaved(
      {
        bare3: () => providerRound(bare, bareWork, n, (offset += n)),
        ours3: () => providerRound(ours, ourWork, n, offset),
        bare2: remote('bare'),
        ours2: remote('ours'),
        autotel: remote('autotel'),
        adot: remote('adot'),
      },
      roundsFor(quick),
    );
    const { sample } = await peer.ask({ check: true });
    for (const name of ['autotel', 'adot']) {
      if (sample[name]?.['user.id'] === sample.bare?.['user.id'])
        throw new Error(`${name} did not redact user.id: the peer is misconfigured`);
    }
    checkOurs(sample.ours, `SDK ${peer.loaded.sdkTrace} (peer worker)`);
    checkOurs(ourExporter.sample[0], 'SDK 3.x');
  } finally {
    peer.close();
    await bare.shutdown();
    await ours.shutdown();
  }
  const spansPerSec = (x) => `${rate(1e6 / x)} spans/s`;
  const kept = (x, base) => `${((base / x) * 100).toFixed(0)} %`;
  const line = (name, label) => {
    const ratio = us[name] / us.ours2;
    return (
      `3 peers vs ${label}: on SDK ${peer.loaded.sdkTrace} ours ${spansPerSec(us.ours2)}, theirs ${spansPerSec(us[name])}; ratio ours/theirs ${ratio.toFixed(2)}x (target >= 3x: ${verdict(ratio, 3)}); ` +
      `kept of bare SDK 2.x (${spansPerSec(us.bare2)}): ours ${kept(us.ours2, us.bare2)}, theirs ${kept(us[name], us.bare2)}; ` +
      `on SDK 3.x ours ${spansPerSec(us.ours3)} (${kept(us.ours3, us.bare3)} of bare 3.x ${spansPerSec(us.bare3)}), ours-3.x/theirs-2.x ${(us[name] / us.ours3).toFixed(2)}x`
    );
  };
  return [line('autotel', 'autotel AttributeRedactingProcessor'), line('adot', 'ADOT AttributeRedactingSpanProcessor')];
}
