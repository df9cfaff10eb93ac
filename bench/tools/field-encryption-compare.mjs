// Field-encryption A/B (not a scenario of `npm run bench`): the CPU cost of one token, in one process, interleaved.
// Variants:
//   - "FieldEncryptor (enc:v1)" and "RecipientFieldEncryptor (enc:v2)": the random mode (a random IV per value) on
//     values never seen before: key imported once (KeyObject), IVs from a pool, associated data cached; per token
//     createCipheriv + setAAD/update/final/tag + encoding.
//   - "A/A control": FieldEncryptor again; its ratio to A must read ~1.00 or the run is noise.
//   - "per-call set-up (before)": what FieldEncryptor did until 2026-12-05 (key imported per call, randomBytes per IV).
//   - "floor: createCipheriv only" / "floor: createHmac only": one GCM context, one HMAC-SHA256 (KeyObject key,
//     two updates, digest) — the node:crypto calls each design pays per new value. "floor: GCM call, 16-byte value":
//     createCipheriv + setAAD + update + final + getAuthTag on a 16-byte plaintext, nothing else (no IV draw, no
//     encoding): the floor per token of any design with one GCM context per token.
//   - "not in product: bulk CTR + HMAC": the randomized amortization candidate (one AES-256-CTR call per 64 KiB of
//     keystream, each token its own keystream range, XOR, then an HMAC-SHA256-128 tag over nonce and ciphertext,
//     encrypt-then-MAC). Measured to see whether a per-token authenticator from node:crypto is cheaper than a GCM
//     context; not shipped.
//   - "deterministic ...": the product's deterministic mode (`encrypt: [{ key, deterministic: true }]`,
//     DeterministicSealer: synthetic IV by HMAC-SHA256, AES-256-GCM, two-generation token cache) through
//     FieldEncryptor.encryptDeterministic, each variant with its own encryptor (own cache), in steady state (caches
//     persist across rounds, and pools are offered 8 times over before the rounds): all values new; every value one
//     of 1 000 (uniform draws); one of 100 000; one of 100 000 with a 10 000-entry cache generation (the pseudonym
//     cache's size; the default is 100 000); 90 % one of 1 000 and 10 % new; enc:v2 over 1 000. Every value is a
//     string built for the round (a fresh object, not hashed before), as traffic gives. "floor: cache lookup,
//     100 000": a get from a two-generation cache holding 100 000 values, no crypto (what a hit costs at that size).
// Times are CPU time of this process (user + system), the machine is shared.
//
//   - "not in product: one reused buffer": the random mode with iv, ciphertext and tag copied into one preallocated
//     buffer and encoded once (instead of the product's Buffer.concat): same key object, same kind of IV pool. Measured
//     2026-12-06 against the product, no difference (rejected; bench/RESULTS.md, "This round: field encryption").
//   - "not in product: chacha20-poly1305 ...": the same token layout under ChaCha20-Poly1305 (another algorithm, so
//     another token format): whether its context is cheaper than AES-GCM's here.
//
//   node bench/tools/field-encryption-compare.mjs [--rounds 31] [--per-round 10000] [--only <regex>]
// `--only`: run only the variants whose name matches (A and the A/A control always run). `--base`: the variant (its
// exact name) the per-round ratios are taken against, instead of A.
import {
  createCipheriv,
  createHmac,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { FieldEncryptor, decryptToken } = await import('../../engine/crypto/field-encryption.ts');
const { RecipientFieldEncryptor, parseRecipientKey } = await import('../../engine/crypto/recipient-encryption.ts');
const { DeterministicSealer } = await import('../../engine/crypto/deterministic-sealer.ts');
const { keyMaterial } = await import('../../engine/crypto/key-material.ts');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '31' },
    'per-round': { type: 'string', default: '10000' },
    only: { type: 'string' },
    base: { type: 'string' },
  },
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
const macKey = createSecretKey(randomBytes(32));
const ATTR = Buffer.from('user.email');
const SIXTEEN = Buffer.from('fake-user-012345'); // 16 bytes
// Candidate only (see the header): bulk AES-CTR keystream + per-token HMAC tag.
const KEYSTREAM = 64 * 1024;
const keystream = Buffer.alloc(KEYSTREAM);
const zeros = Buffer.alloc(KEYSTREAM);
let ksAt = KEYSTREAM;
let ksNonce = randomBytes(16);
const ctrHmac = (v) => {
  const p = Buffer.from(v, 'utf8');
  if (ksAt + p.length > KEYSTREAM) {
    ksNonce = randomBytes(16);
    createCipheriv('aes-256-ctr', keyObject, ksNonce).update(zeros).copy(keystream);
    ksAt = 0;
  }
  const offset = ksAt;
  for (let i = 0; i < p.length; i++) p[i] ^= keystream[offset + i];
  ksAt += (p.length + 15) & ~15;
  const head = Buffer.allocUnsafe(20);
  ksNonce.copy(head, 0);
  head.writeUInt32BE(offset >>> 4, 16);
  const tag = createHmac('sha256', macKey).update(ATTR).update(head).update(p).digest();
  return `enc:v3:e1:${Buffer.concat([head, p, tag.subarray(0, 16)]).toString('base64url')}`;
};
const v1Det = new FieldEncryptor(material);
const det1k = new FieldEncryptor(material);
const det100k = new FieldEncryptor(material);
const det100kSmall = new DeterministicSealer(
  key,
  new (await import('../../engine/crypto/field-encryption.ts')).GcmSealer(key),
  'enc:v1:e1:',
  65_536,
);
const detMixed = new FieldEncryptor(material);
// The memory-bound part of a hit at 100 000 distinct values: a TwoGenerationCache get of a fresh string, no crypto.
const { TwoGenerationCache } = await import('../../engine/two-generation-cache.ts');
const lookupOnly = new TwoGenerationCache(100_000);
for (let k = 0; k < 100_000; k++) lookupOnly.set(`fake.person.${k}@example.test`, `enc:v1:e1:token-${k}`);
const v2Det = new RecipientFieldEncryptor(recipient);
let sink = 0;
// The rejected candidate: iv | ciphertext | tag laid out in one reused buffer, one base64url encoding.
const candidateIvs = Buffer.alloc(12 * 1024);
let candidateNext = 1024;
const nextIv = () => {
  if (candidateNext === 1024) {
    randomFillSync(candidateIvs);
    candidateNext = 0;
  }
  const at = candidateNext++ * 12;
  return candidateIvs.subarray(at, at + 12);
};
const reusedOut = Buffer.alloc(1024);
const gcmReused = (v) => {
  const iv = nextIv();
  const c = createCipheriv('aes-256-gcm', keyObject, iv);
  c.setAAD(ATTR);
  const body = c.update(v, 'utf8');
  c.final();
  const tag = c.getAuthTag();
  reusedOut.set(iv, 0);
  reusedOut.set(body, 12);
  reusedOut.set(tag, 12 + body.length);
  return 'enc:v1:e1:' + reusedOut.toString('base64url', 0, 28 + body.length);
};
const chachaOut = Buffer.alloc(1024);
const chacha = (v) => {
  const iv = nextIv();
  const c = createCipheriv('chacha20-poly1305', keyObject, iv, { authTagLength: 16 });
  c.setAAD(ATTR);
  const body = c.update(v, 'utf8');
  c.final();
  const tag = c.getAuthTag();
  chachaOut.set(iv, 0);
  chachaOut.set(body, 12);
  chachaOut.set(tag, 12 + body.length);
  return 'enc:v3:e1:' + chachaOut.toString('base64url', 0, 28 + body.length);
};

const variants = {
  'FieldEncryptor enc:v1 (A)': (v) => v1.encrypt(v, 'user.email'),
  'A/A control': (v) => v1b.encrypt(v, 'user.email'),
  'per-call set-up (before)': (v) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from('user.email', 'utf8'));
    return `enc:v1:e1:${Buffer.concat([iv, c.update(v, 'utf8'), c.final(), c.getAuthTag()]).toString('base64url')}`;
  },
  'not in product: one reused buffer': gcmReused,
  'RecipientFieldEncryptor enc:v2': (v) => v2.encrypt(v, 'user.email'),
  'floor: createCipheriv only': () => {
    createCipheriv('aes-256-gcm', keyObject, fixedIv);
    return 'x';
  },
  // the whole node:crypto call sequence a random-mode token needs, nothing else (no IV draw, no encoding), on a
  // 16-byte plaintext (a short id): the floor of any design that gives every token its own GCM context
  'floor: GCM call, 16-byte value': () => {
    const c = createCipheriv('aes-256-gcm', keyObject, fixedIv);
    c.setAAD(ATTR);
    c.update(SIXTEEN);
    c.final();
    c.getAuthTag();
    return 'x';
  },
  'floor: chacha20-poly1305 context': () => {
    createCipheriv('chacha20-poly1305', keyObject, fixedIv, { authTagLength: 16 });
    return 'x';
  },
  'not in product: chacha20-poly1305': chacha,
  'floor: createHmac only': (v) => {
    createHmac('sha256', macKey).update(ATTR).update(v, 'utf8').digest();
    return 'x';
  },
  'not in product: bulk CTR + HMAC': ctrHmac,
  'deterministic v1, all new': (v) => v1Det.encryptDeterministic(v, 'user.email'),
  'deterministic v1, 1 000 distinct': (v, i, pick) => det1k.encryptDeterministic(pick(1_000), 'user.email'),
  'deterministic v1, 100 000 dist.': (v, i, pick) => det100k.encryptDeterministic(pick(100_000), 'user.email'),
  'det. v1, 100 000, cache 10 000': (v, i, pick) => det100kSmall.seal(pick(100_000), 'user.email'),
  'det. v1, 90 % of 1 000, 10 % new': (v, i, pick) =>
    detMixed.encryptDeterministic(i % 10 === 0 ? v : pick(1_000), 'user.email'),
  'floor: cache lookup, 100 000': (v, i, pick) => lookupOnly.get(pick(100_000)) ?? 'x',
  'deterministic v2, 1 000 distinct': (v, i, pick) => v2Det.encryptDeterministic(pick(1_000), 'user.email'),
};
const only = values.only === undefined ? undefined : new RegExp(values.only);
// The deterministic sealer's cache before 2026-12-06: every token wrapped with its attribute key ({ attributeKey,
// token }), the same TwoGenerationCache (100 000 per generation, admission at the second sighting), the product's
// synthetic IV and GCM sealer; over 100 000 distinct values, its own cache.
const beforeGcm = new (await import('../../engine/crypto/field-encryption.ts')).GcmSealer(key);
const beforeIvSource = new DeterministicSealer(key, beforeGcm, 'enc:v1:e1:');
const beforeCache = new TwoGenerationCache(100_000, { admitOnSecondSighting: true });
const detBefore = (v, attributeKey) => {
  const hit = beforeCache.get(v);
  if (hit !== undefined && hit.attributeKey === attributeKey) return hit.token;
  const iv = beforeIvSource.syntheticIv(v, attributeKey);
  const token = 'enc:v1:e1:' + beforeGcm.sealWithIv(v, beforeGcm.associatedData(attributeKey), iv);
  if (v.length <= 256) beforeCache.set(v, { attributeKey, token });
  return token;
};
variants['det. v1, 100 000, before (wrapped)'] = (v, i, pick) => detBefore(pick(100_000), 'user.email');
const det100kAgain = new FieldEncryptor(material);
variants['det. v1, 100 000, A/A of dist.'] = (v, i, pick) =>
  det100kAgain.encryptDeterministic(pick(100_000), 'user.email');
const names = Object.keys(variants).filter((n, i) => i < 2 || only === undefined || only.test(n));

let counter = 0;
function inputs() {
  const out = new Array(PER_ROUND);
  for (let i = 0; i < PER_ROUND; i++)
    out[i] = `fake.person.${counter++}.${randomBytes(4).toString('hex')}@example.test`;
  return out;
}
// Draws from a pool of `n` distinct values, as fresh strings built before the timed loop (one list per pool size).
function draws(n) {
  const out = new Array(PER_ROUND);
  for (let i = 0; i < PER_ROUND; i++) out[i] = `fake.person.${Math.floor(Math.random() * n)}@example.test`;
  return out;
}

function run(fn, list) {
  const pools = { 1000: draws(1_000), 100000: draws(100_000) };
  let at = 0;
  const pick = (n) => pools[n][at];
  const started = process.cpuUsage();
  for (let i = 0; i < list.length; i++) {
    at = i;
    sink += fn(list[i], i, pick).length;
  }
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / list.length;
}

// The tokens decrypt, or the comparison is meaningless.
for (const v of inputs().slice(0, 50)) {
  for (const name of [
    'FieldEncryptor enc:v1 (A)',
    'per-call set-up (before)',
    'not in product: one reused buffer',
    'deterministic v1, all new',
  ])
    if (decryptToken(variants[name](v, 1), key, 'user.email') !== v) throw new Error(`${name} does not round-trip`);
  if (v1Det.encryptDeterministic(v, 'user.email') !== det1k.encryptDeterministic(v, 'user.email'))
    throw new Error('deterministic tokens differ for one value');
  if (detBefore(v, 'user.email') !== det1k.encryptDeterministic(v, 'user.email'))
    throw new Error('the deterministic sealer before and now give different tokens');
}
for (const name of names) run(variants[name], inputs());
// Steady state for the deterministic variants over a pool: every value of the pool offered several times first.
for (const name of names.filter((n) => /distinct|100 000|90 %/.test(n))) {
  const size = /100 000/.test(name) ? 100_000 : 1_000;
  for (let done = 0; done < 8 * size; done += PER_ROUND) run(variants[name], inputs());
}

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
const baseName = values.base ?? 'FieldEncryptor enc:v1 (A)';
if (perRound[baseName] === undefined) throw new Error(`--base ${baseName}: no such variant in this run`);
const baseline = perRound[baseName];
console.log(
  `field-encryption-compare: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}, ` +
    `load ${os.loadavg()[0].toFixed(2)}, ${ROUNDS} rounds x ${PER_ROUND} new values per variant`,
);
console.log(`variant                          CPU µs/token   ratio to ${baseName} (median, 10-90 %)`);
for (const name of names) {
  const ratios = perRound[name].map((t, i) => t / baseline[i]);
  const [lo, hi] = spread(ratios);
  console.log(
    `${name.padEnd(32)} ${(median(perRound[name]) / 1000).toFixed(2).padStart(12)}   ` +
      `${median(ratios).toFixed(3)} (${lo.toFixed(3)}-${hi.toFixed(3)})`,
  );
}
if (sink === 0) console.log('(unreachable)');
