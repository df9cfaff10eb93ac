// 9. Logs, steady state (bench/lib.mjs): one ERROR record per request through LoggerProvider →
// [PrivacyLogRecordProcessor (default policy) →] BatchLogRecordProcessor (default settings) →
// asynchronous no-op exporter, vs the same without the privacy processor (twice: A/A control). The record's
// body holds the user's e-mail and id (built per request), its attributes a user id, route, path and client
// address. Users cycle over 1 000 and 100 000. Target (for the hot-path work): ratio ≥ 0.7.
// A second set of the same pipelines has an exporter that also encodes each batch as an OTLP/protobuf request (what
// the OTLP exporters do before sending; still no network): the ratio a server exporting over OTLP sees, where the
// bare pipeline is not only the SDK's bookkeeping. Both sets run interleaved in the same rounds.
// Afterwards the first exported records of the privacy pipeline are checked (no e-mail address, user.id a pseudonym).
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { defaultPolicy, PrivacyLogRecordProcessor } from 'otel-privacy';
import {
  aaLine,
  asyncNoopExporter,
  encodingExporter,
  logRecordWork,
  perRound,
  perSecond,
  rate,
  roundOf,
  steadyPlan,
  steadyRounds,
  summary,
  throughputRatio,
} from '../lib.mjs';

/** A logs pipeline for {@link roundOf}: one record per unit, strings built per record; `encode`: OTLP/protobuf. */
function logsPipeline(policy, users, encode = false) {
  const exporter = encode
    ? encodingExporter((records) => ProtobufLogsSerializer.serializeRequest(records))
    : asyncNoopExporter();
  const batch = new BatchLogRecordProcessor({ exporter });
  const provider = new LoggerProvider({
    processors: [policy ? new PrivacyLogRecordProcessor({ policy, next: batch }) : batch],
  });
  return {
    provider,
    exporter,
    work: logRecordWork(provider.getLogger('bench'), users),
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
      encodedBare: logsPipeline(undefined, users, true),
      encodedBare2: logsPipeline(undefined, users, true),
      encodedPrivacy: logsPipeline(defaultPolicy(), users, true),
    };
    const costs = await steadyRounds(
      Object.fromEntries(Object.entries(pipelines).map(([name, p]) => [name, roundOf(p, n)])),
      plan,
    );
    for (const name of ['privacy', 'encodedPrivacy']) {
      const sample = pipelines[name].exporter.sample;
      if (!sample) throw new Error(`logs: nothing exported (${name})`);
      for (const record of sample) {
        const text = JSON.stringify([record.body, record.attributes]);
        if (/@example\.com/.test(text)) throw new Error(`logs: an e-mail address was exported: ${text}`);
        if (!String(record.attributes['user.id']).startsWith('k0:')) throw new Error('logs: user.id not pseudonymized');
      }
    }
    for (const p of Object.values(pipelines)) await p.provider.shutdown();
    const label = `9 logs steady state, ${rate(users)} users`;
    const ratio = perRound(costs.bare, costs.privacy, throughputRatio);
    const encoded = perRound(costs.encodedBare, costs.encodedPrivacy, throughputRatio);
    lines.push(
      aaLine(label, costs, 'bare', 'bare2').line,
      `${label}, PrivacyLogRecordProcessor (default policy, e-mail in the body): ${rate(perSecond(costs.privacy))} vs bare ${rate(perSecond(costs.bare))} records/s; ratio ${summary(ratio)} (target ≥ 0.7: ${ratio.median >= 0.7 ? 'met' : 'MISSED'})`,
      aaLine(`${label}, OTLP/protobuf encoding`, costs, 'encodedBare', 'encodedBare2').line,
      `${label}, the same with OTLP/protobuf encoding in the exporter: ${rate(perSecond(costs.encodedPrivacy))} vs bare ${rate(perSecond(costs.encodedBare))} records/s; ratio ${summary(encoded)}`,
    );
  }
  return lines;
}
