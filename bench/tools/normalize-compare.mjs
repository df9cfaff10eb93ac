// Normalization pre-pass A/B (not a scenario of `npm run bench`): the value scanner of a base commit (A) against this
// checkout's (B), both with normalized views on, and this checkout's scanner with them off (the floor the issue's
// "adds ≤ 10 %" is measured against), in one process, interleaved. A's `normalizer.ts` and `value-scanner.ts` are
// read from git into temporary files beside the real ones (removed at exit), so both use the same detectors.
//
// Inputs are fresh strings built anew every round (no cache helps; the clean-value cache is off): clean values of a
// request (routes, URLs, user agents, camelCase names with digits, UUIDs, numbers as strings, SQL, messages) and
// evasion values (base64/hex/percent/entity/escape/fullwidth/zero-width forms of obviously fake personal data), and
// values with plain findings (fake e-mail, card, IP, bearer token, phone, JWT, URL password, IPv6 in ordinary words).
// Each round runs every variant once, in an order that rotates from round to round; the table gives the median CPU
// ns per value and the median and interquartile range of the per-round ratio, with an A/A control row; each build's
// ratio to its own `normalize: false` floor is its normalization overhead.
//
// Before timing, a differential check: on every input of one round, on the labeled generated corpus (positives and
// look-alike negatives) and on fast-check values, B's output must equal A's (same findings masked). It exits 1 if not.
//
//   node bench/tools/normalize-compare.mjs [--base 4365788] [--rounds 31] [--per-round 400]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { register } from 'tsx/esm/api';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: '4365788' },
    rounds: { type: 'string', default: '31' },
    'per-round': { type: 'string', default: '400' },
  },
});
const ROUNDS = Number(values.rounds);
const PER_ROUND = Number(values['per-round']);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, 'engine/detectors');
const baseNormalizer = path.join(dir, 'ab-base-normalizer.ts');
const baseScanner = path.join(dir, 'ab-base-value-scanner.ts');
const cleanUp = () => {
  rmSync(baseNormalizer, { force: true });
  rmSync(baseScanner, { force: true });
};
process.on('exit', cleanUp);
const show = (file) =>
  execFileSync('git', ['-C', root, 'show', `${values.base}:engine/detectors/${file}`], { encoding: 'utf8' });
writeFileSync(baseNormalizer, show('normalizer.ts'));
writeFileSync(baseScanner, show('value-scanner.ts').replace("from './normalizer'", "from './ab-base-normalizer'"));

register();
const A = await import(baseScanner);
const B = await import(path.join(dir, 'value-scanner.ts'));
const { generatePositives, generateNegatives } = await import(
  path.join(root, 'test/engine/detectors/testdata/generate.ts')
);
const { seedValues } = await import(path.join(root, 'test/engine/detectors/testdata/corpus.ts'));
cleanUp();

const opts = { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0 };
const variants = {
  'base, normalized (A)': A.createValueScanner(opts),
  'base, normalized (A/A control)': A.createValueScanner(opts),
  'this branch, normalized (B)': B.createValueScanner(opts),
  'no normalization (floor)': B.createValueScanner({ ...opts, normalize: false }),
  'base, no normalization (A floor)': A.createValueScanner({ ...opts, normalize: false }),
};
const names = Object.keys(variants);

let counter = 0;
const hex = (n) => randomBytes(n).toString('hex');
const UAS = [
  (k) =>
    `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${100 + (k % 30)}.0.${k % 5000}.${k % 200} Safari/537.36`,
  (k) =>
    `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${k % 7} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${k % 6} Mobile/15E148 Safari/604.1`,
  (k) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${100 + (k % 30)}.0) Gecko/20100101 Firefox/${100 + (k % 30)}.0`,
  (k) => `okhttp/4.${k % 13}.${k % 7}`,
];
/** One fresh clean value: the shapes a request's attributes and span names take. */
function cleanValue() {
  const k = counter++;
  switch (k % 10) {
    case 0:
      return `GET /api/v2/orders/${k % 9973}/items`;
    case 1:
      return `https://shop.example/api/v2/orders/${k % 9973}/items?page=${k % 7}&sort=date`;
    case 2:
    case 3:
      return UAS[k % 4](k);
    case 4:
      return `handleOrders${k % 97}`;
    case 5:
      return `OrderService.getUserById${k % 50}Async`;
    case 6: {
      const h = hex(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    case 7:
      return String(k * 7919);
    case 8:
      return `SELECT id, total FROM orders WHERE id = ? AND status = ? LIMIT 20 -- v${k % 13}`;
    default:
      return `order service responded in ${k % 900} ms`;
  }
}
/** One fresh evasion value: an obviously fake e-mail address or SSN in an encoded or obfuscated form. */
function evasionValue() {
  const k = counter++;
  const email = `user${k}@example.com`;
  switch (k % 8) {
    case 0:
      return `token=${Buffer.from(email).toString('base64')}`;
    case 1:
      return `/files/${Buffer.from(`ssn 111-22-${String(1000 + (k % 9000))}`).toString('base64url')}`;
    case 2:
      return `x ${Buffer.from(email).toString('hex')}`;
    case 3:
      return `mail=${email.replace('@', '%2540')}`;
    case 4:
      return `name ${email.replace('@', '&#64;')}`;
    case 5:
      return `u=${email.replace('@', '\\u0040')}`;
    case 6:
      return `ｕｓｅｒ${k}＠ｅｘａｍｐｌｅ．ｃｏｍ`;
    default:
      return `user${k}\u200b@\u200dexample.com`;
  }
}
/** One fresh value with a plain finding (obviously fake data) among ordinary words: what the detectors must find. */
function findingValue() {
  const k = counter++;
  switch (k % 8) {
    case 0:
      return `password reset sent to user${k}@example.com`;
    case 1:
      return `charge declined for card 4111 1111 1111 ${String(1000 + (k % 9000))}`;
    case 2:
      return `https://shop.example/login?next=/orders/${k}&client=203.0.113.${k % 250}`;
    case 3:
      return `Authorization: Bearer ${hex(12)}`;
    case 4:
      return `call me at (202) 555-${String(1000 + (k % 9000))} after 5`;
    case 5:
      return `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyJHtrfSJ9.${hex(16)}`;
    case 6:
      return `postgres://app:${hex(6)}@db.internal:5432/orders`;
    default:
      return `peer 2001:db8::${(k % 65535).toString(16)} closed the stream`;
  }
}
const sets = { clean: cleanValue, findings: findingValue, evasion: evasionValue };

// Differential check: B masks exactly what A masks.
const checked = [];
for (const make of Object.values(sets)) for (let i = 0; i < 2000; i++) checked.push(make());
checked.push(...fc.sample(fc.string({ maxLength: 200 }), 3000));
for (const s of [...generatePositives(seedValues), ...generateNegatives(60)]) checked.push(s.text);
checked.push(...fc.sample(fc.string({ unit: 'binary', maxLength: 60 }), 3000));
checked.push(...fc.sample(fc.base64String({ minLength: 8, maxLength: 60 }), 3000));
const a = variants['base, normalized (A)'];
const b = variants['this branch, normalized (B)'];
let disagreements = 0;
for (const text of checked)
  if (a.redact(text) !== b.redact(text) && disagreements++ < 10)
    console.log(
      `differs: ${JSON.stringify(text)}\n  A ${JSON.stringify(a.redact(text))}\n  B ${JSON.stringify(b.redact(text))}`,
    );
console.log(`differential check: ${checked.length} values, ${disagreements} with a different output`);
if (disagreements > 0) process.exitCode = 1;

let sink = 0;
/** CPU ns per value (user + system): on a shared machine wall time mostly measures the other processes. */
function run(scanner, list) {
  const started = process.cpuUsage();
  for (let i = 0; i < list.length; i++) sink += scanner.redact(list[i]).length;
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / list.length;
}
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const cut = Math.floor(s.length * 0.25);
  return [s[cut], s[s.length - 1 - cut]];
};

console.log(
  `normalize-compare: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}, ` +
    `load ${os.loadavg()[0].toFixed(1)}, base ${values.base}, ${ROUNDS} rounds x ${PER_ROUND} fresh values per variant`,
);
for (const [set, make] of Object.entries(sets)) {
  const fresh = () => Array.from({ length: PER_ROUND }, make);
  for (const name of names) run(variants[name], fresh()); // warm-up
  const perRound = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    if (round % 2 === 1) order.reverse();
    for (const name of order) perRound[name].push(run(variants[name], fresh()));
  }
  console.log(`\n${set} values                      CPU ns/value   ratio to A (IQR)       ratio to floor (IQR)`);
  for (const name of names) {
    const toA = perRound[name].map((t, i) => t / perRound['base, normalized (A)'][i]);
    // Each build against its own floor (`normalize: false`): the normalization overhead of that build.
    const floor = name.startsWith('base') ? 'base, no normalization (A floor)' : 'no normalization (floor)';
    const toFloor = perRound[name].map((t, i) => t / perRound[floor][i]);
    const [al, ah] = spread(toA);
    const [fl, fh] = spread(toFloor);
    console.log(
      `${name.padEnd(32)} ${median(perRound[name]).toFixed(0).padStart(12)}   ` +
        `${median(toA).toFixed(2)} (${al.toFixed(2)}-${ah.toFixed(2)})`.padEnd(23) +
        `${median(toFloor).toFixed(2)} (${fl.toFixed(2)}-${fh.toFixed(2)})`,
    );
  }
}
if (sink === 0) console.log('(unreachable)');
