import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskJsonValues } from '../../../engine/sanitizers/json-values';

/**
 * A differential oracle for `maskJsonValues`, written from docs/statements.md (MongoDB / Elasticsearch) and the
 * function's doc comment, not from its code: documents are generated as trees and written out twice, once as input
 * and once as the expected output. Every value (string, number in any JSON or shell notation, `true`/`false`/`null`,
 * bare word, `/regex/`, the argument of `ObjectId("…")`) becomes `"?"`; keys, function names, structure and white
 * space stay; an array of nothing but values (more than one) becomes `["?"]`, unless it is nested deeper than 256
 * arrays (still masked, no longer collapsed); a key, or a `.` segment of one, with nine or more significant digits in
 * a row becomes `?`.
 */
type Node =
  | { k: 'v'; raw: string }
  | { k: 'call'; name: string; arg: string }
  | { k: 'a'; items: Node[]; w: string[] }
  | { k: 'o'; members: { key: string; value: Node }[]; w: string[] };

const MAX_TRACKED_ARRAYS = 256;
const IDENT_DIGITS = /[1-9][0-9]{8}/;

/** The expected key: `.` segments with an identifier number written `?`, quotes kept. */
function maskedKey(raw: string): string {
  const q = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  const inner = q ? raw.slice(1, -1) : raw;
  if (!IDENT_DIGITS.test(inner)) return raw;
  return (
    q +
    inner
      .split('.')
      .map((s) => (IDENT_DIGITS.test(s) ? '?' : s))
      .join('.') +
    q
  );
}

const at = (w: string[], i: number) => w[i % w.length];

function render(node: Node, masked: boolean, depth = 0): string {
  switch (node.k) {
    case 'v':
      return masked ? '"?"' : node.raw;
    case 'call':
      return `${node.name}(${masked ? '"?"' : node.arg})`;
    case 'a': {
      const d = depth + 1;
      if (masked && d <= MAX_TRACKED_ARRAYS && node.items.length > 1 && node.items.every((x) => x.k === 'v'))
        return '["?"]';
      const inner = node.items.map((x, i) => at(node.w, i) + render(x, masked, d) + at(node.w, i + 1));
      return `[${inner.join(',') || at(node.w, 0)}]`;
    }
    case 'o': {
      const inner = node.members.map(
        (m, i) =>
          at(node.w, i) +
          (masked ? maskedKey(m.key) : m.key) +
          at(node.w, i + 1) +
          ':' +
          at(node.w, i + 2) +
          render(m.value, masked, depth) +
          at(node.w, i + 3),
      );
      return `{${inner.join(',') || at(node.w, 0)}}`;
    }
  }
}

// Transformation operators around the rules' edges.
const digitRun = fc
  .tuple(fc.constantFrom('', '0', '00'), fc.integer({ min: 7, max: 11 }), fc.integer({ min: 1, max: 9 }))
  .map(([zeros, len, first]) => zeros + String(first) + '2025550143'.repeat(2).slice(0, len - 1));
const keySegment = fc.oneof(
  fc.stringMatching(/^[a-z_$][a-z0-9_$]{0,6}$/),
  fc.tuple(fc.stringMatching(/^[a-z_]{0,4}$/), digitRun, fc.stringMatching(/^[a-z_]{0,3}$/)).map((p) => p.join('')),
  fc.constantFrom('$gt', '$in', 'match', 'bool', 'é', 'k\u00e9y', 'x1'),
);
const keyText = fc.array(keySegment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.'));

const ws = (shell: boolean) =>
  fc.array(fc.constantFrom('', '', ' ', '\n', '\t', '\r\n', '  ', ...(shell ? ['\v', '\f'] : [])), {
    minLength: 1,
    maxLength: 4,
  });

const stringChar = fc.constantFrom(
  'a', 'Z', ' ', ':', ',', '[', ']', '{', '}', '/', "'", '\\"', '\\\\', '\\n', '\\/', '\\u00e9', '\\uD83D\\uDE00',
  '\uD83D\uDE00', 'é', '2025550143', '\\u0022',
); // prettier-ignore
const jsonString = fc.array(stringChar, { maxLength: 6 }).map((c) => `"${c.join('')}"`);
const jsonNumber = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom(
    '0',
    '-0',
    '1.5',
    '-0.25',
    '1e5',
    '1E+5',
    '2.5e-3',
    '-1E-7',
    '0.0e0',
    '2025550143',
    '4111111111111111',
  ),
);
const shellScalar = fc.oneof(
  fc.array(fc.constantFrom('a', '"', "\\'", ':', ' ', '\\\\'), { maxLength: 5 }).map((c) => `'${c.join('')}'`),
  fc.constantFrom('.5', '-.5', '+1', '+1.5', '0x1F', 'Infinity', '-Infinity', 'NaN', '1_000', 'undefined', 'éa'),
  fc.constantFrom('/ab+c/i', '/a\\/b/', '/x/', '/[0-9]{3}/gm'),
);
const scalar = (shell: boolean): fc.Arbitrary<Node> =>
  fc
    .oneof(jsonString, jsonNumber, fc.constantFrom('true', 'false', 'null'), ...(shell ? [shellScalar] : []))
    .map((raw) => ({ k: 'v', raw }));

function tree(shell: boolean, maxDepth: number): fc.Arbitrary<Node> {
  const key = shell
    ? fc.oneof(
        keyText.map((k) => JSON.stringify(k)),
        keyText.map((k) => `'${k}'`),
        keyText,
      )
    : keyText.map((k) => JSON.stringify(k));
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth },
      scalar(shell),
      ...(shell
        ? [
            fc
              .tuple(fc.constantFrom('ObjectId', 'ISODate', 'NumberLong'), jsonString)
              .map(([name, arg]): Node => ({ k: 'call', name, arg })),
          ]
        : []),
      fc.record({ k: fc.constant('a' as const), items: fc.array(tie('node'), { maxLength: 4 }), w: ws(shell) }),
      fc.record({
        k: fc.constant('o' as const),
        members: fc.array(fc.record({ key, value: tie('node') }), { maxLength: 4 }),
        w: ws(shell),
      }),
    ),
  }));
  return node;
}

describe('maskJsonValues against a tree oracle', () => {
  it('JSON documents: the exact expected text, and still JSON', () => {
    fc.assert(
      fc.property(tree(false, 4), ws(false), (doc, outer) => {
        const input = outer[0] + render(doc, false) + at(outer, 1);
        const out = maskJsonValues(input);
        expect(out).toBe(outer[0] + render(doc, true) + at(outer, 1));
        JSON.parse(out);
      }),
      { numRuns: 400 },
    );
  });

  it('shell-style documents (unquoted and single-quoted keys, ObjectId, regex, hex, Infinity)', () => {
    fc.assert(
      fc.property(tree(true, 4), ws(true), (doc, outer) => {
        const input = outer[0] + render(doc, false) + at(outer, 1);
        expect(maskJsonValues(input)).toBe(outer[0] + render(doc, true) + at(outer, 1));
      }),
      { numRuns: 400 },
    );
  });

  it('NDJSON: documents one per line', () => {
    fc.assert(
      fc.property(fc.array(tree(false, 3), { minLength: 2, maxLength: 3 }), (docs) => {
        const input = docs.map((d) => render(d, false)).join('\n');
        expect(maskJsonValues(input)).toBe(docs.map((d) => render(d, true)).join('\n'));
      }),
      { numRuns: 150 },
    );
  });

  it('arrays nested around the 256-array limit: masked at every depth, collapsed up to the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 253, max: 259 }),
        tree(false, 2),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 258 }), tree(false, 1)), { maxLength: 3 }),
        ws(false),
        (depth, inner, siblings, w) => {
          let doc: Node = inner;
          for (let d = depth; d >= 1; d--) {
            const extra = siblings.filter(([at]) => at === d).map(([, s]) => s);
            doc = { k: 'a', items: d % 2 ? [doc, ...extra] : [...extra, doc], w };
          }
          const out = maskJsonValues(render(doc, false));
          expect(out).toBe(render(doc, true));
        },
      ),
      { numRuns: 60 },
    );
    // Two deep arrays side by side: tracking resumes after the untracked one closes.
    const deep = (d: number, leaf: string) => '['.repeat(d) + leaf + ']'.repeat(d);
    const input = `[${deep(256, '[1,2]')},[3,4],${deep(254, '[5,6]')}]`;
    expect(maskJsonValues(input)).toBe(`[${deep(256, '["?","?"]')},["?"],${deep(254, '["?"]')}]`);
  });

  it('truncated or damaged JSON fails closed: no character of a string value survives', () => {
    // Q only ever appears inside string values.
    const marked = fc
      .array(fc.constantFrom('Q', 'Q', 'Q ', '\\"Q', 'Q\\\\', '\\uD83DQ', 'Q,'), { minLength: 1, maxLength: 4 })
      .map((c) => ({ k: 'v', raw: `"${c.join('')}"` }) as Node);
    const doc = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', maxDepth: 3 },
        marked,
        fc.record({ k: fc.constant('a' as const), items: fc.array(tie('node'), { maxLength: 3 }), w: ws(false) }),
        fc.record({
          k: fc.constant('o' as const),
          members: fc.array(fc.record({ key: keyText.map((k) => JSON.stringify(k)), value: tie('node') }), {
            maxLength: 3,
          }),
          w: ws(false),
        }),
      ),
    })).node;
    fc.assert(
      fc.property(
        doc,
        fc.nat(),
        fc.constantFrom('truncate', 'delete', 'insert'),
        fc.constantFrom(...'[]{},"\' \n\\/('.split('')),
        (d, pos, op, ch) => {
          const text = render(d, false);
          const p = pos % (text.length + 1);
          const damaged =
            op === 'truncate'
              ? text.slice(0, p)
              : op === 'delete'
                ? text.slice(0, p) + text.slice(p + 1)
                : text.slice(0, p) + ch + text.slice(p);
          expect(maskJsonValues(damaged)).not.toContain('Q');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('shell-style edges: regex after (, bare words at A and Z, a lone sign, exponent signs, unterminated regex', () => {
    expect(maskJsonValues('db.users.find(/jane/i)')).toBe('db.users.find("?")');
    expect(maskJsonValues('{a: Abc, b: Zed, c: Apple}')).toBe('{a: "?", b: "?", c: "?"}');
    expect(maskJsonValues('[- 1]')).toBe('[- "?"]');
    expect(maskJsonValues('{a: 1-2}')).toBe('{a: "?""?"}');
    expect(maskJsonValues('{a: 1e,b: 2}')).toBe('{a: "?",b: "?"}');
    expect(maskJsonValues('{a: /jane')).toBe('{a: "?"');
  });
});
