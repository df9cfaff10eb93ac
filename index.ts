/**
 * otel-privacy: in-process privacy controls for OpenTelemetry in Node.js.
 * This file is the whole public surface of the package: what the documentation tells users to call, the options and
 * result types of those calls, and the constants users configure or query. Everything else is internal; the API
 * report (`docs/api/otel-privacy.api.md`, checked by `npm run api:check`) makes every change to this surface visible.
 */

// The policy.
export { loadPolicy, definePolicy, defaultPolicy } from './policy/load-policy';
export type { LoadPolicyOptions } from './policy/load-policy';
export { Policy } from './policy/policy';
export type { RuleStat } from './policy/policy';
export { PolicyError } from './policy/policy-error';
export type { PolicyIssue } from './policy/policy-error';
export type { Signal } from './policy/schema';
export type {
  PolicyDocument,
  AttributeRulesDocument,
  DefaultAction,
  GeneralizerName,
  GlobPattern,
  KeyRef,
  EncryptionKeyRef,
  ValuesDocument,
  DetectorName,
  SanitizersDocument,
  TracesDocument,
  TraceSamplingRuleDocument,
  MetricsDocument,
  InstrumentTypeName,
  LogsDocument,
  SeverityName,
  ConsentDocument,
} from './policy/policy-document';
export type { AttributeAction } from './engine/attribute-rules';
export type { PrivacyCounters, DroppedItems } from './engine/privacy-counters';
export type { LeakAlarm, LeakAlarmSettings, LeakSuspicion } from './engine/leak-alarm';
export { RETENTION_ATTRIBUTE } from './engine/retention-labels';
export { decryptToken } from './engine/crypto/field-encryption';
export { decryptRecipientToken, unwrapDataKey } from './engine/crypto/recipient-encryption';
export { ENCRYPTION_DATA_KEY_ATTRIBUTE } from './engine/vocabulary';
export type { KeyMaterial } from './engine/crypto/key-material';
export { withConsentSubject, CONSENT_SUBJECT_KEY } from './engine/consent/consent-context';
export { CONSENT_SUPPRESSED_ATTRIBUTE } from './engine/vocabulary';

// Processors, views, sampler and resource.
export { PrivacySpanProcessor } from './processors/traces/privacy-span-processor';
export type { PrivacySpanProcessorOptions } from './processors/traces/privacy-span-processor';
export { STATUS_MESSAGE_KEY } from './processors/traces/span-redactor';
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
export { PrivacyMetricReader } from './processors/metrics/privacy-metric-reader';
export type { PrivacyMetricReaderOptions } from './processors/metrics/privacy-metric-reader';
export { PrivacyMeterProvider } from './processors/metrics/privacy-meter-provider';
export { protectPullReader, pullReaderPrivacyExporter } from './processors/metrics/protect-pull-reader';
export { SUPPRESSED_ATTRIBUTE } from './processors/metrics/metric-point-attributes';
export { privacySampler } from './processors/sampling/privacy-sampler';
export {
  sanitizeResource,
  privacyResourceDetector,
  POLICY_HASH_ATTRIBUTE,
} from './processors/resource/sanitize-resource';

// Secure export.
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
export type {
  SecureSpanExporter,
  SecureMetricExporter,
  SecureLogRecordExporter,
} from './exporters/otlp-signal-exporters';
export { SecureExportConfigError } from './exporters/secure-export-config-error';
export type { SecureExportStats } from './exporters/secure-export-stats';
export type { DeliveryLaneStats } from './exporters/delivery-lane';
export type { SpoolStats } from './exporters/encrypted-spool';
export type { ExporterLogger } from './exporters/exporter-logger';
export { spkiPin } from './exporters/certificate-pins';

// SDK integration and operations.
export { withPrivacy } from './instrumentation/with-privacy';
export type { WithPrivacyOptions, PrivacyExporters, NodeSdkConfig } from './instrumentation/with-privacy';
export { startPrivacySdk } from './instrumentation/start-privacy-sdk';
export type { StartPrivacySdkOptions, RunningPrivacySdk } from './instrumentation/start-privacy-sdk';
export { privacyInstrumentationConfig } from './instrumentation/privacy-instrumentation-config';
export type { InstrumentationConfigMap } from './instrumentation/privacy-instrumentation-config';
export { registerPrivacySelfMetrics } from './instrumentation/privacy-self-metrics';
export type { PrivacySelfMetricsOptions } from './instrumentation/privacy-self-metrics';
export { watchPolicy } from './instrumentation/policy-watcher';
export { PrivacyPropagator, propagatorFromEnvironment } from './instrumentation/privacy-propagator';
export type { PolicyWatcher, PolicyWatcherOptions } from './instrumentation/policy-watcher';
export { watchOptOut } from './instrumentation/opt-out-watcher';
export type { OptOutWatcher, OptOutWatcherOptions } from './instrumentation/opt-out-watcher';
export { PolicyAuditLog, verifyAuditLog } from './instrumentation/audit-log';
export type { AuditEntry, AuditEvent, AuditVerification } from './instrumentation/audit-log';
