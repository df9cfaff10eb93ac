import { diagnosticText } from '../engine/diagnostic-text';
import type { MeterProvider, Observable, ObservableCallback } from '@opentelemetry/api';
import type { SecureExporters } from '../exporters/secure-exporters';
import { registerExporterMetrics } from '../exporters/exporter-metrics';
import type { Policy } from '../policy/policy';
import type { LogRecordDropCounts } from '../processors/logs/privacy-log-record-processor';

/** What {@link registerPrivacySelfMetrics} observes. */
export interface PrivacySelfMetricsOptions {
  /** The policy whose rule statistics and drop counters are reported. */
  readonly policy: Policy;
  /** Where the instruments are created (meter `otel-privacy`). */
  readonly meterProvider: MeterProvider;
  /** Secure exporters whose delivery, spool and TLS counters are reported (`otel_privacy.exporter.*`). */
  readonly exporters?: Pick<SecureExporters, 'stats'>;
  /** Log processors whose severity and ratio drops are reported. */
  readonly logProcessors?: readonly { readonly dropped: LogRecordDropCounts }[];
  /** Head samplers whose negative decisions are reported (those `privacySampler` returns count them). */
  readonly samplers?: readonly { readonly sampledOut: number }[];
}

/**
 * Registers the `otel_privacy.*` self-observability instruments on `meterProvider` and returns a function that
 * unregisters them. All are observable counters read at collection time from counters the pipeline keeps anyway, so
 * nothing is added to the hot path. Attributes are a fixed vocabulary (signal, action, reason, cause, detector type)
 * plus, for `otel_privacy.rule.values`, the policy's own rule text, and for `otel_privacy.leak_suspected` the attribute
 * key that alarmed: never a raw value.
 *
 * | instrument | attributes | what |
 * |---|---|---|
 * | `otel_privacy.values` | `signal`, `action` | values decided, by action: `drop`, `mask`, `hash`, `encrypt`, `generalize`, `allow` |
 * | `otel_privacy.rule.values` | `signal`, `action`, `rule` | the same per policy rule (e.g. `hash "user.id"`) |
 * | `otel_privacy.items.dropped` | `signal`, `reason` | whole spans/points/records dropped: `failed` (fail closed), `rate_limited`, `sampled_out`, `below_min_severity`, `identifier_value` (metric points whose number looked like a card or phone number) |
 * | `otel_privacy.consent.suppressed` | `signal` | with a `consent` section: spans, log records and metric measurements (or points) of opted-out subjects not exported |
 * | `otel_privacy.consent.links_removed` | | with `consent.action: drop`: links of exported spans into an opted-out subject's trace, removed |
 * | `otel_privacy.user_group.unknown` | `signal` | with `userGroups`: spans, log records and metric measurements (or points) whose group attribute named no declared group (they got the `userGroups.unknown` rules) |
 * | `otel_privacy.findings` | `type` | value detector findings by detector or custom pattern name (`unscanned` for a cut tail) |
 * | `otel_privacy.leak_suspected` | `signal`, `key`, `detector` | with `alarms.leak`: alarms raised per attribute key (a key, never a value; keys holding findings and keys beyond the tracking bound have fixed labels) |
 * | `otel_privacy.leak_alarm.untracked` | | findings beyond `alarms.leak.maxTrackedKeys` (tracked together as `(other)`) |
 * | `otel_privacy.exporter.*` | `signal`, `outcome`, `cause` | with `exporters`: batches, retries, spool size/files/dropped/quarantined, TLS handshake failures, certificate expiry |
 */
export function registerPrivacySelfMetrics(options: PrivacySelfMetricsOptions): () => void {
  const { policy, meterProvider } = options;
  const meter = meterProvider.getMeter('otel-privacy');
  const registrations: Array<[Observable, ObservableCallback]> = [];
  const observe = (instrument: Observable, callback: ObservableCallback): void => {
    instrument.addCallback(callback);
    registrations.push([instrument, callback]);
  };

  observe(
    meter.createObservableCounter('otel_privacy.values', {
      unit: '{value}',
      description: 'Attribute values decided by the privacy policy, by signal and action',
    }),
    (result) => {
      const sums = new Map<string, { signal: string; action: string; count: number }>();
      for (const stat of policy.ruleStats()) {
        const key = `${stat.signal}\u0000${stat.action}`;
        const entry = sums.get(key);
        if (entry) entry.count += stat.count;
        else sums.set(key, { signal: stat.signal, action: stat.action, count: stat.count });
      }
      for (const { signal, action, count } of sums.values()) result.observe(count, { signal, action });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.rule.values', {
      unit: '{value}',
      description: 'Attribute values decided per policy rule',
    }),
    (result) => {
      const sums = new Map<string, { signal: string; action: string; rule: string; count: number }>();
      for (const stat of policy.ruleStats()) {
        // scope blocks of the same rule add up: the scope pattern is policy text too, but one series per rule is enough.
        // The label leaves the process: a literal key holding a finding is masked like any diagnostic.
        const rule = diagnosticText(stat.rule);
        const key = `${stat.signal}\u0000${stat.action}\u0000${rule}`;
        const entry = sums.get(key);
        if (entry) entry.count += stat.count;
        else sums.set(key, { signal: stat.signal, action: stat.action, rule, count: stat.count });
      }
      for (const { signal, action, rule, count } of sums.values()) result.observe(count, { signal, action, rule });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.items.dropped', {
      unit: '{item}',
      description: 'Whole spans, metric points and log records not exported, by signal and reason',
    }),
    (result) => {
      for (const [signal, counts] of Object.entries(policy.counters.dropped)) {
        result.observe(counts.failed, { signal, reason: 'failed' });
        if (signal === 'traces') result.observe(counts.rateLimited, { signal, reason: 'rate_limited' });
      }
      const identifierValues = policy.counters.identifierValues;
      if (identifierValues > 0) result.observe(identifierValues, { signal: 'metrics', reason: 'identifier_value' });
      let spans = 0;
      for (const sampler of options.samplers ?? []) spans += sampler.sampledOut;
      if (options.samplers?.length) result.observe(spans, { signal: 'traces', reason: 'sampled_out' });
      if (options.logProcessors?.length) {
        let sampled = 0;
        let severity = 0;
        for (const processor of options.logProcessors) {
          sampled += processor.dropped.sampledOut;
          severity += processor.dropped.belowMinSeverity;
        }
        result.observe(sampled, { signal: 'logs', reason: 'sampled_out' });
        result.observe(severity, { signal: 'logs', reason: 'below_min_severity' });
      }
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.findings', {
      unit: '{finding}',
      description: 'Personal data and secrets found in kept values, by detector',
    }),
    (result) => {
      for (const [type, count] of Object.entries(policy.counters.findings)) result.observe(count, { type });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.consent.suppressed', {
      unit: '{item}',
      description: 'Spans, log records and metric measurements not exported because their subject opted out',
    }),
    (result) => {
      const counts = policy.counters.consentSuppressed;
      if (policy.compiled.consent === undefined && counts.traces + counts.metrics + counts.logs === 0) return;
      for (const signal of ['traces', 'metrics', 'logs'] as const) result.observe(counts[signal], { signal });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.consent.links_removed', {
      unit: '{link}',
      description: "Links of exported spans into an opted-out subject's trace, removed",
    }),
    (result) => {
      const removed = policy.counters.consentLinksRemoved;
      if (policy.compiled.consent !== undefined || removed > 0) result.observe(removed);
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.user_group.unknown', {
      unit: '{item}',
      description: 'Items whose user-group attribute named no declared group (they got the userGroups.unknown rules)',
    }),
    (result) => {
      const counts = policy.counters.userGroupUnknown;
      if (policy.compiled.userGroups === undefined && counts.traces + counts.metrics + counts.logs === 0) return;
      for (const signal of ['traces', 'metrics', 'logs'] as const) result.observe(counts[signal], { signal });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.fields.invalid', {
      unit: '{field}',
      description: 'Fields the application passed with a value not of their OTLP type, replaced before export',
    }),
    (result) => {
      const counts = policy.counters.invalidFields;
      for (const signal of ['traces', 'metrics', 'logs', 'resource'] as const)
        if (counts[signal] > 0) result.observe(counts[signal], { signal });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.times.replaced', {
      unit: '{time}',
      description: 'Times the application passed before 2000 or more than a day ahead, exported as the clock instead',
    }),
    (result) => {
      const counts = policy.counters.implausibleTimes;
      for (const signal of ['traces', 'metrics', 'logs'] as const)
        if (counts[signal] > 0) result.observe(counts[signal], { signal });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.values.cut', {
      unit: '{value}',
      description: 'String values the SDK cut at its attribute length limit, exported with their last word masked',
    }),
    (result) => {
      const counts = policy.counters.cutValues;
      for (const signal of ['traces', 'logs'] as const)
        if (counts[signal] > 0) result.observe(counts[signal], { signal });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.leak_suspected', {
      unit: '{alarm}',
      description: 'Leak alarms: a key started producing findings of a detector, or their rate rose (alarms.leak)',
    }),
    (result) => {
      const alarm = policy.leakAlarm;
      if (alarm === undefined) return;
      for (const s of alarm.suspicions())
        result.observe(s.count, { signal: s.signal, key: s.key, detector: s.detector });
    },
  );

  observe(
    meter.createObservableCounter('otel_privacy.leak_alarm.untracked', {
      unit: '{finding}',
      description: 'Findings beyond alarms.leak.maxTrackedKeys, tracked together under the key "(other)"',
    }),
    (result) => {
      const alarm = policy.leakAlarm;
      if (alarm !== undefined) result.observe(alarm.overflowed);
    },
  );

  const unregisterExporter = options.exporters && registerExporterMetrics(options.exporters.stats, meterProvider);

  return () => {
    for (const [instrument, callback] of registrations) instrument.removeCallback(callback);
    unregisterExporter?.();
  };
}
