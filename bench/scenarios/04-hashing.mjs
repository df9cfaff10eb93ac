// 4. Pseudonyms for new ids: keyed pseudonyms per second for ids never seen before (strings built per
// call, every one a fresh HMAC; µs each) and for 100 ids repeated (the pseudonym cache), the ratio being
// the cache's speed-up; and field encryption per token (a policy with one `encrypt` rule, fresh values).
// A synchronous micro-benchmark (median of 9 rounds after a warm-up).
import { defaultPolicy, definePolicy } from 'otel-privacy';
import { measure, rate, roundsFor } from '../lib.mjs';

export default async function ({ quick }) {
  const sanitizer = defaultPolicy().sanitizer('traces');
  const n = quick ? 20_000 : 100_000;
  const rounds = roundsFor(quick);
  let round = 0;
  // a new id space per call of the round function, so distinct ids never hit the cache
  const distinct = measure(
    (i) => sanitizer.sanitizeValue('user.id', `fake-user-${i}-${i === 0 ? ++round : round}`),
    n,
    rounds,
  );
  const repeated = measure((i) => sanitizer.sanitizeValue('user.id', `fake-user-${i % 100}`), n, rounds);
  // field encryption per token: the same fresh values through a policy whose one `encrypt` rule names user.id
  process.env.OTEL_PRIVACY_BENCH_ENCRYPTION_KEY ??= 'hex:' + 'b0'.repeat(32); // fake, bench only
  const encrypting = definePolicy({
    version: 1,
    extends: 'default',
    keys: { encryption: { id: 'e1', env: 'OTEL_PRIVACY_BENCH_ENCRYPTION_KEY' } },
    attributes: { encrypt: ['user.id'] },
  }).sanitizer('traces');
  if (!String(encrypting.sanitizeValue('user.id', 'fake-user-x')).startsWith('enc:v1:e1:'))
    throw new Error('the encrypt rule did not produce a token');
  const encrypted = measure(
    (i) => encrypting.sanitizeValue('user.id', `fake-user-${i}-${i === 0 ? ++round : round}`),
    n,
    rounds,
  );
  return [
    `4 field encryption per token (one encrypt rule, values never seen before): ${encrypted.toFixed(2)} µs per token (target ≤ 1 µs: ${encrypted <= 1 ? 'met' : 'MISSED'})`,
    `4 pseudonyms for new ids: ${rate(1e6 / distinct)}/s (${distinct.toFixed(2)} µs each), ${rate(1e6 / repeated)}/s for 100 repeated ids; cache speed-up ${(distinct / repeated).toFixed(1)}x`,
  ];
}
