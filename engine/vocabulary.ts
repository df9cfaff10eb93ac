/**
 * The names otel-privacy writes into telemetry or reads from policies, defined once: every module (processors,
 * CLI, Collector configuration) imports them from here.
 */

/** What the engine can do with one attribute key, in decision order (`drop` wins over every other rule). */
export const ATTRIBUTE_ACTIONS = ['drop', 'encrypt', 'hash', 'generalize', 'allow', 'mask'] as const;

/** What the engine does with one attribute key. */
export type AttributeAction = (typeof ATTRIBUTE_ACTIONS)[number];

/**
 * The pseudo attribute key that decides a log record's body. A rule naming it (`drop`, `hash`, `allow`, …)
 * decides the whole body; entries of a map body are decided as `log.body.<key>` (dotted, recursively).
 */
export const LOG_BODY_KEY = 'log.body';

/**
 * The pseudo attribute key that decides a span's status message (the key Zipkin and Jaeger use for it).
 * Allow it in the policy to keep status messages; by default they are dropped like any unnamed key.
 */
export const STATUS_MESSAGE_KEY = 'otel.status_description';

/** The resource attribute that names the policy which shaped the data (its content hash). */
export const POLICY_HASH_ATTRIBUTE = 'privacy.policy.hash';

/**
 * The resource attribute that carries the process's data key wrapped for the recipient of public-key field
 * encryption (`keys.encryption[].recipient`): `ekw:v2:<recipient id>:<data key id>:<algorithm>:<key>`. Only the
 * recipient's private key opens it; `otel-privacy decrypt --data-key` takes it to decrypt `enc:v2:` tokens.
 */
export const ENCRYPTION_DATA_KEY_ATTRIBUTE = 'privacy.encryption.data_key';

/** The attribute of the one point per metric that k-anonymity folds small groups into. */
export const SUPPRESSED_ATTRIBUTE = 'otel_privacy.suppressed';

/**
 * The one attribute of the series `privacyViews` records an opted-out subject's measurements under (`consent`,
 * action `drop`): never exported by `PrivacyMetricExporter`.
 */
export const CONSENT_SUPPRESSED_ATTRIBUTE = 'otel_privacy.consent.suppressed';

/** The attribute the SDK gives the series that collects measurements beyond the cardinality limit. */
export const SDK_OVERFLOW_ATTRIBUTE = 'otel.metric.overflow';
