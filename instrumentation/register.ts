/**
 * `node --import otel-privacy/register app.mjs` / `node --require otel-privacy/register app.js`: zero-code
 * adoption. Registers the ES module loader hook that instrumentations need for `import`ed packages, then builds and
 * starts a `NodeSDK` in which every span, metric and log record goes through the privacy policy
 * (`OTEL_PRIVACY_POLICY`, or the built-in default) and leaves through the secure OTLP/gRPC exporters configured by the
 * standard `OTEL_*` variables. See `startPrivacySdk` for what is read and when nothing is started.
 */
import { isMainThread } from 'node:worker_threads';
import { registerEsmLoaderHook } from './esm-loader-hook';
import { envFlag } from './register-environment';
import { startPrivacySdk } from './start-privacy-sdk';

// Only the main thread starts anything: Node runs `--require` preloads again in its module-hooks thread (which
// `registerEsmLoaderHook` creates), and worker threads inherit `--require`/`--import`; each would start a second SDK
// with its own resource and service.instance.id. `startPrivacySdk` also refuses a second start in one thread (the
// CommonJS and ESM builds of this entry both run under `--require` plus `--import`).
if (isMainThread) {
  if (!envFlag(process.env, 'OTEL_SDK_DISABLED') && !process.env.OTEL_CONFIG_FILE?.trim()) registerEsmLoaderHook();
  startPrivacySdk();
}
