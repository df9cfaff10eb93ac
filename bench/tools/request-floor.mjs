// The floor of a request for any processor of this design (not a scenario of `npm run bench`): what the cheapest
// possible version of each kind of work the privacy pipeline must do on scenario 2's request costs, next to the bare
// pipeline's cost per request, in ONE process (rotating rounds, CPU time of the process per request, medians), so the
// targets' budgets (bare / target − bare) can be set against work no implementation of this design can skip.
// Every variant runs bench/lib.mjs's `requestWork` itself (the same fresh strings, built per request), through:
//   bare     the steady-state pipeline without a privacy processor (providers.mjs: SDK 3.x, default batch settings,
//            asynchronous no-op exporter, yields), as in scenario 2
//   build    a recording tracer that does nothing with the values (what building the request's strings costs)
//   read     the same, reading every character of every string value once (`charCodeAt` into a sum: no decision at
//            all; a concatenation is flattened on the first read): the floor of anything that scans values
//   lookup   the same, one `Map.get` of every string value in a map holding the values of the first 1 000 users (the
//            hash of each fresh string): the floor of deciding values by content (caches, memos)
//   hmac     the same, one HMAC-SHA256 of `user.id` (the product's hand-written HMAC with precomputed pads, as the
//            pseudonymizer runs it, + base64url of 16 bytes): a new pseudonym per request
// Printed: µs per request (minus `build` for the three kinds of work), the number of string values and characters a
// request carries, and what each floor alone leaves of bare throughput (bare / (bare + floor)).
//   node bench/tools/request-floor.mjs [--users 1000,100000] [--rounds 15] [--n 4000]
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';
import { quantile, requestWork, steadyRounds, roundOf, yieldToLoop, YIELD_EVERY } from '../lib.mjs';
import { steadyPipeline } from '../providers.mjs';

register();
const { HmacSha256 } = await import('../../engine/crypto/hmac-sha256.ts');
const { base64url16 } = await import('../../engine/crypto/pseudonymizer.ts');
const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000,100000' },
    rounds: { type: 'string', default: '15' },
    n: { type: 'string', default: '4000' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const n = Number(values.n);

/** The `@opentelemetry/api` surface requestWork uses, for the recording tracer (no context to carry). */
const fakeApi = { ROOT_CONTEXT: {}, trace: { setSpan: (ctx) => ctx } };
/** A tracer whose spans hand every attribute, event attribute and status message to `onValue`. */
function recordingTracer(onValue) {
  const each = (attributes) => {
    for (const k in attributes) onValue(k, attributes[k]);
  };
  const span = {
    setAttributes: each,
    setAttribute: onValue,
    addEvent: (_name, attributes) => each(attributes),
    setStatus: (status) => onValue('status.message', status.message),
    end() {},
  };
  return {
    startSpan(_name, options) {
      each(options?.attributes);
      return span;
    },
  };
}

let sink = 0;
const hmac = new HmacSha256(createHash('sha256').update(process.env.OTEL_PRIVACY_HMAC_KEY).digest());
const digest = Buffer.alloc(32);
const known = new Map();
const actions = {
  build: () => {},
  read: (_k, v) => {
    if (typeof v !== 'string') return;
    let sum = 0; // a local small integer: adding into `sink` per character would box a number each time
    for (let i = 0; i < v.length; i++) sum = (sum + v.charCodeAt(i)) | 0;
    sink += sum;
  },
  lookup: (_k, v) => {
    if (typeof v === 'string' && known.get(v) !== undefined) sink++;
  },
  hmac: (k, v) => {
    if (k !== 'user.id') return;
    hmac.mac(v, digest);
    sink += base64url16(digest).length;
  },
};
// the values of users 0…999, as the lookup map's content (a hit at 1 000 users, mostly a miss at 100 000)
let strings = 0;
let chars = 0;
const count = recordingTracer((_k, v) => {
  if (typeof v !== 'string') return;
  known.set(v, true);
  strings++;
  chars += v.length;
});
for (let i = 0; i < 1000; i++) requestWork(fakeApi, count, 1000)(i);

/** CPU µs per unit of one round. */
const cpuOf = (round) => async () => {
  const before = process.cpuUsage();
  await round();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
};
/** A round of `n` requests through a recording tracer, yielding as the steady-state driver does. */
function recordingRound(action, users) {
  const work = requestWork(fakeApi, recordingTracer(action), users);
  let offset = 0;
  return async () => {
    for (let i = 0; i < n; i++) {
      work(offset + i);
      if ((i + 1) % YIELD_EVERY === 0) await yieldToLoop();
    }
    offset += n;
  };
}

console.log(
  `request floor: node ${process.version}, ${values.rounds} rounds × ${n} requests, CPU µs per request (median); ` +
    `a request carries ${strings / 1000} string values, ${chars / 1000} characters`,
);
for (const users of values.users.split(',').map(Number)) {
  const bare = steadyPipeline(undefined, users);
  const variants = {
    bare: cpuOf(roundOf(bare, n)),
    ...Object.fromEntries(
      Object.entries(actions).map(([name, action]) => [name, cpuOf(recordingRound(action, users))]),
    ),
  };
  const costs = await steadyRounds(variants, { rounds: Number(values.rounds), repeats: 1, warmup: 2 });
  await bare.provider.shutdown();
  const med = (name) => quantile(costs[name].flat(), 0.5);
  const over = (name) =>
    quantile(
      costs[name].flat().map((c, r) => c - costs.build.flat()[r]),
      0.5,
    );
  const b = med('bare');
  console.log(`${users} users: bare ${b.toFixed(2)} µs/request; building the strings alone ${med('build').toFixed(2)}`);
  for (const name of ['read', 'lookup', 'hmac'])
    console.log(
      `${users} users: ${name.padEnd(6)} +${over(name).toFixed(2)} µs/request over build; bare/(bare + it) ${(b / (b + over(name))).toFixed(2)}`,
    );
  const all = over('read') + over('lookup') + over('hmac');
  console.log(
    `${users} users: read + lookup + hmac ${all.toFixed(2)} µs; bare/(bare + all three) ${(b / (b + all)).toFixed(2)}`,
  );
}
if (sink === -1) console.log('(unreachable)');
process.exit(0);
