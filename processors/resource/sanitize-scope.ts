import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { AttributeRedactor } from '../../engine/attribute-redactor';
import { redactTextField } from '../../engine/otlp-fields';
import type { OtlpTextFieldId } from '../../engine/otlp-fields';
import type { Policy } from '../../policy/policy';
import type { Signal } from '../../policy/schema';

/** An instrumentation scope as the SDKs build it: scope attributes exist at run time (loggers take them). */
type RuntimeScope = InstrumentationScope & {
  readonly attributes?: Attributes;
  readonly droppedAttributesCount?: number;
};

/** The inventory id of a scope's `schema_url`, per signal (exported in `ScopeSpans`, `ScopeMetrics`, `ScopeLogs`). */
const SCOPE_SCHEMA_URL: Record<Signal, OtlpTextFieldId> = {
  traces: 'ScopeSpans.schema_url',
  metrics: 'ScopeMetrics.schema_url',
  logs: 'ScopeLogs.schema_url',
};

/**
 * Scopes this module produced → the rule set that produced them and the raw scope: sanitizing one again under the
 * same rules returns it unchanged; after a hot reload the raw scope is sanitized again.
 */
const produced = new WeakMap<
  InstrumentationScope,
  { readonly rules: AttributeRedactor; readonly raw: InstrumentationScope }
>();
/** Per compiled rule set (a hot reload replaces it, so this is the policy generation): raw scope → sanitized copy. */
const cache = new WeakMap<AttributeRedactor, WeakMap<InstrumentationScope, InstrumentationScope>>();

/**
 * The instrumentation scope of an item of `signal` as it may be exported: name, version and `schemaUrl` through
 * the value scanner (their class in the OTLP field inventory), attributes through the signal's rules for that
 * scope. The SDK's scope object is shared by every item of its tracer, meter or logger and is never mutated: the
 * sanitized copy is built once per (scope object, compiled rules) and returned for every later item, so exporters
 * that group items by scope identity still group them. A scope this function returned is passed through while its
 * rules are in effect. Throws when sanitizing fails (callers fail closed).
 */
export function sanitizeScope(policy: Policy, signal: Signal, scope: InstrumentationScope): InstrumentationScope {
  const origin = produced.get(scope);
  if (origin !== undefined) {
    if (origin.rules === policy.sanitizer(signal, origin.raw.name)) return scope;
    scope = origin.raw;
  }
  const rules = policy.sanitizer(signal, scope.name);
  let perRules = cache.get(rules);
  if (perRules === undefined) cache.set(rules, (perRules = new WeakMap()));
  let out = perRules.get(scope);
  if (out !== undefined) return out;
  const scan = (text: string): string | undefined => policy.scanText(text);
  const raw = scope as RuntimeScope;
  const copy: { -readonly [K in keyof RuntimeScope]: RuntimeScope[K] } = {
    name: redactTextField('InstrumentationScope.name', raw.name ?? '', scan) ?? '',
  };
  if (raw.version !== undefined) {
    const version = redactTextField('InstrumentationScope.version', raw.version, scan);
    if (version !== undefined) copy.version = version;
  }
  if (raw.schemaUrl !== undefined) {
    const url = redactTextField(SCOPE_SCHEMA_URL[signal], raw.schemaUrl, scan);
    if (url !== undefined) copy.schemaUrl = url;
  }
  if (raw.attributes !== undefined) {
    copy.attributes = rules.sanitize(raw.attributes);
    if (raw.droppedAttributesCount !== undefined) copy.droppedAttributesCount = raw.droppedAttributesCount;
  }
  out = copy;
  produced.set(out, { rules, raw: scope });
  perRules.set(scope, out);
  return out;
}
