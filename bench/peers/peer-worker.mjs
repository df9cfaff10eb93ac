// Child process of bench scenario 3: runs the peer redaction processors on the OpenTelemetry SDK 2.x
// line they are built for (installed in bench/peers/node_modules, never in the project), and
// otel-privacy's own PrivacySpanProcessor on the same SDK (the current build, copied to
// bench/peers/node_modules/otel-privacy by bench/peers/install.mjs before this process starts), with the
// steady-state method of bench/lib.mjs: the request unit (requestWork), the SDK's default batch settings,
// an asynchronous no-op exporter, yields to the event loop during the round. The parent drives the
// rounds over IPC (interleaved, alternating order) and computes the ratios.
//
// Equal work: autotel, ADOT and otel-privacy's "key-only" policy are configured with the SAME list of
// exact keys to redact (KEYS below) and nothing else: no value scanning (autotel's `builtins: false`), no
// URL/SQL sanitizers, every other key kept. Separately, otel-privacy runs its full default policy
// (allowlist, pseudonyms, /24 addresses, URL and SQL sanitizers, value scanning), which does more.
//
// Messages out: { loaded: { ours, sdkTrace } } once imported (where otel-privacy and the SDK resolved)
// Messages in:  { setup: { users } } → { ready: true, pipelines: [...] } (builds fresh pipelines)
//               { round: <pipeline name>, n } → { us } (µs per request, measured here) or { error }
//               { check: true } → { sample: { name: [db span, server span] as plain objects } }
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as api from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AttributeRedactingProcessor } from 'autotel/attribute-redacting-processor';
import { PrivacySpanProcessor, defaultPolicy, definePolicy } from 'otel-privacy';
import { asyncNoopExporter, KEY_ONLY_KEYS, requestWork, roundOf } from '../lib.mjs';

const require = createRequire(import.meta.url);
// ADOT's package exports only ./register and ./lite; the processor module is loaded by its file path.
const { AttributeRedactingSpanProcessor } = require(
  fileURLToPath(new URL('node_modules/@aws/aws-distro-opentelemetry-node-autoinstrumentation/build/src/attribute-redacting-span-processor.js', import.meta.url)),
);

/** The 16 keys all three redact by name in the key-only comparison (what the default policy drops, hashes, generalizes or sanitizes). */
export const KEYS = KEY_ONLY_KEYS;

/** otel-privacy with only KEYS dropped: everything else kept, no scanning, no sanitizers. */
const keyOnlyPolicy = () =>
  definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEYS }, resource: { allow: ['*'] } });

/** Each pipeline's span processors, in front of (or wrapping) a batch processor with the SDK's default settings. */
const build = {
  bare: (e) => [new BatchSpanProcessor(e)],
  bare2: (e) => [new BatchSpanProcessor(e)],
  keyonly: (e) => [new PrivacySpanProcessor({ policy: keyOnlyPolicy(), next: new BatchSpanProcessor(e) })],
  default: (e) => [new PrivacySpanProcessor({ policy: defaultPolicy(), next: new BatchSpanProcessor(e) })],
  // autotel wraps the next processor and hands it a Proxy whose attributes were redacted in onEnd
  // (span attributes only; events are not redacted). Exact keys through its `paths` Set; no value patterns.
  autotel: (e) => [new AttributeRedactingProcessor(new BatchSpanProcessor(e), { redactor: { paths: KEYS, builtins: false, replacement: '[REDACTED]' } })],
  // ADOT runs first and overwrites matching values with REDACTED in place (span, events, links): the
  // list is what AWS_REDACT_SPAN_ATTRIBUTES would hold. It has no value scanning.
  adot: (e) => [new AttributeRedactingSpanProcessor([...KEYS]), new BatchSpanProcessor(e)],
};

let pipelines = {};
let rounds = {};
process.on('message', async (message) => {
  try {
    if (message.setup) {
      for (const p of Object.values(pipelines)) await p.provider.shutdown();
      pipelines = {};
      rounds = {};
      for (const name of Object.keys(build)) {
        const exporter = asyncNoopExporter();
        const provider = new BasicTracerProvider({ spanProcessors: build[name](exporter) });
        const p = { provider, exporter, flush: () => provider.forceFlush(), exported: () => exporter.exported };
        p.work = requestWork(api, p.provider.getTracer('bench'), message.setup.users);
        pipelines[name] = p;
        rounds[name] = new Map();
      }
      process.send({ ready: true, pipelines: Object.keys(pipelines) });
    } else if (message.round) {
      let round = rounds[message.round].get(message.n);
      if (!round) rounds[message.round].set(message.n, (round = roundOf(pipelines[message.round], message.n)));
      process.send({ us: await round() });
    } else if (message.check) {
      const plain = (s) => ({ name: s.name, attributes: { ...s.attributes }, events: s.events.map((e) => ({ attributes: { ...e.attributes } })), status: { ...s.status } });
      process.send({ sample: Object.fromEntries(Object.entries(pipelines).map(([name, p]) => [name, p.exporter.sample?.map(plain)])) });
    } else if (message.exit) {
      for (const p of Object.values(pipelines)) await p.provider.shutdown();
      process.exit(0);
    }
  } catch (err) {
    process.send({ error: err instanceof Error ? err.message : String(err) });
  }
});
const resolvedDir = (specifier) => fileURLToPath(new URL('.', import.meta.resolve(specifier)));
process.send({
  loaded: {
    ours: resolvedDir('otel-privacy'),
    sdkTrace: require(require.resolve('@opentelemetry/sdk-trace/package.json', { paths: [resolvedDir('otel-privacy')] })).version,
  },
});
