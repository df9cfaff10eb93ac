import { Document } from 'yaml';
import type { YAMLMap, YAMLSeq, Scalar } from 'yaml';
import type { ResolvedAttributeRules } from '../engine/attribute-rules';
import { isGlob } from '../engine/glob-list';
import type { Policy } from '../policy/policy';
import type { Signal } from '../policy/schema';
import {
  ENCRYPTION_DATA_KEY_ATTRIBUTE,
  LOG_BODY_KEY,
  POLICY_HASH_ATTRIBUTE,
  STATUS_MESSAGE_KEY,
} from '../engine/vocabulary';
import { DEFAULT_PERSONAL_PARAMS, DEFAULT_SENSITIVE_PARAMS } from '../engine/sanitizers/url-sanitizer';
import { COLLECTOR_DETECTOR_PATTERNS } from './collector-detector-patterns';

/** The Collector configuration fragment and what it could not express. */
export interface CollectorConfig {
  /** The YAML text, with a comment for every rule the Collector cannot express. */
  readonly yaml: string;
  /** The processors, in the order they belong in a pipeline, per signal. */
  readonly pipelines: Readonly<Record<Signal, readonly string[]>>;
  /** Every rule not (or only approximately) expressed, one line each. */
  readonly notExpressed: readonly string[];
}

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];
const STATEMENTS: Record<Signal, string> = {
  traces: 'trace_statements',
  metrics: 'metric_statements',
  logs: 'log_statements',
};
const CONTEXTS: Record<Signal, readonly string[]> = {
  traces: ['span', 'spanevent'],
  metrics: ['datapoint'],
  logs: ['log'],
};

/** Escapes text for a Go regular expression. */
function reEscape(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** Expands `{a,b}` alternatives (not nested) so more globs become simple. */
function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m || !m[1]!.includes(',')) return [glob];
  return m[1]!
    .split(',')
    .flatMap((alt) => expandBraces(glob.slice(0, m.index) + alt + glob.slice(m.index + m[0].length)));
}

/** A glob as a Go regular expression body, or undefined when it uses features RE2 translation does not cover (extglobs). */
function globToRe(glob: string): string | undefined {
  const parts: string[] = [];
  for (const g of expandBraces(glob)) {
    if (/[!+@()]/.test(g) || /[{}]/.test(g)) return undefined;
    let re = '';
    for (let i = 0; i < g.length; i++) {
      const c = g[i]!;
      if (c === '*') {
        while (g[i + 1] === '*') i++;
        re += '.*';
      } else if (c === '?') re += '.';
      else if (c === '[') {
        const end = g.indexOf(']', i + 1);
        if (end === -1) return undefined;
        re += g.slice(i, end + 1).replace(/^\[!/, '[^');
        i = end;
      } else re += reEscape(c);
    }
    parts.push(re);
  }
  return parts.join('|');
}

/** One anchored regex for a list of globs; the globs it could not translate are returned apart. */
function anchored(globs: readonly string[]): { re?: string; untranslated: string[] } {
  const res: string[] = [];
  const untranslated: string[] = [];
  for (const g of [...new Set(globs)]) {
    const r = globToRe(g);
    if (r === undefined) untranslated.push(g);
    else res.push(r);
  }
  return { re: res.length > 0 ? `^(?:${res.join('|')})$` : undefined, untranslated };
}

/** An OTTL string literal. */
function ottl(text: string): string {
  return JSON.stringify(text);
}

interface ProcessorDraft {
  config: Record<string, unknown>;
  notes: string[];
}

/**
 * Builds an OpenTelemetry Collector configuration fragment that enforces a policy's rules at a gateway:
 *
 * - `transform/otel-privacy` (OTTL): resource rules; attribute `drop` rules; the allowlist when it uses
 *   globs (`keep_matching_keys`); keys the Collector cannot encrypt or generalize removed; status messages.
 * - `redaction/otel-privacy-hash[-signal]`: `hash` keys through `hash_function: hmac-sha256` (key from an
 *   environment variable, never inline); values already pseudonymized by the SDK pass (`allowed_values`).
 * - `redaction/otel-privacy[-signal]`: `allowed_keys` (exact allowlists), `blocked_values` from the value
 *   detectors and sensitive URL parameters, `url_sanitizer`, `db_sanitizer`.
 *
 * Where the Collector cannot do what the engine does, the fragment errs on the side of removing data and
 * says so in a YAML comment (`NOT EXPRESSED: …`); `notExpressed` lists the same lines.
 */
export function buildCollectorConfig(policy: Policy, sourceName: string): CollectorConfig {
  const compiled = policy.compiled;
  const notExpressed: string[] = [];
  const hmac = compiled.keys.hmac;
  const keyEnv = hmac?.env ?? 'OTEL_PRIVACY_HMAC_KEY';
  const pseudonym = hmac ? `^${reEscape(hmac.id)}:[A-Za-z0-9_-]{22}$` : undefined;

  // ---- transform: resource rules and key rules per signal
  const transformNotes: string[] = [];
  const note = (list: string[], text: string) => {
    list.push(text);
    notExpressed.push(text);
  };
  const resource = policy.resourceSanitizer.rules.spec;
  const resourceStatements: string[] = [];
  {
    const drop = anchored([...resource.drop, ...resource.encrypt, ...Object.keys(resource.generalize)]);
    if (resource.encrypt.length)
      note(
        transformNotes,
        `resource.encrypt ${JSON.stringify(resource.encrypt)}: the Collector cannot encrypt; these resource attributes are removed`,
      );
    if (Object.keys(resource.generalize).length)
      note(
        transformNotes,
        `resource.generalize ${JSON.stringify(Object.keys(resource.generalize))}: not generalized by the Collector; removed`,
      );
    const hashExact = resource.hash.filter((k) => !isGlob(k));
    const hashGlobs = resource.hash.filter((k) => isGlob(k));
    const dropAlso = anchored(hashGlobs);
    if (hashGlobs.length)
      note(
        transformNotes,
        `resource.hash ${JSON.stringify(hashGlobs)}: OTTL has no keyed hash; these resource attributes are removed`,
      );
    if (drop.re) resourceStatements.push(`delete_matching_keys(attributes, ${ottl(drop.re)})`);
    if (dropAlso.re) resourceStatements.push(`delete_matching_keys(attributes, ${ottl(dropAlso.re)})`);
    for (const u of [...drop.untranslated, ...dropAlso.untranslated])
      note(
        transformNotes,
        `resource glob ${JSON.stringify(u)} cannot be translated to a regular expression; NOT removed by the Collector`,
      );
    for (const k of hashExact) {
      const cond = pseudonym ? ` and not IsMatch(attributes[${ottl(k)}], ${ottl(pseudonym)})` : '';
      resourceStatements.push(`delete_key(attributes, ${ottl(k)}) where attributes[${ottl(k)}] != nil${cond}`);
    }
    if (hashExact.length)
      note(
        transformNotes,
        `resource.hash ${JSON.stringify(hashExact)}: OTTL has no keyed hash; values the SDK already pseudonymized (${hmac?.id ?? '<keyId>'}:…) pass, raw values are removed`,
      );
    // With public-key field encryption the SDK adds the wrapped data key the recipient needs to decrypt.
    const dataKey = compiled.keys.encryption?.recipient !== undefined ? [ENCRYPTION_DATA_KEY_ATTRIBUTE] : [];
    const keep = anchored([...resource.allow, ...resource.hash, POLICY_HASH_ATTRIBUTE, ...dataKey]);
    if (resource.default !== 'drop')
      note(
        transformNotes,
        `resource default: ${resource.default}: the Collector cannot ${resource.default} unnamed keys; they are removed`,
      );
    if (keep.re) resourceStatements.push(`keep_matching_keys(attributes, ${ottl(keep.re)})`);
    for (const u of keep.untranslated)
      note(
        transformNotes,
        `resource allow glob ${JSON.stringify(u)} cannot be translated; matching attributes are removed`,
      );
    resourceStatements.push(
      `set(attributes[${ottl(POLICY_HASH_ATTRIBUTE)}], ${ottl(policy.hash)}) where attributes[${ottl(POLICY_HASH_ATTRIBUTE)}] == nil`,
    );
  }

  const transform: Record<string, unknown> = { error_mode: 'propagate' };
  const redactions = new Map<string, { draft: ProcessorDraft; signals: Signal[] }>();
  const hashers = new Map<string, { draft: ProcessorDraft; signals: Signal[] }>();
  const perSignal: Record<Signal, { hasher?: string; redaction: string }> = {} as never;
  const urlCfg = compiled.sanitizers.url;
  // Statement keys (`sanitizers.statements`, and `sanitizers.sql`, its older name).
  const statementKeys = compiled.sanitizers.statementKeys;

  for (const signal of SIGNALS) {
    const spec: ResolvedAttributeRules = policy.sanitizer(signal).rules.spec;
    const statements: string[] = [];
    const removeKeys = [...spec.drop, ...spec.encrypt, ...Object.keys(spec.generalize)];
    if (spec.encrypt.length)
      note(
        transformNotes,
        `${signal}: encrypt ${JSON.stringify(spec.encrypt)}: the Collector cannot encrypt; these attributes are removed`,
      );
    if (Object.keys(spec.generalize).length)
      note(
        transformNotes,
        `${signal}: generalize ${JSON.stringify(spec.generalize)}: not generalized by the Collector; these attributes are removed`,
      );
    const drop = anchored(removeKeys);
    if (drop.re) statements.push(`delete_matching_keys(attributes, ${ottl(drop.re)})`);
    for (const u of drop.untranslated)
      note(
        transformNotes,
        `${signal}: drop glob ${JSON.stringify(u)} cannot be translated to a regular expression; NOT removed unless the allowlist drops it`,
      );
    const kept = [...spec.allow, ...spec.hash];
    const exactAllow = kept.every((k) => !isGlob(k));
    if (spec.default !== 'drop')
      note(
        transformNotes,
        `${signal}: default: ${spec.default}: the Collector cannot ${spec.default} unnamed keys; they are removed`,
      );
    if (!exactAllow) {
      const keep = anchored(kept);
      statements.push(
        keep.re ? `keep_matching_keys(attributes, ${ottl(keep.re)})` : `delete_matching_keys(attributes, ".*")`,
      );
      for (const u of keep.untranslated)
        note(
          transformNotes,
          `${signal}: allow/hash glob ${JSON.stringify(u)} cannot be translated; matching attributes are removed`,
        );
    }
    const contexts = CONTEXTS[signal].map((context) => ({ context, statements: [...statements] }));
    if (signal === 'traces' && policy.sanitizer('traces').rules.decide(STATUS_MESSAGE_KEY).action !== 'allow') {
      contexts[0]!.statements.push('set(status.message, "") where status.message != ""');
    }
    if (signal === 'logs') {
      if (compiled.logs.body === 'drop') contexts[0]!.statements.push('set(body, "")');
      else
        note(
          transformNotes,
          `logs.body: scan: the Collector applies blocked_values and the URL/DB sanitizers to log bodies, but does not decide structured bodies key by key as ${LOG_BODY_KEY}.* rules`,
        );
    }
    transform[STATEMENTS[signal]] = [
      { context: 'resource', statements: [...resourceStatements] },
      ...contexts.filter((c) => c.statements.length > 0),
    ];
    if (signal === 'traces')
      note(
        transformNotes,
        'traces: span link attributes are not covered by these rules (OTTL has no link context here)',
      );

    // ---- redaction processors
    const hashKeys = spec.hash;
    let hasher: string | undefined;
    if (hashKeys.length > 0) {
      const hashRe = anchored(hashKeys);
      const config: Record<string, unknown> = {
        allow_all_keys: true,
        ...(hashRe.re ? { blocked_key_patterns: [hashRe.re] } : {}),
        ...(pseudonym ? { allowed_values: [pseudonym] } : {}),
        hash_function: 'hmac-sha256',
        hmac_key: `\${env:${keyEnv}}`,
        summary: 'silent',
      };
      const notes = [
        `hash ${JSON.stringify(hashKeys)}: the Collector's HMAC-SHA256 output is not the SDK's "${hmac?.id ?? '<keyId>'}:<base64url>" pseudonym, so gateway pseudonyms do not join with SDK ones; values the SDK already pseudonymized pass unchanged (allowed_values)`,
      ];
      notExpressed.push(`${signal}: ${notes[0]}`);
      hasher = remember(hashers, { config, notes }, signal);
    }
    const redaction: Record<string, unknown> = {};
    if (exactAllow) {
      redaction.allow_all_keys = false;
      redaction.allowed_keys = [...new Set(kept)].sort();
    } else redaction.allow_all_keys = true;
    const notes: string[] = [];
    if (hashKeys.length > 0) {
      const exact = hashKeys.filter((k) => !isGlob(k));
      const globs = anchored(hashKeys.filter((k) => isGlob(k)));
      if (exact.length) redaction.ignored_keys = [...new Set(exact)].sort();
      if (globs.re) redaction.ignored_key_patterns = [globs.re];
    }
    const blocked: string[] = [];
    const values = compiled.values;
    if (values) {
      for (const name of values.detectors) {
        const p = COLLECTOR_DETECTOR_PATTERNS[name];
        if (p.pattern) blocked.push(p.pattern);
        if (p.note) notes.push(`detector ${name}: ${p.pattern ? 'approximated' : 'NOT EXPRESSED'}: ${p.note}`);
      }
      for (const c of values.custom) blocked.push(c.pattern);
      if (values.custom.length)
        notes.push('custom patterns are copied as written; they must also be valid Go (RE2) regular expressions');
      notes.push(`values.mask ${JSON.stringify(values.mask)}: the Collector masks matches with asterisks`);
      if (values.action === 'hash') notes.push('values.action: hash: NOT EXPRESSED; matches are masked');
      if (values.action === 'drop')
        notes.push('values.action: drop: NOT EXPRESSED; matches are masked, the attribute is kept');
      notes.push('value detectors do not run on span names, event names or log bodies in the Collector');
      if (values.masks && Object.keys(values.masks).length)
        notes.push('values.masks: NOT EXPRESSED (the Collector masks every match with asterisks)');
      if (values.allow.length) {
        redaction.allowed_values = values.allow.map((e) => (typeof e === 'string' ? reEscape(e) : e.pattern));
        notes.push(
          'values.allow: the Collector exempts a whole value an allowed pattern matches, not each occurrence inside it',
        );
      }
      // Only keys the rules keep: the Collector keeps an ignored key whatever else it is configured to do.
      const ignore = values.ignoreKeys.filter(
        (k) => !isGlob(k) && policy.sanitizer(signal).rules.decide(k).action === 'allow',
      );
      if (ignore.length)
        redaction.ignored_keys = [
          ...new Set([...((redaction.ignored_keys as string[] | undefined) ?? []), ...ignore]),
        ].sort();
      if (values.ignoreKeys.length > ignore.length)
        notes.push('values.ignoreKeys globs and keys the rules do not allow: NOT EXPRESSED (scanned in the Collector)');
      notes.push(
        'value detectors on attribute keys, bytes values and values split across array elements: NOT EXPRESSED (the Collector scans string values only)',
      );
      if (values.scanNumbers)
        notes.push('values.scanNumbers: NOT EXPRESSED (numbers are not matched against blocked_values)');
    }
    if (urlCfg?.attributes?.length) {
      // Names as the engine compares them: any case, with or without `_`/`-`/`.` between words.
      const params = [
        ...new Set(
          [...DEFAULT_SENSITIVE_PARAMS, ...DEFAULT_PERSONAL_PARAMS, ...(urlCfg.sensitiveParams ?? [])].map((n) =>
            n
              .split(/[_.-]+/)
              .map(reEscape)
              .join('[_.-]?'),
          ),
        ),
      ];
      blocked.push(`(?i)[?&;](?:${params.join('|')})=[^&#;\\s]*`);
      if (!blocked.includes(COLLECTOR_DETECTOR_PATTERNS['url-credentials'].pattern!))
        blocked.push(COLLECTOR_DETECTOR_PATTERNS['url-credentials'].pattern!);
      const exact = urlCfg.attributes.filter((k) => !isGlob(k));
      redaction.url_sanitizer = {
        enabled: true,
        attributes: exact,
        ...(compiled.sanitizers.spanName ? { sanitize_span_name: true } : {}),
      };
      notes.push(
        'url sanitizer: the Collector replaces path segments it does not read as words and removes the query and fragment of the URL attributes; userinfo and sensitive query parameters elsewhere are masked through blocked_values above',
      );
      if (urlCfg.keepParams.length)
        notes.push(
          `sanitizers.url.params.keep ${JSON.stringify(urlCfg.keepParams)}: NOT EXPRESSED (the Collector removes kept parameters' values with the rest of the query)`,
        );
      if (exact.length < urlCfg.attributes.length)
        notes.push('sanitizers.url.attributes globs: NOT EXPRESSED (the Collector takes exact keys)');
    }
    if (statementKeys.length) {
      const exact = statementKeys.filter((k) => !isGlob(k));
      // The Collector picks the obfuscator by db.system; one per family the engine knows.
      const family = { enabled: true, attributes: exact };
      redaction.db_sanitizer = {
        sql: family,
        redis: family,
        valkey: family,
        memcached: family,
        mongo: family,
        opensearch: family,
        es: family,
        ...(compiled.sanitizers.spanName ? { sanitize_span_name: true } : {}),
      };
      notes.push(
        'statement sanitizers: the Collector leaves statements of unknown systems and Cassandra CQL as they are (no strict fallback)',
      );
      if (exact.length < statementKeys.length)
        notes.push('sanitizers.statements.attributes globs: NOT EXPRESSED (the Collector takes exact keys)');
    }
    if (blocked.length) redaction.blocked_values = [...new Set(blocked)];
    redaction.summary = 'silent';
    const name = remember(redactions, { config: redaction, notes }, signal);
    perSignal[signal] = { hasher, redaction: name };
  }
  for (const n of new Set([...redactions.values()].flatMap((r) => r.draft.notes))) notExpressed.push(n);
  if (compiled.scopePatterns.length)
    note(
      transformNotes,
      `scopes ${JSON.stringify(compiled.scopePatterns)}: per-scope rules are not applied; the signal rules apply to every scope`,
    );
  if (
    Object.keys(compiled.traces.sampling).length > 0 ||
    compiled.logs.filters ||
    compiled.metrics.kAnonymity !== undefined
  ) {
    notExpressed.push(
      "sampling, logs.minSeverity and metrics.kAnonymity are not part of this fragment (use the Collector's sampling/filter processors)",
    );
  }

  // ---- name the processors and assemble
  const processors: Record<string, unknown> = { 'transform/otel-privacy': transform };
  const comments = new Map<string, string[]>([['transform/otel-privacy', transformNotes]]);
  const naming = (base: string, map: Map<string, { draft: ProcessorDraft; signals: Signal[] }>) => {
    const out = new Map<string, string>();
    for (const [id, { draft, signals }] of map) {
      const name = map.size === 1 ? base : `${base}-${signals.join('-')}`;
      processors[name] = draft.config;
      comments.set(name, draft.notes);
      out.set(id, name);
    }
    return out;
  };
  const hasherNames = naming('redaction/otel-privacy-hash', hashers);
  const redactionNames = naming('redaction/otel-privacy', redactions);
  const pipelines = Object.fromEntries(
    SIGNALS.map((s) => [
      s,
      [
        'transform/otel-privacy',
        ...(perSignal[s].hasher ? [hasherNames.get(perSignal[s].hasher!)!] : []),
        redactionNames.get(perSignal[s].redaction)!,
      ],
    ]),
  ) as Record<Signal, string[]>;

  const yamlDoc = new Document({ processors });
  yamlDoc.commentBefore = [
    ` OpenTelemetry Collector processors generated by \`otel-privacy collector-config\` from ${sourceName}`,
    ` (policy ${policy.name ? `${policy.name}, ` : ''}hash ${policy.hash}). Put them first in each pipeline, in this order:`,
    ...SIGNALS.map((s) => `   ${s}: processors: [${pipelines[s].join(', ')}, ...]`),
    ' Requires otelcol-contrib with the transform and redaction processors (redaction: hash_function hmac-sha256,',
    ` url_sanitizer, db_sanitizer); the HMAC key is read from \${env:${keyEnv}} on the Collector host.`,
    ' Rules the Collector cannot express are listed as "NOT EXPRESSED" comments; where it cannot do what the',
    ' SDK does, this configuration removes the data rather than letting it through.',
  ].join('\n');
  const procNode = yamlDoc.get('processors', true) as YAMLMap;
  for (const item of procNode.items) {
    const key = item.key as Scalar;
    const n = comments.get(String(key.value));
    if (n && n.length)
      key.commentBefore = n
        .map((t) => ` ${t.includes('NOT EXPRESSED') || t.includes('approximated') ? '' : 'NOT EXPRESSED: '}${t}`)
        .join('\n');
  }
  // Label the statements so the mapping is readable.
  for (const s of SIGNALS) {
    const seq = yamlDoc.getIn(['processors', 'transform/otel-privacy', STATEMENTS[s]], true) as YAMLSeq | undefined;
    if (seq?.items[0]) (seq.items[0] as YAMLMap).commentBefore = ' resource rules (resource: block)';
  }
  return { yaml: yamlDoc.toString({ lineWidth: 0 }), pipelines, notExpressed: [...new Set(notExpressed)] };
}

/** Stores a processor draft, shared by signals whose configuration is identical; returns its id. */
function remember(
  map: Map<string, { draft: ProcessorDraft; signals: Signal[] }>,
  draft: ProcessorDraft,
  signal: Signal,
): string {
  const id = JSON.stringify(draft.config);
  const hit = map.get(id);
  if (hit) hit.signals.push(signal);
  else map.set(id, { draft, signals: [signal] });
  return id;
}
