import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPrivacySdk } from '../../instrumentation/start-privacy-sdk';

// The register hook's refusals, tested against the source (register.test.ts covers the built package end to end).
const loaderHook = vi.hoisted(() => ({ registered: 0 }));
vi.mock('../../instrumentation/esm-loader-hook', () => ({
  registerEsmLoaderHook: () => {
    loaderHook.registered++;
  },
}));

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-register-src-'));
  dirs.push(dir);
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, 'version: 1\n');
  return {
    OTEL_PRIVACY_POLICY: file,
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
    ...extra,
  };
}

describe('startPrivacySdk refuses OTEL_CONFIG_FILE', () => {
  it('starts nothing when OTEL_CONFIG_FILE is set, and says why in one line', () => {
    const notices: string[] = [];
    const running = startPrivacySdk({
      env: env({ OTEL_CONFIG_FILE: '/etc/otel/sdk.yaml' }),
      notice: (l) => notices.push(l),
      handleSignals: false,
    });
    expect(running).toBeUndefined();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^refusing to start: OTEL_CONFIG_FILE is set \(\/etc\/otel\/sdk\.yaml\).*unset OTEL_CONFIG_FILE.*\(telemetry is off\)$/,
    );
  });

  it('starts with the same environment when OTEL_CONFIG_FILE is unset or blank', async () => {
    for (const extra of [{}, { OTEL_CONFIG_FILE: '  ' }] as Record<string, string>[]) {
      const notices: string[] = [];
      const running = startPrivacySdk({ env: env(extra), notice: (l) => notices.push(l), handleSignals: false });
      expect(running, notices.join('\n')).toBeDefined();
      expect(notices.join('\n')).not.toContain('refusing');
      await running!.shutdown();
    }
  });
});

describe('the register entry point (instrumentation/register.ts)', () => {
  it('with OTEL_CONFIG_FILE set: registers no loader hook, starts nothing and writes the refusal to stderr', async () => {
    vi.stubEnv('OTEL_CONFIG_FILE', '/etc/otel/sdk.yaml');
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    vi.resetModules();
    await import('../../instrumentation/register');
    expect(loaderHook.registered).toBe(0);
    expect(written.join('')).toMatch(
      /^otel-privacy: refusing to start: OTEL_CONFIG_FILE is set \(\/etc\/otel\/sdk\.yaml\)/,
    );
  });
});
