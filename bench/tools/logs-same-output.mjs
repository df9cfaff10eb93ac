// Old build against new build, record for record (not a scenario): the same fresh log records through
// PrivacyLogRecordProcessor of build A and of build B (default policy, and the default policy with the leak alarm,
// coarsened times, `values.action: drop` and `values.masks`), on real LoggerProviders; every exported body,
// attribute map, severity text and event name must be equal, and so must each policy's findings counted by type.
// Records: scenario 9's record, access-log lines whose URLs the URL rules rewrite (with and without an address),
// and anchor repetitions that stress the detectors (the shapes of test/engine/detectors/adversarial.test.ts, cut to
// 100–5 000 characters) alone and inside URL paths and queries.
//   node bench/tools/logs-same-output.mjs [--a node_modules/.ab/base] [--b dist] [--records 20000]
import { isDeepStrictEqual } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { scenarioLogBody } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: 'node_modules/.ab/base' },
    b: { type: 'string', default: 'dist' },
    records: { type: 'string', default: '20000' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const load = async (dir) => import(pathToFileURL(resolve(dir, 'index.js')).href);
const builds = { A: await load(values.a), B: await load(values.b) };
const POLICIES = {
  default: (lib) => lib.defaultPolicy(),
  'leak alarm, coarsened times': (lib) =>
    lib.definePolicy({
      version: 1,
      extends: 'default',
      alarms: { leak: { window: '10s', factor: 4, minCount: 3 } },
      values: { timestamps: 'coarsen' },
    }),
  'values.action: drop': (lib) => lib.definePolicy({ version: 1, extends: 'default', values: { action: 'drop' } }),
  'values.masks': (lib) =>
    lib.definePolicy({ version: 1, extends: 'default', values: { masks: { email: '<email>' } } }),
};

const ANCHORS = [
  'a',
  '1 ',
  '1',
  '1-',
  '1.',
  '4111 ',
  '+1 ',
  '@',
  'a@',
  'a.',
  '%40',
  ':',
  'f:',
  'eyJ',
  'eyJa.',
  'Bearer ',
];
const MORE = ['AKIA', 'DE89 ', '://', 'a://b:c', '97 ', '61 ', '0x61, ', '=41', '\\101', '-----BEGIN '];
const anchors = [...ANCHORS, ...MORE];

/** Record `i`: its body, attributes, severity text and event name, all built now. */
function recordOf(i) {
  const u = i % 1000;
  const userId = 'fake-user-' + u;
  const kind = i % 5;
  let body;
  if (kind === 0) body = scenarioLogBody(i, u, userId);
  else if (kind === 1) body = 'GET /users/' + u + '/orders?page=' + (i % 7) + ' returned 404 after ' + (i % 97) + ' ms';
  else if (kind === 2)
    body = 'GET /users/' + u + '/orders?email=fake' + u + '@example.com 4111 1111 1111 1111fake' + u + '@example.com';
  else {
    const anchor = anchors[i % anchors.length];
    const text = anchor.repeat(Math.ceil([100, 1000, 5000][i % 3] / anchor.length));
    body = kind === 3 ? text : '/api/' + u + '/' + text + '?q=' + text.slice(0, 200) + ' ' + userId;
  }
  return {
    severityNumber: 17,
    severityText: i % 11 === 0 ? 'ERROR fake' + u + '@example.com' : 'ERROR',
    eventName: i % 13 === 0 ? 'order.failed ' + userId : undefined,
    body,
    attributes: {
      'user.id': userId,
      'http.route': '/users/:id/orders',
      'url.path': '/users/' + u + '/orders',
      'client.address': '198.51.' + ((u >> 8) & 255) + '.' + (u & 255),
      'error.type': i % 3 === 0 ? body.slice(0, 300) : 'OrderLookupError',
    },
  };
}

/** A provider with build `lib`'s processor whose `next` keeps what it is handed. */
function pipeline(lib, policy) {
  let last;
  const next = {
    onEmit: (r) => {
      last = [r.body, r.attributes, r.severityText, r.eventName];
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const provider = new LoggerProvider({ processors: [new lib.PrivacyLogRecordProcessor({ policy, next })] });
  const logger = provider.getLogger('same-output');
  return (record) => {
    last = 'not handed on';
    logger.emit(record);
    return last;
  };
}

let failures = 0;
for (const [name, make] of Object.entries(POLICIES)) {
  const policies = { A: make(builds.A), B: make(builds.B) };
  const emit = { A: pipeline(builds.A, policies.A), B: pipeline(builds.B, policies.B) };
  let differing = 0;
  for (let i = 0; i < Number(values.records); i++) {
    // each build gets its own, freshly built record (no string object shared between them)
    const a = emit.A(recordOf(i));
    const b = emit.B(recordOf(i));
    if (!isDeepStrictEqual(a, b)) {
      if (differing++ < 3)
        console.log(`${name}: record ${i} differs:\n  A ${JSON.stringify(a)}\n  B ${JSON.stringify(b)}`);
    }
  }
  const same = isDeepStrictEqual({ ...policies.A.counters.findings }, { ...policies.B.counters.findings });
  console.log(
    `${name}: ${values.records} records, ${differing} differing; findings by type ${same ? 'equal' : 'DIFFER'} (${JSON.stringify(policies.B.counters.findings)})`,
  );
  failures += differing + (same ? 0 : 1);
}
process.exit(failures === 0 ? 0 : 1);
