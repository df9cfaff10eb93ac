// 9. Logs, steady state (bench/lib.mjs): one ERROR record per request through LoggerProvider →
// [PrivacyLogRecordProcessor (default policy) →] BatchLogRecordProcessor (default settings) →
// asynchronous no-op exporter, vs the same without the privacy processor (twice: A/A control). The record's
// body holds the user's e-mail and id (built per request), its attributes a user id, route, path and client
// address. Users cycle over 1 000 and 100 000. Target (for the hot-path work): ratio ≥ 0.7.
// Afterwards the first exported records of the privacy pipeline are checked (no e-mail address, user.id a pseudonym).
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { defaultPolicy, PrivacyLogRecordProcessor } from 'otel-privacy';
import {
  aaLine,
  asyncNoopExporter,
  perRound,
  perSecond,
  rate,
  roundOf,
  steadyPlan,
  steadyRounds,
  summary,
  throughputRatio,
} from '../lib.mjs';

/** A logs pipeline for {@link roundOf}: one record per unit, strings built per record. */
function logsPipeline(policy, users) {
  const exporter = asyncNoopExporter();
  const batch = new BatchLogRecordProcessor({ exporter });
  const provider = new LoggerProvider({
    processors: [policy ? new PrivacyLogRecordProcessor({ policy, next: batch }) : batch],
  });
  const logger = provider.getLogger('bench');
  const work = (i) => {
    const u = i % users;
    const userId = 'fake-user-' + u;
    logger.emit({
      severityNumber: 17, // ERROR
      severityText: 'ERROR',
      body: 'order lookup failed for fake' + u + '@example.com (' + userId + ') after ' + (i % 97) + ' ms',
      attributes: {
        'user.id': userId,
        'http.route': '/users/:id/orders',
        'url.path': '/users/' + u + '/orders',
        'client.address': '198.51.' + ((u >> 8) & 255) + '.' + (u & 255),
        'code.function.name': 'handleOrders',
      },
    });
  };
  return {
    provider,
    exporter,
    work,
    flush: () => provider.forceFlush(),
    exported: () => exporter.exported,
    perUnit: 1,
  };
}

export default async function ({ quick }) {
  const plan = steadyPlan(quick);
  // 8 000 records per round (about 40 ms bare on a loaded machine): 2 000 (6 ms) was too short to time reliably.
  const n = quick ? 200 : 8_000;
  const lines = [];
  for (const users of [1_000, 100_000]) {
    const pipelines = {
      bare: logsPipeline(undefined, users),
      bare2: logsPipeline(undefined, users),
      privacy: logsPipeline(defaultPolicy(), users),
    };
    const costs = await steadyRounds(
      Object.fromEntries(Object.entries(pipelines).map(([name, p]) => [name, roundOf(p, n)])),
      plan,
    );
    for (const record of pipelines.privacy.exporter.sample ?? []) {
      const text = JSON.stringify([record.body, record.attributes]);
      if (/@example\.com/.test(text)) throw new Error(`logs: an e-mail address was exported: ${text}`);
      if (!String(record.attributes['user.id']).startsWith('k0:')) throw new Error('logs: user.id not pseudonymized');
    }
    if (!pipelines.privacy.exporter.sample) throw new Error('logs: nothing exported');
    for (const p of Object.values(pipelines)) await p.provider.shutdown();
    const label = `9 logs steady state, ${rate(users)} users`;
    const ratio = perRound(costs.bare, costs.privacy, throughputRatio);
    lines.push(
      aaLine(label, costs, 'bare', 'bare2').line,
      `${label}, PrivacyLogRecordProcessor (default policy, e-mail in the body): ${rate(perSecond(costs.privacy))} vs bare ${rate(perSecond(costs.bare))} records/s; ratio ${summary(ratio)} (target ≥ 0.7: ${ratio.median >= 0.7 ? 'met' : 'MISSED'})`,
    );
  }
  return lines;
}
