import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PolicyError, createSecureExporters, loadPolicy, watchPolicy } from '../../index';
import { startPrivacySdk } from '../../instrumentation/start-privacy-sdk';
import { canaryOfKind, leakedNeedles } from '../assurance/canaries';
import type { PiiCanary } from '../assurance/canaries';
import { cliBinary, runCli } from '../cli/cli-harness';

// Errors and notices about configuration quote what was configured so it can be fixed: a glob, a custom pattern, an
// environment variable's value, a spool folder. When that text holds a personal value or a secret (pasted into the
// wrong place), it must not be printed, thrown, or written to the audit log.

const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-config-echo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const canaries = fc.nat().map((n) => canaryOfKind(n));

/** Policy documents that are invalid because of text holding `canary`. */
function invalidPolicies(canary: PiiCanary): string[] {
  const c = JSON.stringify(canary.text);
  return [
    `version: 1\nattributes:\n  allow: [${JSON.stringify(`app.${canary.text}[`)}]\n`,
    `version: 1\nattributes:\n  allow: [*${canary.text.replace(/[\s,[\]{}]/g, '-')}]\n`,
    `version: 1\nvalues:\n  custom:\n    - name: leak\n      pattern: ${JSON.stringify(`${canary.text}((`)}\n`,
    `version: 1\nvalues:\n  detectors: all\n  allow: [{ pattern: ${JSON.stringify(`${canary.text}((`)} }]\n`,
    `version: 1\nattributes:\n  hash: [${c}]\n  allow: [${c}]\n  drop: { ${c}: 1 }\n`,
  ];
}

/** Everything an error prints: message, stack, `util.inspect` (cause included), and JSON of its issues. */
function printed(err: unknown): string {
  const e = err as Error & { issues?: unknown };
  return [e.message, e.stack, inspect(e, { depth: 5 }), JSON.stringify(e.issues ?? null)].join('\n');
}

describe('configuration text holding a value or a secret is not printed back', () => {
  it('policy errors (loadPolicy): message, stack, inspect and issues', () => {
    fc.assert(
      fc.property(canaries, fc.nat(4), (canary, which) => {
        const file = join(dir, 'policy.yaml');
        writeFileSync(file, invalidPolicies(canary)[which]!);
        let thrown: unknown;
        try {
          loadPolicy(file);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(PolicyError);
        expect(leakedNeedles(printed(thrown), [canary])).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('a rejected hot reload: the reported line and the audit log', async () => {
    const file = join(dir, 'watched.yaml');
    const audit = join(dir, 'audit.jsonl');
    writeFileSync(file, 'version: 1\nattributes:\n  allow: [app.x]\n');
    const reported: string[] = [];
    const watcher = watchPolicy(file, {
      policy: loadPolicy(file),
      audit,
      debounceMillis: 5,
      onError: (err) => reported.push(printed(err)),
    });
    const used: PiiCanary[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const canary = canaryOfKind(i * 2);
        used.push(canary);
        writeFileSync(file, invalidPolicies(canary)[i]!);
        const before = reported.length;
        for (let t = 0; t < 100 && reported.length === before; t++) await new Promise((r) => setTimeout(r, 20));
        expect(reported.length).toBe(before + 1);
      }
    } finally {
      watcher.close();
    }
    expect(readFileSync(audit, 'utf8')).toContain('"event":"rejected"');
    expect(leakedNeedles(readFileSync(audit, 'utf8'), used)).toEqual([]);
    expect(leakedNeedles(reported.join('\n'), used)).toEqual([]);
  });

  it('secure exporter configuration errors', () => {
    fc.assert(
      fc.property(canaries, fc.nat(2), (canary, which) => {
        let thrown: unknown;
        try {
          createSecureExporters({
            endpoint: 'https://127.0.0.1:4317',
            ...(which === 0
              ? { compression: canary.text as 'gzip' }
              : which === 1
                ? { tls: { ciphers: [canary.text] } }
                : { spool: { dir: join('/dev/null', canary.text), key: { value: Buffer.alloc(32, 1) } } }),
          });
        } catch (err) {
          thrown = err;
        }
        expect((thrown as Error).name).toBe('SecureExportConfigError');
        expect(leakedNeedles(printed(thrown), [canary])).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("the register hook's notices about environment variables", () => {
    const policy = join(dir, 'register.yaml');
    writeFileSync(policy, 'version: 1\n');
    fc.assert(
      fc.property(
        canaries,
        fc.constantFrom(
          'OTEL_BSP_MAX_QUEUE_SIZE',
          'OTEL_TRACES_EXPORTER',
          'OTEL_PROPAGATORS',
          'OTEL_EXPORTER_OTLP_COMPRESSION',
          'OTEL_NODE_RESOURCE_DETECTORS',
          'OTEL_PRIVACY_POLICY_RELOAD',
        ),
        (canary, variable) => {
          const notices: string[] = [];
          const running = startPrivacySdk({
            env: {
              OTEL_PRIVACY_POLICY: policy,
              OTEL_TRACES_EXPORTER: 'otlp',
              OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
              OTEL_EXPORTER_OTLP_INSECURE: 'true',
              OTEL_METRICS_EXPORTER: 'none',
              OTEL_LOGS_EXPORTER: 'none',
              OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
              [variable]: canary.text,
            },
            notice: (line) => notices.push(line),
            handleSignals: false,
          });
          void running?.shutdown();
          expect(leakedNeedles(notices.join('\n'), [canary])).toEqual([]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('otel-privacy validate and explain on such a policy', async () => {
    const bin = await cliBinary();
    const used: PiiCanary[] = [];
    for (let i = 0; i < 5; i++) {
      const canary = canaryOfKind(i * 2 + 1);
      used.push(canary);
      const file = join(dir, `cli-${i}.yaml`);
      writeFileSync(file, invalidPolicies(canary)[i]!);
      for (const args of [
        ['validate', file],
        ['validate', '--json', file],
        ['explain', '--policy', file, 'app.x'],
      ]) {
        const run = await runCli(bin, args);
        expect(run.code).not.toBe(0);
        expect(leakedNeedles(run.stdout + run.stderr, [canary])).toEqual([]);
      }
    }
  });
});
