import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from './helpers/outside-attack';

// Markup an outside tester puts inside a value, sent through real SDK providers with the real privacy processors and
// the default policy as a log body, a log attribute, a span attribute and an event attribute. Before the markup view,
// a tag or comment anywhere inside an address (`jane.doe<!-- -->@example.com`, `jane.doe<span>@</span>example.com`)
// or a shell line continuation (`exam\` + line break + `ple.com`) hid it from every detector.
const pipelines = defaultPolicyPipelines();

const CANARIES = [
  'jane.doe@example.com',
  '4111 1111 1111 1111',
  'call +1 202-555-0143',
  'ssn 123-45-6789',
  'iban DE89 3704 0044 0532 0130 00',
];
/** Tags, comments and processing instructions of HTML, XML and templates; and a line continuation. */
const TAGS = ['<!-- -->', '<!---->', '<span>', '</span>', '<b>', '<br/>', '<i class="x">', '<?x?>', '</a >', '\\\n'];
const stripped = (s: string): string => s.replace(/<[A-Za-z!/?][^<>]{0,254}>|\\\r?\n/g, '');

/** A canary with tags put between some of its characters. */
const hidden = fc
  .tuple(
    fc.constantFrom(...CANARIES),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TAGS)), { minLength: 1, maxLength: 3 }),
  )
  .map(([canary, cuts]) => {
    const at = [...new Set(cuts.map(([p]) => 1 + (p % (canary.length - 1))))].sort((a, b) => b - a);
    let text = canary;
    for (const [k, p] of at.entries()) text = text.slice(0, p) + cuts[k]![1] + text.slice(p);
    return { canary, text };
  });

describe('markup inside a value', () => {
  it('does not hide it: no exported string holds the value once its tags are taken out', () => {
    fc.assert(
      fc.property(hidden, fc.constantFrom('', 'contact ', '<p>', 'x '), ({ canary, text }, before) => {
        const value = `${before}${text} ok`;
        for (const out of pipelines.roundTrip(value)) expect(stripped(out), value).not.toContain(canary);
      }),
      { numRuns: 150 },
    );
  });

  it('written with escapes (HTML entities, percent-encoding, JSON `\\u`): no exported string holds the value', () => {
    const escapes: readonly (readonly [string, string])[] = [
      ['&lt;', '&gt;'],
      ['&#60;', '&#62;'],
      ['&#x3C;', '&#x3e;'],
      ['%3C', '%3E'],
      ['\\u003c', '\\u003e'],
    ];
    const unescaped = (s: string): string =>
      escapes.reduce((t, [lt, gt]) => t.split(lt).join('<').split(gt).join('>'), s.replace(/&quot;/g, '"'));
    fc.assert(
      // continuations are not tags: only the angle brackets are escaped
      fc.property(
        hidden.filter(({ text }) => !text.includes('\\\n')),
        fc.constantFrom(...escapes),
        ({ canary, text }, [lt, gt]) => {
          const value = `contact ${text.split('<').join(lt).split('>').join(gt)} ok`;
          for (const out of pipelines.roundTrip(value)) expect(stripped(unescaped(out)), value).not.toContain(canary);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('finds nothing in markup without personal data', () => {
    for (const value of [
      '<p>Order <b>shipped</b></p>',
      'if a < b && c > d',
      '<!-- build 2026-12-07 -->',
      'line one \\\nline two',
      '<a href="/help">help</a>',
      'a &lt;b&gt; c &lt;/b&gt;',
      '&lt;your-password&gt; 5 &lt; 6',
      'x %3Cspan%3Ejane%3C/span%3E y',
    ])
      expect(pipelines.roundTrip(value).join('\n'), value).not.toContain('[REDACTED');
  });
});
