import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SUBJECT_VALUES, SUBJECT_MASK, SubjectMask } from '../../../engine/consent/subject-mask';
import { loadPolicy } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';
import { consentPolicyFile } from '../../processors/consent/consent-kit';

// Rule edges of consent `minimize` masking (docs/consent.md, "minimize: nothing of the subject in the text"): value
// count and length limits, separators, percent-encoding, the 6-byte edge of hex/base64, the normalized view.

const RUNS = { numRuns: 100, seed: 20261206 };
const SEPARATORS = [...'-_.:+ ~'];

/** An obviously fake id: 2 to 4 alphanumeric words joined by one separator. */
const fakeId = fc
  .tuple(fc.array(fc.stringMatching(/^[a-z0-9]{2,5}$/), { minLength: 2, maxLength: 4 }), fc.constantFrom(...SEPARATORS))
  .map(([words, sep]) => `fake${sep}${words.join(sep)}`);

const mask = (values: string[]) => SubjectMask.of(values)!;

describe('SubjectMask.of: which values a mask covers', () => {
  it('empty values are ignored; none left: no mask', () => {
    expect(SubjectMask.of([])).toBeUndefined();
    expect(SubjectMask.of(['', ''])).toBeUndefined();
    expect(mask(['', 'fake-user-7']).text('id fake-user-7 ok')).toBe(`id ${SUBJECT_MASK} ok`);
  });

  it(`the first ${MAX_SUBJECT_VALUES} distinct values are covered, a later one is not`, () => {
    const ids = Array.from({ length: MAX_SUBJECT_VALUES + 1 }, (_, i) => `fakeid${String(i).padStart(2, 'q')}z`);
    const m = mask(ids);
    for (const id of ids.slice(0, MAX_SUBJECT_VALUES)) expect(m.text(`<${id}>`), id).toBe(`<${SUBJECT_MASK}>`);
    expect(m.text(`<${ids[MAX_SUBJECT_VALUES]!}>`)).toBe(`<${ids[MAX_SUBJECT_VALUES]!}>`);
    // duplicates count once
    const dup = mask([...Array(MAX_SUBJECT_VALUES).fill(ids[0]), ids[1]!]);
    expect(dup.text(ids[1]!)).toBe(SUBJECT_MASK);
  });

  it('a value longer than 512 characters is searched for by its first 512', () => {
    const long = 'fakeq'.repeat(103); // 515
    const m = mask([long]);
    expect(m.text(`[${long.slice(0, 512)}]`)).toBe(`[${SUBJECT_MASK}]`);
    expect(m.text(`[${long.slice(0, 511)}]`)).toBe(`[${long.slice(0, 511)}]`);
    const exact = 'fakez'.repeat(102) + 'zz'; // 512
    expect(mask([exact]).text(exact.slice(0, 511))).toBe(exact.slice(0, 511));
  });

  it('the longer of two overlapping values wins (no tail of it left behind)', () => {
    fc.assert(
      fc.property(fakeId, fc.stringMatching(/^[a-z0-9]{1,4}$/), (id, tail) => {
        const m = mask([id, `${id}${tail}`]);
        expect(m.text(`x ${id}${tail} y`)).toBe(`x ${SUBJECT_MASK} y`);
      }),
      RUNS,
    );
  });
});

describe('SubjectMask.text: the ways an id is written', () => {
  it('an id holding a character regular expressions give a meaning (`/ ( ) [ ] { } $ ^ * ? | \\`) is found as written', () => {
    for (const ch of '/()[]{}$^*?|\\') {
      const id = `fake${ch}user${ch}13`;
      expect(mask([id]).text(`id ${id} ok`), id).toBe(`id ${SUBJECT_MASK} ok`);
      // and only as written: the character is not optional
      expect(mask([id]).text('id fakeuser13 ok'), id).toBe('id fakeuser13 ok');
    }
  });

  it('each separator as any other or none, any case, each character as itself or percent-encoded', () => {
    const written = fakeId.chain((id) =>
      fc
        .array(fc.tuple(fc.nat(SEPARATORS.length), fc.boolean(), fc.boolean(), fc.boolean()), {
          minLength: id.length,
          maxLength: id.length,
        })
        .map((ways) => ({
          id,
          text: [...id]
            .map((c, i) => {
              const [sep, upper, encode, lowerHex] = ways[i]!;
              if (SEPARATORS.includes(c)) return sep === SEPARATORS.length ? '' : SEPARATORS[sep]!;
              // Case first, then percent-encoding: `F` is `%46`, `f` is `%66`.
              const cased = upper ? c.toUpperCase() : c;
              if (encode) {
                const hex = cased.charCodeAt(0).toString(16);
                return `%${lowerHex ? hex : hex.toUpperCase()}`;
              }
              return cased;
            })
            .join(''),
        })),
    );
    fc.assert(
      fc.property(written, ({ id, text }) => {
        expect(mask([id]).text(`/u/${text}/orders`)).toBe(`/u/${SUBJECT_MASK}/orders`);
      }),
      RUNS,
    );
  });

  it('an id upper-cased and then percent-encoded is masked, also where the view would read UTF-7 (`+ACCT0042-`)', () => {
    // Found by a random seed of the consent encodings property: decoded, `FAKE+ACCT0042-ZZ` holds `+ACCT0042-`, which
    // the normalized view reads as UTF-7, so only the encoded form itself can match.
    const encoded = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect(mask(['fake_acct:0042-zz']).text(`/u/${encoded('FAKE+ACCT0042-ZZ')}`)).toBe(`/u/${SUBJECT_MASK}`);
    expect(mask(['fake-user-13']).text(`id=${encoded('F')}AKE-USER-13;`)).toBe(`id=${SUBJECT_MASK};`);
    expect(mask(['FAKE-USER-13']).text(`id=${encoded('fake-user-13')};`)).toBe(`id=${SUBJECT_MASK};`);
  });

  it('a non-ASCII id percent-encoded byte by byte (any hex case) is masked', () => {
    const id = 'fäke-üser-13';
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), (upper) => {
        let k = 0;
        const text = [...id]
          .map((c) =>
            c === '-' || !upper[k++]
              ? c
              : [...new TextEncoder().encode(c)]
                  .map((b) => `%${upper[k % 16] ? b.toString(16).toUpperCase() : b.toString(16)}`)
                  .join(''),
          )
          .join('');
        expect(mask([id]).text(`/u/${text}/x`)).toBe(`/u/${SUBJECT_MASK}/x`);
      }),
      RUNS,
    );
  });

  it('other characters between the words are no separator: not masked', () => {
    fc.assert(
      fc.property(fakeId, fc.constantFrom('/', '#', '|', ',', '=', '*'), (id, other) => {
        const words = id.split(/[-_.:+ ~]/);
        const text = words.join(other);
        expect(mask([id]).text(text)).toBe(text);
      }),
      RUNS,
    );
  });

  it('hex, base64 and base64url of its UTF-8, alone or inside a payload, from 6 bytes on; not for 5 bytes', () => {
    const payload = fc.tuple(
      fakeId,
      fc.nat(2),
      fc.constantFrom('hex', 'base64', 'base64url') as fc.Arbitrary<BufferEncoding>,
    );
    fc.assert(
      fc.property(payload, ([id, pad, encoding]) => {
        const json = `${'{'.repeat(pad)}"user":"${id}","tier":"gold"}`;
        const encoded = Buffer.from(json).toString(encoding);
        const out = mask([id]).text(`token=${encoded}`);
        expect(out).toContain(SUBJECT_MASK);
        expect(out.startsWith('token=')).toBe(true);
      }),
      RUNS,
    );
    const five = 'fk-42';
    const six = 'fk-421';
    for (const encoding of ['hex', 'base64'] as const) {
      const e5 = Buffer.from(five).toString(encoding);
      const e6 = Buffer.from(six).toString(encoding);
      expect(mask([five]).text(e5), encoding).toBe(e5);
      expect(mask([six]).text(e6), encoding).toContain(SUBJECT_MASK);
    }
  });

  it('in the normalized view (fullwidth, invisible characters, escapes): masked on the original, the rest kept', () => {
    const id = 'fake-user-13';
    const hidden = fc
      .array(fc.tuple(fc.boolean(), fc.constantFrom('', '\u200b', '\u00ad', '\ufeff')), {
        minLength: id.length,
        maxLength: id.length,
      })
      .map((ways) =>
        [...id]
          .map((c, i) => {
            const code = c.charCodeAt(0);
            return (ways[i]![0] ? String.fromCharCode(code + 0xfee0) : c) + (i < id.length - 1 ? ways[i]![1] : '');
          })
          .join(''),
      )
      .filter((s) => s !== id);
    fc.assert(
      fc.property(hidden, fc.constantFrom('', 'user=', 'a '), (text, before) => {
        expect(mask([id]).text(`${before}${text} fake-gold`)).toBe(`${before}${SUBJECT_MASK} fake-gold`);
      }),
      RUNS,
    );
    expect(mask([id]).text('fake\\u002duser\\u002d13 ok')).toBe(`${SUBJECT_MASK} ok`);
    // twice in the text: both masked, the text between kept
    expect(mask([id]).text('ｆake-user-13 and fake\u200b-user-13!')).toBe(`${SUBJECT_MASK} and ${SUBJECT_MASK}!`);
    // nothing to mask: the same string
    expect(mask([id]).text('fake-user-1 ok')).toBe('fake-user-1 ok');
  });
});

describe('SubjectMask.value / attributes: numbers, bytes, arrays, maps, keys', () => {
  it('a number or bigint whose decimal form holds the id is replaced; others kept as they are', () => {
    const m = mask(['40713']);
    expect(m.value(40713)).toBe(SUBJECT_MASK);
    expect(m.value(1407139)).toBe(SUBJECT_MASK);
    expect(m.value(40713n)).toBe(SUBJECT_MASK);
    expect(m.value(4071)).toBe(4071);
    expect(m.value(true)).toBe(true);
    expect(m.value(null)).toBe(null);
    const bytes = new TextEncoder().encode('id=40713');
    expect(new TextDecoder().decode(m.value(bytes) as Uint8Array)).toBe(`id=${SUBJECT_MASK}`);
    const other = new TextEncoder().encode('id=4071');
    expect(m.value(other)).toBe(other);
  });

  it('arrays and maps: changed copies only where needed, keys masked too', () => {
    const m = mask(['fake-user-13']);
    const arr = ['a', 'fake-user-13', 3];
    expect(m.value(arr)).toEqual(['a', SUBJECT_MASK, 3]);
    const clean = ['a', 'b'];
    expect(m.value(clean)).toBe(clean);
    const attrs = { 'note.fake-user-13': 'x', ok: 'y', nested: { v: 'FAKE_USER_13' } };
    expect(m.attributes(attrs)).toEqual({ [`note.${SUBJECT_MASK}`]: 'x', ok: 'y', nested: { v: SUBJECT_MASK } });
    // only a key holds the id: still a masked copy
    expect(m.attributes({ 'note.fake-user-13': 'x' })).toEqual({ [`note.${SUBJECT_MASK}`]: 'x' });
    const untouched = { ok: 'y', n: 1 };
    expect(m.attributes(untouched)).toBe(untouched);
  });
});

describe('through a real LoggerProvider and TracerProvider (consent.action: minimize)', () => {
  const OPTED_OUT = 'fake-optout-edge-5';
  const policyPath = consentPolicyFile({
    name: 'edges-subject-mask',
    env: 'EDGES_MASK_HMAC',
    optedOut: [OPTED_OUT],
    action: 'minimize',
  });

  it('the id with separators swapped, percent-encoded or base64 in a cookie is masked; the rest exported', () => {
    const ways = [
      'fake_optout_edge_5',
      'FAKE.OPTOUT.EDGE.5',
      'fakeoptoutedge5',
      'fake%2Doptout%2dedge%2D5',
      Buffer.from(`{"u":"${OPTED_OUT}"}`).toString('base64url'),
      Buffer.from(OPTED_OUT).toString('hex').toUpperCase(),
    ];
    const policy = loadPolicy(policyPath());
    const pipes = privacyPipelines(policy);
    for (const w of ways) {
      pipes.loggerProvider.getLogger('edges').emit({ body: `${w} fake-gold`, attributes: { 'user.id': OPTED_OUT } });
      pipes.tracerProvider
        .getTracer('edges')
        .startSpan(`GET /u/${w}`, { attributes: { 'user.id': OPTED_OUT } })
        .end();
    }
    const exported = pipes.exportedJson();
    for (const w of ways) expect(exported, w).not.toContain(w);
    expect(exported).not.toContain(OPTED_OUT);
    expect(exported.split('fake-gold').length - 1).toBe(ways.length);
    expect(exported.split('GET /u/').length - 1).toBe(ways.length);
  });
});
