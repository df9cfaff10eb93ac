// Output oracle for a hot-path change (not a scenario): the request unit of bench/lib.mjs (fresh strings per request)
// through PrivacySpanProcessor of build A and of build B with the same policy, into in-memory exporters; every
// exported span (name, kind, attributes, events, links, status, resource and scope attributes) must be identical.
// Exits non-zero on the first difference, printing only the span index and the field that differs.
//   node bench/tools/oracle-ab.mjs --a node_modules/.ab/base --b dist [--users 1000,100000] [--n 5000]
//        [--policy default|keyonly]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import * as api from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { KEY_ONLY_KEYS, requestWork } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: 'node_modules/.ab/base' },
    b: { type: 'string', default: 'dist' },
    users: { type: 'string', default: '1000,100000' },
    n: { type: 'string', default: '5000' },
    policy: { type: 'string', default: 'default' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const load = async (dir) => import(pathToFileURL(resolve(dir, 'index.js')).href);
const policyOf = (lib) =>
  values.policy === 'keyonly'
    ? lib.definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEY_ONLY_KEYS }, resource: { allow: ['*'] } })
    : lib.defaultPolicy();

/** What an exporter would read of a span. */
const view = (s) => ({
  name: s.name,
  kind: s.kind,
  attributes: s.attributes,
  events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
  links: s.links.map((l) => l.attributes),
  status: s.status,
  resource: s.resource.attributes,
  scope: s.instrumentationScope,
});

function pipeline(lib, users) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [
      new lib.PrivacySpanProcessor({ policy: policyOf(lib), next: new SimpleSpanProcessor({ exporter }) }),
    ],
  });
  return { exporter, provider, work: requestWork(api, provider.getTracer('bench'), users) };
}

const [A, B] = [await load(values.a), await load(values.b)];
const n = Number(values.n);
let failed = false;
for (const users of values.users.split(',').map(Number)) {
  const a = pipeline(A, users);
  const b = pipeline(B, users);
  // the same request indices through both, interleaved (each build's caches see what they see in a run)
  for (let i = 0; i < n; i++) {
    a.work(i);
    b.work(i);
  }
  await Promise.all([a.provider.forceFlush(), b.provider.forceFlush()]);
  const sa = a.exporter.getFinishedSpans();
  const sb = b.exporter.getFinishedSpans();
  if (sa.length !== 2 * n) throw new Error(`build A exported ${sa.length} spans of ${2 * n}`);
  let diff = sa.length === sb.length ? -1 : Math.min(sa.length, sb.length);
  for (let i = 0; diff === -1 && i < sa.length; i++) if (!isDeepStrictEqual(view(sa[i]), view(sb[i]))) diff = i;
  if (diff === -1) console.log(`${users} users: ${sa.length} spans of ${n} requests identical`);
  else {
    failed = true;
    const fields = diff < sa.length && diff < sb.length ? Object.keys(view(sa[diff])) : ['count'];
    const which = fields.filter((f) => !isDeepStrictEqual(view(sa[diff] ?? {})[f], view(sb[diff] ?? {})[f]));
    console.log(`${users} users: span ${diff} differs (${which.join(', ') || 'span count'})`);
  }
}
process.exit(failed ? 1 : 0);
