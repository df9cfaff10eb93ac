// otel-privacy demo (`npm run demo`): a local OTLP/gRPC receiver over TLS 1.3 with mTLS, the example Express service
// instrumented only through `node --import otel-privacy/register`, a burst of traffic full of obviously fake personal
// data, and a before/after report per signal. The same traffic runs twice through the same hook: once with a
// pass-through policy (what OpenTelemetry would export without privacy controls: "before") and once with the
// service's privacy.yaml ("after"), with one customer opted out (a `consent` section and an opt-out filter made by
// `otel-privacy consent build`). Exits non-zero if any fake identity, or the opted-out customer's pseudonym, reaches
// the receiver in the "after" run.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReceiver } from './receiver/otlp-receiver.mjs';

/* global fetch */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const service = join(here, 'express-service');
const started = performance.now();

// Obviously fake people (example.com addresses, 555 numbers, test card numbers, documentation IP ranges).
const PEOPLE = [
  {
    id: 'cust-jane-0001',
    email: 'jane.doe@example.com',
    card: '4111 1111 1111 1111',
    phone: '+1 202 555 0143',
    address: '742 Evergreen Terrace',
    ip: '203.0.113.45',
  },
  {
    id: 'cust-john-0002',
    email: 'john.roe@example.com',
    card: '5555 5555 5555 4444',
    phone: '+1 202 555 0178',
    address: '31 Spooner Street',
    ip: '198.51.100.23',
  },
  {
    id: 'cust-erin-0003',
    email: 'erin.example@example.org',
    card: '4000 0000 0000 0002',
    phone: '+1 202 555 0199',
    address: '1313 Mockingbird Lane',
    ip: '192.0.2.77',
  },
];
const TOKEN = 'fake-session-token-5f1c2e9a';
const IDENTITIES = [
  ...PEOPLE.flatMap((p) => [
    p.id,
    p.email,
    encodeURIComponent(p.email),
    p.card,
    p.card.replaceAll(' ', ''),
    p.phone,
    p.address,
    p.ip,
  ]),
  TOKEN,
];

/** The customer who opted out in the "after" run (consent gating). */
const OPTED_OUT = PEOPLE[1];
const cli = join(root, 'dist', 'cli.js');

/**
 * The "after" policy: privacy.yaml plus a consent section, in a temporary folder with the opt-out filter built by the
 * CLI for this run's HMAC key; and the opted-out customer's pseudonym, from `otel-privacy subject`.
 */
function consentPolicy(key) {
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-demo-'));
  const policy = join(dir, 'privacy.yaml');
  writeFileSync(
    policy,
    `${readFileSync(join(service, 'privacy.yaml'), 'utf8')}
consent:                                # added by the demo: one customer opted out
  subject: { attributes: [app.customer.id], context: true }
  optOut: { file: optout.bloom }
userGroups:                             # added by the demo: stricter rules for gold customers
  attribute: app.plan                   # set by the order handler on its span, after the span started
  order: [gold, base, basic]            # strictest first: a plan no block names gets gold's rules
when:
  - userGroup: gold
    attributes:
      drop: [app.order.items, plan]     # no order sizes; the handler's log records (inside its span) lose the plan
  - userGroup: basic                    # declared, with the base rules (undeclared plans would get gold's)
`,
  );
  writeFileSync(join(dir, 'opted-out.txt'), `${OPTED_OUT.id}\n`);
  const env = { PATH: process.env.PATH, OTEL_PRIVACY_HMAC_KEY: key.hmac, OTEL_PRIVACY_ENCRYPTION_KEY: key.encryption };
  const run = (args) => execFileSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  run(['consent', 'build', '--policy', policy, '--in', join(dir, 'opted-out.txt'), '--out', join(dir, 'optout.bloom')]);
  const subject = JSON.parse(run(['subject', OPTED_OUT.id, '--policy', policy, '--json']));
  return { policy, dir, pseudonym: subject.pseudonyms[0].pseudonym };
}

function keys() {
  return {
    hmac: `base64:${randomBytes(32).toString('base64')}`,
    encryption: `base64:${randomBytes(32).toString('base64')}`,
  };
}

/** Starts the service with the register hook; resolves with { port, stop() }. */
function startService(name, policy, receiverEnv, key) {
  const child = spawn(process.execPath, ['--import', 'otel-privacy/register', join(service, 'server.mjs')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      ...receiverEnv,
      OTEL_SERVICE_NAME: name,
      OTEL_PRIVACY_POLICY: policy,
      OTEL_PRIVACY_HMAC_KEY: key.hmac,
      OTEL_PRIVACY_ENCRYPTION_KEY: key.encryption,
      OTEL_PRIVACY_INSTRUMENTATIONS:
        '@opentelemetry/instrumentation-http,@opentelemetry/instrumentation-express,@opentelemetry/instrumentation-pino',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), stderr: () => stderr, stop: async () => (child.kill('SIGTERM'), exited) });
    });
    exited.then(({ code }) => reject(new Error(`${name} exited (${code}) before listening:\n${stderr}`)));
  });
}

/** The burst: orders, profile views and health checks, each carrying fake personal data somewhere. */
async function traffic(port) {
  const base = `http://127.0.0.1:${port}`;
  const calls = [];
  for (let round = 0; round < 5; round++) {
    for (const p of PEOPLE) {
      const headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${TOKEN}`,
        'x-user-email': p.email,
        'x-forwarded-for': p.ip,
        'x-request-id': `req-${round}-${p.id.slice(5, 9)}`,
      };
      const body = {
        customerId: p.id,
        card: p.card,
        phone: p.phone,
        address: p.address,
        plan: round % 2 ? 'gold' : 'basic',
        items: round + 1,
        amount: 10 + round,
      };
      calls.push(
        fetch(
          `${base}/users/${encodeURIComponent(p.email)}/orders?session=${TOKEN}&phone=${encodeURIComponent(p.phone)}`,
          { method: 'POST', headers, body: JSON.stringify(body) },
        ),
      );
      calls.push(
        fetch(`${base}/users/${encodeURIComponent(p.email)}/profile?ref=${encodeURIComponent(p.email)}`, { headers }),
      );
      calls.push(fetch(`${base}/health`));
    }
  }
  const responses = await Promise.all(calls);
  await Promise.all(responses.map((r) => r.arrayBuffer()));
  return responses.length;
}

async function runOnce(receiver, name, policyFor) {
  const key = keys();
  const policy = policyFor(key);
  const svc = await startService(name, policy.policy, receiver.env, key);
  const requests = await traffic(svc.port);
  const exit = await svc.stop();
  // the register hook flushes every signal on SIGTERM, self-metrics last
  const deadline = Date.now() + 10_000;
  while (
    !receiver.items.some((i) => i.resource['service.name'] === name && i.name === 'otel_privacy.values') &&
    name !== 'shop-before' &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
  return {
    requests,
    exit,
    policy,
    stderr: svc.stderr(),
    items: receiver.items.filter((i) => i.resource['service.name'] === name),
  };
}

const show = (v, width = 58) => {
  const s = v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > width ? `${s.slice(0, width - 1)}…` : s;
};

function table(before, after) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  const width = Math.max(...keys.map((k) => k.length), 10);
  for (const key of keys)
    console.log(`    ${key.padEnd(width)}  ${show(before?.[key]).padEnd(58)} → ${show(after?.[key], 50)}`);
}

const receiver = await startReceiver();
let exitCode = 0;
try {
  console.log(
    `receiver: ${receiver.endpoint} (TLS 1.3 only, client certificate required; certificates generated in a temp folder)\n`,
  );
  const before = await runOnce(receiver, 'shop-before', () => ({ policy: join(service, 'passthrough.yaml') }));
  const after = await runOnce(receiver, 'shop-after', consentPolicy);
  rmSync(after.policy.dir, { recursive: true, force: true });
  const hookLine = after.stderr.split('\n').find((l) => l.startsWith('otel-privacy: started'));
  console.log(
    `service: examples/express-service/server.mjs, no OpenTelemetry code, run as\n  node --import otel-privacy/register server.mjs\n  ${hookLine ?? '(no start line!)'}`,
  );
  console.log(
    `traffic: ${before.requests} requests per run (orders, profile views, health checks) from ${PEOPLE.length} fake customers\n`,
  );

  const of = (run, signal) => run.items.filter((i) => i.signal === signal);
  const orderSpan = (run) =>
    of(run, 'traces').find(
      (s) => s.scope === '@opentelemetry/instrumentation-http' && s.attributes['http.route'] === '/users/:email/orders',
    );

  console.log('TRACES  before (pass-through policy)                                  → after (privacy.yaml)');
  console.log(
    `  spans received: ${of(before, 'traces').length} → ${of(after, 'traces').length} (health checks sampled away at the head)`,
  );
  const names = (run) => show([...new Set(of(run, 'traces').map((s) => s.name))].join(' | '), 110);
  console.log(`  span names: ${names(before)}\n           → ${names(after)}`);
  console.log('  the HTTP server span of one order:');
  table(orderSpan(before)?.attributes, orderSpan(after)?.attributes);
  const handlerSpan = (run) =>
    of(run, 'traces').find(
      (s) => s.attributes['app.customer.id'] !== undefined || s.attributes['app.plan'] !== undefined,
    );
  console.log(`  the span the order handler annotated ("${handlerSpan(after)?.name}"):`);
  table(handlerSpan(before)?.attributes, handlerSpan(after)?.attributes);
  console.log('  resource:');
  table(orderSpan(before)?.resource, orderSpan(after)?.resource);

  const orderLog = (run) => of(run, 'logs').find((l) => typeof l.body === 'string' && l.body.startsWith('order by'));
  console.log('\nLOGS (pino, through @opentelemetry/instrumentation-pino)');
  console.log(`  records received: ${of(before, 'logs').length} → ${of(after, 'logs').length}`);
  console.log(`  body:       ${show(orderLog(before)?.body, 100)}\n           → ${show(orderLog(after)?.body, 100)}`);
  console.log('  attributes:');
  table(orderLog(before)?.attributes, orderLog(after)?.attributes);

  const metric = (run, name) =>
    of(run, 'metrics')
      .filter((m) => m.name === name)
      .at(-1);
  console.log('\nMETRICS');
  for (const name of ['shop.orders', 'shop.order.amount']) {
    const b = metric(before, name);
    const a = metric(after, name);
    console.log(`  ${name}: ${b?.points.length ?? 0} series → ${a?.points.length ?? 0} series`);
    console.log(`    before e.g. ${show(b?.points[0]?.attributes, 110)}`);
    for (const p of a?.points ?? []) console.log(`    after       ${show(p.attributes, 90)} = ${p.value}`);
  }

  const self = (name) => metric(after, name)?.points ?? [];
  const byAction = {};
  for (const p of self('otel_privacy.values'))
    byAction[p.attributes.action] = (byAction[p.attributes.action] ?? 0) + p.value;
  const dropped = {};
  for (const p of self('otel_privacy.items.dropped'))
    if (p.value > 0) dropped[`${p.attributes.signal} ${p.attributes.reason}`] = p.value;
  const afterText = JSON.stringify(after.items);
  const masked = (afterText.match(/\[REDACTED:[a-z0-9-]+\]/g) ?? []).reduce(
    (acc, m) => ((acc[m] = (acc[m] ?? 0) + 1), acc),
    {},
  );
  console.log('\nWHAT THE POLICY DID (from the otel_privacy.* self-metrics the receiver got, same mTLS channel)');
  console.log(
    `  values: hashed ${byAction.hash ?? 0}, encrypted ${byAction.encrypt ?? 0}, masked by rule ${byAction.mask ?? 0}, generalized ${byAction.generalize ?? 0}, dropped ${byAction.drop ?? 0}, kept ${byAction.allow ?? 0}`,
  );
  console.log(
    `  whole items not exported: ${
      Object.keys(dropped).length
        ? Object.entries(dropped)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')
        : 'none'
    }`,
  );
  console.log(
    `  detector findings masked in what arrived: ${
      Object.entries(masked)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  );
  const suppressed = Object.fromEntries(
    self('otel_privacy.consent.suppressed').map((p) => [p.attributes.signal, p.value]),
  );
  console.log(
    `  consent: customer ${OPTED_OUT.id} opted out → not exported: traces ${suppressed.traces ?? 0}, logs ${suppressed.logs ?? 0}, metrics ${suppressed.metrics ?? 0}`,
  );
  const aboutOptedOut = after.items.filter((i) => JSON.stringify(i).includes(after.policy.pseudonym)).length;
  console.log(
    `  subject ${OPTED_OUT.id} (otel-privacy subject): ${after.policy.pseudonym}; found in what arrived: ${aboutOptedOut} items`,
  );
  const leaks = self('otel_privacy.leak_suspected').filter((p) => p.value > 0);
  console.log(
    `  leak alarms (alarms.leak): ${
      leaks.map((p) => `${p.attributes.signal} ${p.attributes.key} ${p.attributes.detector}`).join(', ') || 'none'
    }`,
  );
  // user groups: the order handler sets app.plan on its span; gold spans lose app.order.items, and the log record the
  // handler writes inside that span (it carries `plan`, not app.plan) gets gold's rules through the span
  const handlerSpans = of(after, 'traces').filter((s) => s.attributes['app.plan'] !== undefined);
  const spansOf = (plan, kept) =>
    handlerSpans.filter((s) => s.attributes['app.plan'] === plan && 'app.order.items' in s.attributes === kept).length;
  const orderLogs = of(after, 'logs').filter((l) => typeof l.body === 'string' && l.body.startsWith('order by'));
  const unknownGroups = self('otel_privacy.user_group.unknown').reduce((n, p) => n + p.value, 0);
  console.log(
    `  user groups (userGroups: app.plan, order gold > base > basic): order spans gold ${spansOf('gold', false)} without app.order.items (${spansOf('gold', true)} with), basic ${spansOf('basic', true)} with it; order log records with plan: basic ${orderLogs.filter((l) => l.attributes.plan === 'basic').length}, gold ${orderLogs.filter((l) => l.attributes.plan === 'gold').length} (${orderLogs.filter((l) => !('plan' in l.attributes)).length} lost it through their span's group); unknown group values ${unknownGroups}`,
  );
  const retention = {};
  for (const i of [...of(after, 'traces'), ...of(after, 'logs')]) {
    const label = i.attributes?.['privacy.retention'];
    if (label !== undefined) retention[`${i.signal} ${label}`] = (retention[`${i.signal} ${label}`] ?? 0) + 1;
  }
  console.log(
    `  retention labels (retention): ${
      Object.entries(retention)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(`  delivered over mTLS as client: ${[...new Set(receiver.requests.map((r) => r.client))].join(', ')}`);

  const beforeText = JSON.stringify(before.items);
  const carried = IDENTITIES.filter((v) => beforeText.includes(v));
  const leaked = IDENTITIES.filter((v) => afterText.includes(v));
  // the machine's host name is short and could occur by chance inside a pseudonym: compare it as a whole value
  if (after.items.some((i) => Object.values(i.resource).includes(hostname()))) leaked.push(`host name ${hostname()}`);
  if (before.items.some((i) => Object.values(i.resource).includes(hostname()))) carried.push(`host name ${hostname()}`);
  console.log(
    `\nfake identities in the pass-through run: ${carried.length} of ${IDENTITIES.length + 1} (what would have left the process)`,
  );
  console.log(leaked.length === 0 ? 'fake identities leaked: 0' : `LEAKED (${leaked.length}): ${leaked.join(', ')}`);
  if (
    leaked.length > 0 ||
    aboutOptedOut > 0 ||
    carried.length === 0 ||
    of(after, 'traces').length === 0 ||
    of(after, 'logs').length === 0 ||
    !metric(after, 'shop.orders')
  )
    exitCode = 1;
  console.log(
    `services stopped: ${[before, after].map((run) => `exit code ${run.exit.code}${run.exit.signal ? ` (${run.exit.signal})` : ''}`).join(', ')}; receiver stopped next`,
  );
  console.log(`demo took ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`demo failed: ${err.stack ?? err}`);
  exitCode = 1;
} finally {
  await receiver.stop();
}
process.exitCode = exitCode;
