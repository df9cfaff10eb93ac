// 2. Provider throughput: startSpan → setAttributes → end through PrivacySpanProcessor →
// BatchSpanProcessor → no-op exporter, against the same pipeline without the privacy processor
// (interleaved rounds). Target: ratio ≥ 0.85.
import { defaultPolicy } from 'otel-privacy';
import { interleaved, providerRound, rate, roundsFor, spanWork, verdict } from '../lib.mjs';
import { benchProvider } from '../providers.mjs';

export default async function ({ quick }) {
  const policy = defaultPolicy();
  const bare = benchProvider(undefined);
  const priv = benchProvider(policy);
  const n = quick ? 5_000 : 50_000;
  const lines = [];
  for (const users of [1_000, 100_000]) {
    const bareWork = spanWork(bare.getTracer('bench'), users);
    const privWork = spanWork(priv.getTracer('bench'), users);
    let offset = 0; // user ids keep cycling across rounds instead of restarting at 0
    const us = await interleaved(
      {
        bare: () => providerRound(bare, bareWork, n, (offset += n)),
        privacy: () => providerRound(priv, privWork, n, offset),
      },
      roundsFor(quick),
    );
    const ratio = us.bare / us.privacy;
    lines.push(
      `2 provider throughput (${rate(users)} distinct user ids): bare ${rate(1e6 / us.bare)} spans/s, with PrivacySpanProcessor ${rate(1e6 / us.privacy)} spans/s; ratio ${ratio.toFixed(2)} (target >= 0.85: ${verdict(ratio, 0.85)})`,
    );
  }
  await bare.shutdown();
  await priv.shutdown();
  return lines;
}
