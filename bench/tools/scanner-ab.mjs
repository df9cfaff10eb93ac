// Value-scanner A/B on log bodies and free text (not a scenario of `npm run bench`): two bundles of
// `engine/detectors/value-scanner.ts` (a base commit's and this checkout's) in one process, interleaved, CPU time.
// Bundle each with esbuild from a source tree under this checkout (so `zod` resolves), e.g. for the base:
//   git archive <base> engine policy | tar -x -C node_modules/.ab/srcA
//   echo "export { createValueScanner } from '$PWD/node_modules/.ab/srcA/engine/detectors/value-scanner';" > e.ts
//   npx esbuild e.ts --bundle --platform=node --format=esm --outfile=node_modules/.ab/scannerA.mjs
// and the same with this checkout's file for B. Inputs are fresh strings built anew every round (the clean-value
// cache is off, as for fresh per-user text). Each round runs A, B and A again (A2, the A/A control) over the same
// values in an order that rotates; the table gives median CPU ns per value, the median and IQR of per-round ratios.
// Before timing, every value of one round must redact the same in A and B (exit 1 if not).
//   node bench/tools/scanner-ab.mjs node_modules/.ab/scannerA.mjs node_modules/.ab/scannerB.mjs [rounds] [perRound]
// `ONLY=<part of a kind's name>` runs the matching kinds only. Output equality on many more values:
// `bench/tools/scanner-diff.mjs` with the same two bundles.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [aPath, bPath, roundsArg = '31', perArg = '4000'] = process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const PER = Number(perArg);
const load = async (p) => (await import(pathToFileURL(path.resolve(p)).href)).createValueScanner;
const options = { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0 };
const A = (await load(aPath))(options);
const B = (await load(bPath))(options);
// [raw, rewrite] kinds run with the product's default clean-value cache (the rewrites repeat, as in the request; the
// raw values are fresh).
const cached = { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]' };
const Ac = (await load(aPath))(cached);
const Bc = (await load(bPath))(cached);

const filler = ['request', 'handled', 'retrying', 'upstream', 'timeout', 'cache', 'miss', 'for', 'tenant', 'shard'];
const words = (i, n) => Array.from({ length: n }, (_, k) => filler[(i + k * 3) % filler.length]).join(' ');
/** Kinds of value, each a function of (row i, round r) returning a fresh string. */
const kinds = {
  'log body, e-mail (scenario 9)': (i, r) => {
    const u = (i * 7 + r) % 100000;
    return 'order lookup failed for fake' + u + '@example.com (fake-user-' + u + ') after ' + (i % 97) + ' ms';
  },
  'free text 200 ch, e-mail at end': (i, r) => words(i + r, 24) + ' contact fake' + i + '.' + r + '@example.org',
  'free text, two e-mails': (i, r) => 'from a' + i + '@example.com to b' + r + '@example.net: ' + words(i, 8),
  'free text, clean (no @)': (i, r) => words(i + r, 14) + ' after ' + (i % 97) + ' ms, attempt ' + (r % 5),
  'clean route and query': (i, r) =>
    `/api/v2/tenants/t${i % 997}/orders/${(i * 31 + r) % 100000}?page=${r % 9}&sort=desc`,
  // url.full / url.query with percent escapes and numeric parameters (the first view's and the quoted-printable
  // check's cost on a clean value).
  'pct-url': (i, r) =>
    `https://shop.example/search?q=red%20shoes%2C${i % 97}&size=${(i * 7 + r) % 50}&page=${r % 9}&ref=home%2Fsale&t=${1700000000 + i}`,
  // A `key=value` log line (the `=` of every pair is looked at as quoted-printable).
  'kv-line': (i, r) =>
    `level=info ts=${1733450000 + i + r} msg=request done status=200 dur_ms=${(i * 13 + r) % 997} bytes=${i * 31} ` +
    `route=/api/orders/{id} shard=${i % 16} retry=0 cache=miss`,
  'clean user agent': (i, r) =>
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${100 + (i % 30)}.0.${r}.${i % 200} Safari/537.36`,
  'clean trace id and digest (hex)': (i, r) =>
    `trace ${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}${(r * 40503 + i).toString(16).padStart(24, 'a')} sha ${((i + r) * 97).toString(16).padStart(40, 'f')}`,
  'clean non-ASCII text': (i, r) =>
    `Bestellung für Müller-Lüdenscheidt · Straße ${i % 97} — café crème naïve ${r % 13} Ω ✓`,
  // A sanitizer's raw value and its rewrite (`redactTransformed`, as the URL and SQL sanitizers call it): the
  // request unit's URL and statement at 100 000 users (`bench/lib.mjs` requestWork).
  'raw URL + rewrite (100k request)': (i, r) => {
    const u = (i * 7 + r) % 100000;
    return [
      'https://shop.example/users/' + u + '/orders?page=' + (u % 7) + '&token=fake' + u,
      'https://shop.example/users/{id}/orders?page=' + (u % 7) + '&token=REDACTED',
    ];
  },
  'raw SQL + rewrite (100k request)': (i, r) => {
    const u = (i * 7 + r) % 100000;
    const id = 'fake-user-' + u;
    return [
      "SELECT id, total FROM orders WHERE user_id = '" + id + "' AND email = 'fake" + u + "@example.com' LIMIT 20",
      'SELECT id, total FROM orders WHERE user_id = ? AND email = ? LIMIT ' + '20',
    ];
  },
};
// ONLY=<part of a kind's name>: run the matching kinds only.
if (process.env.ONLY) for (const k of Object.keys(kinds)) if (!k.includes(process.env.ONLY)) delete kinds[k];
/** A kind's value through a scanner: `redact`, or `redactTransformed` for a [raw, rewrite] pair. */
const apply = (scanner, v) =>
  typeof v === 'string' ? scanner.redact(v) : (scanner === A ? Ac : Bc).redactTransformed(v[0], v[1]);

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const quantile = (xs, q) => [...xs].sort((x, y) => x - y)[Math.floor(q * (xs.length - 1))];

let bad = 0;
for (const make of Object.values(kinds))
  for (let i = 0; i < PER; i++) {
    const v = make(i, 0);
    if (apply(A, v) !== apply(B, v)) {
      bad++;
      if (bad < 5) console.error('differs:', JSON.stringify(v));
    }
  }
if (bad > 0) process.exit(1);

const time = (scanner, values) => {
  const t0 = process.cpuUsage();
  let sink = 0;
  for (let i = 0; i < values.length; i++) sink += apply(scanner, values[i]).length;
  const d = process.cpuUsage(t0);
  if (sink < 0) console.log(sink);
  return ((d.user + d.system) * 1000) / values.length;
};

console.log(`scanner-ab: A=${aPath} B=${bPath}; ${ROUNDS} rounds × ${PER} values per kind, CPU ns per value`);
for (const [name, make] of Object.entries(kinds)) {
  const ns = { A: [], B: [], A2: [] };
  for (let r = -2; r < ROUNDS; r++) {
    const values = Array.from({ length: PER }, (_, i) => make(i, r + 10));
    for (const v of values) for (const s of typeof v === 'string' ? [v] : v) s.charCodeAt(0); // flatten before timing, for all variants alike
    const order = [
      ['A', A],
      ['B', B],
      ['A2', A],
    ];
    for (let k = 0; k < ((r % 3) + 3) % 3; k++) order.push(order.shift());
    for (const [label, s] of order) {
      const t = time(s, values);
      if (r >= 0) ns[label].push(t);
    }
  }
  const ratio = (x, y) => ns[x].map((t, i) => ns[y][i] / t);
  const fmt = (xs) =>
    `${median(xs).toFixed(2)} (IQR ${quantile(xs, 0.25).toFixed(2)}–${quantile(xs, 0.75).toFixed(2)})`;
  console.log(
    `${name.padEnd(34)} A ${median(ns.A).toFixed(0)} B ${median(ns.B).toFixed(0)} ns; ` +
      `A/B (>1 = B faster) ${fmt(ratio('B', 'A'))}; A/A2 control ${fmt(ratio('A2', 'A'))}`,
  );
}
