// 2. Steady-state throughput of the request unit (bench/lib.mjs requestWork: server span with 20
// attributes, child db span with a literal SQL statement, one exception event, error status) through
// TracerProvider → [PrivacySpanProcessor →] BatchSpanProcessor (default settings) → asynchronous no-op
// exporter, on the project's SDK 3.x, users cycling over 1 000 and over 100 000. Variants, interleaved:
// bare (twice: the A/A control), the default policy, and the default policy plus one `encrypt` rule
// (user.id; encrypt wins over hash), whose difference to the default policy per request is the cost of
// one field-encryption token. Per-round ratios, median and IQR over 30 rounds × 3 repeats (lib.mjs).
// Targets (for the hot-path work): default policy ≥ 0.85 at 1 000 users, ≥ 0.70 at 100 000; field
// encryption ≤ 1 µs per token. Afterwards one exported request per privacy pipeline is checked.
import { defaultPolicy, definePolicy } from 'otel-privacy';
import {
  aaLine,
  checkRequest,
  perRound,
  perSecond,
  rate,
  roundOf,
  steadyPlan,
  steadyRounds,
  summary,
  throughputRatio,
} from '../lib.mjs';
import { steadyPipeline } from '../providers.mjs';

process.env.OTEL_PRIVACY_BENCH_ENCRYPTION_KEY ??= 'hex:' + 'b0'.repeat(32); // fake, bench only

/** The default policy plus one `encrypt` rule: user.id becomes an AES-256-GCM token instead of a pseudonym. */
const encryptPolicy = () =>
  definePolicy({
    version: 1,
    extends: 'default',
    keys: { encryption: { id: 'e1', env: 'OTEL_PRIVACY_BENCH_ENCRYPTION_KEY' } },
    attributes: { encrypt: ['user.id'] },
  });

export default async function ({ quick }) {
  const plan = steadyPlan(quick);
  const n = quick ? 200 : 2_000;
  const lines = [];
  for (const users of [1_000, 100_000]) {
    const pipelines = {
      bare: steadyPipeline(undefined, users),
      bare2: steadyPipeline(undefined, users),
      default: steadyPipeline(defaultPolicy(), users),
      encrypt: steadyPipeline(encryptPolicy(), users),
    };
    const costs = await steadyRounds(
      Object.fromEntries(Object.entries(pipelines).map(([name, p]) => [name, roundOf(p, n)])),
      plan,
    );
    checkRequest(pipelines.default.exporter.sample, 'default policy', (v) => v.startsWith('k0:'));
    checkRequest(pipelines.encrypt.exporter.sample, 'encrypt policy', (v) => v.startsWith('enc:v1:e1:'));
    for (const p of Object.values(pipelines)) await p.provider.shutdown();

    const label = `2 steady state, ${rate(users)} users`;
    const aa = aaLine(label, costs, 'bare', 'bare2');
    const ratio = perRound(costs.bare, costs.default, throughputRatio);
    const added = perRound(costs.default, costs.bare, (priv, bare) => priv - bare);
    const token = perRound(costs.encrypt, costs.default, (enc, def) => enc - def);
    const encRatio = perRound(costs.bare, costs.encrypt, throughputRatio);
    const target = users === 1_000 ? 0.85 : 0.7;
    lines.push(
      aa.line,
      `${label}, default policy: ${rate(perSecond(costs.default))} requests/s vs bare ${rate(perSecond(costs.bare))}; ` +
        `ratio ${summary(ratio)} (target ≥ ${target}: ${ratio.median >= target ? 'met' : 'MISSED'}); ` +
        `adds ${summary(added, 1)} µs/request`,
      `${label}, field encryption (default policy + one encrypt rule on user.id, one token per request): ` +
        `ratio to bare ${summary(encRatio)}; per token ${summary(token, 2)} µs over the pseudonym it replaces (target ≤ 1 µs: ${token.median <= 1 ? 'met' : 'MISSED'})`,
    );
  }
  return lines;
}
