// Hot-path cost of user groups (`userGroups`, `when[].userGroup`), same process, A/B on the steady-state method: the
// request unit of bench/lib.mjs (server span + db child span, ~20 attributes, an exception event) through
// PrivacySpanProcessor of one build (`--lib`, default dist/) under
//   none     the default policy (extends: default), no user groups
//   none2    the same again (the A/A control of the variants)
//   declared the same plus userGroups (two groups, order beta > base > staff); the spans carry no group
//   start    declared, the server span starts with app.user_group = beta (the db child inherits it through the trace)
//   late     declared, the handler sets app.user_group = beta on the server span after its start (the child and the
//            server span's end pass get beta; the start pass's entries are decided again)
// Interleaved rounds in rotating order, CPU time of the process per request, per-round differences to `none`.
//
//   node bench/tools/user-groups-ab.mjs [--lib dist] [--users 1000] [--rounds 12] [--repeats 2] [--n 2000]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as api from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { asyncNoopExporter, perRound, quantile, requestWork, roundOf, steadyRounds, summary } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    lib: { type: 'string', default: 'dist' },
    users: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '12' },
    repeats: { type: 'string', default: '2' },
    n: { type: 'string', default: '2000' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const lib = await import(pathToFileURL(resolve(values.lib, 'index.js')).href);

const GROUPS = {
  userGroups: { attribute: 'app.user_group', order: ['beta', 'base', 'staff'] },
  attributes: { allow: ['app.user_group'] },
  when: [
    { userGroup: 'beta', attributes: { drop: ['code.function.name', 'thread.id'] } },
    { userGroup: 'staff', attributes: { allow: ['app.trace_note'] } },
  ],
};
const policyOf = (groups) => lib.definePolicy({ version: 1, extends: 'default', ...(groups ? GROUPS : {}) });

/** The tracer the request unit uses, with the server span's group set at its start or after it (or not at all). */
function tracerWith(tracer, mode) {
  if (mode === 'start')
    return {
      startSpan(name, options, ctx) {
        if (options?.kind === 1) options.attributes['app.user_group'] = 'beta';
        return tracer.startSpan(name, options, ctx);
      },
    };
  if (mode === 'late')
    return {
      startSpan(name, options, ctx) {
        const span = tracer.startSpan(name, options, ctx);
        if (options?.kind === 1) span.setAttribute('app.user_group', 'beta');
        return span;
      },
    };
  return tracer;
}

function pipeline(groups, mode, users) {
  const exporter = asyncNoopExporter();
  const provider = new TracerProvider({
    spanProcessors: [
      new lib.PrivacySpanProcessor({ policy: policyOf(groups), next: new BatchSpanProcessor({ exporter }) }),
    ],
  });
  const tracer = tracerWith(provider.getTracer('bench'), mode);
  return {
    provider,
    exporter,
    work: requestWork(api, tracer, users),
    flush: () => provider.forceFlush(),
    exported: () => exporter.exported,
  };
}

const costOf = (round) => async () => {
  const before = process.cpuUsage();
  await round();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / Number(values.n);
};

const plan = { rounds: Number(values.rounds), repeats: Number(values.repeats), warmup: 3 };
console.log(
  `user-groups-ab: lib=${values.lib} node ${process.version}; ${plan.rounds} rounds × ${plan.repeats} repeats, ${values.n} requests per round`,
);
for (const users of values.users.split(',').map(Number)) {
  const p = {
    none: pipeline(false, undefined, users),
    none2: pipeline(false, undefined, users),
    declared: pipeline(true, undefined, users),
    start: pipeline(true, 'start', users),
    late: pipeline(true, 'late', users),
  };
  const costs = await steadyRounds(
    Object.fromEntries(Object.entries(p).map(([name, x]) => [name, costOf(roundOf(x, Number(values.n)))])),
    plan,
  );
  // the groups did act: beta's spans lost code.function.name
  const sample = p.start.exporter.sample?.find?.((s) => s.kind === 1);
  if (sample && 'code.function.name' in sample.attributes) throw new Error('start: the beta rules did not apply');
  for (const x of Object.values(p)) await x.provider.shutdown();
  const med = (name) => quantile(costs[name].flat(), 0.5).toFixed(2);
  console.log(
    `${users} users: µs/request ${Object.keys(p)
      .map((k) => `${k} ${med(k)}`)
      .join(', ')}`,
  );
  for (const name of ['none2', 'declared', 'start', 'late'])
    console.log(
      `${users} users: ${name} − none µs/request ${summary(
        perRound(costs[name], costs.none, (b, a) => b - a),
        2,
      )}; none/${name} throughput ${summary(perRound(costs.none, costs[name], (a, b) => a / b))}`,
    );
}
process.exit(0);
