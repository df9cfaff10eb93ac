/** How long the flush on a signal may take before the process goes on terminating anyway. */
export const SHUTDOWN_GRACE_MILLIS = 15_000;

/**
 * Flushes and shuts the pipeline down once, when the process receives SIGTERM or SIGINT or its event loop runs empty
 * (`beforeExit`). On a signal, after the flush (bounded by {@link SHUTDOWN_GRACE_MILLIS}), the signal's default action
 * is restored and the signal raised again, so the process terminates as it would have, unless the application has
 * its own listener for that signal, which then decides. Returns the function that runs the shutdown.
 */
export function shutdownOnSignals(shutdown: () => Promise<void>, onError: (err: unknown) => void): () => Promise<void> {
  let done: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    done ??= new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SHUTDOWN_GRACE_MILLIS);
      timer.unref();
      shutdown().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          clearTimeout(timer);
          onError(err);
          resolve();
        },
      );
    });
    return done;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const handler = (): void => {
      void flush().then(() => {
        process.removeListener(signal, handler);
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    process.on(signal, handler);
  }
  process.once('beforeExit', () => void flush());
  return flush;
}
