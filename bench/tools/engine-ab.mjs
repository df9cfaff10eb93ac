// Engine-only A/B of two builds (not a scenario): the attribute maps of the steady-state request unit
// (bench/lib.mjs requestWork: the server span's 10 start attributes, the database span's 8, the server span's 20 at
// its end with the start pass's record) through `policy.sanitizer('traces').sanitizeInto` of build A, build B and
// build A again (the A/A control), interleaved with a rotating order, fresh strings per request, CPU time per
// request. No SDK, exporter or span objects: only what a change to the engine can move.
//   node bench/tools/engine-ab.mjs --a node_modules/.ab/base --b dist [--users 1000,100000] [--rounds 30] [--n 4000]
//        [--policy default|keyonly]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { KEY_ONLY_KEYS, perRound, quantile, summary, throughputRatio } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: 'node_modules/.ab/base' },
    b: { type: 'string', default: 'dist' },
    users: { type: 'string', default: '1000,100000' },
    rounds: { type: 'string', default: '30' },
    n: { type: 'string', default: '4000' },
    policy: { type: 'string', default: 'default' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const load = async (dir) => import(pathToFileURL(resolve(dir, 'index.js')).href);
const A = await load(values.a);
const B = await load(values.b);
const KEY_ONLY = KEY_ONLY_KEYS;
const policyOf = (lib) =>
  values.policy === 'keyonly'
    ? lib.definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEY_ONLY }, resource: { allow: ['*'] } })
    : lib.defaultPolicy();

/** One request's attribute maps, built fresh (as bench/lib.mjs requestWork builds them). */
function request(i, users) {
  const u = i % users;
  const userId = 'fake-user-' + u;
  const email = 'fake' + u + '@example.com';
  const path = '/users/' + u + '/orders';
  const query = 'page=' + (u % 7) + '&token=fake' + u;
  const start = {
    'http.request.method': 'GET',
    'url.scheme': 'https',
    'url.full': 'https://shop.example' + path + '?' + query,
    'url.path': path,
    'url.query': query,
    'server.address': 'shop.example',
    'server.port': 443,
    'client.address': '198.51.' + ((u >> 8) & 255) + '.' + (u & 255),
    'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) Fake/' + (u % 50),
    'network.protocol.version': '1.1',
  };
  const later = {
    'http.route': '/users/:id/orders',
    'user.id': userId,
    'app.customer_email': email,
    'http.request.header.authorization': 'Bearer fake-' + u,
    'http.request.header.cookie': 'sid=fake-' + u,
    'http.request.body.size': 512,
    'http.response.body.size': 2048,
    'thread.id': 7,
    'code.function.name': 'handleOrders',
  };
  const db = {
    'db.system.name': 'postgresql',
    'db.namespace': 'shop',
    'db.collection.name': 'orders',
    'db.operation.name': 'SELECT',
    'db.query.text':
      "SELECT id, total FROM orders WHERE user_id = '" + userId + "' AND email = '" + email + "' LIMIT 20",
    'server.address': 'db.shop.example',
    'server.port': 5432,
    'network.peer.address': '192.0.2.' + (u % 250),
  };
  const message = 'no open order for ' + email + ' (' + userId + ')';
  const event = {
    'exception.type': 'OrderLookupError',
    'exception.message': message,
    'exception.stacktrace':
      'OrderLookupError: ' + message + '\n    at findOrders (/srv/shop/orders/repository.js:88:13)',
  };
  return { start, later, db, event };
}

/** Never true: sizes `SpanAttributes` objects as the processor's own (room for 32 properties in the object). */
const NEVER = Date.now() < 0;
/** The span's attributes object as the processor allocates it (processors/traces/span-redactor.ts). */
const SpanAttributes = function () {
  if (NEVER) {
    this.a0 = this.a1 = this.a2 = this.a3 = this.a4 = this.a5 = this.a6 = this.a7 = 0;
    this.b0 = this.b1 = this.b2 = this.b3 = this.b4 = this.b5 = this.b6 = this.b7 = 0;
    this.c0 = this.c1 = this.c2 = this.c3 = this.c4 = this.c5 = this.c6 = this.c7 = 0;
    this.d0 = this.d1 = this.d2 = this.d3 = this.d4 = this.d5 = this.d6 = this.d7 = 0;
  }
};
SpanAttributes.prototype = Object.prototype;

function variant(lib, users) {
  const s = policyOf(lib).sanitizer('traces');
  let offset = 0;
  return (n) => {
    const before = process.cpuUsage();
    for (let k = 0; k < n; k++) {
      const r = request(offset + k, users);
      const own = new SpanAttributes();
      const clean = [];
      s.sanitizeInto(r.start, own, undefined, clean);
      s.sanitizeInto(r.db, new SpanAttributes(), undefined, []);
      for (const key in r.later) own[key] = r.later[key]; // setAttributes after start write into the span's own object
      own['http.response.status_code'] = 404;
      s.sanitizeInto(own, new SpanAttributes(), clean);
      s.sanitize(r.event);
    }
    offset += n;
    const used = process.cpuUsage(before);
    return (used.user + used.system) / n;
  };
}

const n = Number(values.n);
const rounds = Number(values.rounds);
console.log(
  `engine-ab: A=${values.a} B=${values.b} policy=${values.policy} node ${process.version}; ${rounds} rounds of ${n} requests`,
);
for (const users of values.users.split(',').map(Number)) {
  const v = { A: variant(A, users), B: variant(B, users), A2: variant(A, users) };
  const names = Object.keys(v);
  const costs = Object.fromEntries(names.map((x) => [x, [[]]]));
  for (let w = 0; w < 3; w++) for (const x of names) v[x](n);
  for (let r = 0; r < rounds; r++) {
    const rot = names.map((_, j) => names[(j + r) % names.length]);
    const order = r % 2 ? rot.reverse() : rot;
    for (const x of order) costs[x][0].push(v[x](n));
  }
  const med = (x) => quantile(costs[x].flat(), 0.5).toFixed(3);
  console.log(`${users} users: µs/request A ${med('A')}, B ${med('B')}, A2 ${med('A2')}`);
  console.log(`${users} users: A2/A (control) ${summary(perRound(costs.A, costs.A2, throughputRatio))}`);
  console.log(`${users} users: B/A (>1 = B faster) ${summary(perRound(costs.A, costs.B, throughputRatio))}`);
}
