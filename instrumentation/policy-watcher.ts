import { privacyDiag } from '../engine/diagnostic-text';
import { createHash } from 'node:crypto';
import { unwatchFile, watch, watchFile } from 'node:fs';
import { readRegularFile } from '../engine/read-regular-file';
import type { FSWatcher } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { PolicyAuditLog } from './audit-log';
import { loadPolicy, signedManifestOf } from '../policy/load-policy';
import type { Policy } from '../policy/policy';
import { SIGNATURE_SUFFIX } from '../policy/policy-signature';
import type { PolicyManifest } from '../policy/policy-signature';
import { policySignatureFromEnv } from './register-policy';
import type { KeyObject } from 'node:crypto';
import { watchOptOut } from './opt-out-watcher';

/** Options of `watchPolicy`. */
export interface PolicyWatcherOptions {
  /** The live policy (the one the processors use); a valid new version of the file replaces its rules via `replaceWith`. */
  readonly policy: Policy;
  /** Audit trail: a `PolicyAuditLog`, or a path to open one. The watcher records `load` at start, then every `reload` and `rejected`. */
  readonly audit?: PolicyAuditLog | string;
  /** Called after a new version took effect. */
  readonly onReload?: (policy: Policy) => void;
  /** Called when a new version was refused (the last good policy stays in effect). Default: one `diag.error` line. */
  readonly onError?: (error: Error) => void;
  /** Called with the number of entries after the opt-out filter (`consent.optOut.file`) was reloaded on its own. */
  readonly onOptOutReload?: (entries: number) => void;
  /** Quiet time after the last change before the file is read (editors write in steps). Default 100 ms. */
  readonly debounceMillis?: number;
  /**
   * An Ed25519 public key: each new version must come with a valid detached signature (`<path>.sig`) or it is refused
   * and the last good policy stays. The signature file is watched too (a signature written after the policy is picked up).
   */
  readonly publicKey?: KeyObject;
  /**
   * The name each new version's signed manifest must carry (`OTEL_PRIVACY_POLICY_IDENTITY`). Default: the name of
   * the manifest the live policy was loaded under, so a reload cannot switch to another service's signed policy.
   */
  readonly identity?: string;
  /** The serial state file (`OTEL_PRIVACY_POLICY_STATE`): a reload below its mark is refused, an accepted one raises it. */
  readonly stateFile?: string;
  /** Interval of the polling fallback (`fs.watchFile`), which also runs when `fs.watch` works (it misses events on some file systems). Default 1000 ms. */
  readonly pollIntervalMillis?: number;
}

/** A running policy watcher. */
export interface PolicyWatcher {
  /** Reads the file now (instead of waiting for a change event); resolves to what happened. */
  check(): 'reloaded' | 'rejected' | 'unchanged';
  /** Versions refused so far (invalid, unsigned or badly signed); each was reported once. */
  readonly rejections: number;
  /** Stops watching. */
  close(): void;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A file's content digest, or why it cannot be read. */
function digestOrReason(path: string): string {
  try {
    return sha256(readRegularFile(path).toString('utf8'));
  } catch (err) {
    return `missing:${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

/**
 * The files the manifest of the policy in effect (verified when it loaded) names that the policy watcher follows
 * itself (key files, recipient keys), resolved. The opt-out filter is followed by `watchOptOut`, which checks it
 * against the manifest on its own. Files named by a manifest that did not verify are never read.
 */
function signedFiles(file: string, manifest: PolicyManifest | undefined): string[] {
  return (manifest?.files ?? [])
    .filter((f) => !f.field.startsWith('consent.'))
    .map((f) => (isAbsolute(f.path) ? f.path : resolve(dirname(file), f.path)));
}

/**
 * The content digest of the policy file; when signatures are required, also of its signature file and of the files
 * the manifest in effect names (so a swapped key file is checked, and refused, at once, and a restored one is picked
 * up).
 */
function digestOf(file: string, signed: boolean, followed: Iterable<string>): string {
  const policy = sha256(readRegularFile(file).toString('utf8'));
  if (!signed) return policy;
  return [policy, digestOrReason(`${file}${SIGNATURE_SUFFIX}`), ...[...followed].map(digestOrReason)].join('/');
}

/**
 * Hot reload: watches the policy file at `path` and, when its content changes, loads
 * it with `loadPolicy`. A valid version replaces the rules of `options.policy` atomically for every
 * signal (`Policy.replaceWith`); an invalid one (syntax, schema, missing key…) keeps the last good
 * policy and is reported once per distinct content (`onError`, by default one `diag.error` line), and
 * the next valid save is picked up. Watching uses `fs.watch` on the file's folder (which survives
 * editors that replace the file) plus `fs.watchFile` polling as a fallback, debounced; the watchers
 * do not keep the process alive.
 *
 * With `publicKey` (`OTEL_PRIVACY_POLICY_PUBLIC_KEY` through `policyOperationsFromEnv`), a version whose signed
 * manifest (`<path>.sig`) does not verify, does not match the policy or a file it names, carries another identity or
 * a lower serial (rollback) is refused like an invalid one, counted in `rejections`. The key files and recipient keys
 * the manifest names are followed too: a change to one reloads the policy, so a swapped file is refused at once (and
 * a restored one picked up); the opt-out filter is checked against the manifest whenever it changes on its own.
 *
 * Every setting follows the file from the next item, except those the SDK fixes when a provider or reader
 * is built: `metrics.cardinalityLimit`, `metrics.exportIntervalMillis` and the instrumentation options
 * derived by `privacyInstrumentationConfig` (see docs/hot-reload.md). The opt-out filter of a `consent` section is
 * watched too (`watchOptOut`): a change to it takes effect without a policy reload.
 */
export function watchPolicy(path: string, options: PolicyWatcherOptions): PolicyWatcher {
  if (!options?.policy) throw new TypeError('watchPolicy: options.policy is required (the Policy the processors use)');
  const file = resolve(path);
  const policy = options.policy;
  const audit = typeof options.audit === 'string' ? new PolicyAuditLog(options.audit) : options.audit;
  const debounce = options.debounceMillis ?? 100;
  const report =
    options.onError ??
    ((err: Error) =>
      privacyDiag.error(
        `otel-privacy: policy reload rejected, keeping policy ${policy.hash}: ${err.message.replace(/\s*\n\s*/g, ' ')}`,
      ));

  const signed = options.publicKey !== undefined;
  const identity = signed ? (options.identity ?? signedManifestOf(policy)?.name) : undefined;
  let rejections = 0;
  let closed = false;
  let inEffect = signed ? signedManifestOf(policy) : undefined;
  let lastText: string | undefined;
  try {
    lastText = digestOf(file, signed, signedFiles(file, inEffect));
  } catch {
    lastText = undefined;
  }
  audit?.loaded(policy, path);

  // Referenced files of a signed policy are polled (they may live in other folders).
  const followed = new Set<string>();
  const follow = () => {
    if (!signed || closed) return;
    const now = new Set(signedFiles(file, inEffect));
    for (const f of followed) {
      if (now.has(f)) continue;
      unwatchFile(f, poll);
      followed.delete(f);
    }
    for (const f of now) {
      if (followed.has(f)) continue;
      watchFile(f, { persistent: false, interval: options.pollIntervalMillis ?? 1000 }, poll);
      followed.add(f);
    }
  };

  const check = (): 'reloaded' | 'rejected' | 'unchanged' => {
    follow();
    let digest: string;
    try {
      digest = digestOf(file, signed, followed);
    } catch (err) {
      // Mid-replace (the file is briefly missing): wait for the next event.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'unchanged';
      digest = `unreadable:${(err as Error).message}`;
    }
    if (digest === lastText) return 'unchanged';
    lastText = digest;
    const previous = policy.hash;
    let next: Policy;
    try {
      next = loadPolicy(file, { publicKey: options.publicKey, identity, stateFile: options.stateFile });
    } catch (err) {
      rejections++;
      const error = err instanceof Error ? err : new Error(String(err));
      audit?.rejected(error, previous, path);
      try {
        report(error);
      } catch {
        // a failing error handler must not stop the watcher
      }
      return 'rejected';
    }
    policy.replaceWith(next);
    if (signed) {
      inEffect = signedManifestOf(next);
      follow();
      // the files the new manifest names, as they were when it was accepted
      lastText = digestOf(file, signed, followed);
    }
    audit?.reloaded(policy, previous, path);
    try {
      options.onReload?.(policy);
    } catch {
      // the new policy is in effect either way
    }
    return 'reloaded';
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  function schedule(): void {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) check();
    }, debounce);
    timer.unref?.();
  }
  function poll(): void {
    schedule();
  }
  follow();

  let watcher: FSWatcher | undefined;
  try {
    const name = basename(file);
    const sigName = `${name}${SIGNATURE_SUFFIX}`;
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      const c = changed === null ? null : String(changed);
      if (c === null || c === name || (signed && c === sigName)) schedule();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = undefined;
    });
  } catch {
    watcher = undefined; // polling below still works
  }
  const interval = options.pollIntervalMillis ?? 1000;
  watchFile(file, { persistent: false, interval }, poll);
  if (signed) watchFile(`${file}${SIGNATURE_SUFFIX}`, { persistent: false, interval }, poll);
  // The opt-out filter (`consent.optOut.file`) is reloaded on its own changes, without reloading the policy.
  const optOut = watchOptOut(policy, {
    debounceMillis: debounce,
    pollIntervalMillis: options.pollIntervalMillis,
    onError: options.onError,
    onReload: options.onOptOutReload,
  });

  return {
    check: () => {
      const outcome = check();
      return outcome === 'unchanged' ? optOut.check() : outcome;
    },
    get rejections() {
      return rejections + optOut.rejections;
    },
    close() {
      closed = true;
      optOut.close();
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
      unwatchFile(file, poll);
      if (signed) unwatchFile(`${file}${SIGNATURE_SUFFIX}`, poll);
      for (const f of followed) unwatchFile(f, poll);
      followed.clear();
    },
  };
}

/** Environment switches read by `policyOperationsFromEnv`. */
export const POLICY_RELOAD_ENV = 'OTEL_PRIVACY_POLICY_RELOAD';
/** Path of the audit log (`OTEL_PRIVACY_AUDIT_LOG`). */
export const AUDIT_LOG_ENV = 'OTEL_PRIVACY_AUDIT_LOG';

/**
 * What the register hook calls after loading the policy from `path`: with `OTEL_PRIVACY_POLICY_RELOAD=true`
 * the file is watched (`watchPolicy`); with `OTEL_PRIVACY_AUDIT_LOG=<path>` loads, reloads and rejections
 * are recorded there (the start-up load also when reload is off). With reload off, a policy with a `consent` section
 * still gets its opt-out filter reloaded on change (`watchOptOut`). Returns the watcher, if one was started.
 */
export function policyOperationsFromEnv(
  path: string,
  policy: Policy,
  env: NodeJS.ProcessEnv = process.env,
  handlers: Pick<PolicyWatcherOptions, 'onReload' | 'onError'> & {
    /** Told the number of entries after the opt-out filter (`consent.optOut.file`) was reloaded. */
    readonly onOptOutReload?: (entries: number) => void;
  } = {},
): PolicyWatcher | undefined {
  const auditPath = env[AUDIT_LOG_ENV]?.trim();
  const audit = auditPath ? new PolicyAuditLog(auditPath) : undefined;
  const reload = env[POLICY_RELOAD_ENV]?.trim().toLowerCase();
  if (reload === 'true' || reload === '1')
    return watchPolicy(path, { policy, audit, ...policySignatureFromEnv(env), ...handlers });
  if (reload !== undefined && reload !== '' && reload !== 'false' && reload !== '0') {
    privacyDiag.warn(
      `otel-privacy: ${POLICY_RELOAD_ENV}=${JSON.stringify(env[POLICY_RELOAD_ENV])} is not true or false; the policy file is not watched`,
    );
  }
  audit?.loaded(policy, path);
  // Without policy reload, the opt-out filter of a `consent` section is still reloaded when its file changes.
  if (policy.compiled.consent !== undefined)
    return watchOptOut(policy, { onError: handlers.onError, onReload: handlers.onOptOutReload });
  return undefined;
}
