import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeverityNumber, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, loadPolicy } from '../../index';
import { cliBinary, runCli, testKeys, testdata } from './cli-harness';

let bin: string;
const env = testKeys();
const tmp = mkdtempSync(join(tmpdir(), 'otel-privacy-scan-'));
const fixture = (name: string) => join(testdata, name);

beforeAll(async () => {
  Object.assign(process.env, env); // the in-process policies read the same keys as the child processes
  bin = await cliBinary();
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type KV = { key: string; value: Record<string, unknown> };
const span = (name: string, attributes: KV[], extra: Record<string, unknown> = {}) => ({
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name,
  kind: 2,
  startTimeUnixNano: '1544712660000000000',
  endTimeUnixNano: '1544712661000000000',
  attributes,
  ...extra,
});
const traces = (spans: unknown[], resource: KV[] = [{ key: 'service.name', value: { stringValue: 'checkout' } }]) => ({
  resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 'manual' }, spans }] }],
});
const str = (key: string, v: string): KV => ({ key, value: { stringValue: v } });
const attr = (kvs: KV[] | undefined, key: string) => kvs?.find((a) => a.key === key)?.value;

describe('otel-privacy scan', () => {
  const sample = traces(
    [
      span(
        'GET /orders/123?token=abc',
        [
          str('http.route', '/orders/:id'),
          { key: 'http.response.status_code', value: { intValue: '200' } },
          { key: 'order.total', value: { doubleValue: 3 } },
          { key: 'note', value: { kvlistValue: { values: [str('a', 'x')] } } },
          str('user.id', 'fake-user-1'),
          str('user.email', 'jane@example.com'),
          str('secret.stuff', 'x'),
          str('url.full', 'https://shop.example.com/orders/123?token=abc&x=1'),
          { key: 'db.query.text', value: { stringValue: "SELECT * FROM t WHERE email = 'bob@example.com'" } },
        ],
        {
          events: [
            {
              timeUnixNano: '1544712660500000000',
              name: 'mail sent to bob@example.com',
              attributes: [str('note', 'card 4111 1111 1111 1111')],
            },
          ],
          status: { code: 2, message: 'failed for jane@example.com' },
        },
      ),
    ],
    [
      str('service.name', 'checkout'),
      str('host.name', 'fake-host-1'),
      str('process.command_line', 'node app.js --password=x'),
    ],
  );

  it('sanitizes spans with the policy and reports per key and detector (--json); non-attribute fields are untouched', async () => {
    const inFile = join(tmp, 'sample.jsonl');
    const outFile = join(tmp, 'sample.out.jsonl');
    writeFileSync(inFile, `${JSON.stringify(sample)}\n`);
    const r = await runCli(
      bin,
      ['scan', '--json', '--policy', fixture('basic.yaml'), '--in', inFile, '--out', outFile],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const out = JSON.parse(readFileSync(outFile, 'utf8'));
    const rs = out.resourceSpans[0];
    const s = rs.scopeSpans[0].spans[0];
    expect(s.name).toBe('GET /orders/{id}?token=REDACTED');
    expect(s.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(s.startTimeUnixNano).toBe('1544712660000000000');
    expect(s.kind).toBe(2);
    expect(s.attributes.map((a: KV) => a.key)).toEqual([
      'http.route',
      'http.response.status_code',
      'order.total',
      'note',
      'user.id',
      'user.email',
      'url.full',
      'db.query.text',
    ]);
    expect(attr(s.attributes, 'http.response.status_code')).toEqual({ intValue: '200' });
    expect(attr(s.attributes, 'order.total')).toEqual({ doubleValue: 3 });
    expect(attr(s.attributes, 'note')).toEqual({ kvlistValue: { values: [] } }); // note.a is not allowed
    expect(attr(s.attributes, 'user.id')!.stringValue).toMatch(/^k1:[A-Za-z0-9_-]{22}$/);
    expect(attr(s.attributes, 'user.email')!.stringValue).toMatch(/^enc:v1:e1:/);
    expect(attr(s.attributes, 'url.full')).toEqual({
      stringValue: 'https://shop.example.com/orders/{id}?token=REDACTED&x=REDACTED',
    });
    expect(attr(s.attributes, 'db.query.text')).toEqual({ stringValue: 'SELECT * FROM t WHERE email = ?' });
    expect(s.events[0].name).toBe('mail sent to [REDACTED:email]');
    expect(s.events[0].attributes).toEqual([str('note', 'card [REDACTED:payment-card]')]);
    expect(s.events[0].timeUnixNano).toBe('1544712660500000000');
    expect(s.status).toEqual({ code: 2 });
    expect(rs.resource.attributes.map((a: KV) => a.key)).toEqual(['service.name', 'host.name', 'privacy.policy.hash']);
    expect(attr(rs.resource.attributes, 'privacy.policy.hash')).toEqual({ stringValue: report.policy.hash });

    expect(report.items).toMatchObject({ requests: 1, spans: 1 });
    const tally = (where: string, key: string) =>
      report.keys.find((k: { where: string; key: string }) => k.where === where && k.key === key);
    // a key no rule names is tallied under the rule that dropped it, never raw (it may hold anything)
    expect(tally('traces', 'secret.stuff')).toBeUndefined();
    expect(tally('traces', '(dropped by default: drop)')).toMatchObject({ dropped: 2, kept: 0 }); // and otel.status_description
    expect(tally('traces', 'user.id')).toMatchObject({ hashed: 1 });
    expect(tally('traces', 'user.email')).toMatchObject({ encrypted: 1 });
    expect(tally('traces', 'http.route')).toMatchObject({ kept: 1 });
    expect(tally('traces', 'url.full')).toMatchObject({ masked: 1 });
    expect(tally('traces', 'note')).toMatchObject({ masked: 2 });
    expect(tally('resource', 'process.command_line')).toMatchObject({ dropped: 1 });
    expect(tally('resource', 'host.name')).toMatchObject({ hashed: 1 });
    expect(report.detectors).toMatchObject({
      'detector:email': 1,
      'detector:payment-card': 1,
      'sanitizer:url': 1,
      'sanitizer:statement': 1,
    });
    expect(report.totals).toMatchObject({ hashed: 2, encrypted: 1 });
    expect(report.rules.some((x: { rule: string }) => x.rule === 'hash "user.id"')).toBe(true);
  });

  it('prints a readable report without --out, and writes nothing', async () => {
    const inFile = join(tmp, 'report-only.jsonl');
    writeFileSync(inFile, `${JSON.stringify(sample)}\n`);
    const before = readdirSync(tmp).length;
    const r = await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', inFile], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^traces\s+user\.email\s+\.\s+\.\s+\.\s+1\s+\.\s+\.$/m);
    expect(r.stdout).toMatch(/detector:email 1/);
    expect(readdirSync(tmp)).toHaveLength(before);
  });

  it('reads one pretty-printed document or line-delimited requests, from a file or stdin, with the same result', async () => {
    const pretty = join(tmp, 'pretty.json');
    writeFileSync(pretty, JSON.stringify(sample, null, 2));
    const fromDoc = await runCli(
      bin,
      ['scan', '--json', '--policy', fixture('basic.yaml'), '--in', pretty, '--out', '-'],
      { env },
    );
    expect(fromDoc.code, fromDoc.stderr).toBe(0);
    const fromStdin = await runCli(
      bin,
      ['scan', '--json', '--policy', fixture('basic.yaml'), '--in', '-', '--out', '-'],
      { env, input: `${JSON.stringify(sample)}\n\n${JSON.stringify(sample)}\n` },
    );
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const docOut = fromDoc.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const stdinOut = fromStdin.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(docOut).toHaveLength(1);
    expect(stdinOut).toHaveLength(2);
    // Encryption is randomized: compare everything else.
    const strip = (o: unknown) => JSON.parse(JSON.stringify(o).replace(/enc:v1:e1:[A-Za-z0-9_-]+/g, 'enc'));
    expect(strip(stdinOut[0])).toEqual(strip(docOut[0]));
    expect(strip(stdinOut[1])).toEqual(strip(docOut[0]));
    expect(JSON.parse(fromStdin.stderr).items.requests).toBe(2);
  });

  it('keeps value types exactly: 64-bit ints, doubles, bytes, arrays', async () => {
    const input = traces([
      span('n', [
        { key: 'http.response.status_code', value: { intValue: '12345678901234567890' } },
        { key: 'order.total', value: { doubleValue: 3 } },
        { key: 'note', value: { bytesValue: Buffer.from('fake bytes').toString('base64') } },
        {
          key: 'http.route',
          value: {
            arrayValue: { values: [{ stringValue: 'a' }, { intValue: 7 }, { stringValue: 'mail bob@example.com' }] },
          },
        },
      ]),
    ]);
    const r = await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', '-', '--out', '-'], {
      env,
      input: JSON.stringify(input),
    });
    expect(r.code, r.stderr).toBe(0);
    const attrs = JSON.parse(r.stdout).resourceSpans[0].scopeSpans[0].spans[0].attributes;
    expect(attrs).toEqual([
      { key: 'http.response.status_code', value: { intValue: '12345678901234567890' } },
      { key: 'order.total', value: { doubleValue: 3 } },
      { key: 'note', value: { bytesValue: Buffer.from('fake bytes').toString('base64') } },
      {
        key: 'http.route',
        value: {
          arrayValue: { values: [{ stringValue: 'a' }, { intValue: 7 }, { stringValue: 'mail [REDACTED:email]' }] },
        },
      },
    ]);
  });

  it('metrics: point and exemplar attributes through the metrics rules; logs: attributes and body, records below minSeverity left out', async () => {
    const metrics = {
      resourceMetrics: [
        {
          resource: { attributes: [str('service.name', 'svc')] },
          scopeMetrics: [
            {
              scope: { name: 'm' },
              metrics: [
                {
                  name: 'http.server.duration',
                  sum: {
                    dataPoints: [
                      {
                        asDouble: 1,
                        attributes: [str('http.route', '/a'), str('user.email', 'jane@example.com')],
                        exemplars: [
                          { asDouble: 1, filteredAttributes: [str('user.id', 'fake-user-1'), str('x', 'y')] },
                        ],
                      },
                    ],
                    aggregationTemporality: 2,
                    isMonotonic: true,
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const logs = {
      resourceLogs: [
        {
          resource: { attributes: [str('service.name', 'svc')] },
          scopeLogs: [
            {
              scope: { name: 'l' },
              logRecords: [
                {
                  timeUnixNano: '1544712660500000000',
                  severityNumber: 9,
                  body: { stringValue: 'hello' },
                  attributes: [str('log.file', 'a'), str('user.email', 'jane@example.com')],
                },
                {
                  timeUnixNano: '1544712660600000000',
                  severityNumber: 'SEVERITY_NUMBER_DEBUG',
                  body: { stringValue: 'debug' },
                },
              ],
            },
          ],
        },
      ],
    };
    const policy = join(tmp, 'signals.yaml');
    writeFileSync(
      policy,
      'version: 1\nkeys: { hmac: { id: k1, env: OTEL_PRIVACY_HMAC_KEY } }\nattributes: { allow: [http.route, "log.*"], hash: [user.id] }\nlogs: { minSeverity: INFO }\n',
    );
    const r = await runCli(bin, ['scan', '--json', '--policy', policy, '--in', '-', '--out', '-'], {
      env,
      input: `${JSON.stringify(metrics)}\n${JSON.stringify(logs)}\n`,
    });
    expect(r.code, r.stderr).toBe(0);
    const [m, l] = r.stdout
      .trim()
      .split('\n')
      .map((x) => JSON.parse(x));
    const point = m.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0];
    expect(point.attributes).toEqual([str('http.route', '/a')]);
    expect(point.exemplars[0].filteredAttributes[0].value.stringValue).toMatch(/^k1:/);
    expect(point.exemplars[0].filteredAttributes).toHaveLength(1);
    expect(point.asDouble).toBe(1);
    const records = l.resourceLogs[0].scopeLogs[0].logRecords;
    expect(records).toHaveLength(1);
    expect(records[0]).toEqual({
      timeUnixNano: '1544712660500000000',
      severityNumber: 9,
      body: { stringValue: 'hello' },
      attributes: [str('log.file', 'a')],
    });
    const report = JSON.parse(r.stderr);
    expect(report.items).toMatchObject({ requests: 2, metricPoints: 1, logRecords: 2, logsBelowMinSeverity: 1 });
  });

  it('--fail-on-findings: exit 1 when a detector fired in kept values, 0 for clean data', async () => {
    const dirty = await runCli(bin, ['scan', '--fail-on-findings', '--policy', fixture('basic.yaml'), '--in', '-'], {
      env,
      input: JSON.stringify(sample),
    });
    expect(dirty.code).toBe(1);
    const clean = await runCli(bin, ['scan', '--fail-on-findings', '--policy', fixture('basic.yaml'), '--in', '-'], {
      env,
      input: JSON.stringify(traces([span('GET', [str('http.route', '/a')])])),
    });
    expect(clean.code).toBe(0);
  });

  it('malformed input: one line with file:line, exit 1, no output file and no temporary file left; an existing output is untouched', async () => {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    const inFile = join(dir, 'bad.jsonl');
    writeFileSync(
      inFile,
      `${JSON.stringify(sample)}\n${JSON.stringify(sample)}\n{"resourceSpans": [ {"resource": }\n${JSON.stringify(sample)}\n`,
    );
    const out = join(dir, 'out.jsonl');
    const r = await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', inFile, '--out', out], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^otel-privacy scan: .*bad\.jsonl:3: malformed JSON at column 34 \(unexpected character\)$/m,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['bad.jsonl']);

    writeFileSync(out, 'previous content\n');
    const again = await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', inFile, '--out', out], { env });
    expect(again.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('previous content\n');
    expect(readdirSync(dir).sort()).toEqual(['bad.jsonl', 'out.jsonl']);

    const pretty = join(dir, 'bad.json');
    writeFileSync(pretty, '{\n  "resourceSpans": [\n    {"resource": {}},\n    {"resource": {} "x": 1}\n  ]\n}\n');
    const doc = await runCli(
      bin,
      ['scan', '--policy', fixture('basic.yaml'), '--in', pretty, '--out', join(dir, 'o2')],
      { env },
    );
    expect(doc.code).toBe(1);
    expect(doc.stderr).toMatch(
      /bad\.json:4: malformed JSON at column 21 \(expected .,. or .}. after property value\)$/m,
    );
    expect(existsSync(join(dir, 'o2'))).toBe(false);
  });

  it('not OTLP, the wrong signal, a wrong shape, a missing input: one line each, exit 1', async () => {
    const notOtlp = await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', '-'], {
      env,
      input: '{"foo": 1}\n',
    });
    expect(notOtlp).toMatchObject({ code: 1 });
    expect(notOtlp.stderr).toMatch(/\(stdin\):1: not an OTLP export request/);
    const wrong = await runCli(bin, ['scan', '--signal', 'logs', '--policy', fixture('basic.yaml'), '--in', '-'], {
      env,
      input: JSON.stringify(sample),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/expected resourceLogs \(--signal logs\), found resourceSpans/);
    const shape = await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', '-'], {
      env,
      input: '{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": {"a": 1}}]}]}]}',
    });
    expect(shape.code).toBe(1);
    expect(shape.stderr).toMatch(
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes: expected a list of \{key, value\}/,
    );
    const missing = await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', join(tmp, 'nope.jsonl')], {
      env,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.jsonl: ENOENT/);
    expect(
      (await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', '-', '--signal', 'spans'], { env })).code,
    ).toBe(2);
  });
});

describe('scan and the processors give identical results (one engine)', () => {
  const resource = () =>
    resourceFromAttributes({
      'service.name': 'checkout',
      'host.name': 'fake-host-1',
      'process.command_line': 'node app.js --password=fake',
      'k8s.pod.name': 'pod-1',
    });

  function emitSpans(tracer: Tracer, pg: Tracer): void {
    const s = tracer.startSpan('GET /users/12345?token=fake-token', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/users/:id',
        'url.full': 'https://fake:pw@shop.example.com/users/12345?token=fake-token&page=2',
        'user.id': 'fake-user-1',
        'user.email': 'jane@example.com',
        'payment.method': 'card 4111 1111 1111 1111',
        'payment.account.id': 'acct-42',
        'http.response.status_code': 200,
        'client.address': '203.0.113.7',
        'custom.thing': 'dropped by default',
        'rpc.tags': ['a', 'bob@example.com'],
        'server.port': 8443,
      },
      links: [
        {
          context: {
            traceId: '5b8efff798038103d269b633813fc60c',
            spanId: 'eee19b7ec3c1b174',
            traceFlags: TraceFlags.SAMPLED,
          },
          attributes: { 'user.id': 'fake-user-2', foo: 'bar' },
        },
      ],
    });
    s.setAttribute('exception.type', 'Error');
    s.addEvent('exception', { 'exception.type': 'Error', 'exception.message': 'failed for bob@example.com' });
    s.addEvent('note ORD-12345678 for 555-0100');
    s.setStatus({ code: SpanStatusCode.ERROR, message: 'boom bob@example.com' });
    s.end();
    const q = pg.startSpan("SELECT * FROM users WHERE email = 'bob@example.com'", {
      attributes: {
        'db.system': 'postgresql',
        'db.statement': "SELECT * FROM users WHERE email = 'bob@example.com' AND id = 42",
      },
    });
    q.end();
  }

  function emitLogs(logger: ReturnType<LoggerProvider['getLogger']>): void {
    logger.emit({
      severityNumber: SeverityNumber.INFO,
      body: 'payment by jane@example.com ORD-12345678',
      attributes: { 'user.id': 'fake-user-1', 'http.route': '/pay', 'user.email': 'jane@example.com' },
    });
    logger.emit({
      severityNumber: SeverityNumber.WARN,
      body: { msg: 'hello', user: { email: 'jane@example.com' } },
      attributes: { 'payment.method': 'card 4111 1111 1111 1111' },
    });
  }

  /** The sanitized fields of OTLP/JSON requests, in order. */
  function fields(request: { resourceSpans?: unknown[]; resourceLogs?: unknown[] }): unknown {
    return JSON.parse(JSON.stringify(request), (k, v) =>
      [
        'startTimeUnixNano',
        'endTimeUnixNano',
        'timeUnixNano',
        'observedTimeUnixNano',
        'traceId',
        'spanId',
        'parentSpanId',
        'droppedAttributesCount',
      ].includes(k)
        ? undefined
        : v,
    );
  }

  it('spans: the CLI on the raw spans equals PrivacySpanProcessor on the same spans', async () => {
    const policy = loadPolicy(fixture('extends-default.yaml'));
    const raw = new InMemorySpanExporter();
    const clean = new InMemorySpanExporter();
    const rawProvider = new TracerProvider({
      resource: resource(),
      spanProcessors: [new SimpleSpanProcessor({ exporter: raw })],
    });
    const privacyProvider = new TracerProvider({
      resource: resource(),
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: clean }) })],
    });
    emitSpans(rawProvider.getTracer('checkout'), rawProvider.getTracer('@opentelemetry/instrumentation-pg'));
    emitSpans(privacyProvider.getTracer('checkout'), privacyProvider.getTracer('@opentelemetry/instrumentation-pg'));
    await Promise.all([rawProvider.forceFlush(), privacyProvider.forceFlush()]);

    const input = Buffer.from(JsonTraceSerializer.serializeRequest(raw.getFinishedSpans())!).toString('utf8');
    const expected = JSON.parse(
      Buffer.from(JsonTraceSerializer.serializeRequest(clean.getFinishedSpans())!).toString('utf8'),
    );
    const r = await runCli(bin, ['scan', '--policy', fixture('extends-default.yaml'), '--in', '-', '--out', '-'], {
      env,
      input,
    });
    expect(r.code, r.stderr).toBe(0);
    const scanned = JSON.parse(r.stdout);
    expect(fields(scanned)).toEqual(fields(expected));
    // And it really changed things (the comparison is not between two unchanged copies).
    expect(fields(scanned)).not.toEqual(fields(JSON.parse(input)));
    expect(JSON.stringify(scanned)).not.toContain('bob@example.com');
    expect(raw.getFinishedSpans()).toHaveLength(2);
    await Promise.all([rawProvider.shutdown(), privacyProvider.shutdown()]);
  });

  it('log records: the CLI on the raw records equals PrivacyLogRecordProcessor on the same records', async () => {
    const policy = loadPolicy(fixture('extends-default.yaml'));
    const raw = new InMemoryLogRecordExporter();
    const clean = new InMemoryLogRecordExporter();
    const rawProvider = new LoggerProvider({
      resource: resource(),
      processors: [new SimpleLogRecordProcessor({ exporter: raw })],
    });
    const privacyProvider = new LoggerProvider({
      resource: resource(),
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: clean }) })],
    });
    emitLogs(rawProvider.getLogger('checkout'));
    emitLogs(privacyProvider.getLogger('checkout'));
    await Promise.all([rawProvider.forceFlush(), privacyProvider.forceFlush()]);

    const input = Buffer.from(JsonLogsSerializer.serializeRequest(raw.getFinishedLogRecords())!).toString('utf8');
    const expected = JSON.parse(
      Buffer.from(JsonLogsSerializer.serializeRequest(clean.getFinishedLogRecords())!).toString('utf8'),
    );
    const r = await runCli(bin, ['scan', '--policy', fixture('extends-default.yaml'), '--in', '-', '--out', '-'], {
      env,
      input,
    });
    expect(r.code, r.stderr).toBe(0);
    const scanned = JSON.parse(r.stdout);
    expect(fields(scanned)).toEqual(fields(expected));
    expect(fields(scanned)).not.toEqual(fields(JSON.parse(input)));
    await Promise.all([rawProvider.shutdown(), privacyProvider.shutdown()]);
  });
});
