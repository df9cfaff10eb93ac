import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// An outside tester's second round, through real SDK providers with the real privacy processors and in-memory
// exporters (the exported OTLP/JSON requests are read whole):
// - identifiers next to a word joined by `.`, `-`, `_` or `/` (dotted keys and values such as
//   `customer.123-45-6789.visits`, `user_202-555-0143`, `reports/jane.doe@example.com.2024`), as attribute values, as
//   attribute key names under an allow glob and in log bodies;
// - international phone numbers written without their `+` after a phone word (`phone: 447700900123`,
//   `msisdn 44 7700 900123`) and as numbers under a phone key (`app.phone = 447700900123`).
// All canaries are fake (555 exchanges, example.com, ranges reserved for drama).
process.env.OTEL_PRIVACY_HMAC_KEY ??= `base64:${Buffer.alloc(32, 0x5b).toString('base64')}`; // fake test key
const pipelines = privacyPipelines(
  definePolicy({
    version: 1,
    attributes: { allow: ['app.*'] },
    logs: { attributes: { allow: ['log.body', 'app.*'] } },
    values: { detectors: 'all' },
  }),
);
const { tracerProvider, loggerProvider } = pipelines;

/** Every exported attribute key, string and number, log bodies included (the helper resets the exporters). */
function exported(): string[] {
  const out: string[] = [];
  for (const line of pipelines.exportedJson().split('\n'))
    JSON.parse(line, (key, value: unknown) => {
      if ((key === 'stringValue' || key === 'key') && typeof value === 'string') out.push(value);
      if ((key === 'intValue' || key === 'doubleValue') && value !== undefined) out.push(String(value));
      return value;
    });
  return out;
}

/** Sends `text` as an attribute value, an attribute key under `app.*`, a span event and a log body and attribute. */
function roundTrip(text: string): string[] {
  const span = tracerProvider.getTracer('attack').startSpan('work', { attributes: { 'app.note': text } });
  span.setAttribute(`app.${text}`, 1);
  span.addEvent('note', { 'app.note': text });
  span.end();
  loggerProvider.getLogger('attack').emit({ body: text, attributes: { 'app.note': text } });
  return exported();
}

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
/** Whether the letters and digits of `canary` survive, in order, in any exported string. */
const survives = (out: string[], canary: string) => out.some((s) => alnum(s).includes(alnum(canary)));

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const ssn = fc
  .tuple(fc.integer({ min: 1, max: 665 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .filter(([a, g, s]) => !(a === 78 && g === 5 && s === 1120) && !(a === 219 && g === 9 && s === 9999))
  .map(([a, g, s]) => `${String(a).padStart(3, '0')}-${String(g).padStart(2, '0')}-${String(s).padStart(4, '0')}`);
const nanp = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 8 }), digits(1), fc.integer({ min: 2, max: 9 }))
  .chain(([a0, a1, a2, e0]) =>
    fc.tuple(fc.constant(`${a0}${a1}${a2}`), fc.constant(`${e0}55`), digits(4), fc.constantFrom('-', '.', ')')),
  )
  .map(([area, exch, line, form]) =>
    form === ')' ? `(${area}) ${exch}-${line}` : [area, exch, line].join(form === '.' ? '.' : '-'),
  );
const email = fc
  .tuple(fc.stringMatching(/^[a-z]{2,8}$/), fc.stringMatching(/^[a-z]{2,8}$/), fc.constantFrom('com', 'org', 'net'))
  .map(([a, b, tld]) => `${a}.${b}@example.${tld}`);
/** A word before an identifier: letters, maybe digits inside, ending with a letter (`x`, `customer`, `user2a`). */
const wordBefore = fc.stringMatching(/^[a-z](?:[a-z0-9]{0,6}[a-z])?$/);
/** A word after an identifier, starting with a letter (`json`, `visits`, `v2`). */
const wordAfter = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const joiner = fc.constantFrom('.', '-', '_', '/');

describe('identifiers joined to words by . - _ /', () => {
  it('an SSN or a North American phone number with a word on either side is not exported', () => {
    fc.assert(
      fc.property(
        fc.oneof(ssn, nanp),
        wordBefore,
        joiner,
        wordAfter,
        joiner,
        fc.constantFrom('before', 'after', 'both'),
        (id, before, j1, after, j2, where) => {
          // A word and `-` before an SSN make a product code (`SKU-123-45-6789`, exported as written): `.` there.
          const left = j1 === '-' && /^\d{3}-\d\d-/.test(id) ? '.' : j1;
          const text = (where === 'after' ? '' : before + left) + id + (where === 'before' ? '' : j2 + after);
          expect(survives(roundTrip(text), id), text).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('an e-mail address followed by a dot and a label that is no top-level domain is not exported', () => {
    fc.assert(
      fc.property(
        email,
        fc.oneof(fc.stringMatching(/^[a-z]?[0-9]{1,4}[a-z0-9]{0,3}$/), fc.stringMatching(/^[a-z]$/)),
        fc.constantFrom('', 'reports/', 'user:', 'k.'),
        (address, label, prefix) => {
          const text = `${prefix}${address}.${label}`;
          expect(survives(roundTrip(text), address), text).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** Country codes outside zone 1 (NANP is covered elsewhere) and the unassigned ranges. */
const countryCode = fc.constantFrom(
  '44',
  '33',
  '49',
  '34',
  '39',
  '31',
  '91',
  '81',
  '61',
  '86',
  '55',
  '353',
  '420',
  '7',
);
const international = fc
  .tuple(countryCode, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 8, max: 11 }))
  .chain(([cc, lead, rest]) =>
    fc.tuple(
      fc.constant(cc),
      digits(rest).map((d) => `${lead}${d}`),
    ),
  )
  .filter(([cc, subscriber]) => cc.length + subscriber.length <= 15);
const grouped = (cc: string, subscriber: string, sep: string) =>
  [cc, ...subscriber.match(/.{1,4}/g)!].join(sep === '' ? '' : sep);
const phoneWord = fc.constantFrom('phone: ', 'tel:', 'mobile ', 'msisdn=', 'call ', 'Contact phone ', 'whatsapp ');

describe('international phone numbers without their + in a phone context', () => {
  it('after a phone word, unformatted or grouped, are not exported', () => {
    fc.assert(
      fc.property(phoneWord, international, fc.constantFrom('', ' ', '-'), (word, [cc, subscriber], sep) => {
        const text = word + grouped(cc, subscriber, sep);
        expect(survives(roundTrip(text), cc + subscriber), text).toBe(false);
      }),
      { numRuns: 120 },
    );
  });

  it('as numbers and digit strings under a phone key, are not exported', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('app.phone', 'app.mobile', 'app.msisdn', 'app.contact.tel', 'app.caller_number'),
        international,
        fc.boolean(),
        (key, [cc, subscriber], asNumber) => {
          const value = asNumber ? Number(cc + subscriber) : cc + subscriber;
          tracerProvider
            .getTracer('attack')
            .startSpan('work', { attributes: { [key]: value } })
            .end();
          loggerProvider.getLogger('attack').emit({ body: 'x', attributes: { [key]: value } });
          expect(survives(exported(), cc + subscriber), `${key}=${value}`).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('names in URL paths (the default policy)', () => {
  const web = privacyPipelines(defaultPolicy());
  const name = fc.stringMatching(/^[A-Z][a-z]{1,9}$/);

  it('a path segment holding a space, raw or percent-encoded, is written {id}', () => {
    fc.assert(
      fc.property(
        fc.array(name, { minLength: 2, maxLength: 3 }),
        fc.constantFrom('%20', ' '),
        fc.constantFrom('/u/', '/files/', '/api/v1/people/'),
        fc.constantFrom('', '/settings', '.pdf'),
        (words, space, before, after) => {
          const segment = words.join(space);
          const path = `${before}${segment}${after}`;
          // A span name is read word by word, so a raw space there ends the path (`GET /u/Jane Doe`: a documented
          // limit); the encoded form is one word.
          const spanName = space === ' ' ? 'GET' : `GET ${path}`;
          const span = web.tracerProvider.getTracer('web').startSpan(spanName, {
            attributes: { 'url.path': path, 'url.full': `https://shop.example.com${path}?q=1`, 'http.route': path },
          });
          span.end();
          const out = web.exportedJson();
          expect(out, path).not.toContain(words.join('%20'));
          expect(out, path).not.toContain(words.join(' '));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('look-alikes stay as written', () => {
  it.each([
    'v1.202.555', // a version
    'build 2024-01-15.log', // a date in a file name
    '1.123.45.6789', // a dotted number sequence (`1.123-45-6789` is an SSN after a number and `.`)
    'rows 447700900123', // a long count without a phone word
    'lodash@4.17.21', // a package version
    'orders.count',
  ])('%s', (text) => {
    const out = roundTrip(text);
    expect(out).toContain(text);
  });
});
