import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';

// Export failures are visible at the default log level (no OTEL_LOG_LEVEL, no diag logger): `node --import
// otel-privacy/register` (the built package) prints the first failure of each cause on one line, the first dropped
// batch on one line, never a stack; and SIGTERM ends the process within the documented 15 s even when the endpoint
// accepts connections and never answers.
const root = resolve(__dirname, '../..');
const app = resolve(__dirname, '../instrumentation/testdata/long-running-app.mjs');
const SHUTDOWN_BOUND_MILLIS = 15_000;

interface Child {
  stderr(): string;
  waitFor(text: string | RegExp, timeoutMillis?: number): Promise<void>;
  terminate(): Promise<{ millis: number; signal: NodeJS.Signals | null }>;
}

function startApp(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'otel-privacy/register', app], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      OTEL_SERVICE_NAME: 'visible-failures',
      OTEL_PRIVACY_HMAC_KEY: 'fake-hmac-key-for-the-visible-failures-test-0123',
      OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  const waitFor = async (text: string | RegExp, timeoutMillis = 20_000): Promise<void> => {
    const end = Date.now() + timeoutMillis;
    const seen = () => (typeof text === 'string' ? stderr.includes(text) : text.test(stderr));
    while (!seen()) {
      if (Date.now() > end) throw new Error(`no ${String(text)} in stderr:\n${stderr}\nstdout:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    stderr: () => stderr,
    waitFor,
    terminate: async () => {
      while (!stdout.includes('ready')) await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      child.kill('SIGTERM');
      const signal = await exited;
      return { millis: Date.now() - started, signal };
    },
  };
}

const count = (text: string, part: string) => text.split(part).length - 1;

function expectOneLineEach(stderr: string): void {
  // every line is one of ours, and nothing is a stack frame or a JSON dump
  for (const line of stderr.trim().split('\n')) expect(line).toMatch(/^otel-privacy[ :]/);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('"stack"');
}

let fixture: MtlsReceiverFixture;
let blackHole: Server;
const accepted: Socket[] = [];
let closedPort: number;

beforeAll(async () => {
  fixture = await startMtlsReceiver();
  // accepts TCP connections and never answers (no TLS handshake, no HTTP/2)
  blackHole = createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((ready) => blackHole.listen(0, '127.0.0.1', ready));
  // a port where nothing listens: bind one, then close it
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((done) => probe.close(done));
});

afterAll(async () => {
  for (const socket of accepted) socket.destroy();
  await new Promise((done) => blackHole?.close(done));
  await fixture?.close();
});

// The three cases run side by side (each is its own process waiting out its own shutdown clock: 12 s apart, 36 s in a
// row); the black hole's `accepted` sockets are its own (the other two never reach it).
describe.concurrent('export failures at the default log level', () => {
  it('a wrong CA: the handshake cause once, the first drop once, no stack', async () => {
    const child = startApp({
      // localhost, not 127.0.0.1: an IP address as TLS server name makes Node print DEP0123
      OTEL_EXPORTER_OTLP_ENDPOINT: fixture.endpoint.replace('127.0.0.1', 'localhost'),
      OTEL_EXPORTER_OTLP_CERTIFICATE: fixture.pki.otherCa.certPath,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: String(fixture.tls.cert),
      OTEL_EXPORTER_OTLP_CLIENT_KEY: String(fixture.tls.key),
    });
    await child.waitFor('failed (unknown-ca)');
    const { millis, signal } = await child.terminate();
    expect(signal).toBe('SIGTERM');
    expect(millis).toBeLessThan(SHUTDOWN_BOUND_MILLIS);
    const stderr = child.stderr();
    expect(count(stderr, 'failed (unknown-ca)')).toBe(1);
    expect(count(stderr, 'dropping traces batch')).toBe(1);
    expectOneLineEach(stderr);
  });

  it('nothing listening: "refused" once per signal, then the first drop at shutdown', async () => {
    const child = startApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: `https://localhost:${closedPort}`,
      OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
    });
    await child.waitFor(/traces export failed with UNAVAILABLE \(.*ECONNREFUSED/);
    const { millis, signal } = await child.terminate();
    expect(signal).toBe('SIGTERM');
    expect(millis).toBeLessThan(SHUTDOWN_BOUND_MILLIS);
    const stderr = child.stderr();
    expect(count(stderr, 'traces export failed with UNAVAILABLE')).toBe(1);
    expect(count(stderr, 'dropping traces batch')).toBe(1);
    expectOneLineEach(stderr);
  });

  it('a black hole (accepts, never answers): SIGTERM ends the process within 15 s, the drop is said once', async () => {
    const child = startApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: `https://localhost:${(blackHole.address() as { port: number }).port}`,
      OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
      // Each attempt's own deadline far beyond the shutdown timeout (10 s): no attempt can end with DEADLINE_EXCEEDED
      // (and be retried or dropped for that reason) before the shutdown clock aborts it, however long the app ran
      // before SIGTERM. With the default (10 s, equal to the shutdown timeout), the reason depended on when the first
      // attempt started relative to SIGTERM.
      OTEL_EXPORTER_OTLP_TIMEOUT: '120000',
    });
    await child.waitFor('otel-privacy: started');
    // an attempt is in flight: the black hole accepted its connection
    while (accepted.length === 0) await new Promise((r) => setTimeout(r, 50));
    const { millis, signal } = await child.terminate();
    expect(signal).toBe('SIGTERM');
    expect(millis).toBeLessThan(SHUTDOWN_BOUND_MILLIS);
    const stderr = child.stderr();
    expect(count(stderr, 'dropping traces batch (no spool configured): shutdown timeout reached')).toBe(1);
    expectOneLineEach(stderr);
  }, 40_000);
});
