// HMAC A/B (not a scenario of `npm run bench`): the cost of one NEW pseudonym's MAC and encoding (a cache miss: the
// part of `Pseudonymizer.pseudonym` that depends on how the MAC is computed), hand-written SHA-256 with precomputed
// pads (engine/crypto/hmac-sha256.ts) against `crypto.createHmac('sha256', key)`, in one process, interleaved.
// A variant with the encoding written in JS (`base64url16`, what `Pseudonymizer` uses) is measured beside them.
// Inputs are fresh strings of 16-40 bytes shaped like the identifiers policies hash (UUIDs, hex ids, user ids),
// built anew for every round so that nothing is interned or warm. Each round runs every variant once over its own
// inputs, in an order that rotates from round to round; the table gives the median ns per pseudonym and the median and
// spread (min-max of the middle 80 %) of the per-round ratio to the hand-written path, with an A/A control row.
// Times are CPU time of this process (the machine this was written on is shared), not wall time.
//
//   node bench/tools/hmac-compare.mjs [--rounds 41] [--per-round 20000]
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { HmacSha256 } = await import('../../engine/crypto/hmac-sha256.ts');
const { base64url16 } = await import('../../engine/crypto/pseudonymizer.ts');

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '41' }, 'per-round': { type: 'string', default: '20000' } },
});
const ROUNDS = Number(values.rounds);
const PER_ROUND = Number(values['per-round']);

const key = randomBytes(32);
const keyObject = createSecretKey(key);
const prefix = 'k1:';
const digest = Buffer.alloc(32);
const handWritten = new HmacSha256(key);
let sink = 0;

/** The variants, each turning one input into the pseudonym string exactly as `Pseudonymizer` would. */
const variants = {
  'hand-written (A)': (input) => {
    handWritten.mac(input, digest);
    return prefix + digest.toString('base64url', 0, 16);
  },
  'hand-written (A/A control)': (input) => {
    handWritten.mac(input, digest);
    return prefix + digest.toString('base64url', 0, 16);
  },
  // What `Pseudonymizer` does since the seventh round: the 22 characters written in JS instead of Buffer's encoder.
  'hand-written, JS base64url': (input) => {
    handWritten.mac(input, digest);
    return prefix + base64url16(digest);
  },
  'createHmac, Buffer key': (input) =>
    prefix + createHmac('sha256', key).update(input).digest().toString('base64url', 0, 16),
  'createHmac, KeyObject': (input) =>
    prefix + createHmac('sha256', keyObject).update(input).digest().toString('base64url', 0, 16),
};
const names = Object.keys(variants);

let counter = 0;
/** A fresh identifier of 16-40 bytes: a UUID (36), a 16- or 32-hex id, or a user id with a number. */
function freshId() {
  const n = counter++;
  const hex = randomBytes(16).toString('hex');
  switch (n % 4) {
    case 0:
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    case 1:
      return hex.slice(0, 16);
    case 2:
      return hex;
    default:
      return `user-${n}-${hex.slice(0, 10)}@tenant-${n % 97}`;
  }
}

function inputs() {
  const out = new Array(PER_ROUND);
  for (let i = 0; i < PER_ROUND; i++) out[i] = freshId();
  return out;
}

/** ns of CPU time (user + system) per call: on a shared machine, wall time mostly measures the other processes. */
function run(fn, list) {
  const started = process.cpuUsage();
  for (let i = 0; i < list.length; i++) sink += fn(list[i]).length;
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / list.length;
}

// Same output, or the comparison is meaningless.
for (const input of inputs().slice(0, 200)) {
  const expected = variants['createHmac, Buffer key'](input);
  for (const name of names)
    if (variants[name](input) !== expected) throw new Error(`${name} disagrees with node:crypto on ${input}`);
}
// Warm-up: every variant JIT-compiled before the first measured round.
for (const name of names) run(variants[name], inputs());

const perRound = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  if (round % 2 === 1) order.reverse();
  for (const name of order) perRound[name].push(run(variants[name], inputs()));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length * 0.1);
  return [s[cut], s[s.length - 1 - cut]];
};
const baseline = perRound['hand-written (A)'];
console.log(
  `hmac-compare: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}, ` +
    `${ROUNDS} rounds x ${PER_ROUND} new pseudonyms per variant`,
);
console.log('variant                        CPU ns/pseudonym   ratio to A (median, 10-90 %)');
for (const name of names) {
  const ratios = perRound[name].map((t, i) => t / baseline[i]);
  const [lo, hi] = spread(ratios);
  console.log(
    `${name.padEnd(30)} ${median(perRound[name]).toFixed(0).padStart(16)}   ` +
      `${median(ratios).toFixed(3)} (${lo.toFixed(3)}-${hi.toFixed(3)})`,
  );
}
if (sink === 0) console.log('(unreachable)');
