import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { SANITIZED_UNDER, sanitizedUnder } from '../../engine/sanitized-mark';
import type { MaybeMarked } from '../../engine/sanitized-mark';
import { redactTextField } from '../../engine/otlp-fields';
import { asFieldText } from '../../engine/otlp-field-types';
import { MASK } from '../../engine/attribute-redactor';
import { redactDottedName } from './redact-dotted-name';
import { maskHomeDirectories } from '../../engine/home-directory';
import type { OtlpTextFieldId } from '../../engine/otlp-fields';
import type { Policy } from '../../policy/policy';
import type { CompiledPolicy } from '../../policy/compiled-policy';
import type { Signal } from '../../policy/schema';
import { deepFreeze } from '../../engine/deep-freeze';

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

/** On a scope this module produced (which carries the sanitized mark): the raw scope and the signal it is for. */
const RAW_ORIGIN: unique symbol = Symbol('otel-privacy.raw-scope');
const FOR_SIGNAL: unique symbol = Symbol('otel-privacy.scope-signal');
/** On a scope this module produced: the compiled policy (the base one, or a user group's) whose rules made it. */
const FOR_COMPILED: unique symbol = Symbol('otel-privacy.scope-compiled');
/** On a raw scope: its sanitized forms, most recent first (one per compiled policy and signal; a few are kept). */
const SANITIZED_FORMS: unique symbol = Symbol('otel-privacy.sanitized-scope-forms');
const MAX_FORMS = 8;

interface ProducedScope extends MaybeMarked {
  [RAW_ORIGIN]?: InstrumentationScope;
  [FOR_SIGNAL]?: Signal;
  [FOR_COMPILED]?: CompiledPolicy;
}
interface RawScope {
  [SANITIZED_FORMS]?: InstrumentationScope[];
}

/** Whether `scope` is a form this module produced for `signal` under `compiled` (its generation and group). */
function isFormFor(scope: InstrumentationScope, compiled: CompiledPolicy, signal: Signal): boolean {
  const p = scope as ProducedScope;
  return sanitizedUnder(scope) === compiled.generation && p[FOR_SIGNAL] === signal && p[FOR_COMPILED] === compiled;
}

/** Defines a property that no exporter, `Object.keys`, `JSON.stringify` or deep equality sees. */
function hidden(target: object, key: symbol, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * The instrumentation scope of an item of `signal` as it may be exported: name, version and `schemaUrl` through
 * the value scanner (their class in the OTLP field inventory), attributes through the signal's rules for that
 * scope. The SDK's scope object is shared by every item of its tracer, meter or logger and is never mutated: the
 * sanitized copy is built once per (scope object, compiled rules) and returned for every later item, so exporters
 * that group items by scope identity still group them. A scope this function returned is passed through while its
 * rules are in effect. Throws when sanitizing fails (callers fail closed).
 *
 * With user groups (`userGroups`), `compiled` is the item's group's compiled policy: the scope's attributes get that
 * group's rules for the scope (one sanitized copy per scope, signal and group).
 */
export function sanitizeScope(
  policy: Policy,
  signal: Signal,
  scope: InstrumentationScope,
  compiled: CompiledPolicy = policy.compiled,
): InstrumentationScope {
  const generation = compiled.generation;
  if (sanitizedUnder(scope) !== undefined) {
    if (isFormFor(scope, compiled, signal)) return scope;
    // Produced under a retired generation (or for another signal): start again from the raw scope.
    scope = (scope as ProducedScope)[RAW_ORIGIN] ?? scope;
  }
  const forms = (scope as RawScope)[SANITIZED_FORMS];
  if (forms !== undefined)
    for (let i = 0; i < forms.length; i++) if (isFormFor(forms[i]!, compiled, signal)) return forms[i]!;
  const rules = compiled.sanitizer(signal, scope.name);
  const scan = (text: string): string | undefined => compiled.scanText(text);
  const raw = scope as RuntimeScope;
  // Name, version and schema URL the application passed as something other than a string: their text, or (objects,
  // arrays) a mask for the name and nothing for the others; counted (`engine/otlp-field-types.ts`).
  const counts = policy.counters.invalidFields;
  const copy: { -readonly [K in keyof RuntimeScope]: RuntimeScope[K] } = {
    // A tracer named after its file (`__filename`, `import.meta.url`) names the user whose home directory holds it.
    name: maskHomeDirectories(
      redactDottedName('InstrumentationScope.name', asFieldText(raw.name ?? '', counts, signal, MASK), scan) ?? '',
    ),
  };
  const rawVersion = raw.version === undefined ? undefined : asFieldText(raw.version, counts, signal, undefined);
  if (rawVersion !== undefined) {
    const version = redactDottedName('InstrumentationScope.version', rawVersion, scan);
    if (version !== undefined) copy.version = version;
  }
  const rawUrl = raw.schemaUrl === undefined ? undefined : asFieldText(raw.schemaUrl, counts, signal, undefined);
  if (rawUrl !== undefined) {
    const url = redactTextField(SCOPE_SCHEMA_URL[signal], rawUrl, scan);
    if (url !== undefined) copy.schemaUrl = url;
  }
  if (raw.attributes !== undefined) {
    copy.attributes = rules.sanitize(raw.attributes);
    if (raw.droppedAttributesCount !== undefined) copy.droppedAttributesCount = raw.droppedAttributesCount;
  }
  hidden(copy, SANITIZED_UNDER, generation);
  hidden(copy, RAW_ORIGIN, scope);
  hidden(copy, FOR_SIGNAL, signal);
  hidden(copy, FOR_COMPILED, compiled);
  // Shared by every item of the scope and reachable through each SDK span: frozen (attributes too), so a write into
  // one span's `instrumentationScope` cannot change what is exported.
  deepFreeze(copy);
  if (forms !== undefined) {
    forms.unshift(copy);
    if (forms.length > MAX_FORMS) forms.length = MAX_FORMS;
  } else if (Object.isExtensible(scope)) hidden(scope, SANITIZED_FORMS, [copy]);
  return copy;
}
