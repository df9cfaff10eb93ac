import { context as contextApi, createContextKey, trace } from '@opentelemetry/api';
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

/**
 * For an item that starts a new trace (a span with `root: true`, or a span or log record given a context without a
 * span) while another context is active: the active context, i.e. the request the new trace is started in
 * (`root: true` takes the parent span out of the context the processors see, not out of the active one). Its trace
 * and subject decide the new trace too: work started in an opted-out subject's request is that subject's, whatever
 * trace it starts (an over-drop at worst, the safe side). `undefined` for an item inside a trace, or when the item's
 * context is the active one.
 */
export function enclosingContext(itemContext: Context | undefined): Context | undefined {
  if (itemContext !== undefined) {
    const sc = trace.getSpanContext(itemContext);
    if (sc !== undefined && trace.isSpanContextValid(sc)) return undefined;
  }
  const active = contextApi.active();
  return active === itemContext ? undefined : active;
}
