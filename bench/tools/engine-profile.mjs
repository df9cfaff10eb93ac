// Engine A/B benchmark (not part of `npm run bench`): the sanitize cost per span with and without
// value scanning, and provider throughput with and without PrivacySpanProcessor, for one or more
// builds of the library measured interleaved in the same process (medians over rounds), so that a
// change can be compared with its baseline on a noisy machine.
//
//   node bench/tools/engine-profile.mjs                      # the built package (dist/)
//   node bench/tools/engine-profile.mjs --impl base=/tmp/base/index.mjs --impl new=/tmp/new/index.mjs
//   options: --rounds N (default 9), --quick, --only 1|2, --users 1000,100000
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ExportResultCode } from '@opentelemetry/core';
import { parse } from 'yaml';
import { httpAttributes } from '../lib.mjs';

const args = process.argv.slice(2);
const opt = (name) => {
  const out = [];
  for (let i = 0; i < args.length; i++) if (args[i] === `--${name}`) out.push(args[i + 1]);
  return out;
};
const quick = args.includes('--quick');
const ROUNDS = Number(opt('rounds')[0] ?? (quick ? 3 : 9));
const only = opt('only')[0];
const userCounts = (opt('users')[0] ?? '1000,100000').split(',').map(Number);
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';

const implSpecs = opt('impl');
const impls = [];
for (const spec of implSpecs.length ? implSpecs : ['dist=otel-privacy']) {
  const [name, path] = spec.split('=');
  const url = path.startsWith('.') || path.startsWith('/') ? pathToFileURL(resolve(path)).href : path;
  const lib = await import(url);
  const yamlPath =
    path.startsWith('.') || path.startsWith('/')
      ? join(dirname(resolve(path)), 'default-policy.yaml')
      : new URL('../../policy/default-policy.yaml', import.meta.url);
  const doc = parse(readFileSync(yamlPath, 'utf8'));
  const { values: _v, ...noValues } = doc;
  const { values: _v2, sanitizers: _s, ...noValuesNoSanitizers } = doc;
  impls.push({
    name,
    lib,
    policy: lib.defaultPolicy(),
    noValues: lib.definePolicy(noValues),
    bare: lib.definePolicy(noValuesNoSanitizers),
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs every variant for `iterations` per round, interleaved; returns median µs/op per variant. */
function interleaved(variants, iterations) {
  for (const v of variants) for (let i = 0; i < Math.min(iterations, 3000); i++) v.fn(i); // warm-up
  const times = variants.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    variants.forEach((v, k) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) v.fn(i);
      times[k].push(Number(process.hrtime.bigint() - t0) / iterations / 1000);
    });
  }
  return Object.fromEntries(variants.map((v, k) => [v.name, median(times[k])]));
}

console.log(
  `engine-profile — node ${process.version}, ${ROUNDS} rounds, impls: ${impls.map((x) => x.name).join(', ')}`,
);

if (!only || only === '1') {
  const inputs = Array.from({ length: 4096 }, (_, i) => httpAttributes(i, 1000));
  const n = quick ? 20_000 : 100_000;
  const variants = [{ name: 'copy', fn: (i) => ({ ...inputs[i & 4095] }) }];
  for (const x of impls) {
    const s = x.policy.sanitizer('traces');
    const nv = x.noValues.sanitizer('traces');
    const b = x.bare.sanitizer('traces');
    variants.push({ name: `${x.name}:default`, fn: (i) => s.sanitize(inputs[i & 4095]) });
    variants.push({ name: `${x.name}:no-values`, fn: (i) => nv.sanitize(inputs[i & 4095]) });
    variants.push({ name: `${x.name}:no-values-no-sanitizers`, fn: (i) => b.sanitize(inputs[i & 4095]) });
  }
  const r = interleaved(variants, n);
  console.log(`1 sanitize µs/span: plain copy ${r.copy.toFixed(3)}`);
  for (const x of impls) {
    const d = r[`${x.name}:default`];
    const nv = r[`${x.name}:no-values`];
    const b = r[`${x.name}:no-values-no-sanitizers`];
    console.log(
      `  ${x.name}: default ${d.toFixed(3)} | without values ${nv.toFixed(3)} (scanning adds ${((d / nv - 1) * 100).toFixed(0)} %) | without values+sanitizers ${b.toFixed(3)} (values+sanitizers add ${((d / b - 1) * 100).toFixed(0)} %)`,
    );
  }
}

if (!only || only === '2') {
  const noop = {
    export: (_spans, cb) => cb({ code: ExportResultCode.SUCCESS }),
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  const make = (processorFor) => {
    const batch = new BatchSpanProcessor({
      exporter: noop,
      maxQueueSize: 1 << 16,
      maxExportBatchSize: 512,
      scheduledDelayMillis: 50,
    });
    const provider = new TracerProvider({ spanProcessors: [processorFor ? processorFor(batch) : batch] });
    return { provider, tracer: provider.getTracer('bench') };
  };
  const n = quick ? 5_000 : 30_000;
  const run = (t, users) => (i) => {
    const span = t.startSpan('GET /users/:id/orders', {
      attributes: { 'http.request.method': 'GET', 'url.full': 'https://x/y?z=1', 'client.address': '198.51.100.1' },
    });
    span.setAttributes(httpAttributes(i, users));
    span.end();
  };
  const providers = [];
  for (const users of userCounts) {
    const bare = make(undefined);
    providers.push(bare);
    const variants = [{ name: 'bare', fn: run(bare.tracer, users) }];
    for (const x of impls) {
      const p = make((next) => new x.lib.PrivacySpanProcessor({ policy: x.policy, next }));
      providers.push(p);
      variants.push({ name: x.name, fn: run(p.tracer, users) });
    }
    const r = interleaved(variants, n);
    console.log(
      `2 provider throughput, ${users} users: bare ${(1e6 / r.bare).toFixed(0)} spans/s; ` +
        impls
          .map((x) => `${x.name} ${(1e6 / r[x.name]).toFixed(0)} spans/s ratio ${(r.bare / r[x.name]).toFixed(2)}`)
          .join('; '),
    );
  }
  await Promise.all(providers.map((p) => p.provider.shutdown()));
}
