import { privacyDiag } from '../engine/diagnostic-text';
import {
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import type { ResourceDetector } from '@opentelemetry/resources';

const BY_NAME: Readonly<Record<string, ResourceDetector>> = {
  env: envDetector,
  host: hostDetector,
  os: osDetector,
  process: processDetector,
  serviceinstance: serviceInstanceIdDetector,
};

/**
 * The resource detectors `NodeSDK` would use, from `OTEL_NODE_RESOURCE_DETECTORS` (`env`, `host`, `os`, `process`,
 * `serviceinstance`, `all`, `none`; comma separated), or the SDK's default set when it is unset. The privacy pipeline
 * runs them itself (through `privacyResourceDetector`) so the SDK never sees unsanitized detector output.
 */
export function resourceDetectorsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResourceDetector[] {
  const raw = env.OTEL_NODE_RESOURCE_DETECTORS?.trim();
  if (!raw) return [serviceInstanceIdDetector, processDetector, hostDetector, osDetector, envDetector];
  const names = raw
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n.length > 0);
  if (names.includes('none')) return [];
  if (names.includes('all')) return Object.values(BY_NAME);
  const out: ResourceDetector[] = [];
  for (const name of names) {
    const detector = BY_NAME[name];
    if (detector) out.push(detector);
    else
      privacyDiag.warn(
        `otel-privacy: OTEL_NODE_RESOURCE_DETECTORS: unknown detector "${name}" (known: ${Object.keys(BY_NAME).join(', ')}, all, none)`,
      );
  }
  return out;
}
