// Profiling driver (not part of scenario 3): one pipeline of bench/peers/peer-worker.mjs (SDK 2.x) run for a while,
// so `node --cpu-prof` sees what each processor does per request on the SDK line the peers need. Run after
// `npm run bench -- --only peers` (or bench/peers/install.mjs) has installed bench/peers/node_modules.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/peers/profile-peers.mjs [bare|keyonly|default|autotel|adot] [users] [requests]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as api from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AttributeRedactingProcessor } from 'autotel/attribute-redacting-processor';
import { PrivacySpanProcessor, defaultPolicy, definePolicy } from 'otel-privacy';
import { asyncNoopExporter, KEY_ONLY_KEYS, requestWork, roundOf } from '../lib.mjs';

process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const require = createRequire(import.meta.url);
const { AttributeRedactingSpanProcessor } = require(
  fileURLToPath(
    new URL(
      'node_modules/@aws/aws-distro-opentelemetry-node-autoinstrumentation/build/src/attribute-redacting-span-processor.js',
      import.meta.url,
    ),
  ),
);
const KEYS = KEY_ONLY_KEYS;
const [variant = 'keyonly', users = '1000', requests = '200000'] = process.argv.slice(2);
const build = {
  bare: (e) => [new BatchSpanProcessor(e)],
  keyonly: (e) => [
    new PrivacySpanProcessor({
      policy: definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEYS }, resource: { allow: ['*'] } }),
      next: new BatchSpanProcessor(e),
    }),
  ],
  default: (e) => [new PrivacySpanProcessor({ policy: defaultPolicy(), next: new BatchSpanProcessor(e) })],
  autotel: (e) => [
    new AttributeRedactingProcessor(new BatchSpanProcessor(e), {
      redactor: { paths: KEYS, builtins: false, replacement: '[REDACTED]' },
    }),
  ],
  adot: (e) => [new AttributeRedactingSpanProcessor([...KEYS]), new BatchSpanProcessor(e)],
};
const exporter = asyncNoopExporter();
const provider = new BasicTracerProvider({ spanProcessors: build[variant](exporter) });
const p = {
  work: requestWork(api, provider.getTracer('bench'), Number(users)),
  flush: () => provider.forceFlush(),
  exported: () => exporter.exported,
};
const round = roundOf(p, 2000);
const rounds = Number(requests) / 2000;
let us = 0;
const cpu = process.cpuUsage();
for (let r = 0; r < rounds; r++) us += await round();
const used = process.cpuUsage(cpu);
console.log(
  `${variant} ${users} users (SDK 2.x): ${(us / rounds).toFixed(2)} µs/request wall, ${((used.user + used.system) / Number(requests)).toFixed(2)} µs CPU`,
);
await provider.shutdown();
