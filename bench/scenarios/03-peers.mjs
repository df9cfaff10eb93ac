// 3. Peers: the span of scenario 2 through autotel's AttributeRedactingProcessor and ADOT's
// AttributeRedactingSpanProcessor (@aws/aws-distro-opentelemetry-node-autoinstrumentation), each
// configured to do the closest thing it can to the default policy (see bench/peers/peer-worker.mjs).
// Both need the OpenTelemetry SDK 2.x line, so they run in a child process with their own SDK from
// bench/peers/ (installed there on first run, never a dependency of otel-privacy); the parent's rounds
// (bare SDK 3.x, PrivacySpanProcessor) and the child's (bare SDK 2.x, autotel, ADOT) interleave.
// Ratio: our spans/s over theirs (target ≥ 3×); also each one's cost relative to its own bare SDK.
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPolicy } from 'otel-privacy';
import { interleaved, providerRound, rate, roundsFor, spanWork, verdict } from '../lib.mjs';
import { benchProvider } from '../providers.mjs';

const PEERS = join(dirname(fileURLToPath(import.meta.url)), '..', 'peers');
const PEER_PACKAGES = ['autotel', '@aws/aws-distro-opentelemetry-node-autoinstrumentation', '@opentelemetry/sdk-trace-base'];

/** Installs bench/peers/ from the npm registry when a peer is missing; returns an error text or undefined. */
function ensurePeers() {
  if (PEER_PACKAGES.every((name) => existsSync(join(PEERS, 'node_modules', name, 'package.json')))) return undefined;
  try {
    // autotel declares optional peers on the 0.222 exporters line while ADOT pins 0.219: only the
    // processors are used here, so peer resolution is skipped (also set in bench/peers/.npmrc)
    execFileSync('npm', ['install', '--prefix', PEERS, '--no-audit', '--no-fund', '--no-package-lock', '--legacy-peer-deps', '--loglevel=error'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 600_000,
    });
    return undefined;
  } catch (err) {
    const detail = String(err.stderr ?? err.message).split('\n').find((line) => line.includes('ERR')) ?? err.message;
    return `npm install --prefix bench/peers failed: ${detail.trim()}`;
  }
}

/** Starts the peer worker and returns a function sending one request and awaiting its answer. */
async function startWorker() {
  const child = fork(join(PEERS, 'peer-worker.mjs'), [], { execPath: process.execPath, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let pending;
  const failure = new Promise((_, reject) => {
    child.on('exit', (code) => reject(new Error(`peer worker exited with code ${code}`)));
    child.on('error', reject);
  });
  failure.catch(() => {});
  child.on('message', (message) => pending?.(message));
  const next = () => Promise.race([new Promise((resolve) => (pending = resolve)), failure]);
  await next(); // { loaded }
  const ask = (message) => {
    const answer = next();
    child.send(message);
    return answer;
  };
  return { ask, close: () => child.send({ exit: true }) };
}

export default async function ({ quick }) {
  const installError = ensurePeers();
  if (installError) return [`3 peers: SKIPPED — ${installError}`];

  const policy = defaultPolicy();
  const users = 1_000;
  const n = quick ? 5_000 : 50_000;
  const bare = benchProvider(undefined);
  const ours = benchProvider(policy);
  const bareWork = spanWork(bare.getTracer('bench'), users);
  const ourWork = spanWork(ours.getTracer('bench'), users);
  const peer = await startWorker();
  let us;
  try {
    await peer.ask({ setup: { users } });
    let offset = 0;
    const remote = (round) => async () => (await peer.ask({ round, n })).us;
    us = await interleaved(
      {
        bare3: () => providerRound(bare, bareWork, n, (offset += n)),
        ours: () => providerRound(ours, ourWork, n, offset),
        bare2: remote('bare'),
        autotel: remote('autotel'),
        adot: remote('adot'),
      },
      roundsFor(quick),
    );
    const { sample } = await peer.ask({ check: true });
    for (const name of ['autotel', 'adot']) {
      if (sample[name]?.['user.id'] === sample.bare?.['user.id']) throw new Error(`${name} did not redact user.id: the peer is misconfigured`);
    }
  } finally {
    peer.close();
    await bare.shutdown();
    await ours.shutdown();
  }
  const spansPerSec = (x) => `${rate(1e6 / x)} spans/s`;
  const relative = (x, base) => `${((base / x) * 100).toFixed(0)} %`;
  const line = (name, label) => {
    const ratio = us[name] / us.ours;
    return `3 peers vs ${label}: ours ${spansPerSec(us.ours)}, theirs ${spansPerSec(us[name])}; ratio ours/theirs ${ratio.toFixed(2)}x (target >= 3x: ${verdict(ratio, 3)}); throughput kept vs own bare SDK: ours ${relative(us.ours, us.bare3)} of SDK 3.x (${spansPerSec(us.bare3)}), theirs ${relative(us[name], us.bare2)} of SDK 2.x (${spansPerSec(us.bare2)})`;
  };
  return [line('autotel', 'autotel AttributeRedactingProcessor'), line('adot', 'ADOT AttributeRedactingSpanProcessor')];
}
