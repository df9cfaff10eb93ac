import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BloomFilter } from '../../engine/consent/bloom-filter';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';

// The register hook (`node --import otel-privacy/register`, the built package) with a consent policy, exporting over
// OTLP/gRPC with mTLS to a receiver started here: 100 000 opted-out pseudonyms, a mixed workload of opted-out and
// opted-in users, then an opt-out added while the service runs (the filter file replaced, no restart).
const root = resolve(__dirname, '../..');
const service = 'consent-service';
// Fixed (fake): which kept ids are false positives of the filters depends on the key; a random one made the phase-two
// kept user a false positive of the second filter in about one run in a thousand.
const hmacKey = 'fake-consent-e2e-hmac-5c1f0e2a9b7d4c3e8f6a1b2c3d4e5f60';
const pseudonym = (v: string) =>
  `k1:${createHmac('sha256', hmacKey).update(v).digest().subarray(0, 16).toString('base64url')}`;

let fixture: MtlsReceiverFixture;
let dir: string;

beforeAll(async () => {
  fixture = await startMtlsReceiver();
  dir = mkdtempSync(join(tmpdir(), 'otel-privacy-consent-e2e-'));
});
afterAll(async () => {
  await fixture?.close();
  rmSync(dir, { recursive: true, force: true });
});

const POLICY = `version: 1
keys:
  hmac: { id: k1, env: CONSENT_HMAC_KEY }
attributes:
  hash: [user.id]
  allow: [app.plan, app.phase, app.note]
resource:
  allow: [service.name]
consent:
  subject: { attributes: [user.id] }
  optOut: { file: optout.bloom, falsePositiveRate: 0.001 }
  action: drop
`;

function writeFilter(ids: readonly string[]): BloomFilter {
  const filter = BloomFilter.create(ids.length, 0.001, ['k1']);
  for (const id of ids) filter.add(pseudonym(id));
  writeFileSync(join(dir, 'optout.tmp'), filter.serialize());
  // replaced as `consent build` does: a rename, so the service never reads half a file
  renameSync(join(dir, 'optout.tmp'), join(dir, 'optout.bloom'));
  return filter;
}

describe('consent end-to-end: register hook → mTLS OTLP receiver', () => {
  it('exports nothing about 100 000 opted-out subjects, everything about the others, and follows a new opt-out without a restart', async () => {
    const optedOut = Array.from({ length: 100_000 }, (_, i) => `fake-e2e-optout-${i}`);
    const filter = writeFilter(optedOut);
    const usersOut = optedOut.filter((_, i) => i % 1000 === 0); // 100
    const usersIn = Array.from({ length: 130 }, (_, i) => `fake-e2e-kept-${i}`)
      .filter((id) => !filter.has(pseudonym(id)))
      .slice(0, 100);
    const late = 'fake-e2e-opts-out-while-running';
    const users = usersOut.flatMap((id, i) => [id, usersIn[i]!]);
    writeFileSync(join(dir, 'privacy.yaml'), POLICY);
    const child = spawn(
      process.execPath,
      ['--import', 'otel-privacy/register', join(__dirname, 'testdata', 'consent-service.mjs')],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          OTEL_SERVICE_NAME: service,
          OTEL_PRIVACY_POLICY: join(dir, 'privacy.yaml'),
          OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
          OTEL_EXPORTER_OTLP_ENDPOINT: fixture.endpoint,
          OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
          OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: String(fixture.tls.cert),
          OTEL_EXPORTER_OTLP_CLIENT_KEY: String(fixture.tls.key),
          CONSENT_HMAC_KEY: hmacKey,
          CONSENT_USERS: JSON.stringify(users),
          CONSENT_PHASE2: JSON.stringify([late, usersIn[0]]),
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    const until = async (what: () => boolean, label: string) => {
      const deadline = Date.now() + 60_000;
      while (!what()) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`waiting for ${label}; stdout: ${stdout} stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until(() => stdout.includes('PHASE1_DONE'), 'phase one');
    // the user opts out while the service runs: a new filter file, picked up by the hook's watcher
    writeFilter([...optedOut, late]);
    await until(() => stderr.includes('opt-out filter reloaded: 100001 entries'), 'the reload');
    child.stdin.write('go\n');
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(stdout).toContain('PHASE2_DONE');

    const mine = <T extends { resource: Record<string, unknown> }>(items: T[]) =>
      items.filter((item) => item.resource['service.name'] === service);
    await fixture.receiver.waitFor(
      () =>
        mine(fixture.receiver.spans()).length >= 202 &&
        mine(fixture.receiver.logRecords()).length >= 202 &&
        // cumulative sums: an export taken while phase one still ran has fewer points; wait for a complete one
        mine(fixture.receiver.metrics()).some(
          (m) =>
            m.name === 'consent.requests' &&
            ((m.data.sum as { dataPoints?: unknown[] }).dataPoints?.length ?? 0) >= 100,
        ),
      15_000,
      'the service telemetry',
    );
    const spans = mine(fixture.receiver.spans());
    const records = mine(fixture.receiver.logRecords());
    const requests = fixture.receiver.requests.filter((r) => JSON.stringify(r.decoded).includes(`"${service}"`));
    const raw = Buffer.concat(requests.map((r) => r.bytes));
    const decoded = JSON.stringify(requests.map((r) => r.decoded));

    // zero items about opted-out subjects (the late one too, after its opt-out): no raw id, no pseudonym
    const banned = [...usersOut, late].flatMap((id) => [id, pseudonym(id)]);
    expect(banned.filter((needle) => raw.includes(needle) || decoded.includes(needle))).toEqual([]);
    // everything about the others: 100 users' roots, children, audit records and counter points in phase one
    const kept = new Set(usersIn.map(pseudonym));
    const roots = spans.filter((s) => s.name === 'GET /account' && s.attributes['app.plan'] === 'fake-gold');
    expect(new Set(roots.map((s) => s.attributes['user.id']))).toEqual(new Set([...kept]));
    const audits = records.filter((r) => r.body === 'fake audit entry');
    expect(audits.filter((r) => r.attributes['app.phase'] === 'one')).toHaveLength(100);
    expect(audits.filter((r) => r.attributes['app.phase'] === 'two').map((r) => r.attributes['user.id'])).toEqual([
      pseudonym(usersIn[0]!),
    ]);
    // the trace decision: the child spans of opted-out requests are gone too (100 kept users + 1 in phase two)
    expect(spans.filter((s) => s.name === 'load account')).toHaveLength(101);
    // and the traces they start with root: true (their names name the user: the banned check above covers them)
    expect(spans.filter((s) => s.name.startsWith('job for ')).map((s) => s.name.slice(8))).toEqual(
      expect.arrayContaining([...usersIn, usersIn[0]]),
    );
    expect(spans.filter((s) => s.name.startsWith('job for '))).toHaveLength(101);
    // consumers in other traces: all exported, links only into the kept users' traces
    const consumers = spans.filter((s) => s.name === 'consume');
    expect(consumers).toHaveLength(202);
    const linked = new Set(roots.map((s) => s.traceId));
    const links = consumers.flatMap((s) => s.links);
    expect(links).toHaveLength(101);
    expect(links.filter((l) => !linked.has(l.traceId))).toEqual([]);
    expect(links.map((l) => l.attributes['app.note']).sort()).toEqual(
      [...usersIn, usersIn[0]].map((id) => `message of ${id}`).sort(),
    );
    // free text in a counter, the subject only in the measurement's context: the kept users' notes only
    const noteCounter = mine(fixture.receiver.metrics())
      .filter((m) => m.name === 'consent.notes')
      .at(-1);
    const noteValues = (
      noteCounter?.data.sum as { dataPoints: Array<{ attributes: Array<{ value: { stringValue?: string } }> }> }
    ).dataPoints.map((p) => p.attributes[0]?.value.stringValue);
    expect(new Set(noteValues)).toEqual(new Set(usersIn.map((id) => `order of ${id}`)));
    const counter = mine(fixture.receiver.metrics())
      .filter((m) => m.name === 'consent.requests')
      .at(-1);
    const points = (
      counter?.data.sum as {
        dataPoints: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }>;
      }
    ).dataPoints.map((p) => Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue])));
    expect(new Set(points.map((p) => p['user.id']))).toEqual(new Set([...kept]));
    // nothing in the trace state or elsewhere says a consent decision was made
    // (the sampler's own ot member only, the same on every span)
    expect(new Set(decoded.match(/"traceState":"[^"]*"/g))).toEqual(new Set(['"traceState":"ot=th:0"']));
    // and the suppressed items are counted by signal in the self-metric the hook exports
    const suppressed = mine(fixture.receiver.metrics()).find((m) => m.name === 'otel_privacy.consent.suppressed');
    expect(suppressed).toBeDefined();
  }, 120_000);
});
