// 4. Pseudonyms for new ids: keyed pseudonyms per second for ids never seen before (strings built per
// call, every one a fresh HMAC; µs each) and for 100 ids repeated (the pseudonym cache), the ratio being
// the cache's speed-up; and field encryption per token (a policy with one `encrypt` rule, fresh values), also in the
// deterministic mode (`{ key, deterministic: true }`: equal values give equal tokens, cached) for values never seen
// before, ids drawn from 1 000 (all repeats after the warm-up), 90 % of them from 1 000 and 10 % new, and (full run
// only) ids drawn from 100 000 after every one was offered three times. Every value is a string built per call.
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
  const deterministic = definePolicy({
    version: 1,
    extends: 'default',
    keys: { encryption: { id: 'e1', env: 'OTEL_PRIVACY_BENCH_ENCRYPTION_KEY' } },
    attributes: { encrypt: [{ key: 'user.id', deterministic: true }] },
  }).sanitizer('traces');
  const once = deterministic.sanitizeValue('user.id', 'fake-user-x');
  if (!String(once).startsWith('enc:v1:e1:') || deterministic.sanitizeValue('user.id', 'fake-user-x') !== once)
    throw new Error('the deterministic encrypt rule did not produce one token for one value');
  const detNew = measure(
    (i) => deterministic.sanitizeValue('user.id', `fake-user-${i}-${i === 0 ? ++round : round}`),
    n,
    rounds,
  );
  const draw = (pool) => `fake-user-${Math.floor(Math.random() * pool)}`;
  const det1k = measure(() => deterministic.sanitizeValue('user.id', draw(1_000)), n, rounds);
  const detMixed = measure(
    (i) => deterministic.sanitizeValue('user.id', i % 10 === 0 ? `fake-user-new-${i}-${round}` : draw(1_000)),
    n,
    rounds,
  );
  let det100k;
  if (!quick) {
    for (let i = 0; i < 300_000; i++) deterministic.sanitizeValue('user.id', draw(100_000));
    det100k = measure(() => deterministic.sanitizeValue('user.id', draw(100_000)), n, rounds);
  }
  const drawCost = measure(() => draw(100_000).length, n, rounds);
  const ok = (us) => (us <= 1 ? 'met' : 'MISSED');
  return [
    `4 field encryption per token (one encrypt rule, values never seen before): ${encrypted.toFixed(2)} µs per token (target ≤ 1 µs: ${encrypted <= 1 ? 'met' : 'MISSED'})`,
    `4 deterministic field encryption per token: values never seen before ${detNew.toFixed(2)} µs; ids drawn from 1 000 ${det1k.toFixed(2)} µs (target ≤ 1 µs: ${ok(det1k)}); 90 % of 1 000 + 10 % new ${detMixed.toFixed(2)} µs` +
      (det100k === undefined ? '' : `; drawn from 100 000 ${det100k.toFixed(2)} µs (${ok(det100k)})`) +
      ` (building a drawn id: ${drawCost.toFixed(2)} µs, included)`,
    `4 pseudonyms for new ids: ${rate(1e6 / distinct)}/s (${distinct.toFixed(2)} µs each), ${rate(1e6 / repeated)}/s for 100 repeated ids; cache speed-up ${(distinct / repeated).toFixed(1)}x`,
  ];
}
