// ES module entry of the consumer smoke test: import 'otel-privacy' resolves the package's ESM build.
import * as privacy from 'otel-privacy';
import * as sdkTrace from '@opentelemetry/sdk-trace';
import * as sdkMetrics from '@opentelemetry/sdk-metrics';
import * as sdkLogs from '@opentelemetry/sdk-logs';
import * as resources from '@opentelemetry/resources';
import smoke from './smoke-core.cjs';

if (typeof privacy.definePolicy !== 'function') throw new Error('ESM build of otel-privacy has no definePolicy export');
await smoke({ privacy, sdkTrace, sdkMetrics, sdkLogs, resources, mode: 'esm' });
