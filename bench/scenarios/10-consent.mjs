// 10. Consent gating: the cost per span of a `consent` section with a 1 M-entry opt-out filter (built by the CLI,
// `consent build`, from 1 M raw ids), A/B against the same policy without it, in one process: a tracer provider
// with PrivacySpanProcessor → SimpleSpanProcessor → a no-op exporter; each span starts with `user.id` (hashed) and an
// allowed attribute and ends. "Repeated" users cycle through 10 000 ids (decisions cached); "new" users are never seen
// before (one HMAC, one SHA-256 and k bit reads per span). Interleaved rounds (A, B, A, B, …), medians of µs per span
// and the median of the per-round differences; no thresholds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { PrivacySpanProcessor, loadPolicy } from 'otel-privacy';
import { interleavedRounds, median } from '../lib.mjs';

const cli = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

const BASE = `version: 1
keys:
  hmac: { id: k1, env: OTEL_PRIVACY_HMAC_KEY }
attributes:
  hash: [user.id]
  allow: [app.plan]
`;

export default async function ({ quick }) {
  const entries = quick ? 10_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-bench-consent-'));
  try {
    writeFileSync(join(dir, 'ids.txt'), Array.from({ length: entries }, (_, i) => `fake-optout-${i}`).join('\n'));
    writeFileSync(join(dir, 'plain.yaml'), BASE);
    writeFileSync(
      join(dir, 'consent.yaml'),
      `${BASE}consent:\n  subject: { attributes: [user.id] }\n  optOut: { file: optout.bloom, falsePositiveRate: 0.001 }\n`,
    );
    const built = process.hrtime.bigint();
    execFileSync(
      process.execPath,
      [
        cli,
        'consent',
        'build',
        '--policy',
        join(dir, 'consent.yaml'),
        '--in',
        join(dir, 'ids.txt'),
        '--out',
        join(dir, 'optout.bloom'),
      ],
      {
        env: process.env,
      },
    );
    const buildSeconds = Number(process.hrtime.bigint() - built) / 1e9;
    const tracerFor = (file) => {
      const policy = loadPolicy(join(dir, file));
      const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
      const provider = new TracerProvider({
        spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
      });
      return { policy, tracer: provider.getTracer('bench') };
    };
    const plain = tracerFor('plain.yaml');
    const gated = tracerFor('consent.yaml');
    if (!gated.policy.compiled.consent.optedOut('fake-optout-7'))
      throw new Error('the filter does not hold its entries');
    const n = quick ? 2_000 : 10_000;
    let fresh = 0;
    const round = (tracer, user) => () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++)
        tracer.startSpan('GET /orders', { attributes: { 'user.id': user(i), 'app.plan': 'fake-gold' } }).end();
      return Number(process.hrtime.bigint() - t0) / 1000 / n;
    };
    const repeated = (i) => `fake-user-${i % 10_000}`;
    const newUser = () => `fake-new-user-${++fresh}`;
    const rounds = quick ? 3 : 9;
    const costs = await interleavedRounds(
      {
        plainRepeated: round(plain.tracer, repeated),
        consentRepeated: round(gated.tracer, repeated),
        plainNew: round(plain.tracer, newUser),
        consentNew: round(gated.tracer, newUser),
      },
      rounds,
    );
    const diff = (a, b) => median(costs[b].map((x, i) => x - costs[a][i]));
    const m = (name) => median(costs[name]).toFixed(2);
    return [
      `10 consent, ${entries} opted-out pseudonyms: repeated users ${m('consentRepeated')} µs/span vs ${m('plainRepeated')} without (+${diff('plainRepeated', 'consentRepeated').toFixed(2)} µs); new users ${m('consentNew')} vs ${m('plainNew')} (+${diff('plainNew', 'consentNew').toFixed(2)} µs); consent build of the filter: ${buildSeconds.toFixed(1)} s`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
