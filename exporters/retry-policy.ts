import { status } from '@grpc/grpc-js';
import { SecureExportConfigError } from './secure-export-config-error';
import type { SecureRetryOptions } from './secure-exporter-options';

/**
 * gRPC status codes after which an export is retried, as the OTLP specification lists them: the transient ones, where
 * the same request can succeed later; every other code fails at once (retrying a rejected request only repeats the
 * rejection). `RESOURCE_EXHAUSTED` is not among them: it is retried only when the receiver says recovery is possible
 * with a `google.rpc.RetryInfo` (see {@link isRetryableFailure}); without one it may be a permanent limit, such as a
 * message larger than the receiver accepts, which retrying (or replaying from the spool) would repeat forever.
 */
export const RETRYABLE_GRPC_CODES: ReadonlySet<number> = new Set([
  status.CANCELLED,
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.ABORTED,
  status.OUT_OF_RANGE,
  status.DATA_LOSS,
]);

/** True when `code` is one of {@link RETRYABLE_GRPC_CODES}. */
export function isRetryableCode(code: number): boolean {
  return RETRYABLE_GRPC_CODES.has(code);
}

/** True when a failed export may be retried: a retryable code, or `RESOURCE_EXHAUSTED` with a RetryInfo delay. */
export function isRetryableFailure(failure: { readonly code: number; readonly retryDelayMillis?: number }): boolean {
  return (
    RETRYABLE_GRPC_CODES.has(failure.code) ||
    (failure.code === status.RESOURCE_EXHAUSTED && failure.retryDelayMillis !== undefined)
  );
}

/** The name of a gRPC status code (`UNAVAILABLE`), or the number when unknown. */
export function grpcCodeName(code: number): string {
  return (status as unknown as Record<number, string>)[code] ?? String(code);
}

/** Validated retry settings. */
export interface RetryPolicy {
  readonly initialMillis: number;
  readonly maxMillis: number;
  readonly maxElapsedMillis: number;
  readonly multiplier: number;
}

/** Defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialMillis: 1000,
  maxMillis: 30_000,
  maxElapsedMillis: 300_000,
  multiplier: 2,
};

/** Applies defaults and validates retry options. */
export function resolveRetryPolicy(options: SecureRetryOptions | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(options ?? {}) };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0)
      throw new SecureExportConfigError(`retry.${name} must be a non-negative number`);
  }
  if (policy.initialMillis <= 0) throw new SecureExportConfigError('retry.initialMillis must be positive');
  if (policy.maxMillis < policy.initialMillis)
    throw new SecureExportConfigError('retry.maxMillis must be at least retry.initialMillis');
  if (policy.multiplier < 1) throw new SecureExportConfigError('retry.multiplier must be at least 1');
  return policy;
}

function stripUndefined(options: SecureRetryOptions): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<RetryPolicy>;
}

/**
 * Delay before retry number `attempt` (0-based): "full jitter", a uniformly random value between 0 and
 * `min(maxMillis, initialMillis * multiplier^attempt)`.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMillis, policy.initialMillis * policy.multiplier ** Math.min(attempt, 64));
  return Math.floor(random() * ceiling);
}

/**
 * Resolves after `millis`, or early when `signal` aborts; never rejects. Unless `keepAlive` is true the timer does not
 * keep the process alive.
 */
export function sleep(millis: number, signal?: AbortSignal, keepAlive = false): Promise<void> {
  if (millis <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, millis);
    if (!keepAlive) timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}
