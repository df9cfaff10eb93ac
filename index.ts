/**
 * otel-privacy: in-process privacy controls for OpenTelemetry in Node.js.
 * This file is the whole public surface of the package.
 */
export { loadPolicy, definePolicy, defaultPolicy } from './policy/load-policy';
export type { LoadPolicyOptions } from './policy/load-policy';
export { Policy } from './policy/policy';
export type { RuleStat } from './policy/policy';
export { PolicyError } from './policy/policy-error';
export type { PolicyIssue } from './policy/policy-error';
export { policySchema, detectorNames } from './policy/schema';
export type {
  PolicyDocument,
  AttributeRulesDocument,
  DefaultAction,
  GeneralizerName,
  KeyRef,
  DetectorName,
  Signal,
} from './policy/schema';
export type { AttributeAction, Decision } from './engine/attribute-rules';
export { AttributeRedactor, DROPPED, MASK } from './engine/attribute-redactor';
export { decryptToken } from './engine/crypto/field-encryption';
export { decodeKeyText } from './engine/crypto/key-material';
export type { KeyMaterial } from './engine/crypto/key-material';
export { PrivacyCounters } from './engine/privacy-counters';
export { PrivacySpanProcessor } from './processors/traces/privacy-span-processor';
export type { PrivacySpanProcessorOptions } from './processors/traces/privacy-span-processor';
export { STATUS_MESSAGE_KEY } from './processors/traces/span-redactor';
export {
  sanitizeResource,
  privacyResourceDetector,
  POLICY_HASH_ATTRIBUTE,
} from './processors/resource/sanitize-resource';
export { privacySampler } from './processors/sampling/privacy-sampler';
export { ConsistentProbabilitySampler } from './processors/sampling/consistent-probability-sampler';
export type { TraceSamplingOptions, TraceSamplingRule } from './processors/sampling/consistent-probability-sampler';
export { RateLimiter } from './processors/sampling/rate-limiter';
export { createSecureExporters } from './exporters/secure-exporters';
export type { SecureExporters } from './exporters/secure-exporters';
export type {
  SecureExportersOptions,
  SecureTlsOptions,
  SecureRetryOptions,
  SecureSpoolOptions,
  SpoolKeySource,
  PemSource,
} from './exporters/secure-exporter-options';
export { SecureSpanExporter, SecureMetricExporter, SecureLogRecordExporter } from './exporters/otlp-signal-exporters';
export { SecureExportConfigError } from './exporters/secure-export-config-error';
export type { SecureExportStats } from './exporters/secure-export-stats';
export { spkiPin } from './exporters/certificate-pins';
export { PrivacyLogRecordProcessor, LOG_BODY_KEY } from './processors/logs/privacy-log-record-processor';
export type {
  PrivacyLogRecordProcessorOptions,
  LogRecordDropCounts,
} from './processors/logs/privacy-log-record-processor';
export { privacyViews, privacyAttributesProcessor } from './processors/metrics/privacy-views';
export { PrivacyMetricExporter } from './processors/metrics/privacy-metric-exporter';
export type {
  PrivacyMetricExporterOptions,
  PrivacyMetricExportStats,
} from './processors/metrics/privacy-metric-exporter';
export { PrivacyMetricReader, DEFAULT_EXPORT_INTERVAL_MILLIS } from './processors/metrics/privacy-metric-reader';
export type { PrivacyMetricReaderOptions } from './processors/metrics/privacy-metric-reader';
export { KAnonymityFolder } from './processors/metrics/metric-k-anonymity';
export { SUPPRESSED_ATTRIBUTE } from './processors/metrics/metric-point-attributes';
export { withPrivacy, buildPrivacySdkConfig } from './instrumentation/with-privacy';
export type {
  WithPrivacyOptions,
  PrivacyExporters,
  NodeSdkConfig,
  PrivacySdkParts,
} from './instrumentation/with-privacy';
export { privacyInstrumentationConfig } from './instrumentation/privacy-instrumentation-config';
export type { InstrumentationConfigMap } from './instrumentation/privacy-instrumentation-config';
export { registerPrivacySelfMetrics } from './instrumentation/privacy-self-metrics';
export type { PrivacySelfMetricsOptions } from './instrumentation/privacy-self-metrics';
export { CountingSampler } from './instrumentation/counting-sampler';
export { startPrivacySdk } from './instrumentation/start-privacy-sdk';
export type { StartPrivacySdkOptions, RunningPrivacySdk } from './instrumentation/start-privacy-sdk';
export {
  watchPolicy,
  policyOperationsFromEnv,
  POLICY_RELOAD_ENV,
  AUDIT_LOG_ENV,
} from './instrumentation/policy-watcher';
export type { PolicyWatcher, PolicyWatcherOptions } from './instrumentation/policy-watcher';
export { PolicyAuditLog, verifyAuditLog, auditLineHash, AUDIT_GENESIS } from './instrumentation/audit-log';
export type { AuditEntry, AuditEvent, AuditVerification } from './instrumentation/audit-log';
