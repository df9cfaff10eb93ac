import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from './helpers/outside-attack';

// An outside attack round's e-mail forms, through real SDK providers with the privacy processors and the DEFAULT
// policy: a local part ending with a dot or an RFC 5322 atext symbol (`jane.doe.@docomo.ne.jp`, `jane.doe!@…`), braces
// in it (`{jane.doe}@…`, `jane{doe}@…`), a domain label holding `_` or starting or ending with `-`
// (`@sub_domain.example.com`, `@-example.com`), and a local part written with ` dot ` before ` at `. Each is sent as a
// log body, a span's `error.type` (kept by the default policy), an event name, a span name, a log record's severity
// text and event name: no word of the local part and no `@` may be exported in any of them, and the prose around the
// address is (the value went through).
const pipelines = defaultPolicyPipelines();

/** The fields the attack wrote to. */
const FIELDS: Record<string, (v: string) => void> = {
  'log body': (v) => pipelines.loggerProvider.getLogger('attack').emit({ body: v }),
  'error.type': (v) =>
    pipelines.tracerProvider
      .getTracer('attack')
      .startSpan('op', { attributes: { 'error.type': v } })
      .end(),
  'event name': (v) => {
    const span = pipelines.tracerProvider.getTracer('attack').startSpan('op');
    span.addEvent(v);
    span.end();
  },
  'span name': (v) => pipelines.tracerProvider.getTracer('attack').startSpan(v).end(),
  'severity text': (v) => pipelines.loggerProvider.getLogger('attack').emit({ body: 'x', severityText: v }),
  'log event name': (v) => pipelines.loggerProvider.getLogger('attack').emit({ body: 'x', eventName: v }),
};

/** Sends `text` to each field alone; returns, per field, the strings exported (names, string values, texts). */
function exportedPerField(text: string): [string, string[]][] {
  return Object.entries(FIELDS).map(([field, write]) => {
    write(text);
    const strings: string[] = [];
    for (const line of pipelines.exportedJson().split('\n'))
      JSON.parse(line, (key, value: unknown) => {
        if (['name', 'stringValue', 'severityText', 'eventName'].includes(key) && typeof value === 'string')
          strings.push(value);
        return value;
      });
    return [field, strings];
  });
}

const PROSE = 'password reset requested for';

/** `text` (prose, the address, prose) exported with no word of `words` and no `@`, the prose kept in every field. */
function expectHeld(text: string, words: string[]): void {
  for (const [field, strings] of exportedPerField(text)) {
    const all = strings.join('\n');
    const where = `${JSON.stringify(text)} in ${field} → ${JSON.stringify(strings)}`;
    expect(all, where).toContain(PROSE);
    expect(all, where).not.toContain('@');
    for (const w of words) expect(all, where).not.toContain(w);
  }
}

/** Fake names of four letters or more that no prose, key or mask of this test holds. */
const name = fc.constantFrom('jane', 'doe', 'taro', 'yamada', 'hanako', 'suzuki', 'jdoe', 'marta', 'kowalska');
const names = fc.array(name, { minLength: 1, maxLength: 3 });
const join = fc.constantFrom('.', '-', '_', '+');
const TAIL = [...'.!=~#$&*?^|/'];

describe('outside attack: e-mail local parts at the edges of RFC 5322 (default policy)', () => {
  it('a dot or atext symbols right before the @: nothing of the address is exported', () => {
    fc.assert(
      fc.property(
        names,
        join,
        fc.array(fc.constantFrom(...TAIL), { minLength: 1, maxLength: 2 }),
        fc.constantFrom('example.com', 'docomo.ne.jp', 'example.co.uk', 'example.org'),
        (w, j, t, d) => expectHeld(`${PROSE} ${w.join(j)}${t.join('')}@${d} today`, w),
      ),
      { numRuns: 40 },
    );
  });

  it('braces in pairs anywhere in the local part, or a } before the @: nothing of the address is exported', () => {
    const braced = fc.constantFrom(
      (w: string[]) => `{${w.join('.')}}`,
      (w: string[]) => `{${w[0]}}${w.slice(1).join('.')}`,
      (w: string[]) => `${w.slice(0, -1).join('.')}{${w[w.length - 1]}}`,
      (w: string[]) => `${w.join('.')}}`,
    );
    fc.assert(
      fc.property(fc.array(name, { minLength: 2, maxLength: 3 }), braced, (w, f) =>
        expectHeld(`${PROSE} ${f(w)}@example.com today`, w),
      ),
      { numRuns: 30 },
    );
  });

  it('the attack examples', () => {
    for (const l of ['jane.doe.', 'jane.doe!', 'jane.doe=', 'jane.doe~', 'jane.doe#', 'jane.doe&', 'jane.doe?'])
      expectHeld(`${PROSE} ${l}@example.com`, ['jane', 'doe']);
    for (const l of ['jane.doe/', '{jane.doe}', 'jane{doe}', 'jane.doe$', 'jane.doe*', 'jane.doe^', 'jane.doe|'])
      expectHeld(`${PROSE} ${l}@example.com`, ['jane', 'doe']);
    expectHeld(`${PROSE} jane.doe.@docomo.ne.jp`, ['jane', 'doe']);
  });
});

describe('outside attack: e-mail domains with _ or an edge - in a label (default policy)', () => {
  it('a label changed anywhere before the top-level domain: nothing of the local part is exported', () => {
    const label = fc.constantFrom('example', 'shop', 'mail', 'sub');
    const changed = fc.tuple(label, label).chain(([x, y]) => fc.constantFrom(`${x}_${y}`, `-${x}`, `${x}-`, `-${x}-`));
    fc.assert(
      fc.property(
        names,
        join,
        fc.array(label, { maxLength: 2 }),
        changed,
        fc.nat(2),
        fc.constantFrom('com', 'org', 'jp', 'co.uk'),
        (w, j, labels, c, at, t) => {
          const parts: string[] = [...labels];
          parts.splice(Math.min(at, parts.length), 0, c);
          expectHeld(`${PROSE} ${w.join(j)}@${parts.join('.')}.${t} now`, w);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the attack examples', () => {
    for (const d of ['sub_domain.example.com', 'example_shop.com', 'example-.com', '-example.com'])
      expectHeld(`${PROSE} jane.doe@${d} now`, ['jane', 'doe']);
  });
});

describe('outside attack: look-alikes are no e-mail address (default policy)', () => {
  it('npm specs, scopes, assets, digests, hosts without a top-level domain, mentions, a URL path at @', () => {
    for (const text of [
      'installed lodash@4.17.21',
      'installed @scope/pkg',
      'loaded icon@2x.png',
      'pulled img@sha256:abcdef0123',
      'ssh user@localhost',
      'ping @jane please',
      'module node_modules/@types/node',
      'see https://medium.com/@jane.doe now',
      'loaded clip@2x.mp4-.x',
    ])
      for (const [field, strings] of exportedPerField(text))
        expect(strings.join('\n'), `${text} in ${field}`).not.toContain('[REDACTED:email]');
  });
});

describe('outside attack: a local part written with ` dot ` (default policy)', () => {
  it('its words are not exported', () => {
    fc.assert(
      fc.property(
        fc.array(name, { minLength: 2, maxLength: 3 }),
        fc.constantFrom(' dot ', '[dot]', ' (dot) '),
        fc.constantFrom(' at ', ' (at) ', '[at]'),
        (w, d, a) => expectHeld(`${PROSE} ${w.join(d)}${a}example dot com now`, w),
      ),
      { numRuns: 30 },
    );
    expectHeld(`${PROSE} jane dot doe at example dot com`, ['jane', 'doe']);
  });
});
