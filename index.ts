/**
 * otel-privacy: in-process privacy controls for OpenTelemetry in Node.js.
 * This file is the whole public surface of the package.
 */
export { loadPolicy, definePolicy, defaultPolicy } from './policy/load-policy';
export { Policy } from './policy/policy';
export type { RuleStat } from './policy/policy';
export { PolicyError } from './policy/policy-error';
export type { PolicyIssue } from './policy/policy-error';
export { policySchema, detectorNames } from './policy/schema';
export type { PolicyDocument, AttributeRulesDocument, DefaultAction, GeneralizerName, KeyRef, DetectorName, Signal } from './policy/schema';
export type { AttributeAction, Decision } from './policy/attribute-rules';
export { AttributeSanitizer, DROPPED, MASK } from './policy/attribute-sanitizer';
export { decryptToken } from './policy/field-encryption';
export { decodeKeyText } from './policy/key-material';
export type { KeyMaterial } from './policy/key-material';
export { PrivacyCounters } from './policy/privacy-counters';
export { PrivacySpanProcessor } from './processors/privacy-span-processor';
export type { PrivacySpanProcessorOptions } from './processors/privacy-span-processor';
export { STATUS_MESSAGE_KEY } from './processors/span-sanitizer';
export { sanitizeResource, privacyResourceDetector, POLICY_HASH_ATTRIBUTE } from './processors/sanitize-resource';
export { privacySampler } from './processors/privacy-sampler';
export { ConsistentProbabilitySampler } from './processors/consistent-probability-sampler';
export type { TraceSamplingOptions, TraceSamplingRule } from './processors/consistent-probability-sampler';
export { RateLimiter } from './processors/rate-limiter';
export { createSecureExporters } from './exporters/secure-exporters';
export type { SecureExporters } from './exporters/secure-exporters';
export type { SecureExportersOptions, SecureTlsOptions, SecureRetryOptions, SecureSpoolOptions, SpoolKeySource, PemSource } from './exporters/secure-exporter-options';
export { SecureSpanExporter, SecureMetricExporter, SecureLogRecordExporter } from './exporters/otlp-signal-exporters';
export { SecureExportConfigError } from './exporters/secure-export-config-error';
export type { SecureExportStats } from './exporters/secure-export-stats';
export { spkiPin } from './exporters/certificate-pins';
export { PrivacyLogRecordProcessor, LOG_BODY_KEY } from './processors/privacy-log-record-processor';
export type { PrivacyLogRecordProcessorOptions, LogRecordDropCounts } from './processors/privacy-log-record-processor';
export { privacyViews, privacyAttributesProcessor } from './processors/privacy-views';
export { PrivacyMetricExporter } from './processors/privacy-metric-exporter';
export type { PrivacyMetricExporterOptions, PrivacyMetricExportStats } from './processors/privacy-metric-exporter';
export { PrivacyMetricReader, DEFAULT_EXPORT_INTERVAL_MILLIS } from './processors/privacy-metric-reader';
export type { PrivacyMetricReaderOptions } from './processors/privacy-metric-reader';
export { KAnonymityFolder } from './processors/metric-k-anonymity';
export { SUPPRESSED_ATTRIBUTE } from './processors/metric-point-attributes';
