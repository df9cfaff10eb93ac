import { errorMessageOf } from '../../engine/privacy-counters';
import { privacyDiag } from '../../engine/diagnostic-text';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type {
  DetectedResourceAttributes,
  Resource,
  ResourceDetectionConfig,
  ResourceDetector,
} from '@opentelemetry/resources';
import { DROPPED } from '../../engine/attribute-redactor';
import { markSanitized, sanitizedUnder } from '../../engine/sanitized-mark';
import { ENCRYPTION_DATA_KEY_ATTRIBUTE, POLICY_HASH_ATTRIBUTE } from '../../engine/vocabulary';
import type { CompiledPolicy } from '../../policy/compiled-policy';
import { redactSharedTextField } from '../../engine/otlp-fields';
import { asFieldText } from '../../engine/otlp-field-types';
import { maskHomeDirectories } from '../../engine/home-directory';
import type { OtlpTextFieldId } from '../../engine/otlp-fields';
import type { Policy } from '../../policy/policy';
import { deepFreeze } from '../../engine/deep-freeze';

export { POLICY_HASH_ATTRIBUTE };

/** On a resource this module produced (which carries the mark): the raw resource it was produced from. */
const RAW_ORIGIN: unique symbol = Symbol('otel-privacy.raw-origin');
/** A resource's `schemaUrl` is exported as the `schema_url` of each signal's resource message. */
const RESOURCE_SCHEMA_URL: readonly OtlpTextFieldId[] = [
  'ResourceSpans.schema_url',
  'ResourceMetrics.schema_url',
  'ResourceLogs.schema_url',
];
/**
 * On a raw resource: its sanitized forms (each carrying the mark of the generation that produced it), most
 * recent first, so each resource is sanitized once per compiled policy, not per item. A few are kept for
 * providers of one resource run under different policies (one per signal).
 */
const SANITIZED_FORMS: unique symbol = Symbol('otel-privacy.sanitized-forms');
const MAX_FORMS = 4;

interface ProducedResource extends Resource {
  [RAW_ORIGIN]?: Resource;
}
interface RawResource extends Resource {
  [SANITIZED_FORMS]?: Resource[];
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * A kept string value with the user names of home-directory paths written `{user}`: the SDK names a service without
 * a configured name `unknown_service:<argv0>`, the full path of the node binary when it was started by path (under
 * the user's home directory with nvm or volta).
 */
function withoutHomeDirectories(value: unknown): DetectedResourceAttributes[string] {
  return (typeof value === 'string' ? maskHomeDirectories(value) : value) as DetectedResourceAttributes[string];
}

/** Applies the resource rules to raw (possibly still pending) attribute values. */
function sanitizeDetected(
  compiled: CompiledPolicy,
  entries: Iterable<[string, unknown]>,
  clean?: ReadonlyMap<string, unknown>,
): DetectedResourceAttributes {
  const sanitizer = compiled.resourceSanitizer;
  const out: DetectedResourceAttributes = {};
  // A merged SDK resource lists the updating resource's entries first, and the first entry of a key
  // wins (as in `Resource.attributes`); later duplicates are ignored.
  const seen = new Set<string>();
  for (const [key, value] of entries) {
    if (value === undefined || seen.has(key)) continue;
    seen.add(key);
    // A value the detector wrapper produced (known once settled; `value` is never undefined here).
    if (clean?.get(key) === value) {
      out[key] = value as DetectedResourceAttributes[string];
      continue;
    }
    if (isPromiseLike(value)) {
      const decision = sanitizer.rules.decide(key);
      if (decision.action === 'drop') {
        sanitizer.countDropped(decision);
        // Never awaited: swallow a rejection so it cannot surface as unhandled.
        Promise.resolve(value).catch(() => undefined);
        continue;
      }
      // Settled values are sanitized once, when they arrive.
      out[key] = Promise.resolve(value).then((v) => {
        if (v === undefined) return undefined;
        // What the detector wrapper produced, settled (the SDK holds its own promise wrapping the detector's, so
        // only the value can tell): sanitizing it again would hash a pseudonym.
        if (clean?.get(key) === v) return v;
        const s = sanitizer.sanitizeValue(key, v);
        return s === DROPPED ? undefined : withoutHomeDirectories(s);
      });
      continue;
    }
    const s = sanitizer.sanitizeValue(key, value);
    if (s !== DROPPED) out[key] = withoutHomeDirectories(s);
  }
  return out;
}

/**
 * Applies the policy's `resource` rules to a resource, once: allowed attributes stay, identifiers
 * are pseudonymized, everything else is dropped, and `privacy.policy.hash` is added (and, with public-key field
 * encryption, `privacy.encryption.data_key`); `schemaUrl` goes through the value scanner. Attributes still
 * pending from async detectors are sanitized when they settle. The given resource's attributes are never
 * changed (it only carries, under a symbol of the library's own, its sanitized forms: one per compiled policy,
 * so each resource is sanitized once, not per item). A resource this function returned carries the sanitized
 * mark of its generation and is passed through while that generation is in effect; after a hot reload it is
 * sanitized again from its raw origin.
 */
export function sanitizeResource(policy: Policy, resource: Resource): Resource {
  const compiled = policy.compiled;
  const generation = compiled.generation;
  const mark = sanitizedUnder(resource);
  if (mark !== undefined) {
    if (mark === generation) return resource;
    // Produced under a generation a reload retired: start again from the raw resource.
    resource = (resource as ProducedResource)[RAW_ORIGIN] ?? resource;
  }
  const forms = (resource as RawResource)[SANITIZED_FORMS];
  if (forms !== undefined)
    for (let i = 0; i < forms.length; i++) if (sanitizedUnder(forms[i]!) === generation) return forms[i]!;
  let attributes: DetectedResourceAttributes;
  try {
    attributes = sanitizeDetected(compiled, resource.getRawAttributes(), compiled.resourceValuesProduced);
  } catch (err) {
    // Fail closed: a resource that cannot be sanitized keeps nothing but the policy hash.
    policy.counters.recordFailure('resource', 'resource attributes were dropped', err);
    attributes = {};
  }
  attributes[POLICY_HASH_ATTRIBUTE] = compiled.hash;
  addDataKey(compiled, attributes);
  // A schema URL that is not a string: its text, or nothing (counted; `engine/otlp-field-types.ts`).
  const rawUrl =
    resource.schemaUrl === undefined
      ? undefined
      : asFieldText(resource.schemaUrl as unknown, policy.counters.invalidFields, 'resource', undefined);
  const schemaUrl =
    rawUrl === undefined ? undefined : redactSharedTextField(RESOURCE_SCHEMA_URL, rawUrl, (t) => compiled.scanText(t));
  const out: ProducedResource = resourceFromAttributes(attributes, schemaUrl === undefined ? undefined : { schemaUrl });
  // Not enumerable: exporters and debug output that print the resource (`util.inspect`, `{ ...resource }`) must not
  // reach the raw attributes through it.
  Object.defineProperty(out, RAW_ORIGIN, { value: resource, writable: true, configurable: true, enumerable: false });
  markSanitized(out, generation);
  // Shared by every item of the process and reachable through each SDK span: frozen, so a write into one span's
  // `resource.attributes` cannot change what the others export (while async attributes are pending, the SDK builds
  // the object anew on each read, so there is none to freeze yet).
  if (!out.asyncAttributesPending) deepFreeze(out.attributes);
  if (forms !== undefined) {
    forms.unshift(out);
    if (forms.length > MAX_FORMS) forms.length = MAX_FORMS;
  } else if (Object.isExtensible(resource)) (resource as RawResource)[SANITIZED_FORMS] = [out];
  return out;
}

/** With public-key field encryption: the wrapped data key, so the recipient can decrypt this process's tokens. */
function addDataKey(compiled: CompiledPolicy, attributes: DetectedResourceAttributes): void {
  const wrapped = compiled.tools.encryptor?.wrappedDataKey;
  if (wrapped !== undefined) attributes[ENCRYPTION_DATA_KEY_ATTRIBUTE] = wrapped;
}

/**
 * Records what the detector produced, by key (async values once settled, before any later reader of the promise
 * sees them), so it is never sanitized twice.
 */
function rememberClean(compiled: CompiledPolicy, attributes: DetectedResourceAttributes): void {
  const known = compiled.resourceValuesProduced;
  for (const [key, value] of Object.entries(attributes)) {
    if (isPromiseLike(value)) {
      Promise.resolve(value).then(
        (v) => {
          if (v !== undefined) known.set(key, v);
        },
        () => undefined,
      );
    } else if (value !== undefined) known.set(key, value);
  }
}

/**
 * Wraps resource detectors so that what they detect is sanitized by the policy's `resource` rules
 * before the SDK ever sees it (async attributes once settled), and adds `privacy.policy.hash`.
 * Pass the result as the only entry of `resourceDetectors`.
 */
export function privacyResourceDetector(policy: Policy, detectors: readonly ResourceDetector[]): ResourceDetector {
  return {
    detect(config?: ResourceDetectionConfig) {
      const raw = new Map<string, unknown>();
      for (const detector of detectors) {
        try {
          for (const [k, v] of Object.entries(detector.detect(config).attributes ?? {})) raw.set(k, v);
        } catch (err) {
          privacyDiag.debug(`otel-privacy: resource detector failed: ${errorMessageOf(err)}`);
        }
      }
      const compiled = policy.compiled;
      let attributes: DetectedResourceAttributes;
      try {
        attributes = sanitizeDetected(compiled, raw);
      } catch (err) {
        policy.counters.recordFailure('resource', 'detected resource attributes were dropped', err);
        attributes = {};
      }
      rememberClean(compiled, attributes);
      attributes[POLICY_HASH_ATTRIBUTE] = compiled.hash;
      addDataKey(compiled, attributes);
      return { attributes };
    },
  };
}
