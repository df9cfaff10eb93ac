import { context as contextApi, createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/**
 * The context key under which `withConsentSubject` stores the subject identifier (read when the policy says
 * `consent.subject.context: true`). Process-local: it is never propagated.
 */
export const CONSENT_SUBJECT_KEY: symbol = createContextKey('otel-privacy consent subject');

/**
 * A context that names `subject` (a raw identifier such as a user id, or its pseudonym) as the data subject of
 * the work done in it, for `consent` gating with `subject.context: true`: spans started and log records emitted
 * in it are decided by the opt-out set. Nothing of it is propagated to other services.
 *
 * @example
 * ```ts fragment
 * context.with(withConsentSubject(context.active(), user.id), () => handle(request));
 * ```
 */
export function withConsentSubject(ctx: Context, subject: string | number): Context {
  if (typeof subject !== 'string' && typeof subject !== 'number')
    throw new TypeError('withConsentSubject: expected the subject identifier as a string or number');
  return (ctx ?? contextApi.active()).setValue(CONSENT_SUBJECT_KEY, String(subject));
}
