import { AttributeRules } from '../engine/attribute-rules';
import { fieldText } from '../engine/otlp-field-types';
import type { ResolvedAttributeRules } from '../engine/attribute-rules';
import { AttributeRedactor, DROPPED, MASK } from '../engine/attribute-redactor';
import type { RedactorTools } from '../engine/attribute-redactor';
import type { Attributes } from '@opentelemetry/api';
import { BaggageFilter } from '../engine/baggage-filter';
import type { ConsentGate } from '../engine/consent/consent-gate';
import { printOnlySummary } from '../engine/inspect-summary';
import { DB_SYSTEM_KEYS, sanitizeStatementSpanName } from '../engine/sanitizers/statement-sanitizer';
import type { StatementFamily } from '../engine/sanitizers/statement-sanitizer';
import { GlobList, isGlob } from '../engine/glob-list';
import { DEFAULT_TRACE_STATE_ALLOW, TraceStateFilter } from '../engine/trace-state';
import { LOG_BODY_KEY } from '../engine/vocabulary';
import { mergeDocuments } from './merge-documents';
import { durationMillis } from './duration';
import { RetentionLabels } from '../engine/retention-labels';
import type { LeakAlarmSettings } from '../engine/leak-alarm';
import type { RedactorTools as Tools, ValueScanner } from '../engine/attribute-redactor';
import { detectorNames } from './schema';
import type { UserGroupSelector } from './user-group-selector';
import type {
  AttributeRulesDocument,
  DetectorName,
  InstrumentTypeName,
  EncryptionKeyRef,
  KeyRef,
  PolicyDocument,
  SeverityName,
  Signal,
} from './schema';
import { deterministicGlobs, encryptGlobs } from './encrypt-rules';

/** Bound on scope names cached per signal (beyond it a name is matched again, but its rules are never recompiled). */
const MAX_SCOPES = 512;

/** Bound on cached span-name results. */
const MAX_CACHED_SPAN_NAMES = 4096;

/** The last generation handed out; every compiled policy gets the next one. */
let lastGeneration = 0;

/** `traces.sampling` as written: the sampler's ratio, rules and parent-based flag. */
export type TraceSamplingSettings = Readonly<NonNullable<NonNullable<PolicyDocument['traces']>['sampling']>>;

/** The trace settings of a compiled policy. */
export interface CompiledTraceSettings {
  /** `traces.sampling` (frozen; an empty object when absent). Samplers compile it once per generation. */
  readonly sampling: TraceSamplingSettings;
  /** `traces.sampling.maxPerSecond`: the span processor's rate limit, if any. */
  readonly maxPerSecond: number | undefined;
  /** `traces.sampling.keepErrors`: spans with error status are exempt from the rate limit. */
  readonly keepErrors: boolean;
}

/** The log settings of a compiled policy (`logs.*` besides attribute rules). */
export interface CompiledLogSettings {
  /** `logs.minSeverity`: records with a specified severity below it are not forwarded. */
  readonly minSeverity: SeverityName | undefined;
  /** `logs.sampling.ratio` (1 when absent). */
  readonly ratio: number;
  /** True when `minSeverity` or a ratio below 1 can drop records (false: every record is kept). */
  readonly filters: boolean;
  /** `logs.body` (`scan` when absent). */
  readonly body: 'scan' | 'drop';
}

/** The metric settings of a compiled policy (`metrics.*` besides attribute rules). */
export interface CompiledMetricSettings {
  /** `metrics.kAnonymity`, if set. */
  readonly kAnonymity: number | undefined;
  /** `metrics.cardinalityLimit` per instrument type (a single number becomes `{ default: n }`), if set. */
  readonly cardinalityLimits: Readonly<Partial<Record<InstrumentTypeName | 'default', number>>> | undefined;
  /** `metrics.exportIntervalMillis`, if set. */
  readonly exportIntervalMillis: number | undefined;
}

type ValuesDocument = NonNullable<PolicyDocument['values']>;

/** The value scanning settings (`values`) with their defaults filled in. */
export interface CompiledValueSettings {
  /** The built-in detectors that run (`all` resolved to every name). */
  readonly detectors: readonly DetectorName[];
  /** Custom patterns. */
  readonly custom: readonly { readonly name: string; readonly pattern: string }[];
  /** What happens to a finding. */
  readonly action: 'mask' | 'hash' | 'drop';
  /** The mask text (`{type}` names the finding). */
  readonly mask: string;
  /** Longest prefix of one value that is scanned, if set. */
  readonly maxScanLength: number | undefined;
  /** What happens beyond `maxScanLength`, if set. */
  readonly unscannedTail: 'mask' | 'drop' | undefined;
  /** `values.allow`: texts and patterns never masked. */
  readonly allow: NonNullable<ValuesDocument['allow']>;
  /** `values.masks`: a mask per detector, if set. */
  readonly masks: ValuesDocument['masks'];
  /** `values.ignoreKeys`: keys whose values skip the detectors. */
  readonly ignoreKeys: readonly string[];
  /** `values.bytes`: what happens to bytes values that are not valid UTF-8 (`scan` when absent). */
  readonly bytes: NonNullable<ValuesDocument['bytes']>;
  /** `values.scanNumbers`: large numbers are scanned as decimal text (true when absent). */
  readonly scanNumbers: boolean;
}

/** The URL/SQL/span-name sanitizer settings (`sanitizers`). */
export interface CompiledSanitizerSettings {
  /** `sanitizers.url`, if it names attributes. */
  readonly url:
    | {
        readonly attributes: readonly string[];
        readonly sensitiveParams: readonly string[];
        /** `params.mode` (`allowlist` when absent). */
        readonly paramsMode: 'allowlist' | 'denylist';
        readonly keepParams: readonly string[];
      }
    | undefined;
  /** `sanitizers.sql`, if it names attributes. */
  readonly sql: { readonly attributes: readonly string[] } | undefined;
  /** Keys holding database statements: `sanitizers.statements.attributes` and `sanitizers.sql.attributes`, deduplicated. */
  readonly statementKeys: readonly string[];
  /** Extra sensitive URL parameters (`sanitizers.url.sensitiveParams`, also without URL attributes). */
  readonly sensitiveParams: readonly string[];
  /** `sanitizers.spanName`. */
  readonly spanName: boolean;
}

/** Where the keys come from (`keys`): ids and references, never key material. */
export interface CompiledKeySettings {
  /** The active `keys.hmac` key (the first of a ring), if set. */
  readonly hmac: Readonly<KeyRef> | undefined;
  /** The active `keys.encryption` key (the first of a ring), if set. */
  readonly encryption: Readonly<EncryptionKeyRef> | undefined;
  /** Every `keys.hmac` key, the active one first (empty when unset). */
  readonly hmacRing: readonly Readonly<KeyRef>[];
  /** Every `keys.encryption` key, the active one first (empty when unset). */
  readonly encryptionRing: readonly Readonly<EncryptionKeyRef>[];
}

/** A key ring as written (one key or a list) as a list, the active key first. */
function ringOf<T>(declared: T | readonly T[] | undefined): readonly T[] {
  return declared === undefined ? [] : Array.isArray(declared) ? (declared as readonly T[]) : [declared as T];
}

/**
 * Attribute rules with every list resolved. With `own` (the user's block when the document extends the default
 * policy): the keys the user's document names literally (no glob) are decided by the user's rules alone, so a
 * user's rule for a key overrides a default-policy rule for it.
 */
function resolveRules(
  block: AttributeRulesDocument | undefined,
  own?: AttributeRulesDocument | undefined,
): ResolvedAttributeRules {
  const rules = {
    allow: block?.allow ?? [],
    hash: block?.hash ?? [],
    encrypt: encryptGlobs(block?.encrypt),
    deterministic: deterministicGlobs(block?.encrypt),
    drop: block?.drop ?? [],
    generalize: block?.generalize ?? {},
    default: block?.default ?? 'drop',
  };
  if (own === undefined) return rules;
  const named = [...(own.allow ?? []), ...(own.hash ?? []), ...encryptGlobs(own.encrypt), ...(own.drop ?? [])];
  named.push(...Object.keys(own.generalize ?? {}));
  const keys = [...new Set(named.filter((k) => !isGlob(k)))];
  if (keys.length === 0) return rules;
  return { ...rules, explicit: { keys, rules: { ...resolveRules(own), default: rules.default } } };
}

const NO_SAMPLING: TraceSamplingSettings = Object.freeze({});

function compileTraces(doc: PolicyDocument): CompiledTraceSettings {
  const sampling: TraceSamplingSettings = doc.traces?.sampling ?? NO_SAMPLING;
  return Object.freeze({ sampling, maxPerSecond: sampling.maxPerSecond, keepErrors: sampling.keepErrors ?? false });
}

function compileLogs(doc: PolicyDocument): CompiledLogSettings {
  const minSeverity = doc.logs?.minSeverity;
  const ratio = doc.logs?.sampling?.ratio ?? 1;
  return Object.freeze({
    minSeverity,
    ratio,
    filters: minSeverity !== undefined || ratio !== 1,
    body: doc.logs?.body ?? 'scan',
  });
}

function compileMetrics(doc: PolicyDocument): CompiledMetricSettings {
  const limit = doc.metrics?.cardinalityLimit;
  return Object.freeze({
    kAnonymity: doc.metrics?.kAnonymity,
    cardinalityLimits:
      limit === undefined ? undefined : typeof limit === 'number' ? Object.freeze({ default: limit }) : limit,
    exportIntervalMillis: doc.metrics?.exportIntervalMillis,
  });
}

function compileValues(doc: PolicyDocument): CompiledValueSettings | undefined {
  const v = doc.values;
  if (v === undefined) return undefined;
  return Object.freeze({
    detectors: v.detectors === undefined || v.detectors === 'all' ? detectorNames : v.detectors,
    custom: v.custom ?? [],
    action: v.action ?? 'mask',
    mask: v.mask ?? '[REDACTED:{type}]',
    maxScanLength: v.maxScanLength,
    unscannedTail: v.unscannedTail,
    allow: v.allow ?? [],
    masks: v.masks,
    ignoreKeys: v.ignoreKeys ?? [],
    bytes: v.bytes ?? 'scan',
    scanNumbers: v.scanNumbers ?? true,
  });
}

function compileSanitizers(doc: PolicyDocument): CompiledSanitizerSettings {
  const url = doc.sanitizers?.url;
  const sql = doc.sanitizers?.sql;
  return Object.freeze({
    url: url?.attributes?.length
      ? Object.freeze({
          attributes: url.attributes,
          sensitiveParams: url.sensitiveParams ?? [],
          paramsMode: url.params?.mode ?? 'allowlist',
          keepParams: [...(url.params?.keep ?? []), ...(url.keepParams ?? [])],
        })
      : undefined,
    sql: sql?.attributes?.length ? Object.freeze({ attributes: sql.attributes }) : undefined,
    statementKeys: Object.freeze([
      ...new Set([...(doc.sanitizers?.statements?.attributes ?? []), ...(sql?.attributes ?? [])]),
    ]),
    sensitiveParams: url?.sensitiveParams ?? [],
    spanName: doc.sanitizers?.spanName ?? false,
  });
}

// --- alarms (leak alarm) -------------------------------------------------------------------------------------------

/** `alarms.leak` with its defaults filled in, or undefined without it (or without a `values` block to find anything). */
function compileLeakAlarm(doc: PolicyDocument): LeakAlarmSettings | undefined {
  const leak = doc.alarms?.leak;
  if (leak === undefined || doc.values === undefined) return undefined;
  return Object.freeze({
    windowMillis: durationMillis(leak.window ?? '5m'),
    factor: leak.factor ?? 4,
    minCount: leak.minCount ?? 5,
    maxTrackedKeys: leak.maxTrackedKeys ?? 1024,
  });
}

/**
 * The tools for free text, baggage and tracestate: with a finding log, their scanners attribute findings to the signal
 * `text` (key: the baggage/tracestate key, or `(text)` for names and bodies).
 */
function textTools(tools: Tools): Tools {
  const log = tools.findingLog;
  const scanner = tools.scanner;
  const transformed = tools.scanTransformed;
  if (log === undefined || scanner === undefined) return tools;
  // baggage and tracestate keys are no rule's keys: printed when named literally, else `(unnamed key) #tag`
  const labels = tools.alarmKeys;
  const label = (key: string): string =>
    key === '' ? '(text)' : labels === undefined ? key : labels.label(key, undefined);
  const wrapped: ValueScanner = (value, key) => {
    const out = scanner(value, key);
    if (log.pending.length !== 0) log.flush('text', label(key));
    return out;
  };
  return {
    ...tools,
    scanner: wrapped,
    scanTransformed:
      transformed &&
      ((raw, produced, key) => {
        const out = transformed(raw, produced, key);
        if (log.pending.length !== 0) log.flush('text', label(key));
        return out;
      }),
  };
}

// --- minimization (timestamp precision) ------------------------------------------------------------------------------

/** The time-precision settings of a compiled policy (`logs.timestampPrecision`, `traces.eventTimestampPrecision`). */
export interface CompiledTimePrecision {
  /** Log record times are rounded down to this many ms, if set. */
  readonly logMillis: number | undefined;
  /** Span event times are rounded down to this many ms, if set. */
  readonly eventMillis: number | undefined;
}

function compileTimePrecision(doc: PolicyDocument): CompiledTimePrecision {
  const log = doc.logs?.timestampPrecision;
  const event = doc.traces?.eventTimestampPrecision;
  return Object.freeze({
    logMillis: log === undefined ? undefined : durationMillis(log),
    eventMillis: event === undefined ? undefined : durationMillis(event),
  });
}

// --- retention labels -----------------------------------------------------------------------------------------------

function compileRetention(doc: PolicyDocument): RetentionLabels | undefined {
  const r = doc.retention;
  if (r === undefined || (r.default === undefined && !r.rules?.length)) return undefined;
  return new RetentionLabels(
    (r.rules ?? []).map((rule) => ({
      class: rule.class,
      signals: rule.signals ?? [],
      scopes: rule.scopes ?? [],
      carries: rule.carries ?? [],
    })),
    r.default,
  );
}

/** One block of attribute rules as written in the effective document, with where it is and what it applies to. */
export interface AttributeRuleBlock {
  /** Its path in the document (`['attributes']`, `['traces', 'attributes']`, `['scopes', name, 'attributes']`, …). */
  readonly path: readonly PropertyKey[];
  /** The rules as written. */
  readonly rules: Readonly<AttributeRulesDocument>;
  /** `all` (top level), `resource`, or `one` signal or scope. */
  readonly applies: 'all' | 'resource' | 'one';
}

/** The attribute rule blocks of a document, in document order. */
export function attributeRuleBlocks(doc: Readonly<PolicyDocument>): AttributeRuleBlock[] {
  const out: AttributeRuleBlock[] = [];
  const add = (
    path: PropertyKey[],
    rules: AttributeRulesDocument | undefined,
    applies: AttributeRuleBlock['applies'],
  ) => rules && out.push({ path, rules, applies });
  add(['attributes'], doc.attributes, 'all');
  add(['resource'], doc.resource, 'resource');
  for (const s of ['traces', 'metrics', 'logs'] as const) add([s, 'attributes'], doc[s]?.attributes, 'one');
  for (const [name, s] of Object.entries(doc.scopes ?? {})) add(['scopes', name, 'attributes'], s.attributes, 'one');
  return out;
}

/**
 * Everything compiled from one policy document, frozen in what it decides: the attribute rule sets per
 * signal and instrumentation-scope combination (compiled once, on first use of a combination), the value
 * scanner and sanitizers, and every other setting (trace sampling and rate limit, log and metric settings,
 * keys, scopes). `Policy` holds one and swaps it as a whole on hot reload (`Policy.replaceWith`); processors
 * read it per item (`policy.compiled`) and never keep anything derived from it across a swap without
 * checking `generation`.
 *
 * Only code under `policy/` reads the raw document; everything else reads the settings here.
 */
export class CompiledPolicy {
  /**
   * Unique per compilation and increasing in compile order. Data marked "sanitized under generation G" is
   * trusted only while `G` is the generation in effect (compared for equality).
   */
  readonly generation: number = ++lastGeneration;
  /** `userGroups`: the compiled policies of the user groups and how an item's group attribute selects one. */
  private groups: UserGroupSelector | undefined;
  /** The policy's `name`, if it has one. */
  readonly name: string | undefined;
  /** The engine for resource attributes. */
  readonly resourceSanitizer: AttributeRedactor;
  /** Trace sampling and rate limit. */
  readonly traces: CompiledTraceSettings;
  /** Log severity, sampling and body settings. */
  readonly logs: CompiledLogSettings;
  /** k-anonymity, cardinality limits and export interval. */
  readonly metrics: CompiledMetricSettings;
  /** Value scanning with defaults filled in, or undefined without a `values` block. */
  readonly values: CompiledValueSettings | undefined;
  /** URL/SQL/span-name sanitizer settings. */
  readonly sanitizers: CompiledSanitizerSettings;
  /** Key references (ids and where the secrets live). */
  readonly keys: CompiledKeySettings;
  /** The `scopes` patterns, in document order. */
  readonly scopePatterns: readonly string[];
  /** The attribute rule blocks of the effective document (after `extends`), for linting. */
  readonly ruleBlocks: readonly AttributeRuleBlock[];
  /** `traces.traceState`: tracestate members kept on exported spans and links and in propagated headers. */
  readonly traceState: TraceStateFilter;
  /** `propagation.baggage`: baggage entries kept in propagated headers and extracted contexts. */
  readonly baggage: BaggageFilter;
  /** `consent`: the subject lookup, opt-out set and action, or undefined without a `consent` section. */
  readonly consent: ConsentGate | undefined;
  /** `logs.timestampPrecision` and `traces.eventTimestampPrecision`. */
  readonly timePrecision: CompiledTimePrecision;
  /** `retention`: the `privacy.retention` class of spans and log records, or undefined without retention rules. */
  readonly retention: RetentionLabels | undefined;
  /** `alarms.leak` with defaults, or undefined when there is no leak alarm (needs a `values` block). */
  readonly leakAlarm: LeakAlarmSettings | undefined;
  /** The tools for free text, baggage and tracestate (see `textTools`). */
  private readonly textTools: Tools;
  /**
   * Resource attribute values the resource detector sanitized under this compiled policy, by key. The SDK
   * merges them into the provider's resource, which is sanitized again: a value found here is kept as it is
   * (a string cannot carry the sanitized mark, so it is recorded here instead).
   */
  readonly resourceValuesProduced = new Map<string, unknown>();

  private readonly signalSanitizers = new Map<Signal, AttributeRedactor>();
  /** Per signal: instrumentation scope name → its sanitizer (bounded). */
  private readonly scopeSanitizers = new Map<Signal, Map<string, AttributeRedactor>>();
  /** Per signal and combination of matching `scopes` patterns: the compiled sanitizer (few distinct ones). */
  private readonly comboSanitizers = new Map<string, AttributeRedactor>();
  private readonly spanNames = new Map<string, string>();
  /** Span names of database spans, per statement family of their system (bounded like `spanNames`). */
  private readonly dbSpanNames = new Map<StatementFamily, Map<string, string>>();
  private readonly scopeBlocks: readonly {
    readonly pattern: string;
    readonly glob: GlobList;
    readonly rules: AttributeRulesDocument | undefined;
  }[];

  /**
   * @param document the effective document (after `extends`), deep-frozen
   * @param hash its content hash
   * @param tools the keyed hashing, encryption, scanner and sanitizers built for it
   */
  constructor(
    readonly document: Readonly<PolicyDocument>,
    readonly hash: string,
    readonly tools: RedactorTools,
    /** The user's own document when `document` is it laid over the default policy (`extends: default`). */
    readonly own?: Readonly<PolicyDocument>,
  ) {
    this.name = document.name;
    this.traces = compileTraces(document);
    this.logs = compileLogs(document);
    this.metrics = compileMetrics(document);
    this.values = compileValues(document);
    this.sanitizers = compileSanitizers(document);
    const hmacRing = ringOf(document.keys?.hmac);
    const encryptionRing = ringOf(document.keys?.encryption);
    this.keys = Object.freeze({ hmac: hmacRing[0], encryption: encryptionRing[0], hmacRing, encryptionRing });
    this.consent = tools.consent;
    this.scopePatterns = Object.freeze(Object.keys(document.scopes ?? {}));
    this.ruleBlocks = Object.freeze(attributeRuleBlocks(document));
    this.scopeBlocks = Object.entries(document.scopes ?? {}).map(([pattern, block]) => ({
      pattern,
      glob: new GlobList([pattern]),
      rules: block.attributes,
    }));
    this.leakAlarm = compileLeakAlarm(document);
    this.timePrecision = compileTimePrecision(document);
    this.retention = compileRetention(document);
    this.textTools = textTools(tools);
    this.traceState = new TraceStateFilter(
      document.traces?.traceState?.allow ?? DEFAULT_TRACE_STATE_ALLOW,
      this.textTools.scanner,
    );
    this.baggage = new BaggageFilter(
      { allow: document.propagation?.baggage?.allow ?? [], hash: document.propagation?.baggage?.hash ?? [] },
      this.textTools,
    );
    this.resourceSanitizer = new AttributeRedactor(
      new AttributeRules(
        resolveRules(document.resource, own?.resource),
        'resource',
        tools.transforms,
        tools.keyScanner,
      ),
      tools,
    );
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      const block = mergeDocuments(document.attributes, document[signal]?.attributes);
      const ownBlock = own ? (mergeDocuments(own.attributes, own[signal]?.attributes) ?? {}) : undefined;
      this.signalSanitizers.set(
        signal,
        new AttributeRedactor(
          new AttributeRules(resolveRules(block, ownBlock), signal, tools.transforms, tools.keyScanner),
          tools,
        ),
      );
    }
  }

  /**
   * @internal Adopts the user groups (once, at load): their compiled policies take this policy's generation, so what
   * one of them sanitized is trusted exactly as long as this one is in effect.
   */
  adoptUserGroups(groups: UserGroupSelector, policies: Iterable<CompiledPolicy>): void {
    for (const g of policies) (g as { generation: number }).generation = this.generation;
    this.groups = groups;
  }

  /**
   * @internal The user groups (`userGroups`, `when[].userGroup`): the compiled policy per group, and the lookup from
   * an item's group attribute to it; undefined when no `when` block names a group (and on a group's own policy).
   */
  get userGroups(): UserGroupSelector | undefined {
    return this.groups;
  }

  /** The user-group attribute (`userGroups.attribute`), or undefined when no `when` block names a group. */
  get userGroupKey(): string | undefined {
    return this.groups?.attribute;
  }

  /**
   * The compiled policy for items of the user group `group` (any spelling: case and surrounding whitespace do not
   * matter; `base`: this one), or this one for none; undefined for a name no `when` block names.
   */
  forGroup(group: string | undefined): CompiledPolicy | undefined {
    if (group === undefined) return this;
    return this.groups === undefined ? undefined : this.groups.policyOfName(group);
  }

  /**
   * The compiled policy for an item with these attributes and no trace: its user group's (the strictest of several;
   * `userGroups.unknown`'s for a value no block names, counted in `counts[signal]` when given), else this one.
   * Without user groups: one field check.
   */
  forItem(
    attributes: Attributes | undefined,
    counts?: Record<Signal, number>,
    signal: Signal = 'traces',
  ): CompiledPolicy {
    const groups = this.groups;
    if (groups === undefined || attributes === undefined) return this;
    return groups.policy(groups.rankOf(attributes, counts ?? { traces: 0, metrics: 0, logs: 0 }, signal));
  }

  /**
   * The engine for attributes of `signal` emitted under the instrumentation scope `scopeName`:
   * the top-level `attributes`, then the signal's block, then every matching `scopes` block.
   */
  sanitizer(signal: Signal, scopeName?: string): AttributeRedactor {
    const base = this.signalSanitizers.get(signal)!;
    if (scopeName === undefined || this.scopeBlocks.length === 0) return base;
    // A name the application passed as something else (`getTracer(new String(…))`): its text, as it is exported;
    // one without text (an object, an array) is exported as a mask, which no `scopes` pattern names.
    if (typeof scopeName !== 'string') {
      scopeName = fieldText(scopeName);
      if (scopeName === undefined) return base;
    }
    let byName = this.scopeSanitizers.get(signal);
    if (byName === undefined) this.scopeSanitizers.set(signal, (byName = new Map()));
    let s = byName.get(scopeName);
    if (s !== undefined) return s;
    const matching = this.scopeBlocks.filter((b) => b.glob.match(scopeName) !== undefined);
    if (matching.length === 0) s = base;
    else {
      // Compiled once per combination of matching patterns, however many scope names share it.
      const label = `${signal} ${matching.map((m) => m.pattern).join(', ')}`;
      s = this.comboSanitizers.get(label);
      if (s === undefined) {
        let block = mergeDocuments(this.document.attributes, this.document[signal]?.attributes);
        for (const m of matching) block = mergeDocuments(block, m.rules);
        const own = this.own;
        let ownBlock = own ? (mergeDocuments(own.attributes, own[signal]?.attributes) ?? {}) : undefined;
        if (own) for (const m of matching) ownBlock = mergeDocuments(ownBlock, own.scopes?.[m.pattern]?.attributes);
        s = new AttributeRedactor(
          new AttributeRules(resolveRules(block, ownBlock), label, this.tools.transforms, this.tools.keyScanner),
          this.tools,
        );
        this.comboSanitizers.set(label, s);
      }
    }
    if (byName.size < MAX_SCOPES) byName.set(scopeName, s);
    return s;
  }

  /** Free text through the value scanner: the text to keep, or `undefined` when `values.action: drop` removes it. */
  scanText(text: string): string | undefined {
    const s = this.textTools.scanner;
    if (s === undefined) return text;
    const out = s(text, '');
    return out === DROPPED ? undefined : out;
  }

  /**
   * One string of a log body with `sanitizers.url.logBody` (see `RedactorTools.textUrls`): its URL-like words
   * through the URL sanitizer, the raw text scanned too when they changed (a finding in either is masked);
   * `undefined` when `values.action: drop` removes it. Text without URL-like words, or without the setting:
   * `text` itself (the engine scans it afterwards).
   */
  rewriteTextUrls(text: string): string | undefined {
    const rewrite = this.tools.textUrls;
    if (rewrite === undefined) return text;
    const out = rewrite(text);
    if (out === text || this.tools.scanTransformed === undefined) return out;
    const scanned = this.tools.scanTransformed(text, out, LOG_BODY_KEY);
    return scanned === DROPPED ? undefined : scanned;
  }

  /**
   * Free text of a name-like field (a span event's name, a log record's event name and severity text): its URL-like
   * words through the URL rules as in a log body (`sanitizers.url.logBody`, `rewriteTextUrls`), then the value
   * scanner; `undefined` when `values.action: drop` removes it.
   */
  scanNameText(text: string): string | undefined {
    if (this.tools.textUrls === undefined) return this.scanText(text);
    const rewritten = this.rewriteTextUrls(text);
    return rewritten === text ? this.scanText(text) : rewritten;
  }

  /**
   * A span name through `sanitizers.spanName`, the value scanner and the identifier-token templating (cached,
   * bounded).
   */
  redactSpanName(name: string, attributes?: Attributes): string {
    if (attributes !== undefined && this.tools.spanName !== undefined && this.tools.statementFamily !== undefined) {
      const system = attributes[DB_SYSTEM_KEYS[0]] ?? attributes[DB_SYSTEM_KEYS[1]];
      if (system !== undefined) return this.redactDbSpanName(name, this.tools.statementFamily(system));
    }
    let out = this.spanNames.get(name);
    if (out === undefined) {
      const n = this.tools.spanName ? this.tools.spanName(name) : name;
      out = this.scanRewritten(name, n);
      // identifier tokens after the scan (its masks name what it found; the tokens it did not read are templated)
      if (this.tools.spanNameTokens !== undefined) out = this.tools.spanNameTokens(out);
      if (this.spanNames.size >= MAX_CACHED_SPAN_NAMES) this.spanNames.clear();
      if (name.length <= 512) this.spanNames.set(name, out);
    }
    return out;
  }

  /**
   * A name a sanitizer rewrote (`rewritten`) through the value scanner, the raw name scanned too: the rewrite can
   * break a detector's context, and a finding in either is masked (a name the scanner drops becomes the mask).
   */
  private scanRewritten(raw: string, rewritten: string): string {
    const scanned =
      rewritten !== raw && this.textTools.scanTransformed
        ? this.textTools.scanTransformed(raw, rewritten, '')
        : undefined;
    if (scanned === undefined) return this.scanText(rewritten) ?? MASK;
    return scanned === DROPPED ? MASK : scanned;
  }

  /** `redactSpanName` for a database span whose system reads statements as `family`. */
  private redactDbSpanName(name: string, family: StatementFamily): string {
    let names = this.dbSpanNames.get(family);
    if (names === undefined) this.dbSpanNames.set(family, (names = new Map()));
    let out = names.get(name);
    if (out === undefined) {
      const statement = sanitizeStatementSpanName(name, family);
      out = statement !== undefined ? this.scanRewritten(name, statement) : this.redactSpanName(name);
      if (names.size >= MAX_CACHED_SPAN_NAMES) names.clear();
      if (name.length <= 512) names.set(name, out);
    }
    return out;
  }

  /** Every rule set compiled so far, with the signal and scope label it applies to. */
  ruleSets(): {
    readonly signal: Signal | 'resource';
    readonly sanitizer: AttributeRedactor;
    readonly scope?: string;
  }[] {
    const out: { signal: Signal | 'resource'; sanitizer: AttributeRedactor; scope?: string }[] = [
      { signal: 'resource', sanitizer: this.resourceSanitizer },
    ];
    for (const [signal, s] of this.signalSanitizers) out.push({ signal, sanitizer: s });
    for (const [signal, byName] of this.scopeSanitizers)
      for (const s of byName.values())
        out.push({ signal, sanitizer: s, scope: s.rules.label.slice(signal.length + 1) });
    return out;
  }
}

printOnlySummary(CompiledPolicy.prototype, 'CompiledPolicy', (c) => ({ name: c.name, hash: c.hash }));
