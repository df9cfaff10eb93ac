// Where a log record's time goes (not a scenario of `npm run bench`): scenario 9's record through pipelines that each
// do one part less, in one process on the steady-state method (rotating rounds, CPU time of the process per record,
// median and IQR of per-round differences against the full default policy), so each part's cost per record is a
// same-process difference rather than a profile share:
//   bare       no privacy processor (twice: the A/A control)
//   full       the default policy
//   noBody     the default policy with `logs.body: drop` (the body is removed, never scanned)   → full − noBody = body
//   emailOnly  the default policy with `values.detectors: [email]`       → full − emailOnly = the other detectors' share
//   keepAll    `allow: ['*']`, no `values`, body dropped: decisions, copies and writes only    → noBody − keepAll = attributes
//                                                                                                keepAll − bare = processor floor
//   node bench/tools/logs-budget.mjs [--build dist] [--users 1000,100000] [--rounds 20] [--n 16000]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import {
  aaLine,
  asyncNoopExporter,
  logRecordWork,
  perRound,
  quantile,
  roundOf,
  steadyRounds,
  summary,
} from '../lib.mjs';

const { values } = parseArgs({
  options: {
    build: { type: 'string', default: 'dist' },
    users: { type: 'string', default: '1000,100000' },
    rounds: { type: 'string', default: '20' },
    n: { type: 'string', default: '16000' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const lib = await import(pathToFileURL(resolve(values.build, 'index.js')).href);
const POLICIES = {
  full: () => lib.defaultPolicy(),
  noBody: () => lib.definePolicy({ version: 1, extends: 'default', logs: { body: 'drop' } }),
  emailOnly: () => lib.definePolicy({ version: 1, extends: 'default', values: { detectors: ['email'] } }),
  keepAll: () => lib.definePolicy({ version: 1, attributes: { allow: ['*'] }, logs: { body: 'drop' } }),
};

/** Scenario 9's pipeline and record (bench/scenarios/09-logs.mjs), with `policy` or bare. */
function pipeline(policy, users) {
  const exporter = asyncNoopExporter();
  const batch = new BatchLogRecordProcessor({ exporter });
  const provider = new LoggerProvider({
    processors: [policy ? new lib.PrivacyLogRecordProcessor({ policy, next: batch }) : batch],
  });
  const work = logRecordWork(provider.getLogger('bench'), users);
  return { provider, work, flush: () => provider.forceFlush(), exported: () => exporter.exported, perUnit: 1 };
}

/** CPU time of this process per record over one round. */
const cpuOf = (round) => async () => {
  const before = process.cpuUsage();
  await round();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / Number(values.n);
};

const plan = { rounds: Number(values.rounds), repeats: 1, warmup: 3 };
console.log(
  `logs budget: build ${values.build}, node ${process.version}, ${plan.rounds} rounds of ${values.n} records`,
);
for (const users of values.users.split(',').map(Number)) {
  const p = {
    bare: pipeline(undefined, users),
    bare2: pipeline(undefined, users),
    ...Object.fromEntries(Object.entries(POLICIES).map(([name, make]) => [name, pipeline(make(), users)])),
  };
  const costs = await steadyRounds(
    Object.fromEntries(Object.entries(p).map(([name, x]) => [name, cpuOf(roundOf(x, Number(values.n)))])),
    plan,
  );
  for (const x of Object.values(p)) await x.provider.shutdown();
  const diff = (a, b) => summary(perRound(costs[a], costs[b], (x, y) => x - y));
  console.log(
    `${users} users: µs/record ${Object.keys(p)
      .map((k) => `${k} ${quantile(costs[k].flat(), 0.5).toFixed(2)}`)
      .join(', ')}`,
  );
  console.log(aaLine(`${users} users`, costs, 'bare', 'bare2').line);
  console.log(`${users} users: processor total (full − bare) ${diff('full', 'bare')} µs`);
  console.log(`${users} users: body (full − noBody) ${diff('full', 'noBody')} µs`);
  console.log(`${users} users: all detectors but e-mail (full − emailOnly) ${diff('full', 'emailOnly')} µs`);
  console.log(`${users} users: body, e-mail detector alone (emailOnly − noBody) ${diff('emailOnly', 'noBody')} µs`);
  console.log(`${users} users: attribute values (noBody − keepAll) ${diff('noBody', 'keepAll')} µs`);
  console.log(`${users} users: processor floor (keepAll − bare) ${diff('keepAll', 'bare')} µs`);
}
process.exit(0);
