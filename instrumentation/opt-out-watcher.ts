import { privacyDiag } from '../engine/diagnostic-text';
import { unwatchFile, watch, watchFile } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Policy } from '../policy/policy';

/** Options of `watchOptOut`. */
export interface OptOutWatcherOptions {
  /** Called after a changed opt-out filter took effect, with its number of entries. */
  readonly onReload?: (entries: number) => void;
  /** Called when a changed file was refused (the filter in effect stays). Default: one `diag.error` line. */
  readonly onError?: (error: Error) => void;
  /** Quiet time after the last change before the file is read. Default 100 ms. */
  readonly debounceMillis?: number;
  /** Interval of the polling fallback (`fs.watchFile`). Default 1000 ms. */
  readonly pollIntervalMillis?: number;
}

/** A running opt-out watcher. */
export interface OptOutWatcher {
  /** Reads the opt-out file now; resolves to what happened. */
  check(): 'reloaded' | 'rejected' | 'unchanged';
  /** Changed files refused so far (each distinct refusal was reported once). */
  readonly rejections: number;
  /** Stops watching. */
  close(): void;
}

/**
 * Reloads the opt-out filter of `policy` (`consent.optOut.file`) when the file changes, without a restart and
 * without reloading the policy: a valid new filter replaces the one in effect for the next item; an invalid one
 * (truncated, other key id, false-positive rate above the bound) is refused and the filter in effect stays (fail
 * safe: who opted out before still is). Follows the policy: after a hot reload the file the new policy names is
 * watched. Watching is `fs.watch` on the folder plus `fs.watchFile` polling, debounced; nothing keeps the process
 * alive. `watchPolicy` starts one of these itself.
 */
export function watchOptOut(policy: Policy, options: OptOutWatcherOptions = {}): OptOutWatcher {
  const debounce = options.debounceMillis ?? 100;
  const interval = options.pollIntervalMillis ?? 1000;
  const report =
    options.onError ??
    ((err: Error) =>
      privacyDiag.error(`otel-privacy: opt-out filter reload rejected, keeping the filter in effect: ${err.message}`));
  let file: string | undefined;
  let watcher: FSWatcher | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let lastError: string | undefined;
  let rejections = 0;

  const check = (): 'reloaded' | 'rejected' | 'unchanged' => {
    const set = policy.compiled.consent?.optOut;
    if (set === undefined) return 'unchanged';
    try {
      const outcome = set.reload();
      lastError = undefined;
      if (outcome === 'reloaded') options.onReload?.(set.size);
      return outcome;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      // Mid-replace (briefly missing) is not worth a report; a refused content is reported once.
      if (/ENOENT/.test(error.message)) return 'unchanged';
      if (error.message !== lastError) {
        rejections++;
        lastError = error.message;
        try {
          report(error);
        } catch {
          // a failing handler must not stop the watcher
        }
      }
      return 'rejected';
    }
  };
  const schedule = () => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) check();
    }, debounce);
    timer.unref?.();
  };
  const stop = () => {
    watcher?.close();
    watcher = undefined;
    if (file !== undefined) unwatchFile(file, schedule);
    file = undefined;
  };
  const follow = () => {
    const next = policy.compiled.consent?.optOut.file;
    if (next === file || closed) return;
    stop();
    file = next;
    if (file === undefined) return;
    const name = basename(file);
    try {
      watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        if (changed === null || String(changed) === name) schedule();
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined; // polling still works
    }
    watchFile(file, { persistent: false, interval }, schedule);
  };
  follow();
  const unsubscribe = policy.onReplace(follow);
  return {
    check,
    get rejections() {
      return rejections;
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe();
      stop();
    },
  };
}
