// Profiling driver (not a scenario): runs the steady-state request unit (bench/lib.mjs requestWork) through
// one pipeline for a while so `node --cpu-prof` sees the hot path on fresh data.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/tools/profile-request.mjs [default|bare|keyonly|encrypt] [users] [requests]
// `encrypt`: the default policy plus one `encrypt` rule on user.id (scenario 2's field-encryption policy).
import { defaultPolicy, definePolicy } from 'otel-privacy';
import { KEY_ONLY_KEYS, roundOf } from '../lib.mjs';
import { steadyPipeline } from '../providers.mjs';

process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
process.env.OTEL_PRIVACY_BENCH_ENCRYPTION_KEY ??= 'hex:' + 'b0'.repeat(32); // fake, bench only
const [variant = 'default', users = '100000', requests = '200000'] = process.argv.slice(2);
// The 16 keys of scenario 3's key-only policy (`KEY_ONLY_KEYS` in bench/lib.mjs).
const KEYS = KEY_ONLY_KEYS;
const policy =
  variant === 'bare'
    ? undefined
    : variant === 'keyonly'
      ? definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEYS }, resource: { allow: ['*'] } })
      : variant === 'encrypt'
        ? definePolicy({
            version: 1,
            extends: 'default',
            keys: { encryption: { id: 'e1', env: 'OTEL_PRIVACY_BENCH_ENCRYPTION_KEY' } },
            attributes: { encrypt: ['user.id'] },
          })
        : defaultPolicy();
const p = steadyPipeline(policy, Number(users));
const round = roundOf(p, 2000);
const t0 = Date.now();
let us = 0;
const rounds = Number(requests) / 2000;
for (let r = 0; r < rounds; r++) us += await round();
console.log(`${variant} ${users} users: ${(us / rounds).toFixed(2)} µs/request (${Date.now() - t0} ms)`);
await p.provider.shutdown();
