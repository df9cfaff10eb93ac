// 8. Detectors: MB/s of the value scanner on clean and PII-dense text (cold: unique strings that
// defeat the clean-value cache; repeated: the cache), and adversarial input at three sizes to show
// that the time grows (at most) linearly.
import { defaultPolicy } from 'otel-privacy';
import { measure, roundsFor } from '../lib.mjs';

export default async function ({ quick }) {
  const policy = defaultPolicy();
  const rounds = roundsFor(quick);
  const scan = policy.scanText.bind(policy);
  const clean = Array.from(
    { length: 2000 },
    (_, i) =>
      `GET /api/v2/orders/${i} 200 in 12ms trace=4bf92f3577b34da6a3ce929d0e0e4736 build 1.4.${i % 50} region eu-west-1 path /api/v2/orders`,
  );
  const dense = Array.from(
    { length: 2000 },
    (_, i) =>
      `user fake${i}@example.com paid with 4111 1111 1111 1111 from 203.0.113.${i % 250}, call +1 202-555-01${String(i % 100).padStart(2, '0')}`,
  );
  let pass = 0;
  const mbps = (texts, unique) => {
    const bytes = texts.reduce((n, t) => n + t.length, 0);
    const us = measure(
      () => {
        pass++;
        for (const t of texts) scan(unique ? `${t} #${pass}` : t);
      },
      quick ? 3 : 10,
      rounds,
    );
    return bytes / us; // bytes per µs = MB/s
  };
  const lines = [
    `8 detectors: clean text ${mbps(clean, true).toFixed(1)} MB/s cold, ${mbps(clean, false).toFixed(0)} MB/s repeated (cache); PII-dense ${mbps(dense, true).toFixed(1)} MB/s`,
  ];
  const sizes = [250_000, 500_000, 1_000_000];
  const times = sizes.map((n) => measure(() => scan('a@'.repeat(n / 2) + '!'), 1, rounds) / 1000);
  lines.push(
    `8 adversarial 'a@a@…' at ${sizes.map((n) => `${n / 1e6} MB`).join(' / ')}: ${times.map((t) => `${t.toFixed(1)} ms`).join(' / ')} (ratio per doubling ${(times[1] / times[0]).toFixed(2)}, ${(times[2] / times[1]).toFixed(2)}; linear ≈ 2)`,
  );
  return lines;
}
