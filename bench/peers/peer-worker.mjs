// Child process of bench scenario 3: runs the peer redaction processors on the OpenTelemetry SDK 2.x
// line they are built for (installed in bench/peers/node_modules, never in the project), and
// otel-privacy's own PrivacySpanProcessor on the same SDK (the current build, copied to
// bench/peers/node_modules/otel-privacy by bench/peers/install.mjs before this process starts), with the
// same span shape, batch settings and round procedure as the parent (bench/lib.mjs) and the default
// policy (its HMAC key comes from the parent's environment). The parent drives the rounds over IPC so
// that its own rounds and these interleave on the machine.
//
// Messages out: { loaded: { ours, sdkTrace } } once imported (where otel-privacy and the SDK resolved)
// Messages in:  { setup: { users } } → { ready: true }
//               { round: 'bare' | 'ours' | 'autotel' | 'adot', n } → { us } (µs per span, measured here)
//               { check: true } → { sample: { bare, ours, autotel, adot } } (what each exported for one span)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AttributeRedactingProcessor } from 'autotel/attribute-redacting-processor';
import { PrivacySpanProcessor, defaultPolicy } from 'otel-privacy';
import { BATCH_SETTINGS, providerRound, spanWork } from '../lib.mjs';

const require = createRequire(import.meta.url);
// ADOT's package exports only ./register and ./lite; the processor module is loaded by its file path.
const { AttributeRedactingSpanProcessor } = require(
  fileURLToPath(new URL('node_modules/@aws/aws-distro-opentelemetry-node-autoinstrumentation/build/src/attribute-redacting-span-processor.js', import.meta.url)),
);

// The closest each peer can come to otel-privacy's default policy. Neither can allowlist (drop every
// key not named), pseudonymize (keyed hash), generalize an IP to its /24, or sanitize a URL or SQL
// statement, so: every key the default policy drops, hashes, generalizes or sanitizes is redacted
// by name, plus `*email*` for the custom email attribute the allowlist drops by default.
const DROPPED = [
  '*password*', '*passwd*', '*secret*', '*token*', '*api_key*', '*apikey*', '*authorization*', '*cookie*', '*credential*', '*private_key*',
  'http.request.header.*', 'http.response.header.*', 'user.email', 'user.full_name', 'user.name', 'user.hash', 'user.roles',
  'user_agent.original', 'exception.message', 'exception.stacktrace', '*email*',
];
const HASHED_GENERALIZED_SANITIZED = [
  'user.id', 'enduser.id', 'enduser.pseudo.id', 'session.id', 'session.previous_id',
  'client.address', 'network.peer.address', 'source.address',
  'url.full', 'url.query', 'http.url', 'http.target', 'db.query.text', 'db.statement',
];
const globToRegExp = (glob) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

const captured = { bare: [], ours: [], autotel: [], adot: [] };
const exporterFor = (name) => ({
  export: (spans, done) => {
    if (captured[name].length === 0 && spans.length > 0) captured[name].push({ ...spans[0].attributes });
    done({ code: 0 });
  },
  shutdown: async () => {},
  forceFlush: async () => {},
});
const batch = (name) => new BatchSpanProcessor(exporterFor(name), BATCH_SETTINGS);

const providers = {
  bare: new BasicTracerProvider({ spanProcessors: [batch('bare')] }),
  // otel-privacy, exactly as in the parent's SDK 3.x pipeline (bench/providers.mjs)
  ours: new BasicTracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy: defaultPolicy(), next: batch('ours') })] }),
  // autotel: wraps the next processor and hands it a Proxy with redacted attributes; key patterns are
  // tested on string values, and with `builtins: true` every string is also scanned by its value
  // patterns (email, credit card, IPv4, phone, JWT, bearer, IBAN) and masked.
  autotel: new BasicTracerProvider({
    spanProcessors: [
      new AttributeRedactingProcessor(batch('autotel'), {
        redactor: { keyPatterns: DROPPED.map(globToRegExp), paths: HASHED_GENERALIZED_SANITIZED, builtins: true, replacement: '[REDACTED]' },
      }),
    ],
  }),
  // ADOT: runs first and overwrites matching attribute values with REDACTED in place (span, events,
  // links); the wildcard list is what AWS_REDACT_SPAN_ATTRIBUTES would hold. No value scanning.
  adot: new BasicTracerProvider({
    spanProcessors: [new AttributeRedactingSpanProcessor([...DROPPED, ...HASHED_GENERALIZED_SANITIZED]), batch('adot')],
  }),
};

let work = {};
let offset = 0;
process.on('message', async (message) => {
  if (message.setup) {
    work = Object.fromEntries(Object.entries(providers).map(([name, provider]) => [name, spanWork(provider.getTracer('bench'), message.setup.users)]));
    process.send({ ready: true });
  } else if (message.round) {
    const us = await providerRound(providers[message.round], work[message.round], message.n, (offset += message.n));
    process.send({ us });
  } else if (message.check) {
    process.send({ sample: Object.fromEntries(Object.entries(captured).map(([name, list]) => [name, list[0]])) });
  } else if (message.exit) {
    await Promise.all(Object.values(providers).map((provider) => provider.shutdown()));
    process.exit(0);
  }
});
const resolvedDir = (specifier) => fileURLToPath(new URL('.', import.meta.resolve(specifier)));
process.send({
  loaded: {
    ours: resolvedDir('otel-privacy'),
    sdkTrace: require(require.resolve('@opentelemetry/sdk-trace/package.json', { paths: [resolvedDir('otel-privacy')] })).version,
  },
});
