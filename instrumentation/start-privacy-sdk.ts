import { diagnosticText } from '../engine/diagnostic-text';
import { isMainThread } from 'node:worker_threads';
import { ConsoleLogRecordExporter, BatchLogRecordProcessor, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { IMetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { createSecureExporters } from '../exporters/secure-exporters';
import type { SecureExporters } from '../exporters/secure-exporters';
import type { Policy } from '../policy/policy';
import { PrivacyMetricReader } from '../processors/metrics/privacy-metric-reader';
import { loadInstrumentations } from './load-instrumentations';
import { loadOptionalModule } from './optional-module';
import { registerPrivacySelfMetrics } from './privacy-self-metrics';
import {
  batchOptions,
  envFlag,
  envInteger,
  exporterNames,
  nonGrpcProtocols,
  secureExporterOptions,
} from './register-environment';
import type { Environment } from './register-environment';
import { policyOperationsFromEnv } from './policy-watcher';
import { propagatorFromEnvironment } from './privacy-propagator';
import { loadRegisterPolicy } from './register-policy';
import { sharedMetricExporter } from './shared-metric-exporter';
import { shutdownOnSignals } from './shutdown-on-signals';
import { buildPrivacySdkConfig } from './with-privacy';

/** Options of {@link startPrivacySdk} (all default to the real process). */
export interface StartPrivacySdkOptions {
  /** Environment to read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the application's packages are resolved from (default `process.cwd()`). */
  readonly cwd?: string;
  /** Receives one-line notices (default: written to stderr with the `otel-privacy:` prefix). */
  readonly notice?: (line: string) => void;
  /** Install SIGTERM/SIGINT/beforeExit flushing (default true). */
  readonly handleSignals?: boolean;
}

/** A pipeline started by {@link startPrivacySdk}. */
export interface RunningPrivacySdk {
  /** The policy in force. */
  readonly policy: Policy;
  /** The started SDK. */
  readonly sdk: NodeSDK;
  /** The secure exporters, when any signal exports over OTLP. */
  readonly exporters: SecureExporters | undefined;
  /** Flushes every signal (including the self-metrics) and shuts everything down, once. */
  shutdown(): Promise<void>;
}

const writeNotice = (line: string): void => {
  process.stderr.write(`otel-privacy: ${line}\n`);
};

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// One SDK per process: the ESM and CommonJS bundles of this package are separate module instances (`--require` and
// `--import` together load both), so the running SDK is kept on a process-global symbol, not in module state.
const RUNNING = Symbol.for('otel-privacy.running-sdk');
type GlobalSlot = { [RUNNING]?: RunningPrivacySdk };

/**
 * What `otel-privacy/register` does: builds and starts a `NodeSDK` in which every signal goes through the
 * privacy policy, from the standard `OTEL_*` variables plus `OTEL_PRIVACY_*`, and whose global propagator is a
 * `PrivacyPropagator` around the propagators `OTEL_PROPAGATORS` names (default W3C trace context and baggage).
 * Returns `undefined`, after a one-line notice saying why, when it starts nothing: `OTEL_SDK_DISABLED=true`
 * (silently), `OTEL_CONFIG_FILE` set (the SDK's file configuration would drop the privacy processors), a policy or
 * exporter configuration error, or no `@opentelemetry/sdk-node`. The application itself always keeps running.
 *
 * At most one SDK runs per process: a second call while one is running returns the running one (after a notice), and
 * nothing is started outside the main thread (Node's module-hooks thread re-runs `--require` preloads, and worker
 * threads inherit `--require`/`--import`), so a process has one resource and one `service.instance.id`.
 */
export function startPrivacySdk(options: StartPrivacySdkOptions = {}): RunningPrivacySdk | undefined {
  const env = options.env ?? process.env;
  // every notice through diagnosticText: notices quote environment variables and errors
  const write = options.notice ?? writeNotice;
  const notice = (line: string): void => write(diagnosticText(line));
  if (envFlag(env, 'OTEL_SDK_DISABLED')) return undefined;
  if (!isMainThread) {
    notice('not started in a worker thread: one SDK per process, started on the main thread');
    return undefined;
  }
  const slot = globalThis as GlobalSlot;
  const running = slot[RUNNING];
  if (running) {
    notice(`already started in this process (policy ${running.policy.hash}); not starting a second SDK`);
    return running;
  }
  if (env.OTEL_CONFIG_FILE?.trim()) {
    notice(
      `refusing to start: OTEL_CONFIG_FILE is set (${env.OTEL_CONFIG_FILE.trim()}), and the SDK's file configuration ignores programmatic processors, so ` +
        'telemetry would leave unsanitized; unset OTEL_CONFIG_FILE and configure through OTEL_* variables and OTEL_PRIVACY_POLICY (telemetry is off)',
    );
    return undefined;
  }
  try {
    const started = start(env, options.cwd ?? process.cwd(), notice, options.handleSignals ?? true, () => {
      if (slot[RUNNING] === started) delete slot[RUNNING];
    });
    if (started) slot[RUNNING] = started;
    return started;
  } catch (err) {
    notice(`not started (telemetry is off): ${errorMessage(err)}`);
    return undefined;
  }
}

function start(
  env: Environment,
  cwd: string,
  notice: (line: string) => void,
  handleSignals: boolean,
  released: () => void,
): RunningPrivacySdk | undefined {
  const sdkNode = loadOptionalModule<{ NodeSDK: new (config: object) => NodeSDK }>('@opentelemetry/sdk-node', cwd);
  if (!sdkNode) throw new Error('@opentelemetry/sdk-node is not installed (npm install @opentelemetry/sdk-node)');
  const policy = loadRegisterPolicy(env, notice);

  const traces = exporterNames(env, 'traces');
  const metrics = exporterNames(env, 'metrics');
  const logs = exporterNames(env, 'logs');
  const usesOtlp = [...traces, ...metrics, ...logs].includes('otlp');
  const ignoredProtocols = nonGrpcProtocols(env);
  if (usesOtlp && ignoredProtocols.length > 0)
    notice(`${ignoredProtocols.join(', ')} ignored: the secure exporters speak OTLP/gRPC only`);
  const exporters = usesOtlp ? createSecureExporters(secureExporterOptions(env)) : undefined;
  const exportIntervalMillis = envInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL');

  const spanProcessors: SpanProcessor[] = [];
  for (const name of traces) {
    if (name === 'otlp')
      spanProcessors.push(new BatchSpanProcessor({ exporter: exporters!.traces, ...batchOptions(env, 'OTEL_BSP') }));
    else spanProcessors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
  }
  const metricReaders: IMetricReader[] = [];
  const pushExporters: PushMetricExporter[] = [];
  for (const name of metrics) {
    if (name === 'prometheus') {
      const prometheus = loadOptionalModule<{ PrometheusExporter: new (config: object) => IMetricReader }>(
        '@opentelemetry/exporter-prometheus',
        cwd,
      );
      if (!prometheus)
        throw new Error(
          'OTEL_METRICS_EXPORTER=prometheus needs @opentelemetry/exporter-prometheus (npm install @opentelemetry/exporter-prometheus)',
        );
      const port = envInteger(env, 'OTEL_EXPORTER_PROMETHEUS_PORT');
      metricReaders.push(
        new prometheus.PrometheusExporter({
          host: env.OTEL_EXPORTER_PROMETHEUS_HOST,
          ...(port !== undefined ? { port } : {}),
        }),
      );
      continue;
    }
    const exporter = name === 'otlp' ? exporters!.metrics : new ConsoleMetricExporter();
    pushExporters.push(exporter);
    metricReaders.push(
      new PrivacyMetricReader({
        policy,
        exporter: sharedMetricExporter(exporter),
        ...(exportIntervalMillis !== undefined ? { exportIntervalMillis } : {}),
      }),
    );
  }
  const logRecordProcessors: LogRecordProcessor[] = [];
  for (const name of logs) {
    if (name === 'otlp')
      logRecordProcessors.push(
        new BatchLogRecordProcessor({ exporter: exporters!.logs, ...batchOptions(env, 'OTEL_BLRP') }),
      );
    else logRecordProcessors.push(new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }));
  }

  let loaded: ReturnType<typeof loadInstrumentations>;
  try {
    loaded = loadInstrumentations(policy, env, cwd);
  } catch (err) {
    notice(`${errorMessage(err)}; starting without instrumentations`);
    loaded = { instrumentations: [], description: 'none (see above)' };
  }

  const parts = buildPrivacySdkConfig(
    {
      spanProcessors,
      metricReaders,
      logRecordProcessors,
      instrumentations: loaded.instrumentations,
      // OTEL_PROPAGATORS (default W3C trace context + baggage), wrapped in a PrivacyPropagator by the config builder
      textMapPropagator: propagatorFromEnvironment(env, cwd, notice),
    },
    { policy },
  );
  const sdk = new sdkNode.NodeSDK(parts.config);
  sdk.start();

  // The self-metrics get their own provider on the same exporter and resource: the privacy views would strip their
  // (fixed-vocabulary) attributes, and their numbers must not be merged away by the policy.
  let selfProvider: MeterProvider | undefined;
  let unregisterSelf: (() => void) | undefined;
  if (pushExporters.length > 0 && !(env.OTEL_PRIVACY_SELF_METRICS?.trim().toLowerCase() === 'false')) {
    const interval = (metricReaders.find((r) => r instanceof PrivacyMetricReader) as PrivacyMetricReader | undefined)
      ?.exportIntervalMillis;
    selfProvider = new MeterProvider({
      resource: parts.resource,
      readers: pushExporters.map(
        (exporter) =>
          new PeriodicExportingMetricReader({
            exporter: sharedMetricExporter(exporter),
            ...(interval !== undefined ? { exportIntervalMillis: interval } : {}),
          }),
      ),
    });
    unregisterSelf = registerPrivacySelfMetrics({
      policy,
      meterProvider: selfProvider,
      exporters,
      samplers: parts.sampler ? [parts.sampler] : [],
      logProcessors: parts.logProcessor ? [parts.logProcessor] : [],
    });
  }

  // Leak alarms (alarms.leak) print where the other notices go.
  policy.onLeakWarning((line) => notice(line));

  const describe = (names: string[]) => (names.length === 0 ? 'none' : names.join('+'));
  notice(
    `started: policy ${policy.name ?? '(unnamed)'} ${policy.hash}; traces ${describe(traces)}, metrics ${describe(metrics)}, logs ${describe(logs)}; ` +
      `instrumentations: ${loaded.description}`,
  );

  // Hot reload and the audit trail (OTEL_PRIVACY_POLICY_RELOAD, OTEL_PRIVACY_AUDIT_LOG) for a policy file.
  const policyPath = env.OTEL_PRIVACY_POLICY?.trim();
  const watcher = policyPath
    ? policyOperationsFromEnv(policyPath, policy, env as NodeJS.ProcessEnv, {
        onReload: (p) => notice(`policy reloaded: ${p.name ?? '(unnamed)'} ${p.hash}`),
        onError: (err) =>
          notice(`policy reload rejected, keeping policy ${policy.hash}: ${err.message.replace(/\s*\n\s*/g, ' ')}`),
        onOptOutReload: (entries) => notice(`opt-out filter reloaded: ${entries} entries`),
      })
    : undefined;

  const shutdown = async (): Promise<void> => {
    released();
    watcher?.close();
    // the exporters' shutdown timeout covers the SDK's final flush too, so the whole shutdown ends within it
    exporters?.startShutdownClock();
    await sdk.shutdown();
    if (selfProvider) await selfProvider.shutdown();
    unregisterSelf?.();
    // the metric exporters were shared by two readers; close them (and the secure channel) last
    await Promise.all(pushExporters.map((e) => e.shutdown()));
    if (exporters) await exporters.shutdown();
  };
  const run = handleSignals
    ? shutdownOnSignals(shutdown, (err) => notice(`shutdown failed: ${errorMessage(err)}`))
    : shutdown;
  return { policy, sdk, exporters, shutdown: run };
}
