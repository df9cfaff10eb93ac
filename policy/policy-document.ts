/**
 * The policy document's TypeScript types, written out so the package's declarations do not depend on the
 * validation library (its types would otherwise be part of this package's public API). `policy/schema.ts` stays the one source of truth: it
 * checks at compile time that these types and the schema's input type are the same, so `npx tsc` fails when one
 * changes without the other. (Type aliases rather than interfaces: documents are also handled as plain records.)
 */

/** A glob pattern (micromatch semantics). */
export type GlobPattern = string;

/** What happens to an attribute key that no rule names. */
export type DefaultAction = 'drop' | 'mask' | 'hash';

/** A generalizer usable in `attributes.generalize`. */
export type GeneralizerName = 'ip-prefix';

/** A detector name usable in `values.detectors`. */
export type DetectorName =
  | 'email'
  | 'payment-card'
  | 'iban'
  | 'us-ssn'
  | 'phone'
  | 'ipv4'
  | 'ipv6'
  | 'jwt'
  | 'bearer-token'
  | 'aws-access-key'
  | 'private-key'
  | 'url-credentials';

/** A metric instrument type, as named in `metrics.cardinalityLimit`. */
export type InstrumentTypeName =
  | 'counter'
  | 'up-down-counter'
  | 'histogram'
  | 'gauge'
  | 'observable-counter'
  | 'observable-up-down-counter'
  | 'observable-gauge';

/** A log severity accepted by `logs.minSeverity`. */
export type SeverityName = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

/** Attribute rules: the same shape for `attributes`, `resource` and every per-signal or per-scope block. */
export type AttributeRulesDocument = {
  /** Keys kept as they are (values are still scanned). */
  allow?: GlobPattern[];
  /** Keys kept, value replaced by a keyed pseudonym (HMAC-SHA256). */
  hash?: GlobPattern[];
  /** Keys kept, value replaced by an AES-256-GCM token. */
  encrypt?: GlobPattern[];
  /** Keys always removed. Wins over every other rule. */
  drop?: GlobPattern[];
  /** Keys kept in a coarser form. */
  generalize?: Record<GlobPattern, GeneralizerName>;
  /** What happens to keys matched by nothing (default: drop). */
  default?: DefaultAction;
};

/** Where a key lives: exactly one of `env` or `file` (secrets are never inline). */
export type KeyRef = {
  /** Short identifier (1-32 letters, digits, `_`, `.` or `-`) written into every pseudonym and token. */
  id: string;
  /** Environment variable holding the key (raw, `base64:...`, or `hex:...`). */
  env?: string;
  /** File holding the key (raw, `base64:...`, or `hex:...`). */
  file?: string;
};

/** Scanning of kept string values for PII and secrets. */
export type ValuesDocument = {
  /** The detectors to run, or `'all'`. */
  detectors?: 'all' | DetectorName[];
  /** Custom detectors: a lowercase name and a regular expression. */
  custom?: { name: string; pattern: string }[];
  /** What happens to a value with a finding. */
  action?: 'mask' | 'hash' | 'drop';
  /** The mask text; `{type}` is replaced by the detector name. */
  mask?: string;
  /** Longest prefix of one value that is scanned (UTF-16 code units, default 65536). */
  maxScanLength?: number;
  /** What happens to the part of a value beyond `maxScanLength`: masked (default) or the whole value dropped. */
  unscannedTail?: 'mask' | 'drop';
};

/** The URL and SQL sanitizers and span-name sanitizing. */
export type SanitizersDocument = {
  /** URL sanitizing: userinfo stripped, sensitive query values redacted, ID-like path segments replaced. */
  url?: { attributes?: GlobPattern[]; sensitiveParams?: string[]; keepParams?: string[] };
  /** SQL sanitizing: literals replaced by `?`. */
  sql?: { attributes?: GlobPattern[] };
  /** Apply the URL and SQL sanitizers and the value detectors to span names. */
  spanName?: boolean;
};

/** One trace sampling rule: the first rule whose conditions all match sets the ratio. */
export type TraceSamplingRuleDocument = {
  /** Span name glob. */
  spanName?: GlobPattern;
  /** Span kind. */
  kind?: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** Attribute values the span must carry at start. */
  attributes?: Record<string, string | number | boolean>;
  /** Sampling ratio between 0 and 1. */
  ratio: number;
};

/** The `traces` block. */
export type TracesDocument = {
  /** Attribute rules merged over the top-level `attributes` for spans. */
  attributes?: AttributeRulesDocument;
  /** Head sampling. */
  sampling?: {
    /** Sampling ratio between 0 and 1. */
    ratio?: number;
    /** Follow the parent's sampling decision. */
    parentBased?: boolean;
    /** Keep spans that end with an error status. */
    keepErrors?: boolean;
    /** Rate limit in spans per second. */
    maxPerSecond?: number;
    /** Rules by span name, kind and attributes. */
    rules?: TraceSamplingRuleDocument[];
  };
};

/** The `metrics` block. */
export type MetricsDocument = {
  /** Attribute rules merged over the top-level `attributes` for metric points. */
  attributes?: AttributeRulesDocument;
  /** k ≥ 2: attribute sets seen fewer than k times are folded into one suppressed point per metric. */
  kAnonymity?: number;
  /** Per-instrument cardinality limit: one number, or one per instrument type (and `default`). */
  cardinalityLimit?: number | Partial<Record<InstrumentTypeName | 'default', number>>;
  /** Export interval of the periodic reader. */
  exportIntervalMillis?: number;
};

/** The `logs` block. */
export type LogsDocument = {
  /** Attribute rules merged over the top-level `attributes` for log records. */
  attributes?: AttributeRulesDocument;
  /** What happens to log bodies: scanned like values, or dropped. */
  body?: 'scan' | 'drop';
  /** Records below this severity are dropped. */
  minSeverity?: SeverityName;
  /** Log sampling. */
  sampling?: { ratio?: number };
};

/** A policy document as written in a file or passed to `definePolicy`. */
export type PolicyDocument = {
  /** The document format version. */
  version: 1;
  /** Shown in reports. */
  name?: string;
  /** Merge these rules over the built-in default policy. */
  extends?: 'default';
  /** Where the HMAC and encryption keys live. */
  keys?: { hmac?: KeyRef; encryption?: KeyRef };
  /** Span, event, link, metric point and log record attributes. */
  attributes?: AttributeRulesDocument;
  /** Resource attributes. */
  resource?: AttributeRulesDocument;
  /** Scanning of kept string values. */
  values?: ValuesDocument;
  /** URL, SQL and span-name sanitizing. */
  sanitizers?: SanitizersDocument;
  /** Trace rules and sampling. */
  traces?: TracesDocument;
  /** Metric rules, k-anonymity, cardinality and interval. */
  metrics?: MetricsDocument;
  /** Log rules, body handling, severity and sampling. */
  logs?: LogsDocument;
  /** Attribute rules by instrumentation scope name (glob). */
  scopes?: Record<GlobPattern, { attributes?: AttributeRulesDocument }>;
};
