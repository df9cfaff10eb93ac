// 4. Hashing: keyed pseudonyms per second for distinct ids (every one a fresh HMAC) and for 100 ids
// repeated (the pseudonym cache), the ratio being the cache's speed-up.
import { defaultPolicy } from 'otel-privacy';
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
  return [
    `4 hashing: ${rate(1e6 / distinct)} pseudonyms/s for distinct ids, ${rate(1e6 / repeated)}/s for 100 repeated ids; cache speed-up ${(distinct / repeated).toFixed(1)}x`,
  ];
}
