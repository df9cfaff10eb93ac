import { SpanStatusCode } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outsideAttack } from './helpers/outside-attack';

// An outside attacker's view: the default policy, real SDK 3.x providers, in-memory exporters, and the exported
// OTLP/JSON request read whole. The canary is a fake user id (`jane-0001`): no value detector knows it, so only the
// structural sanitizers (URL, statement, span name) stand between it and the receiver. Each case here was exported
// before its fix:
// - a URL whose path is written with backslashes after the host (`https://host\users\jane-0001`, read as `/` by
//   browsers and WHATWG parsers) kept its whole path as part of the host, in url.full and in the span name;
// - `db.query.summary` was read as PostgreSQL SQL in every system, so a quoted value or a MongoDB filter copied into
//   it (`find {"uid":"jane-0001"}`) was kept, while db.query.text of the same span was masked;
// - a span name starting like SQL on a span without a database system was read as PostgreSQL (`"…"` an
//   identifier), although the same statement in db.query.text gets the strict reading there.
const UID = 'jane-0001';
const EMAIL = 'jane.doe@example.com';

const attack = outsideAttack();
const { exported } = attack;

const tracer = () => attack.tracerProvider.getTracer('attack');

describe('URLs written with backslashes', () => {
  const urls = [
    `https://api.example.com\\users\\${UID}`,
    `https://api.example.com\\users\\${UID}\\orders?x=1`,
    `https:\\\\api.example.com\\users\\${UID}`,
    `//api.example.com\\${UID}`,
  ];
  for (const url of urls)
    it(`keeps the id out of url.full, http.target and the span name: ${JSON.stringify(url)}`, async () => {
      const out = await exported(() =>
        tracer()
          .startSpan(`GET ${url}`, {
            attributes: { 'url.full': url, 'http.target': url, 'http.request.method': 'GET' },
          })
          .end(),
      );
      expect(out).toContain('"http.request.method"'); // the span was exported
      expect(out).not.toContain(UID);
    });

  it('keeps the id out of a log body that names such a URL', async () => {
    const out = await exported(() =>
      attack.loggerProvider.getLogger('attack').emit({ body: `fetch failed: https://api.example.com\\users\\${UID}` }),
    );
    expect(out).toContain('fetch failed');
    expect(out).not.toContain(UID);
  });

  it('any mix of / and \\ between the segments of a path after the host (property)', async () => {
    const sep = fc.constantFrom('/', '\\', '\\\\', '/\\');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(sep, fc.constantFrom('users', 'api', 'v1', 'orders')), { maxLength: 3 }),
        sep,
        fc.constantFrom('https://', 'http://', '//'),
        async (before, last, scheme) => {
          const url = `${scheme}api.example.com${before.map(([s, w]) => s + w).join('')}${last}${UID}`;
          const out = await exported(() =>
            tracer()
              .startSpan(`GET ${url}`, { attributes: { 'url.full': url } })
              .end(),
          );
          expect(out).not.toContain(UID);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('db.query.summary with a value copied in', () => {
  const cases: [string, string][] = [
    ['mongodb', `find {"uid":"${UID}"}`],
    ['mongodb', `users.find({"uid":"${UID}"})`],
    ['postgresql', `SELECT * FROM u WHERE id = "${UID}"`],
    ['redis', `GET "${UID}"`],
    ['', `SELECT * FROM "${UID}"`],
  ];
  for (const [system, summary] of cases)
    it(`masks it (${system || 'no system'}): ${summary}`, async () => {
      const attributes: Record<string, string> = { 'db.query.summary': summary, 'db.query.text': summary };
      if (system) attributes['db.system.name'] = system;
      const out = await exported(() => tracer().startSpan('db', { attributes }).end());
      expect(out).toContain('"db.query.summary"'); // still exported, sanitized
      expect(out).not.toContain(UID);
    });

  it('keeps a summary made of operation and target words', async () => {
    const out = await exported(() =>
      tracer()
        .startSpan('db', { attributes: { 'db.query.summary': 'SELECT orders', 'db.system.name': 'mongodb' } })
        .end(),
    );
    expect(out).toContain('"stringValue":"SELECT orders"');
  });
});

describe('span names that start like SQL on spans without a database system', () => {
  for (const name of [`SELECT * FROM u WHERE id = "${UID}"`, `SELECT * FROM "${UID}"`])
    it(`are read strictly: ${name}`, async () => {
      const out = await exported(() => tracer().startSpan(name).end());
      expect(out).toContain('"name":"SELECT * FROM');
      expect(out).not.toContain(UID);
    });
});

// Fields an outside attacker tries first; these held before this change and are kept here so they stay held.
describe('every text field of a span and a log record (held)', () => {
  it('span name, status, events, exceptions, links, scope', async () => {
    const out = await exported(() => {
      const scoped = attack.tracerProvider.getTracer(`lib ${EMAIL}`, `1 ${EMAIL}`, {
        schemaUrl: `https://x.example/${EMAIL}`,
      });
      const s = scoped.startSpan(`login ${EMAIL}`, { attributes: { 'user.id': UID } });
      s.updateName(`user ${EMAIL}`);
      s.setStatus({ code: SpanStatusCode.ERROR, message: `no user ${UID}` });
      s.addEvent(`event ${EMAIL}`, { 'user.email': EMAIL, 'error.type': EMAIL });
      s.recordException(new Error(`no user ${EMAIL} ${UID}`, { cause: new Error(UID) }));
      s.addLink({ context: s.spanContext(), attributes: { 'user.id': UID } });
      s.end();
      s.setAttribute('http.route', UID); // after end: ignored by the SDK
    });
    expect(out).toContain('"name":"user [REDACTED:email]"');
    expect(out).not.toContain(UID);
    expect(out).not.toContain(EMAIL);
  });

  it('log body of every AnyValue type, severity text, event name, attribute keys', async () => {
    const out = await exported(() => {
      const logger = attack.loggerProvider.getLogger(`lg ${EMAIL}`);
      logger.emit({ body: { email: EMAIL, nested: { deep: [UID, { k: EMAIL }] }, [UID]: 1 } });
      logger.emit({ body: [EMAIL, 1, true, { x: UID }] });
      logger.emit({ body: new Uint8Array(Buffer.from(`mail ${EMAIL}`)) });
      logger.emit({ body: 'x', severityText: `INFO ${EMAIL}`, eventName: `ev ${EMAIL}` });
      logger.emit({ body: 'x', attributes: { [EMAIL]: 1, [UID]: 2, 'user.id': UID, 'exception.message': UID } });
    });
    const bytes = [...out.matchAll(/"bytesValue":"([^"]*)"/g)].map((m) => Buffer.from(m[1], 'base64').toString());
    expect(bytes.join(' ')).toContain('mail [REDACTED:email]');
    expect(out + bytes.join(' ')).not.toContain(UID);
    expect(out + bytes.join(' ')).not.toContain(EMAIL);
  });
});

describe('query parameter names that carry the value', () => {
  for (const query of [`?${UID}=1`, `?filter[${UID}]=x`, `?a=1&${UID}=`, `#/cb?${UID}=1`])
    it(`redacts the whole parameter: ${query}`, async () => {
      const url = `https://api.example.com/search${query}`;
      const out = await exported(() =>
        tracer()
          .startSpan(`GET ${url}`, { attributes: { 'url.full': url } })
          .end(),
      );
      expect(out).toContain('https://api.example.com/search');
      expect(out).not.toContain(UID);
    });

  it('keeps route-word names with their values redacted', async () => {
    const url = 'https://api.example.com/search?page=2&sort_by=name';
    const out = await exported(() =>
      tracer()
        .startSpan('x', { attributes: { 'url.full': url } })
        .end(),
    );
    expect(out).toContain('"stringValue":"https://api.example.com/search?page=REDACTED&sort_by=REDACTED"');
  });
});

describe('values glued to the host', () => {
  const hosts = [
    `https://api.example.com%2F${UID}`,
    `https://api.example.com%5C${UID}?a=1`,
    `https://api.example.com;${UID}`,
    `https://api.example.com,${UID}`,
    `http://api.example.com:8080,${UID}`,
    `https://api.example.com\t${UID}`,
    `//u@api.example.com%20${UID}#x`,
  ];
  for (const url of hosts)
    it(`writes a malformed host {id}: ${JSON.stringify(url)}`, async () => {
      const out = await exported(() =>
        tracer()
          .startSpan('x', { attributes: { 'url.full': url } })
          .end(),
      );
      expect(out).toContain('{id}');
      expect(out).not.toContain(UID);
      expect(out).not.toContain('jane');
    });

  it('keeps host names and ports', async () => {
    const urls = ['https://api.example.com:8443/a', 'http://localhost:3000/a', 'https://my_host.internal/a'];
    const out = await exported(() =>
      tracer()
        .startSpan('x', { attributes: { 'url.full': urls } })
        .end(),
    );
    for (const url of urls) expect(out).toContain(JSON.stringify(url));
  });
});
