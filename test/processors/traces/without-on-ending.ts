import type { SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * `inner` as the provider sees it on an SDK before 2.9 (or behind a wrapper that does not forward `onEnding`): only
 * `onStart` and `onEnd` reach it, so it sanitizes a copy at the end. `inner` itself when `withOnEnding`.
 */
export function withoutOnEnding(inner: SpanProcessor, withOnEnding = false): SpanProcessor {
  if (withOnEnding) return inner;
  return {
    onStart: (s, c) => inner.onStart(s, c),
    onEnd: (s) => inner.onEnd(s),
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}
