// Output equality of two value scanners (not a scenario of `npm run bench`): the esbuild bundles of
// `engine/detectors/value-scanner.ts` that `scanner-ab.mjs` times (a base commit's and this checkout's), given the
// same values, must return the same thing. A performance step that changes the scanner (or a detector) is kept only
// when this reports 0 differences.
//
// Values: the labeled corpus, its generated positives (every seed through every operator) and look-alike negatives;
// the ~1 MB adversarial inputs of `test/engine/detectors/adversarial.test.ts` at about 2 KB (their expressions read
// from the test file, repeats capped); fast-check strings (arbitrary, binary, and built from trigger fragments); and
// the request unit's URLs and SQL statements with fresh user numbers. Each value goes through `redact`, `scan`,
// `findingTypes` and `redactTransformed(value, rewrite)` with the URL sanitizer's and the SQL sanitizer's rewrite,
// under four option sets (mask, hash, drop, mask with `timestampPrecision`); the findings records must be equal at
// the end.
//   node bench/tools/scanner-diff.mjs node_modules/.ab/scannerA.mjs node_modules/.ab/scannerB.mjs [fast-check runs]
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { tsImport } from 'tsx/esm/api';

const [aPath, bPath, runsArg = '3000'] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = async (p) => (await import(pathToFileURL(path.resolve(p)).href)).createValueScanner;
const [createA, createB] = [await load(aPath), await load(bPath)];
const imp = (file) => tsImport(pathToFileURL(path.join(root, file)).href, import.meta.url);
const { corpus, seedValues } = await imp('test/engine/detectors/testdata/corpus.ts');
const { generatePositives, generateNegatives } = await imp('test/engine/detectors/testdata/generate.ts');
const { createUrlSanitizer } = await imp('engine/sanitizers/url-sanitizer.ts');
const { sanitizeSql } = await imp('engine/sanitizers/sql-sanitizer.ts');

const values = [];
for (const s of corpus) values.push(s.text);
for (const s of generatePositives(seedValues)) values.push(s.text);
for (const s of generateNegatives(2000)) values.push(s.text);
// The adversarial test's inputs, shrunk: every `<expr>.repeat(N)` entry evaluated with N capped.
const adversarialSource = readFileSync(path.join(root, 'test/engine/detectors/adversarial.test.ts'), 'utf8');
let adversarial = 0;
for (const m of adversarialSource.matchAll(/^\s+(?:'[^'\n]*'|"[^"\n]*"|[\w$]+): (.*\.repeat\([^)]*\).*),$/gm)) {
  const expr = m[1].replace(/\.repeat\(([^)]*)\)/g, (_, n) => `.repeat(Math.min(${n}, Math.ceil(2000 / 8)))`);
  try {
    values.push(String(new Function(`return ${expr};`)()));
    adversarial++;
  } catch {
    // an entry that needs the test's own helpers: left out
  }
}
const fragments = [
  '@',
  '.',
  ':',
  '-',
  '_',
  ' ',
  '=',
  '%40',
  '%',
  '&#64;',
  '\\u0040',
  'eyJ',
  'Bearer ',
  'token=',
  'password=',
  'AKIA',
  '-----BEGIN ',
  'PRIVATE KEY-----',
  '4111',
  '1111',
  '192.168.',
  '::1',
  'DE89',
  '3704',
  '+1 ',
  '(555)',
  '123-45-',
  'fake',
  'example.com',
  'ghp_',
  'sk-',
  'xoxb-',
  'H4sI',
  '=40',
  '\\101',
  '+AEA-',
  '61 ',
  '0x61, ',
  'QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
  'ü',
  '\u200b',
  '\uff20',
  'T10:15:00',
  '2024-01-02',
  'dot',
  '(at)',
  '[.]',
];
fc.assert(
  fc.property(
    fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.array(fc.constantFrom(...fragments), { maxLength: 24 }).map((xs) => xs.join('')),
      fc
        .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 })), { maxLength: 16 })
        .map((xs) => xs.join('')),
    ),
    (v) => {
      values.push(v);
    },
  ),
  { numRuns: Number(runsArg), seed: 4242 },
);
for (let u = 0; u < 3000; u += 7) {
  const id = 'fake-user-' + u;
  values.push('https://shop.example/users/' + u + '/orders?page=' + (u % 7) + '&token=fake' + u);
  values.push('/users/' + u + '/orders', 'page=' + (u % 7) + '&token=fake' + u);
  values.push(
    "SELECT id, total FROM orders WHERE user_id = '" + id + "' AND email = 'fake" + u + "@example.com' LIMIT 20",
  );
}

const url = createUrlSanitizer();
const hash = (t) => createHash('sha256').update(t).digest('hex').slice(0, 16);
const optionSets = {
  mask: { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]' },
  hash: { detectors: 'all', action: 'hash', mask: '[REDACTED:{type}]', hash },
  drop: { detectors: 'all', action: 'drop', mask: '[REDACTED:{type}]' },
  times: { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', timestampPrecision: 60_000 },
};
let compared = 0;
let differ = 0;
for (const [name, options] of Object.entries(optionSets)) {
  const A = createA({ ...options });
  const B = createB({ ...options });
  const same = (what, v, x, y) => {
    compared++;
    const sx = JSON.stringify(x);
    const sy = JSON.stringify(y);
    if (sx === sy) return;
    differ++;
    if (differ <= 5)
      console.error(`differs (${name}, ${what}): ${JSON.stringify(v).slice(0, 200)}\n A ${sx}\n B ${sy}`);
  };
  for (const v of values) {
    same('redact', v, A.redact(v), B.redact(v));
    same('scan', v, A.scan(v), B.scan(v));
    same('findingTypes', v, A.findingTypes(v), B.findingTypes(v));
    for (const rewrite of [url(v), sanitizeSql(v)])
      same('redactTransformed', v, A.redactTransformed(v, rewrite), B.redactTransformed(v, rewrite));
  }
  same('findings record', name, { ...A.findings }, { ...B.findings });
}
console.log(
  `scanner-diff: ${values.length} values (${adversarial} adversarial), 4 option sets, ${compared} outputs compared, ` +
    `${differ} differ`,
);
process.exit(differ === 0 ? 0 : 1);
