// Field-encryption A/B (not a scenario of `npm run bench`): the CPU cost of one token for a value never seen before,
// in one process, interleaved. Variants:
//   - "per-call set-up (before)": what FieldEncryptor did until 2026-12-05: Buffer key imported by every
//     createCipheriv, randomBytes(12) per token, the attribute key encoded per token.
//   - "FieldEncryptor (enc:v1)" and "RecipientFieldEncryptor (enc:v2)": the engine now (engine/crypto): key imported
//     once (KeyObject), IVs from a pool refilled once per 1 024 tokens, associated data cached; per token only
//     createCipheriv + update/final/tag + encoding. v2 is the same under the per-process data key (its HKDF/RSA
//     wrap runs once, at construction, outside the measurement).
//   - "A/A control": FieldEncryptor again; its ratio to A must read ~1.00 or the run is noise.
//   - "floor: createCipheriv only": the GCM context set-up alone, what node:crypto cannot reuse across IVs.
//   - "deterministic + cache, 0 % / 90 % repeats": NOT in the product: a synthetic IV (HMAC-SHA256 of attribute key
//     and value, the engine's hand-written HMAC) so equal values give equal tokens (linkable, like a pseudonym) and
//     a token cache can skip GCM for repeated values; shown at fresh values and at 90 % repeats.
// Times are CPU time of this process (user + system), the machine is shared.
//
//   node bench/tools/field-encryption-compare.mjs [--rounds 31] [--per-round 10000]
import { createCipheriv, createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { FieldEncryptor, decryptToken } = await import('../../engine/crypto/field-encryption.ts');
const { RecipientFieldEncryptor, parseRecipientKey } = await import('../../engine/crypto/recipient-encryption.ts');
const { HmacSha256 } = await import('../../engine/crypto/hmac-sha256.ts');
const { keyMaterial } = await import('../../engine/crypto/key-material.ts');

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '31' }, 'per-round': { type: 'string', default: '10000' } },
});
const ROUNDS = Number(values.rounds);
const PER_ROUND = Number(values['per-round']);

const key = randomBytes(32);
const material = keyMaterial('e1', key);
const v1 = new FieldEncryptor(material);
const v1b = new FieldEncryptor(material);
const recipient = parseRecipientKey(
  'ops',
  Buffer.from(generateKeyPairSync('x25519').publicKey.export({ format: 'pem', type: 'spki' })),
  'bench',
);
const v2 = new RecipientFieldEncryptor(recipient);
const keyObject = createSecretKey(key);
const fixedIv = randomBytes(12);
const ivMac = new HmacSha256(randomBytes(32));
const ivDigest = Buffer.alloc(32);
const cache = new Map();
const deterministic = (value, attr) => {
  const k = `${attr}\u0000${value}`;
  let t = cache.get(k);
  if (t !== undefined) return t;
  ivMac.mac(k, ivDigest);
  const iv = ivDigest.subarray(0, 12);
  const c = createCipheriv('aes-256-gcm', keyObject, iv);
  c.setAAD(Buffer.from(attr, 'utf8'));
  const body = c.update(value, 'utf8');
  c.final();
  t = `enc:v1:e1:${Buffer.concat([iv, body, c.getAuthTag()]).toString('base64url')}`;
  if (cache.size >= 100_000) cache.clear();
  cache.set(k, t);
  return t;
};
let sink = 0;

const variants = {
  'FieldEncryptor enc:v1 (A)': (v) => v1.encrypt(v, 'user.email'),
  'A/A control': (v) => v1b.encrypt(v, 'user.email'),
  'per-call set-up (before)': (v) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from('user.email', 'utf8'));
    return `enc:v1:e1:${Buffer.concat([iv, c.update(v, 'utf8'), c.final(), c.getAuthTag()]).toString('base64url')}`;
  },
  'RecipientFieldEncryptor enc:v2': (v) => v2.encrypt(v, 'user.email'),
  'floor: createCipheriv only': () => {
    createCipheriv('aes-256-gcm', keyObject, fixedIv);
    return 'x';
  },
  'deterministic+cache, 0 % rep.': (v) => deterministic(v, 'user.email'),
  'deterministic+cache, 90 % rep.': (v, i) =>
    deterministic(i % 10 === 0 ? v : `repeat-${i % 100}@example.test`, 'user.email'),
};
const names = Object.keys(variants);

let counter = 0;
function inputs() {
  const out = new Array(PER_ROUND);
  for (let i = 0; i < PER_ROUND; i++)
    out[i] = `fake.person.${counter++}.${randomBytes(4).toString('hex')}@example.test`;
  return out;
}

function run(fn, list) {
  const started = process.cpuUsage();
  for (let i = 0; i < list.length; i++) sink += fn(list[i], i).length;
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / list.length;
}

// The tokens decrypt, or the comparison is meaningless.
for (const v of inputs().slice(0, 50)) {
  for (const name of ['FieldEncryptor enc:v1 (A)', 'per-call set-up (before)', 'deterministic+cache, 0 % rep.'])
    if (decryptToken(variants[name](v, 1), key, 'user.email') !== v) throw new Error(`${name} does not round-trip`);
}
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
const baseline = perRound['FieldEncryptor enc:v1 (A)'];
console.log(
  `field-encryption-compare: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}, ` +
    `load ${os.loadavg()[0].toFixed(2)}, ${ROUNDS} rounds x ${PER_ROUND} new values per variant`,
);
console.log('variant                          CPU µs/token   ratio to A (median, 10-90 %)');
for (const name of names) {
  const ratios = perRound[name].map((t, i) => t / baseline[i]);
  const [lo, hi] = spread(ratios);
  console.log(
    `${name.padEnd(32)} ${(median(perRound[name]) / 1000).toFixed(2).padStart(12)}   ` +
      `${median(ratios).toFixed(3)} (${lo.toFixed(3)}-${hi.toFixed(3)})`,
  );
}
if (sink === 0) console.log('(unreachable)');
