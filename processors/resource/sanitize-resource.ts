import { diag } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type {
  DetectedResourceAttributes,
  Resource,
  ResourceDetectionConfig,
  ResourceDetector,
} from '@opentelemetry/resources';
import { DROPPED } from '../../engine/attribute-redactor';
import type { AttributeRedactor } from '../../engine/attribute-redactor';
import { redactSharedTextField } from '../../engine/otlp-fields';
import type { OtlpTextFieldId } from '../../engine/otlp-fields';
import type { Policy } from '../../policy/policy';

/** The resource attribute that names the policy which shaped the data (SPEC §4). */
export const POLICY_HASH_ATTRIBUTE = 'privacy.policy.hash';

/** A resource's `schemaUrl` is exported as the `schema_url` of each signal's resource message. */
const RESOURCE_SCHEMA_URL: readonly OtlpTextFieldId[] = [
  'ResourceSpans.schema_url',
  'ResourceMetrics.schema_url',
  'ResourceLogs.schema_url',
];

/**
 * Resources this module produced → the rule set that produced them and the raw resource they came from.
 * Sanitizing one again under the same rules returns it unchanged (no double hashing); after a hot reload
 * (`Policy.replaceWith`) the raw resource is sanitized again under the new rules.
 */
const produced = new WeakMap<Resource, { readonly rules: AttributeRedactor; readonly raw: Resource }>();
/**
 * Per compiled rule set (the resource sanitizer, which a hot reload replaces): raw resource →
 * sanitized resource, so each resource is sanitized once, not per item.
 */
const cache = new WeakMap<AttributeRedactor, WeakMap<Resource, Resource>>();
/**
 * Per policy: the values `privacyResourceDetector` already sanitized, by key. The SDK merges detector
 * output with other resources (defaults, `OTEL_RESOURCE_ATTRIBUTES`), so the provider's resource is
 * sanitized again; values found here are kept as they are instead of being hashed a second time.
 */
const detectedClean = new WeakMap<AttributeRedactor, Map<string, unknown>>();
/** Pending values `privacyResourceDetector` produced (they sanitize themselves when they settle). */
const cleanPending = new WeakSet<object>();

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Applies the resource rules to raw (possibly still pending) attribute values. */
function sanitizeDetected(
  sanitizer: AttributeRedactor,
  entries: Iterable<[string, unknown]>,
  clean?: Map<string, unknown>,
): DetectedResourceAttributes {
  const out: DetectedResourceAttributes = {};
  // A merged SDK resource lists the updating resource's entries first, and the first entry of a key
  // wins (as in `Resource.attributes`); later duplicates are ignored.
  const seen = new Set<string>();
  for (const [key, value] of entries) {
    if (value === undefined || seen.has(key)) continue;
    seen.add(key);
    if (
      (clean !== undefined && clean.has(key) && clean.get(key) === value) ||
      (isPromiseLike(value) && cleanPending.has(value))
    ) {
      out[key] = value as DetectedResourceAttributes[string];
      continue;
    }
    if (isPromiseLike(value)) {
      const decision = sanitizer.rules.decide(key);
      if (decision.action === 'drop') {
        decision.count++;
        // Never awaited: swallow a rejection so it cannot surface as unhandled.
        Promise.resolve(value).catch(() => undefined);
        continue;
      }
      // Settled values are sanitized once, when they arrive.
      out[key] = Promise.resolve(value).then((v) => {
        if (v === undefined) return undefined;
        const s = sanitizer.sanitizeValue(key, v);
        return s === DROPPED ? undefined : s;
      });
      continue;
    }
    const s = sanitizer.sanitizeValue(key, value);
    if (s !== DROPPED) out[key] = s;
  }
  return out;
}

/**
 * Applies the policy's `resource` rules to a resource, once: allowed attributes stay, identifiers
 * are pseudonymized, everything else is dropped, and `privacy.policy.hash` is added; `schemaUrl` goes through
 * the value scanner. Attributes still pending from async detectors are sanitized when they settle. The given resource is never mutated;
 * the result is cached per (rule set, resource), and a resource this function returned is passed through while
 * the rules that produced it are in effect (after a hot reload it is sanitized again from its raw origin).
 */
export function sanitizeResource(policy: Policy, resource: Resource): Resource {
  const sanitizer = policy.resourceSanitizer;
  const origin = produced.get(resource);
  if (origin !== undefined) {
    if (origin.rules === sanitizer) return resource;
    resource = origin.raw; // produced under rules a reload replaced: start again from the raw resource
  }
  let perRules = cache.get(sanitizer);
  if (perRules === undefined) cache.set(sanitizer, (perRules = new WeakMap()));
  let out = perRules.get(resource);
  if (out !== undefined) return out;
  let attributes: DetectedResourceAttributes;
  try {
    attributes = sanitizeDetected(sanitizer, resource.getRawAttributes(), detectedClean.get(sanitizer));
  } catch (err) {
    // Fail closed: a resource that cannot be sanitized keeps nothing but the policy hash.
    policy.counters.recordFailure('resource', 'resource attributes were dropped', err);
    attributes = {};
  }
  attributes[POLICY_HASH_ATTRIBUTE] = policy.hash;
  const raw = resource.schemaUrl;
  const schemaUrl =
    raw === undefined ? undefined : redactSharedTextField(RESOURCE_SCHEMA_URL, raw, (t) => policy.scanText(t));
  out = resourceFromAttributes(attributes, schemaUrl === undefined ? undefined : { schemaUrl });
  produced.set(out, { rules: sanitizer, raw: resource });
  perRules.set(resource, out);
  return out;
}

/** Records what the detector produced (async values once settled) so it is never sanitized twice. */
function rememberClean(policy: Policy, attributes: DetectedResourceAttributes): void {
  const rules = policy.resourceSanitizer;
  let clean = detectedClean.get(rules);
  if (clean === undefined) detectedClean.set(rules, (clean = new Map()));
  const known = clean;
  for (const [key, value] of Object.entries(attributes)) {
    if (isPromiseLike(value)) {
      cleanPending.add(value);
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
          diag.debug(`otel-privacy: resource detector failed: ${(err as Error).message}`);
        }
      }
      let attributes: DetectedResourceAttributes;
      try {
        attributes = sanitizeDetected(policy.resourceSanitizer, raw);
      } catch (err) {
        policy.counters.recordFailure('resource', 'detected resource attributes were dropped', err);
        attributes = {};
      }
      rememberClean(policy, attributes);
      attributes[POLICY_HASH_ATTRIBUTE] = policy.hash;
      return { attributes };
    },
  };
}
