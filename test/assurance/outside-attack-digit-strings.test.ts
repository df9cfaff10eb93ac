import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE_CONTEXT } from '../../engine/detectors/phone';
import { SSN_CONTEXT } from '../../engine/detectors/us-ssn';
import {
  PrivacyLogRecordProcessor,
  PrivacyMetricReader,
  PrivacySpanProcessor,
  definePolicy,
  privacyViews,
} from '../../index';
import type { Policy } from '../../index';
import { luhnCheckDigit } from './canaries';
import { fuzzParameters } from './fuzz-runs';
import { contextWords } from './helpers/context-words';

// An outside attack: phone numbers and SSNs written as plain digit strings under keys that name them
// (`app.phone: "2025550143"`, `app.ssn: "123456789"`, a map member `phone`, an array under `app.phone_arr`) were
// exported as written, while the same digits as a number under the same key were masked: the number path scans a
// number after its key, the string path scanned the string alone, and an unformatted digit run is a phone number or
// SSN only after a keyword. Keys are built from the detectors' own context words; the canaries are generated; every
// signal goes through a real SDK 3.x provider, the product processor or reader and an in-memory exporter, and the
// exported OTLP/JSON is read whole.

let policy: Policy;
const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x3c).toString('base64')}`; // fake test key
  policy = definePolicy({ version: 1, extends: 'default', attributes: { allow: ['app.*', 'log.body.*'] }, values: {} });
});
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

const digit = (min = 0, max = 9) => fc.integer({ min, max });
const digits = (n: number) => fc.array(digit(), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A North American number (area code and exchange 2–9, the area code's middle digit not 9), with or without `1`. */
const phone = fc
  .tuple(fc.boolean(), digit(2, 9), digit(0, 8), digit(), digit(2, 9), digits(6))
  .map(([one, a, b, c, x, rest]) => `${one ? '1' : ''}${a}${b}${c}${x}${rest}`);
/** An issuable SSN (area 001–665 or 667–899, group and serial not zero). */
const ssn = fc
  .tuple(fc.integer({ min: 1, max: 899 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .filter(([area]) => area !== 666)
  .map(([a, g, s]) => `${String(a).padStart(3, '0')}${String(g).padStart(2, '0')}${String(s).padStart(4, '0')}`);
/** A Luhn-valid Visa or Mastercard number. */
const card = fc
  .tuple(fc.constantFrom('4', '51', '55'), digits(14))
  .map(([p, d]) => (p + d).slice(0, 15))
  .map((body) => body + luhnCheckDigit(body));

/** Ways a number is written as a string: as it is, or grouped the way the detectors need a keyword for. */
const written = {
  phone: [(d: string) => d],
  ssn: [(d: string) => d, (d: string) => `${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`],
  card: [(d: string) => d, (d: string) => d.replace(/(\d{4})(?=\d)/g, '$1 ')],
} as const;

/** A key name built around a context word: prefix, separators inside the word, case, suffix (operators). */
function keyWord(words: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...words),
      fc.constantFrom(' ', '_', '.', ''),
      fc.constantFrom(
        (s: string) => s,
        (s: string) => s.toUpperCase(),
        (s: string) => s.charAt(0).toUpperCase() + s.slice(1),
      ),
      fc.constantFrom('', '_number', 'Number', '.value', '_no', 'No', 'Id'),
      fc.constantFrom('', 'customer.', 'billing_', 'last'),
    )
    .map(([w, sep, cased, suffix, prefix]) => {
      const word = w.split(' ').map(cased).join(sep);
      // camelCase after a lowercase prefix (`lastPhone`), else as it is
      return prefix === 'last'
        ? `last${cased(word).charAt(0).toUpperCase()}${word.slice(1)}${suffix}`
        : `${prefix}${word}${suffix}`;
    });
}

const canary = fc.oneof(
  fc.tuple(fc.constant('phone' as const), phone, keyWord(contextWords(PHONE_CONTEXT))),
  fc.tuple(fc.constant('ssn' as const), ssn, keyWord(contextWords(SSN_CONTEXT))),
  fc.tuple(fc.constant('card' as const), card, keyWord([...contextWords(PHONE_CONTEXT), 'card', 'account'])),
);

type Placement = 'top' | 'member' | 'array';
type Signal = 'span' | 'event' | 'log' | 'log-body' | 'metric';

/** The attributes that carry `value` under `word`. */
function placed(placement: Placement, word: string, value: string): Attributes {
  if (placement === 'top') return { [`app.${word}`]: value };
  if (placement === 'array') return { [`app.${word}`]: [value] };
  return { 'app.contact': { [word]: value } as unknown as AttributeValue };
}

/** Emits `attributes` on `signal` through real providers and product processors; returns the exported OTLP/JSON. */
async function exported(signal: Signal, attributes: Attributes): Promise<string> {
  if (signal === 'span' || signal === 'event') {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const span = provider.getTracer('t').startSpan('op');
    if (signal === 'span') span.setAttributes(attributes);
    else span.addEvent('e', attributes);
    span.end();
    await provider.forceFlush();
    const text = Buffer.from(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans())!).toString();
    await provider.shutdown();
    return text;
  }
  if (signal === 'log' || signal === 'log-body') {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
    });
    const logger = provider.getLogger('l');
    if (signal === 'log') logger.emit({ body: 'b', attributes });
    else logger.emit({ body: attributes as never });
    await provider.forceFlush();
    const text = Buffer.from(JsonLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!).toString();
    await provider.shutdown();
    return text;
  }
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  provider.getMeter('m').createCounter('app.orders').add(1, attributes);
  await reader.forceFlush();
  const text = exporter
    .getMetrics()
    .map((rm) => Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!).toString())
    .join('\n');
  await provider.shutdown();
  return text;
}

describe('outside attack: numbers written as digit strings under keys that name them', () => {
  it('phone numbers, SSNs and cards as strings are masked like numbers, in every placement and signal', async () => {
    await fc.assert(
      fc.asyncProperty(
        canary,
        fc.nat(1),
        fc.constantFrom<Placement>('top', 'member', 'array'),
        fc.constantFrom<Signal>('span', 'event', 'log', 'log-body', 'metric'),
        async ([kind, number, word], form, placement, signal) => {
          const forms = written[kind];
          const value = forms[form % forms.length]!(number);
          const text = await exported(signal, placed(placement, word, value));
          expect(text).not.toContain(number);
          expect(text).not.toContain(value);
          // kept and masked, not dropped (span attributes and metric points carry no maps: a member is dropped there)
          if (placement !== 'member' || signal === 'log' || signal === 'log-body') expect(text).toContain('[REDACTED:');
        },
      ),
      fuzzParameters(150),
    );
  });

  it('a phone number or SSN as a number or string under a long key naming it far from the end is masked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(phone, keyWord(contextWords(PHONE_CONTEXT))),
          fc.tuple(ssn, keyWord(contextWords(SSN_CONTEXT))),
        ),
        fc.constantFrom('.details.primary.customer.value', '.records.latest.entry.verified.raw'),
        fc.boolean(),
        async ([number, word], tail, asNumber) => {
          const text = await exported('span', { [`app.${word}${tail}`]: asNumber ? Number(number) : number });
          expect(text).not.toContain(number);
        },
      ),
      fuzzParameters(60),
    );
  });

  it('the same digit strings under keys that name no phone or SSN are kept (counts, ids, amounts)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(phone, ssn),
        fc.constantFrom('app.count', 'app.order_id', 'app.amount', 'app.request.size', 'app.retry'),
        async (number, key) => {
          const text = await exported('span', { [key]: number });
          expect(text).toContain(number);
        },
      ),
      fuzzParameters(40),
    );
  });
});
