import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSecureExporters } from '../../exporters/secure-exporters';
import { resolveTlsProtocolSettings, runtimeOffersGroup } from '../../exporters/tls-options';
import { CapturingLogger } from '../helpers/capturing-logger';
import { OtlpTestReceiver } from '../helpers/otlp-test-receiver';
import { createStandardPki } from '../helpers/test-pki';
import type { StandardPki } from '../helpers/test-pki';
import { TlsHelloTap } from '../helpers/tls-hello-tap';

/** Whether an OpenSSL version string is 3.5 or later (ML-KEM and the hybrid groups arrived in 3.5). */
function hasMlKem(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 5);
}

const PQ = hasMlKem(process.versions.openssl);
let pki: StandardPki;

beforeAll(() => {
  pki = createStandardPki();
});
afterAll(() => pki.pki.cleanup());

/** Exports one span through a hello tap in front of a receiver that accepts `serverGroups`; returns what the wire showed. */
async function handshakeThroughTap(serverGroups: string | undefined) {
  const receiver = new OtlpTestReceiver({
    tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem, ecdhCurve: serverGroups },
  });
  await receiver.start();
  const tap = new TlsHelloTap(receiver.port);
  await tap.start();
  const exporters = createSecureExporters({
    endpoint: `https://127.0.0.1:${tap.port}`,
    tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
    retry: { initialMillis: 20, maxMillis: 50, maxElapsedMillis: 2000 },
    env: {},
    logger: new CapturingLogger(),
  });
  try {
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
    provider.getTracer('groups').startSpan('key-exchange-probe').end();
    await exporters.traces.forceFlush();
    return { spans: receiver.spans().map((s) => s.name), client: tap.clientHellos(), server: tap.serverHellos() };
  } finally {
    await exporters.shutdown();
    await tap.stop();
    await receiver.stop();
  }
}

describe('key exchange groups (seen on the wire by a relay that decodes the hellos)', () => {
  it(`default groups follow the runtime: OpenSSL ${process.versions.openssl} ${PQ ? 'offers' : 'lacks'} X25519MLKEM768`, () => {
    expect(runtimeOffersGroup('X25519MLKEM768')).toBe(PQ);
    expect(resolveTlsProtocolSettings(undefined).curves).toBe(PQ ? '*X25519MLKEM768:*X25519:P-256' : 'X25519:P-256');
  });

  it('against a server with the runtime default groups: the hybrid post-quantum group is offered first and chosen', async () => {
    const { spans, client, server } = await handshakeThroughTap(undefined);
    expect(spans).toEqual(['key-exchange-probe']);
    expect(client.length).toBeGreaterThan(0);
    for (const hello of client) {
      expect(hello.supportedGroups).toEqual(PQ ? ['X25519MLKEM768', 'X25519', 'P-256'] : ['X25519', 'P-256']);
      expect(hello.keyShares).toEqual(PQ ? ['X25519MLKEM768', 'X25519'] : ['X25519']);
    }
    expect(server.map((hello) => hello.group)).toContain(PQ ? 'X25519MLKEM768' : 'X25519');
    expect(server.every((hello) => !hello.helloRetry)).toBe(true);
  });

  it('against a server without ML-KEM (X25519, P-256): it falls back to X25519 in one round trip', async () => {
    const { spans, client, server } = await handshakeThroughTap('X25519:P-256');
    expect(spans).toEqual(['key-exchange-probe']);
    expect(client[0].supportedGroups[0]).toBe(PQ ? 'X25519MLKEM768' : 'X25519');
    expect(server.length).toBeGreaterThan(0);
    expect(server.every((hello) => hello.group === 'X25519' && !hello.helloRetry)).toBe(true);
  });

  it('against a P-256-only server: the server asks for a P-256 share (HelloRetryRequest) and gets it', async () => {
    const { spans, client, server } = await handshakeThroughTap('P-256');
    expect(spans).toEqual(['key-exchange-probe']);
    expect(server[0]).toEqual({ group: 'P-256', helloRetry: true });
    expect(server[1]).toEqual({ group: 'P-256', helloRetry: false });
    expect(client[1].keyShares).toEqual(['P-256']);
  });

  it('a group the runtime does not offer is a one-line configuration error', () => {
    const bad = PQ ? 'NOT-A-GROUP' : 'X25519MLKEM768';
    expect(() => resolveTlsProtocolSettings({ curves: ['X25519', bad] })).toThrow(
      `tls.curves contains "${bad}", which this runtime's OpenSSL ${process.versions.openssl} does not offer`,
    );
  });

  /** A Node binary on PATH (outside node_modules) whose OpenSSL has no ML-KEM, e.g. the system Node 20. */
  const classicalNode = (() => {
    const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !dir.includes('node_modules'));
    for (const dir of [...dirs, '/usr/bin', '/usr/local/bin']) {
      const candidate = join(dir, 'node');
      if (!existsSync(candidate)) continue;
      try {
        const version = execFileSync(candidate, ['-p', 'process.versions.openssl'], { encoding: 'utf8' }).trim();
        if (!hasMlKem(version)) return candidate;
      } catch {
        // not runnable
      }
    }
    return undefined;
  })();

  it.skipIf(classicalNode === undefined)(
    'the same exporter on a Node whose OpenSSL lacks ML-KEM (Node 20) offers X25519 first and the server picks it',
    async () => {
      const receiver = new OtlpTestReceiver({
        tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem },
      });
      await receiver.start();
      const tap = new TlsHelloTap(receiver.port);
      await tap.start();
      try {
        // asynchronous: the receiver and the relay run in this process's event loop
        const child = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
          const run = spawn(
            classicalNode!,
            [
              '--import',
              'tsx',
              join(__dirname, 'testdata', 'tls-groups-child.ts'),
              `https://127.0.0.1:${tap.port}`,
              pki.ca.certPath,
              pki.client.certPath,
              pki.client.keyPath,
            ],
            { stdio: ['ignore', 'pipe', 'pipe'] },
          );
          let stdout = '';
          let stderr = '';
          run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
          run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          run.on('close', () => resolve({ stdout, stderr }));
        });
        expect(child.stdout, child.stderr).toContain('exported sent=1 failed=0');
        expect(receiver.spans()[0].name).toMatch(/^groups-from-node-20\./);
        expect(tap.clientHellos()[0].supportedGroups).toEqual(['X25519', 'P-256']);
        expect(tap.serverHellos()[0]).toEqual({ group: 'X25519', helloRetry: false });
      } finally {
        await tap.stop();
        await receiver.stop();
      }
    },
  );
});
