import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { Attributes } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacyMetricReader, defaultPolicy, privacyViews } from '../../index';
import { defaultPolicyDocument } from '../../policy/default-policy-document';
import { defaultPolicyPipelines, personKey } from './helpers/outside-attack';

// An outside attacker's view of bytes values (`Uint8Array`, OTLP `bytesValue`) that are UTF-8 text under the keys the
// default policy gives a URL or statement sanitizer, and of log bodies that are bytes: real SDK 3.x providers with the
// default policy, the exported OTLP/JSON read whole. Before the fix such bytes were read by the value detectors only,
// so `db.query.text` bytes of `UPDATE users SET pw = 'hunter2-Fake-9x' …`, `url.full` bytes of `…/cb?code=…`,
// `http.route` bytes of `/users/janedoe` and a log body's bytes of `GET /reset?name=Jane+Doe&dob=…` were exported
// whole, where the same text as a string is sanitized. Now every field exports the bytes as the text the string
// gets, still as bytes.

const p = defaultPolicyPipelines();
const policy = defaultPolicy(); // (the fake key `defaultPolicyPipelines` set is in the environment now)
const doc = defaultPolicyDocument().value;
/** The keys the default policy gives a URL sanitizer and a statement sanitizer (read from the policy). */
const URL_KEYS = doc.sanitizers!.url!.attributes!;
const STATEMENT_KEYS = doc.sanitizers!.statements!.attributes!;

const enc = (s: string) => new TextEncoder().encode(s);

interface OtlpValue {
  stringValue?: string;
  bytesValue?: string;
  arrayValue?: { values?: OtlpValue[] };
}

/** An exported value as text: `s:` a string, `b:` bytes decoded, `[…]` an array's elements (absent: `absent`). */
function shown(v: OtlpValue | undefined): string {
  if (v === undefined) return 'absent';
  if (v.stringValue !== undefined) return `s:${v.stringValue}`;
  if (v.bytesValue !== undefined) return `b:${Buffer.from(v.bytesValue, 'base64').toString('utf8')}`;
  if (v.arrayValue !== undefined) return `[${(v.arrayValue.values ?? []).map(shown).join(',')}]`;
  return JSON.stringify(v);
}

/** Every value exported under `key` in an OTLP/JSON text (in order), and the log bodies, shown. */
function exportedValues(json: string, key: string): { values: string[]; bodies: string[] } {
  const values: string[] = [];
  const bodies: string[] = [];
  for (const line of json.split('\n'))
    if (line.trim() !== '')
      JSON.parse(line, (k, v: unknown) => {
        const o = v as { key?: unknown; value?: OtlpValue };
        if (typeof v === 'object' && v !== null && o.key === key && 'value' in o) values.push(shown(o.value));
        if (k === 'body') bodies.push(shown(v as OtlpValue));
        return v;
      });
  return { values, bodies };
}

type Field = 'span attr' | 'event attr' | 'link attr' | 'log attr' | 'span attr array' | 'log attr array';

/** Sends `attributes` through one field of the pipelines; returns the exported OTLP/JSON text. */
function send(field: Field, attributes: Attributes): string {
  const tracer = p.tracerProvider.getTracer('attack');
  if (field === 'span attr' || field === 'span attr array') tracer.startSpan('op', { attributes }).end();
  else if (field === 'event attr') {
    const span = tracer.startSpan('op');
    span.addEvent('call', attributes);
    span.end();
  } else if (field === 'link attr') {
    const other = tracer.startSpan('other');
    other.end();
    tracer.startSpan('op', { links: [{ context: other.spanContext(), attributes }] }).end();
  } else p.loggerProvider.getLogger('attack').emit({ body: 'request', attributes });
  return p.exportedJson();
}

/** One metric point recorded with `attributes` through `privacyViews` and a `PrivacyMetricReader`. */
async function sendMetric(attributes: Attributes): Promise<string> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  try {
    provider.getMeter('attack').createCounter('app.requests').add(1, attributes);
    await reader.forceFlush();
    return exporter
      .getMetrics()
      .map((rm) => Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!).toString())
      .join('\n');
  } finally {
    await provider.shutdown();
  }
}

const lower = 'abcdefghijklmnopqrstuvwxyz';
const word = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...lower), minLength: min, maxLength: max });
const caseOf = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toUpperCase(),
  (s: string) => s.charAt(0).toUpperCase() + s.slice(1),
);
/** A person's key (`zq…`: no word of people's routes) or a fake personal or secret value. */
const secret = fc.oneof(
  fc.constantFrom('Jane+Doe', '1985-01-01', 'SplxlOBeZQQYbYS6WxSbIA', 'hunter2-Fake-9x'),
  word(4, 10).map((w) => `zq${w}`),
);
/** A URL with a people path and a query whose values are fake secrets (the default keeps no query value). */
const url = fc
  .tuple(
    fc.constantFrom('https://app.example.com', 'http://api.example.org:8080', ''),
    fc.constantFrom('users', 'profiles', 'members', 'customers'),
    personKey,
    fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...(doc.sanitizers!.url!.sensitiveParams ?? []), 'name', 'dob'), word(2, 8)),
        caseOf,
        secret,
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([base, people, person, params]) => ({
    text: `${base}/${people}/${person}?${params.map(([n, c, v]) => `${c(n)}=${v}`).join('&')}`,
    secrets: [person, ...params.map(([, , v]) => v)],
  }));
/** A statement with a fake secret literal, and its system. */
const statement = fc
  .tuple(
    fc.constantFrom(
      ['mysql', "UPDATE users SET pw = '§' WHERE id = 7"],
      ['mysql', "SELECT * FROM users WHERE last_name = '§'"],
      ['postgresql', "INSERT INTO people (name) VALUES ('§')"],
      ['redis', 'AUTH default §'],
    ),
    fc.oneof(
      fc.constantFrom('hunter2-Fake-9x', 'Jane Doe'),
      word(4, 10).map((w) => `zq${w}`),
    ),
  )
  .map(([[system, template], literal]) => ({ system, text: template.replace('§', literal), secrets: [literal] }));

/** A key the policy sanitizes, a text for it, the secrets in that text the string form never exports. */
const keyed = fc.oneof(
  fc.tuple(fc.constantFrom(...URL_KEYS), url).map(([key, u]) => ({ key, system: 'mysql', ...u })),
  fc.tuple(fc.constantFrom(...STATEMENT_KEYS), statement).map(([key, s]) => ({ key, ...s })),
);

/** The string form's and the bytes form's exported values: the same text, strings as `s:`, bytes as `b:`. */
function expectSameText(fromString: string[], fromBytes: string[], where: string): void {
  expect(fromBytes.length, where).toBe(fromString.length);
  expect(fromBytes.join('\n').replace(/\bb:/g, 's:'), where).toBe(fromString.join('\n'));
  expect(fromBytes.join('\n'), where).not.toMatch(/\bs:/); // still bytes
}

/** No secret left, except under `db.query.summary` (its words are kept by design: the string keeps them too). */
function expectNoSecret(key: string, exported: string[], secrets: string[], where: string): void {
  if (key === 'db.query.summary') return;
  for (const s of secrets) expect(exported.join('\n'), where).not.toContain(s);
}

describe('outside attack: bytes under URL and statement keys, every field (default policy)', () => {
  for (const field of [
    'span attr',
    'event attr',
    'link attr',
    'log attr',
    'span attr array',
    'log attr array',
  ] as const)
    it(`${field}: the bytes export the text the string exports, still bytes`, () => {
      fc.assert(
        fc.property(keyed, ({ key, system, text, secrets }) => {
          const array = field.endsWith('array');
          const attrs = (v: string | Uint8Array): Attributes => ({
            'db.system.name': system,
            [key]: (array ? [v] : v) as Attributes[string],
          });
          const asString = exportedValues(send(field, attrs(text)), key).values;
          const asBytes = exportedValues(send(field, attrs(enc(text))), key).values;
          const where = `${field} ${key} = ${JSON.stringify(text)}`;
          // The SDK itself drops bytes handed to `addEvent` (not an attribute value it accepts): nothing is exported.
          if (field === 'event attr' && asBytes.length === 0) return;
          expectSameText(asString, asBytes, where);
          expectNoSecret(key, asBytes, secrets, where);
        }),
        { numRuns: 60 },
      );
    });

  it('metric point attr: the bytes export the text the string exports, still bytes', async () => {
    await fc.assert(
      fc.asyncProperty(keyed, async ({ key, system, text, secrets }) => {
        const asString = exportedValues(await sendMetric({ 'db.system.name': system, [key]: text }), key).values;
        const asBytes = exportedValues(await sendMetric({ 'db.system.name': system, [key]: enc(text) }), key).values;
        const where = `metric ${key} = ${JSON.stringify(text)}`;
        expectSameText(asString, asBytes, where);
        expectNoSecret(key, asBytes, secrets, where);
      }),
      { numRuns: 25 },
    );
  });

  it('the attacker’s examples, exported as the sanitized text', () => {
    const cases: [string, string, string, string][] = [
      [
        'mysql',
        'db.query.text',
        "UPDATE users SET pw = 'hunter2-Fake-9x' WHERE id = 7",
        'b:UPDATE users SET pw = ? WHERE id = ?',
      ],
      ['redis', 'db.statement', 'AUTH default hunter2-Fake-9x', 'b:AUTH ? ?'],
      [
        'mysql',
        'url.full',
        'https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz',
        'b:https://app.example.com/cb?code=REDACTED&state=REDACTED',
      ],
      ['mysql', 'http.route', '/users/janedoe', 'b:/users/{id}'],
      ['mysql', 'url.query', 'name=Jane+Doe&dob=1985-01-01', 'b:name=REDACTED&dob=REDACTED'],
    ];
    for (const [system, key, text, want] of cases)
      for (const field of ['span attr', 'log attr'] as const)
        expect(exportedValues(send(field, { 'db.system.name': system, [key]: enc(text) }), key).values).toEqual([want]);
  });
});

describe('outside attack: log bodies that are bytes get the log-body URL rules (default policy)', () => {
  /** A log line around a URL: the text as a string body and as a bytes body (alone, and in an array body). */
  const line = fc
    .tuple(fc.constantFrom('GET', 'POST', 'redirect to', 'callback'), url, fc.constantFrom('302', '200', 'failed'))
    .map(([verb, u, tail]) => ({ text: `${verb} ${u.text} ${tail}`, secrets: u.secrets }));
  for (const shape of ['body', 'array body'] as const)
    it(`${shape}: the bytes export the text the string exports, still bytes`, () => {
      fc.assert(
        fc.property(line, ({ text, secrets }) => {
          const emit = (v: string | Uint8Array) => {
            p.loggerProvider.getLogger('attack').emit({ body: shape === 'body' ? v : [v] });
            return exportedValues(p.exportedJson(), '').bodies;
          };
          const where = `${shape} ${JSON.stringify(text)}`;
          const asBytes = emit(enc(text));
          expectSameText(emit(text), asBytes, where);
          for (const s of secrets) expect(asBytes.join('\n'), where).not.toContain(s);
        }),
        { numRuns: 80 },
      );
    });

  it('the attacker’s examples', () => {
    for (const [text, want] of [
      [
        'GET https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz 302',
        'b:GET https://app.example.com/cb?code=REDACTED&state=REDACTED 302',
      ],
      ['GET /reset?name=Jane+Doe&dob=1985-01-01', 'b:GET /reset?name=REDACTED&dob=REDACTED'],
      ['GET /users/janedoe 200', 'b:GET /users/{id} 200'],
    ]) {
      p.loggerProvider.getLogger('attack').emit({ body: enc(text) });
      expect(exportedValues(p.exportedJson(), '').bodies).toEqual([want]);
    }
  });
});

describe('outside attack: bytes that read as prose stay exactly as written (false-positive guards)', () => {
  const BENIGN = [
    'password is required',
    'token expired',
    'the password field',
    'bypass=cache',
    'GET /health 200',
    'retry later, upstream busy',
    'see docs for the new login flow',
  ];
  it('as a log body and under a kept free-text key: the same bytes', () => {
    for (const text of BENIGN) {
      p.loggerProvider.getLogger('attack').emit({ body: enc(text), attributes: { 'error.type': enc(text) } });
      const out = exportedValues(p.exportedJson(), 'error.type');
      expect(out.bodies, text).toEqual([`b:${text}`]);
      expect(out.values, text).toEqual([`b:${text}`]);
    }
  });
});
