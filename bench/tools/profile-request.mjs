// Profiling driver (not a scenario): runs the steady-state request unit (bench/lib.mjs requestWork) through
// one pipeline for a while so `node --cpu-prof` sees the hot path on fresh data.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/tools/profile-request.mjs [default|bare|keyonly|encrypt] [users] [requests]
// `encrypt`: the default policy plus one `encrypt` rule on user.id (scenario 2's field-encryption policy).
import { roundOf } from '../lib.mjs';
import { benchPolicy, steadyPipeline } from '../providers.mjs';

process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const [variant = 'default', users = '100000', requests = '200000'] = process.argv.slice(2);
const policy = benchPolicy(variant);
const p = steadyPipeline(policy, Number(users));
const round = roundOf(p, 2000);
const t0 = Date.now();
let us = 0;
const rounds = Number(requests) / 2000;
for (let r = 0; r < rounds; r++) us += await round();
console.log(`${variant} ${users} users: ${(us / rounds).toFixed(2)} µs/request (${Date.now() - t0} ms)`);
await p.provider.shutdown();
