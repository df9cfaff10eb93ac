import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy } from '../../index';
import type { PolicyDocument } from '../../index';
import { AttributeRules } from '../../engine/attribute-rules';
import { AttributeRedactor } from '../../engine/attribute-redactor';
import type { RedactorTools, ValueScanner } from '../../engine/attribute-redactor';
import { sanitizeSql } from '../../engine/sanitizers/sql-sanitizer';
import { createUrlSanitizer } from '../../engine/sanitizers/url-sanitizer';
import { TwoGenerationCache } from '../../engine/two-generation-cache';

// The hot-path caches must never change a result: not across generations, not past their bounds,
// and never across a hot reload (every cache belongs to one compiled policy).

const HMAC_KEY = 'fake-hmac-key-for-cache-tests-0123456789';
beforeEach(() => {
  process.env.OTEL_PRIVACY_CACHE_TEST_HMAC = HMAC_KEY;
});
afterEach(() => {
  delete process.env.OTEL_PRIVACY_CACHE_TEST_HMAC;
});

const urls = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `https://fake-user:fake-pass@shop.example/users/${i}/orders?page=${i % 7}&token=fake-${i}&q=x`,
  );

describe("the engine's output cache for a rule with a transform", () => {
  const counting = (transform: (v: string) => string) => {
    const counter = { calls: 0, apply: (v: string) => (counter.calls++, transform(v)) };
    return counter;
  };
  const engine = (
    url: { apply: (v: string) => string },
    sql: { apply: (v: string) => string },
    scanner?: ValueScanner,
  ) =>
    new AttributeRedactor(
      new AttributeRules(
        { allow: ['url.full', 'db.statement'], hash: [], encrypt: [], drop: [], generalize: {}, default: 'drop' },
        'test',
        {
          url: { keys: ['url.full'], apply: url.apply },
          statement: { keys: ['db.statement'], apply: (v) => sql.apply(v) },
        },
      ),
      { scanner, transforms: {} },
    );

  it('stores an input at its second sighting, serves it while it stays cached, never caches long inputs', () => {
    const urlSanitizer = createUrlSanitizer({ sensitiveParams: ['token'] });
    const url = counting(urlSanitizer);
    const s = engine(url, counting(sanitizeSql));
    const inputs = [...urls(2500), `https://shop.example/${'a'.repeat(300)}?token=fake`];
    const long = inputs.length - 1;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < inputs.length; i++) {
        const u = inputs[i];
        const before = url.calls;
        const first = s.sanitizeValue('url.full', u);
        expect(first).toBe(urlSanitizer(u));
        expect(s.sanitizeValue('url.full', u)).toBe(first);
        // third sighting in a row: a hit, except for the long input (over 256 characters), transformed every time
        expect(s.sanitizeValue('url.full', u)).toBe(first);
        if (round === 0)
          expect(url.calls - before).toBe(i === long ? 3 : 2); // seen once: not stored
        else expect(url.calls - before).toBeLessThanOrEqual(i === long ? 3 : 2);
      }
    }
    // 2 501 distinct inputs cycled through two generations of 1 024: in later rounds each retired input is
    // transformed again at its first call (stored again then, as it was offered before) or, when another input
    // took its slot of the admission table, at its first two calls.
    expect(url.calls).toBeGreaterThanOrEqual(2 * inputs.length + 2 * (inputs.length + 2));
    expect(url.calls).toBeLessThanOrEqual(2 * inputs.length + 4 * inputs.length);
  });

  it('does not keep a raw value seen once (admission on the second sighting)', () => {
    const s = engine(counting(createUrlSanitizer({ sensitiveParams: ['token'] })), counting(sanitizeSql));
    const cachedKeys = () =>
      [...(s as unknown as { outputs: Map<unknown, object> }).outputs.values()].flatMap((cache) =>
        Object.values(cache)
          .filter((v): v is Map<string, string> => v instanceof Map)
          .flatMap((m) => [...m.keys()]),
      );
    const once = 'https://shop.example/users/4711/orders?token=fake-once';
    s.sanitizeValue('url.full', once);
    expect(cachedKeys()).not.toContain(once);
    s.sanitizeValue('url.full', once);
    expect(cachedKeys()).toContain(once);
  });

  it('serves a repeated statement from the cache, and transforms a value with findings every time', () => {
    const sql = counting(sanitizeSql);
    const s = engine(
      counting((v) => v),
      sql,
      (v) => v.replaceAll('fake-secret', '[REDACTED]'),
    );
    const q = "SELECT * FROM users WHERE email = 'fake@example.com' AND id = 42";
    expect(s.sanitizeValue('db.statement', q)).toBe('SELECT * FROM users WHERE email = ? AND id = ?');
    expect(
      s.sanitizeValue('db.statement', `SELECT * FROM users WHERE email = 'fake@example.com' AND id = ${40 + 2}`),
    ).toBe('SELECT * FROM users WHERE email = ? AND id = ?');
    expect(sql.calls).toBe(2); // stored at its second sighting
    expect(s.sanitizeValue('db.statement', q)).toBe('SELECT * FROM users WHERE email = ? AND id = ?');
    expect(sql.calls).toBe(2);
    for (let i = 0; i < 3; i++)
      expect(s.sanitizeValue('db.statement', 'SELECT x FROM fake-secret')).toBe('SELECT x FROM [REDACTED]');
    expect(sql.calls).toBe(5);
  });
});

describe('caches and hot reload', () => {
  const doc = (sensitiveParams: string[], extra: Partial<PolicyDocument> = {}): PolicyDocument => ({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'OTEL_PRIVACY_CACHE_TEST_HMAC' } },
    attributes: { allow: ['url.full', 'db.statement', 'note'], hash: ['user.id'] },
    values: { detectors: 'all' },
    // denylist: only the sensitive parameters are redacted, so a change of that list shows in the output
    sanitizers: {
      url: { attributes: ['url.full'], sensitiveParams, params: { mode: 'denylist' } },
      sql: { attributes: ['db.statement'] },
    },
    ...extra,
  });

  it('a replaced policy never serves results cached under the old one (URL, SQL, scanning, pseudonyms)', async () => {
    const policy = definePolicy(doc(['alpha']));
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const tracer = provider.getTracer('t');
    const attrs = {
      'url.full': 'https://shop.example/a?alpha=1&beta=2',
      'db.statement': "SELECT 1 FROM t WHERE a = 'x'",
      note: 'call 202-555-0143',
      'user.id': 'fake-user-1',
    };
    for (let i = 0; i < 3; i++) tracer.startSpan('s').setAttributes(attrs).end();
    // New rules: another sensitive parameter, no SQL sanitizer, no value scanning, another key.
    process.env.OTEL_PRIVACY_CACHE_TEST_HMAC = 'another-fake-hmac-key-for-cache-tests-0123';
    policy.replaceWith(
      definePolicy({
        ...doc(['beta']),
        keys: { hmac: { id: 'k2', env: 'OTEL_PRIVACY_CACHE_TEST_HMAC' } },
        values: undefined,
        sanitizers: { url: { attributes: ['url.full'], sensitiveParams: ['beta'], params: { mode: 'denylist' } } },
      }),
    );
    tracer.startSpan('s').setAttributes(attrs).end();
    const spans = exporter.getFinishedSpans();
    const old = spans[2].attributes;
    const now = spans[3].attributes;
    expect(old['url.full']).toBe('https://shop.example/a?alpha=REDACTED&beta=2');
    expect(now['url.full']).toBe('https://shop.example/a?alpha=1&beta=REDACTED');
    expect(old['db.statement']).toBe('SELECT ? FROM t WHERE a = ?');
    expect(now['db.statement']).toBe("SELECT 1 FROM t WHERE a = 'x'");
    expect(old.note).toBe('call [REDACTED:phone]');
    expect(now.note).toBe('call 202-555-0143');
    expect(String(old['user.id'])).toMatch(/^k1:/);
    expect(String(now['user.id'])).toMatch(/^k2:/);
    expect(spans[0].attributes).toEqual(old);
    await provider.shutdown();
  });
});

describe('per-position decision memo and span attribute objects', () => {
  const doc: PolicyDocument = {
    version: 1,
    keys: { hmac: { id: 'k1', env: 'OTEL_PRIVACY_CACHE_TEST_HMAC' } },
    attributes: {
      allow: ['http.*', 'a.*', '__proto__'],
      hash: ['user.id'],
      drop: ['a.secret'],
      generalize: { 'client.address': 'ip-prefix' },
    },
  };

  it('gives every key its own decision whatever order keys arrive in (positions reused by other keys)', () => {
    const s = definePolicy(doc).sanitizer('traces');
    const fresh = () => definePolicy(doc).sanitizer('traces');
    const shapes = [
      { 'http.route': '/a', 'user.id': 'fake-user-1', 'a.secret': 'x', 'client.address': '198.51.100.7' },
      { 'a.secret': 'x', 'client.address': '198.51.100.7', 'http.route': '/a', 'user.id': 'fake-user-1' },
      { 'user.id': 'fake-user-1', other: 'dropped', 'http.route': '/a' },
      {
        'client.address': '198.51.100.7',
        'http.route': '/a',
        'a.secret': 'x',
        'user.id': 'fake-user-1',
        'a.b': 'kept',
      },
    ];
    for (let round = 0; round < 3; round++)
      for (const attrs of shapes) expect(s.sanitize(attrs)).toEqual(fresh().sanitize(attrs));
    expect(s.sanitize(shapes[1])).toEqual({
      'client.address': '198.51.100.0',
      'http.route': '/a',
      'user.id': expect.stringMatching(/^k1:/),
    });
    // Counts are per decision, memo or not: 3 rounds x 4 shapes, plus the last call.
    const stats = definePolicy(doc);
    const t = stats.sanitizer('traces');
    for (let i = 0; i < 5; i++) t.sanitize(shapes[i % 2]);
    expect(stats.ruleStats().find((r) => r.rule === 'drop "a.secret"')?.count).toBe(5);
    expect(stats.ruleStats().find((r) => r.rule === 'hash "user.id"')?.count).toBe(5);
  });

  it('exported spans carry plain objects with every kept key (more than fit a plain literal in fast mode)', async () => {
    const policy = definePolicy(doc);
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const span = provider
      .getTracer('t')
      .startSpan('s', { attributes: { 'http.route': '/a', 'user.id': 'fake-user-1', dropped: 'x' } });
    for (let i = 0; i < 40; i++) span.setAttribute(`a.k${i}`, `v${i}`);
    span.end();
    const out = exporter.getFinishedSpans()[0].attributes;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['http.route', 'user.id', ...Array.from({ length: 40 }, (_, i) => `a.k${i}`)]);
    expect(out['user.id']).toMatch(/^k1:/);
    expect(out['a.k39']).toBe('v39');
    await provider.shutdown();
  });
});

describe("the engine's cache of clean transformed and generalized values", () => {
  const doc: PolicyDocument = {
    version: 1,
    attributes: { allow: ['url.full'], generalize: { 'client.address': 'ip-prefix' } },
    values: { detectors: 'all' },
    // denylist: values of other parameters stay, for the value detectors to find
    sanitizers: { url: { attributes: ['url.full'], sensitiveParams: ['token'], params: { mode: 'denylist' } } },
  };

  it('returns what an empty cache would, across generations (5 000 distinct values, three passes)', () => {
    const cached = definePolicy(doc).sanitizer('traces');
    const attrs = (i: number) => ({
      'url.full': `https://shop.example/users/${i}/orders?token=fake-${i}&page=${i % 3}`,
      'client.address': i % 2 ? `198.51.${i % 200}.${i % 250}` : `2001:db8:${(i % 65536).toString(16)}::${i}`,
    });
    for (let pass = 0; pass < 3; pass++) {
      for (let i = 0; i < 5000; i += pass + 1) {
        const fresh = definePolicy(doc).sanitizer('traces').sanitize(attrs(i)); // nothing cached
        expect(cached.sanitize(attrs(i))).toEqual(fresh);
      }
    }
  });

  it('never caches a value with findings: every occurrence is scanned and counted', () => {
    const policy = definePolicy(doc);
    const s = policy.sanitizer('traces');
    const leaky = 'https://shop.example/contact?to=fake.person@example.com&token=fake';
    const outs = [1, 2, 3].map(() => s.sanitize({ 'url.full': leaky })['url.full']);
    expect(outs[0]).not.toContain('fake.person@example.com');
    expect(outs[0]).not.toContain('token=fake');
    expect(new Set(outs).size).toBe(1);
    expect(policy.counters.findings.email).toBe(3);
  });

  it('keeps the findings tally equal to the sum of the findings record (the caches read it to tell "found nothing")', () => {
    // Every path that counts: the scanner on values and on the raw form of rewritten URLs and statements, an unscanned
    // tail, keys holding findings, undecodable bytes dropped; in several kinds of values, repeated so caches fill.
    const policy = definePolicy({
      version: 1,
      attributes: { allow: ['url.full', 'db.statement', 'note', 'blob', 'map', 'map.*'], default: 'drop' },
      values: { detectors: 'all', maxScanLength: 120 },
      sanitizers: {
        url: { attributes: ['url.full'], params: { mode: 'denylist' } },
        sql: { attributes: ['db.statement'] },
      },
    });
    const tools = (policy as unknown as { current: { tools: RedactorTools } }).current.tools;
    const s = policy.sanitizer('traces');
    const secret = fc.constantFrom(
      'fake.person@example.com',
      '4111 1111 1111 1111',
      'AKIAABCDEFGHIJKLMNOP',
      '192.0.2.44',
      'Bearer fake0123456789abcdef',
      'plain',
      '',
    );
    const sum = () => Object.values(tools.findings!).reduce((a, b) => a + b, 0);
    expect(tools.findingTally!.total).toBe(0);
    fc.assert(
      fc.property(secret, secret, fc.nat(3), fc.boolean(), fc.boolean(), (a, b, pad, bytes, key) => {
        const attrs: Record<string, unknown> = {
          'url.full': `https://shop.example/u/${a}/x?q=${b}&page=${pad}`,
          'db.statement': `SELECT * FROM t WHERE a = '${a}' AND b = ${pad}`,
          note: `${a} and ${b}` + 'x'.repeat(pad * 40),
        };
        if (bytes) attrs.blob = new Uint8Array([0xff, 0xfe, pad]);
        if (key) attrs[a === '' ? 'map' : `map.${a}`] = 'v';
        s.sanitize(attrs as never);
        expect(tools.findingTally!.total).toBe(sum());
      }),
      { numRuns: 400, seed: 18 },
    );
    expect(sum()).toBeGreaterThan(0);
  });

  it('counts a finding every time even when the masked value equals the scanned text', () => {
    // The text already holds what masking its unscanned tail writes: output === input, yet a finding.
    const policy = definePolicy({ ...doc, values: { detectors: 'all', maxScanLength: 40 } });
    const s = policy.sanitizer('traces');
    const value = 'https://shop.example/orders/list?a=b&c= [REDACTED:unscanned]';
    for (let i = 0; i < 3; i++) s.sanitize({ 'url.full': value });
    expect(policy.counters.findings.unscanned).toBe(3);
  });
});

describe('admission on the second sighting when nothing repeats (sampling)', () => {
  const stored = (c: TwoGenerationCache<string>) =>
    Object.values(c)
      .filter((v): v is Map<string, string> => v instanceof Map)
      .flatMap((m) => [...m.keys()]);
  const offer = (c: TwoGenerationCache<string>, key: string) => {
    const hit = c.get(key);
    if (hit === undefined) c.set(key, `out:${key}`);
    return hit;
  };

  it('after a phase of one-off values hashes few offers, stores nothing seen once, and admits repeats again', () => {
    const c = new TwoGenerationCache<string>(1024, { admitOnSecondSighting: true });
    // Cold: 3 generations of the admission table of distinct values (100 000 users' URLs).
    for (let i = 0; i < 3 * 4096; i++) offer(c, `https://shop.example/users/${i}/orders?token=fake-${i}`);
    expect(stored(c)).toEqual([]);
    // Sampling: a value offered twice is mostly not stored at its second sighting any more.
    const twice = Array.from({ length: 200 }, (_, i) => `fake-twice-${i}`);
    for (const k of twice) offer(c, k);
    for (const k of twice) offer(c, k);
    const early = twice.filter((k) => stored(c).includes(k)).length;
    expect(early).toBeLessThan(50);
    // Still never a value seen once.
    const once = Array.from({ length: 500 }, (_, i) => `fake-once-${i}`);
    for (const k of once) offer(c, k);
    expect(stored(c).filter((k) => k.startsWith('fake-once-'))).toEqual([]);
    // Repeats come back (1 000 users): every one is stored after a few sightings and then served from the cache.
    const users = Array.from({ length: 1000 }, (_, i) => `fake-user-${i}`);
    for (let round = 0; round < 40; round++) for (const k of users) offer(c, k);
    for (const k of users) expect(c.get(k)).toBe(`out:${k}`);
    // Full admission again: a new value is stored at exactly its second sighting.
    expect(offer(c, 'fake-new-value')).toBeUndefined();
    expect(stored(c)).not.toContain('fake-new-value');
    expect(offer(c, 'fake-new-value')).toBeUndefined();
    expect(c.get('fake-new-value')).toBe('out:fake-new-value');
  });

  it('does not sample after a generation of the admission table in which values repeated', () => {
    // 128 entries: the admission table's generation spans 512 new values; one second sighting in it is enough.
    const c = new TwoGenerationCache<string>(128, { admitOnSecondSighting: true });
    // Every value comes twice in a row, across three generations of the admission table: each is stored at its
    // second sighting, so no generation is one without repeats and sampling never starts.
    for (let i = 0; i < 3 * 512 + 40; i++) {
      const k = `fake-pair-${i}`;
      expect(offer(c, k)).toBeUndefined();
      expect(offer(c, k)).toBeUndefined();
      expect(c.get(k)).toBe(`out:${k}`);
    }
  });

  it('keeps the admission window while sampling: values coming back after more offers than it spans stay out', () => {
    // 100 000 users in small: 20 000 distinct values in a cycle, far more than the 2 × 4 096 offers the table spans.
    const c = new TwoGenerationCache<string>(1024, { admitOnSecondSighting: true });
    for (let round = 0; round < 4; round++) for (let i = 0; i < 20_000; i++) offer(c, `fake-user-${i}`);
    expect(stored(c)).toEqual([]);
  });
});
