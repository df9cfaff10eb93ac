import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as api1 from '@opentelemetry/api';
import * as logs3 from '@opentelemetry/sdk-logs';
import * as metrics3 from '@opentelemetry/sdk-metrics';
import * as resources3 from '@opentelemetry/resources';
import * as trace3 from '@opentelemetry/sdk-trace';
import { loadPeer } from '../../helpers/peers';

/** One OpenTelemetry JS SDK line: its packages, typed as the dev install's (3.x) for brevity. */
export interface SdkLine {
  /** 'SDK 3.x' or 'SDK 2.x'. */
  readonly name: string;
  /** The major version of the line's stable SDK packages. */
  readonly major: number;
  /** The line's `@opentelemetry/api` (1.10 with 3.x, 1.9 with 2.x). */
  readonly api: () => typeof api1;
  readonly trace: () => typeof trace3;
  readonly logs: () => typeof logs3;
  readonly metrics: () => typeof metrics3;
  readonly resources: () => typeof resources3;
}

/**
 * The SDK lines the package supports: 3.x from the dev install, 2.x from `test/peers/` (installed on first use). Tests
 * of code that relies on SDK internals run on both, since a private field can change in any release of either.
 */
export const SDK_LINES: readonly SdkLine[] = [
  {
    name: 'SDK 3.x',
    major: 3,
    api: () => api1,
    trace: () => trace3,
    logs: () => logs3,
    metrics: () => metrics3,
    resources: () => resources3,
  },
  {
    name: 'SDK 2.x',
    major: 2,
    api: () => loadPeer('@opentelemetry/api'),
    trace: () => loadPeer('@opentelemetry/sdk-trace'),
    logs: () => loadPeer('@opentelemetry/sdk-logs'),
    metrics: () => loadPeer('@opentelemetry/sdk-metrics'),
    resources: () => loadPeer('@opentelemetry/resources'),
  },
];

/** The version of a line's `@opentelemetry/sdk-trace` (so a test can check it runs on the line it names). */
export function sdkTraceVersion(line: SdkLine): string {
  const root = line.name === 'SDK 3.x' ? resolve(__dirname, '../../..') : resolve(__dirname, '../../peers');
  line.trace(); // installs the peers on first use
  const manifest = resolve(root, 'node_modules/@opentelemetry/sdk-trace/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
