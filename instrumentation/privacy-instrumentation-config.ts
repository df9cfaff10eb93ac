import type { Policy } from '../policy/policy';
import { isGlob } from '../engine/glob-list';
import { DEFAULT_PERSONAL_PARAMS, DEFAULT_SENSITIVE_PARAMS } from '../engine/sanitizers/url-sanitizer';

/** Instrumentation options keyed by instrumentation package name, the shape `getNodeAutoInstrumentations()` takes. */
export type InstrumentationConfigMap = Record<string, Record<string, unknown>>;

const REQUEST_HEADER = 'http.request.header.';
const RESPONSE_HEADER = 'http.response.header.';

/** Header names (lowercase) whose span attribute `<prefix><name>` the policy keeps in some form (not dropped). */
function keptHeaders(policy: Policy, prefix: string): string[] {
  const rules = policy.sanitizer('traces').rules;
  const { allow, hash, encrypt, generalize } = rules.spec;
  const candidates = [...allow, ...hash, ...encrypt, ...Object.keys(generalize)];
  const out = new Set<string>();
  for (const pattern of candidates) {
    if (!pattern.startsWith(prefix)) continue;
    const name = pattern.slice(prefix.length);
    // Only literal header names can be captured; a glob such as `http.request.header.*` would mean "capture
    // everything", which is exactly what keeping data out at the source avoids.
    if (name.length === 0 || isGlob(name)) continue;
    if (rules.decide(pattern).action !== 'drop') out.add(name.toLowerCase());
  }
  return [...out];
}

/** A function that always returns the same value, for serializer options. */
function commandNameOnly(cmdName: string): string {
  return cmdName;
}

/**
 * Instrumentation options that keep personal data out **at the source**, derived from a policy, keyed by
 * instrumentation package name — pass the whole object to `getNodeAutoInstrumentations()`, or the entry for one
 * package to its constructor (`new HttpInstrumentation(privacyInstrumentationConfig(policy)['@opentelemetry/instrumentation-http'])`).
 * The policy still sanitizes everything that is recorded; these options make sure some of it is never recorded:
 *
 * - `@opentelemetry/instrumentation-http` and `-undici`: headers are captured only when the policy names the header
 *   attribute literally and does not drop it (`http.request.header.x-request-id` in `allow`/`hash`/`encrypt`);
 *   `redactedQueryParams` / `redactedQueryParamsServer` are the semantic conventions' signed-URL parameters, the
 *   built-in credential and personal parameters and the policy's `sanitizers.url.sensitiveParams`, each as written
 *   and in camelCase (the instrumentation replaces their values with `REDACTED` before the
 *   URL is ever an attribute).
 * - `@opentelemetry/instrumentation-pg`, `-mongodb`, `-mongoose`, `-graphql`: parameter values and query documents are
 *   not recorded (`enhancedDatabaseReporting: false`, `allowValues: false`).
 * - `@opentelemetry/instrumentation-mysql2`: statements masked (`maskStatement: true`).
 * - `@opentelemetry/instrumentation-redis`, `-ioredis`: the statement is the command name only, never its arguments.
 *
 * Options the user sets explicitly should win: merge these *under* your own (`{ ...privacy[pkg], ...mine }`).
 */
export function privacyInstrumentationConfig(policy: Policy): InstrumentationConfigMap {
  if (!policy)
    throw new TypeError('privacyInstrumentationConfig: a policy is required (loadPolicy/definePolicy/defaultPolicy)');
  const requestHeaders = keptHeaders(policy, REQUEST_HEADER);
  const responseHeaders = keptHeaders(policy, RESPONSE_HEADER);
  const headers = { requestHeaders, responseHeaders };
  // The instrumentation compares names exactly: each name as written and in camelCase (`access_token`, `accessToken`).
  const names = [
    ...DEFAULT_SENSITIVE_PARAMS,
    ...DEFAULT_PERSONAL_PARAMS,
    ...policy.compiled.sanitizers.sensitiveParams,
  ];
  const sensitive = [
    ...new Set(names.flatMap((n) => [n, n.replace(/[_-]+([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase())])),
  ];
  return {
    '@opentelemetry/instrumentation-http': {
      headersToSpanAttributes: { client: headers, server: headers },
      redactedQueryParams: sensitive,
      redactedQueryParamsServer: sensitive,
    },
    '@opentelemetry/instrumentation-undici': {
      headersToSpanAttributes: headers,
    },
    '@opentelemetry/instrumentation-pg': { enhancedDatabaseReporting: false },
    '@opentelemetry/instrumentation-mongodb': { enhancedDatabaseReporting: false },
    '@opentelemetry/instrumentation-mongoose': { enhancedDatabaseReporting: false },
    '@opentelemetry/instrumentation-graphql': { allowValues: false },
    '@opentelemetry/instrumentation-mysql2': { maskStatement: true },
    '@opentelemetry/instrumentation-redis': { dbStatementSerializer: commandNameOnly },
    '@opentelemetry/instrumentation-ioredis': { dbStatementSerializer: commandNameOnly },
  };
}
