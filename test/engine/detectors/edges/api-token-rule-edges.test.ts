import { describe, expect, it } from 'vitest';
import { apiTokenDetector } from '../../../../engine/detectors/api-token';
import type { Finding } from '../../../../engine/detectors/types';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `api-token` (engine/detectors/api-token.ts) at the edges of its rules that the format suites leave open: the
// prefixes of Vault, DigitalOcean, Grafana, New Relic, Mailgun, Databricks and Telegram at their shortest body and
// one character short, Stripe keys with a blank or an escaped line break after the prefix, Doppler's project part,
// the unprefixed tokens' "random" check (Meta/Square `EAA…`) at each end of each character class, the cheap gates
// before each unprefixed pattern, Twilio SIDs next to hex-looking text, and the order of `find`'s findings. Every
// case is written out (no random draw): «…» is masked, the rest exported as written, pre-filter on and off.

const scan = edgeScanners(['api-token']);

/** `n` characters of `alphabet`, in turn from `from`: a fixed body of a given length and alphabet. */
const run = (alphabet: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => alphabet[(from + i) % alphabet.length]).join('');

const HEX = '0123456789abcdef';
/** Letters of both cases and digits, mixed (no vendor prefix inside). */
const MIXED = 'aB3cD5eF7gH9jK2mN4pQ6rS8tU1vW0xY';

describe('api-token: older prefixes at their shortest body and one short', () => {
  const cases: readonly { readonly prefix: string; readonly alphabet: string; readonly min: number }[] = [
    { prefix: 'hvs.', alphabet: MIXED + '_-', min: 24 },
    { prefix: 'hvb.', alphabet: MIXED, min: 24 },
    { prefix: 'hvr.', alphabet: MIXED, min: 24 },
    { prefix: 'dop_v1_', alphabet: HEX, min: 64 },
    { prefix: 'doo_v1_', alphabet: HEX, min: 64 },
    { prefix: 'dor_v1_', alphabet: HEX, min: 64 },
    { prefix: 'glsa_', alphabet: MIXED + '_', min: 32 },
    { prefix: 'glc_', alphabet: MIXED + '+/=', min: 32 },
    { prefix: 'NRAK-', alphabet: MIXED, min: 20 },
    { prefix: 'NRII-', alphabet: MIXED, min: 20 },
    { prefix: 'NRJS-', alphabet: MIXED, min: 20 },
    { prefix: 'key-', alphabet: HEX, min: 32 },
    { prefix: 'dapi', alphabet: HEX, min: 32 },
  ];
  for (const c of cases) {
    it(`${c.prefix}: ${c.min} body characters are masked, ${c.min - 1} are kept`, () => {
      // The body ends in a letter or digit (a trailing `=` or `-` is outside the token's run).
      const full = run(c.alphabet, c.min - 1) + '7';
      const short = run(c.alphabet, c.min - 2) + '7';
      scan.marked(`«${c.prefix}${full}»`);
      scan.marked(`deploy «${c.prefix}${full}» done`);
      scan.marked(`token=«${c.prefix}${full}»; next`);
      scan.marked(`deploy ${c.prefix}${short} done`);
      scan.marked(`${c.prefix}${short}`);
    });
  }

  it('another letter in a prefix class is no prefix (hvx., dox_v1_)', () => {
    scan.marked(`deploy hvx.${run(MIXED, 30)} done`);
    scan.marked(`deploy dox_v1_${run(HEX, 64)} done`);
  });

  it('Mailgun key-: 32 hex digits then a letter or digit is no key; then a blank or the end, it is', () => {
    const hex = run(HEX, 31) + 'a';
    scan.marked(`mail key-${hex}g sent`);
    scan.marked(`mail key-${hex}0 sent`);
    scan.marked(`mail «key-${hex}» sent`);
    scan.marked(`mail «key-${hex}».`);
    scan.marked(`mail «key-${hex}»`);
  });

  it('Databricks dapi: a workspace suffix of one or two digits is masked with the token', () => {
    const hex = run(HEX, 31) + 'a';
    scan.marked(`host x «dapi${hex}-12» y`);
    scan.marked(`host x «dapi${hex}-3» y`);
    scan.marked(`host x «dapi${hex}»-ab y`);
  });
});

describe('api-token: Telegram bot tokens (a bot id of 5-12 digits, :AA and 30-40 characters)', () => {
  const secret = run(MIXED + '_-', 32) + 'x';
  it('masked at 5 and 12 id digits, also in its API URL; 30 characters after :AA are enough, 29 are not', () => {
    scan.marked(`«123456789:AA${secret}»`);
    scan.marked(`bot «12345:AA${secret}» ok`);
    scan.marked(`bot «123456789012:AA${secret}» ok`);
    scan.marked(`https://api.telegram.org/bot«123456789:AA${secret}»/getMe`);
    scan.marked(`bot «123456789:AA${run(MIXED, 29)}x» ok`);
    scan.marked(`bot 123456789:AA${run(MIXED, 28)}x ok`);
  });

  it('kept: 4 or 13 id digits (the id starts at its digit run), no AA', () => {
    scan.marked(`bot 1234:AA${secret} ok`);
    scan.marked(`bot 1234567890123:AA${secret} ok`);
    scan.marked(`bot 123456789:AB${secret} ok`);
  });
});

describe('api-token: Stripe keys with a blank or an escaped line break after the prefix', () => {
  const body = 'Xq4eC39HqLyjWDarjtT1zdp7dc';
  it.each([' ', '\t', '\n', '\r\n', '\\n', '\\r\\n', '\\t', ' \\n'])(
    'sk_live_%j then the key is masked whole',
    (gap) => {
      scan.marked(`stripe «sk_live_${gap}${body}» ok`);
      scan.marked(`stripe «rk_test_${gap}${body}» ok`);
    },
  );

  it('three blanks, or another escape, after the prefix is no key', () => {
    scan.marked(`stripe sk_live_   ${body} ok`);
    scan.marked(`stripe sk_live_\\x${body} ok`);
  });
});

describe('api-token: Doppler tokens with a project or config part', () => {
  const body = run(MIXED, 40);
  it.each(['dp.st.', 'dp.st.prod.', 'dp.st.my-project_2.', 'dp.ct.dev.', 'dp.sa.', 'dp.audit.x1.'])(
    '%s and 40 letters and digits is masked',
    (prefix) => {
      scan.marked(`env «${prefix}${body}» set`);
    },
  );
  it('a part of one character or of capitals is no Doppler token', () => {
    scan.marked(`env dp.st.a.${body} set`);
    scan.marked(`env dp.st.PROD.${body.slice(0, 20)} set`);
  });
  it('CircleCI: one hex digit short in the last part is kept', () => {
    scan.marked(`ci CCIPAT_${run(MIXED, 22)}_${run(HEX, 39)} done`);
    scan.marked(`ci «CCIPAT_${run(MIXED, 22)}_${run(HEX, 40)}» done`);
  });
});

describe('api-token: a prefix glued to a word, whose body holds a short prefix', () => {
  it('ghp_ after a letter is masked even when its body holds dapi, hf_ or key- letters', () => {
    scan.marked(`x«ghp_dapi${run(MIXED, 32)}» ok`);
    scan.marked(`id«npm_key${run(MIXED, 33)}» ok`);
  });
});

describe('api-token: Meta and Square EAA… tokens need both cases and a digit after EAA', () => {
  /** `EAA` and 57 characters: `body` repeated. */
  const eaa = (body: string) => `EAA${run(body, 57)}`;
  it.each([
    ['a 0 is the only digit', 'bCdEfGhJkLmNpQrStUvWxYz0'],
    ['a 9 is the only digit', 'bCdEfGhJkLmNpQrStUvWxYz9'],
    ['an A is the only capital', 'bcdefghjkmnpqrstuvwxyzA2'],
    ['a Z is the only capital', 'bcdefghjkmnpqrstuvwxyzZ2'],
    ['an a is the only small letter', 'BCDEFGHJKLMNPQRSTUVWXYa2'],
    ['a z is the only small letter', 'BCDEFGHJKLMNPQRSTUVWXYz2'],
  ])('masked when %s', (_, body) => {
    scan.marked(`auth «${eaa(body)}» ok`);
  });

  it.each([
    ['no capital after EAA', 'bcdefghjkmnpqrstuvwxyz23'],
    ['no capital, a dash', 'bcdefgh-jkmnpqrst-uvwxyz23'],
    ['no small letter, an underscore', 'BCDEFGH_JKMNPQRST_UVWXYZ23'],
    ['no small letter, a dash', 'BCDEFGH-JKMNPQRST-UVWXYZ23'],
    ['no digit', 'bCdEfGhJkLmNpQrStUvWxYz'],
  ])('kept when %s', (_, body) => {
    scan.marked(`auth ${eaa(body)} ok`);
  });
});

describe('api-token: the cheap gates before the unprefixed patterns', () => {
  const discord = `M${run(MIXED, 23)}.${run(MIXED, 6, 5)}.${run(MIXED, 27, 9)}`;
  const meta = `EAA${run(MIXED, 57)}`;
  const mailchimp = `${run(HEX, 31)}a-us14`;
  it('a token is found wherever the first `.`, `EAA` or `-us` of the value is', () => {
    for (const pre of ['', '(', 'a. ', 'x-us ', ' EAA ', 'ab.c ']) {
      scan.marked(`${pre}«${discord}» ok`);
      scan.marked(`${pre}«${meta}» ok`);
      scan.marked(`${pre}«${mailchimp}» ok`);
    }
  });
});

describe('api-token: Twilio SIDs next to hex-looking text', () => {
  it('an SK and 32 hex letters without a digit is kept, whatever is before it', () => {
    const letters = run('abcdef', 32);
    const digits = run('0123456789', 32);
    scan.marked(`secret: 0 SK${letters}`);
    scan.marked(`secret: a SK${digits}`);
    scan.marked(`secret: 0 «SK${run(HEX, 31)}a»`);
  });
});

describe('api-token: find appends its findings in ascending order of start', () => {
  const find = (text: string) => {
    const out: Finding[] = [];
    apiTokenDetector.find(text, out);
    return out.map((f) => [f.start, f.end]);
  };
  const ghp = `ghp_${run(MIXED, 36)}`;
  const meta = `EAA${run(MIXED, 57)}`;
  const sid = `SK${run(HEX, 31)}a`;
  it('an unprefixed token or a Twilio SID before a prefixed token', () => {
    const a = `${meta} ${ghp}`;
    expect(find(a)).toEqual([
      [0, meta.length],
      [meta.length + 1, a.length],
    ]);
    const b = `secret ${sid} ${ghp}`;
    expect(find(b)).toEqual([
      [7, 7 + sid.length],
      [8 + sid.length, b.length],
    ]);
    const c = `secret ${sid} ${ghp} ${meta}`;
    expect(find(c).map(([s]) => s)).toEqual([7, 8 + sid.length, 9 + sid.length + ghp.length]);
  });
});

describe('api-token: an unprefixed token that holds a prefixed one is masked whole', () => {
  // A Meta token whose tail reads as a Google API key (`AIza` and 35 characters, `-` included) was masked from `AIza`
  // on only: the 36 characters before it were exported.
  const pipeline = defaultPipeline();
  it('EAA… with AIza… inside, also through real SDK providers with the default policy', () => {
    const head = `EAA${run(MIXED, 33)}`;
    const tail = `AIza${run(MIXED, 32)}-x9`;
    scan.marked(`auth «${head}${tail}» ok`);
    scan.marked(`«${head}${tail}»`);
    expect(pipeline.exported(`auth ${head}${tail} ok`)).not.toContain(head.slice(3));
  });

  it('a Discord token whose last part holds a glc_ token', () => {
    const token = `M${run(MIXED, 23)}.${run(MIXED, 6, 5)}.a-glc_${run(MIXED, 31)}x`;
    scan.marked(`bot «${token}» ok`);
  });
});

describe('api-token: its findings rank above labeled-secret where they overlap', () => {
  it('secret=abc-ghp_…: the token part is named api-token, the rest labeled-secret', () => {
    const s = createValueScanner({
      detectors: ['api-token', 'labeled-secret'],
      action: 'mask',
      mask: '[{type}]',
      cleanCacheSize: 0,
    });
    const ghp = `ghp_${run(MIXED, 36)}`;
    expect(s.scan(`secret=abc-${ghp}`).value).toBe('secret=[labeled-secret][api-token]');
  });
});

describe('api-token: a Cyrillic look-alike in a prefix, beside a token written in ASCII', () => {
  const ghp = `ghp_${run(MIXED, 36)}`;
  const stripe = `\u0455k_live_${run(MIXED, 20)}`;
  it('each token is masked, in either order', () => {
    scan.marked(`stripe «${stripe}» ok`);
    scan.marked(`«${ghp}» and «${stripe}» ok`);
    scan.marked(`«${stripe}» and «${ghp}» ok`);
  });

  it('find returns them in ascending order of start', () => {
    const text = `${stripe} and ${ghp}`;
    const out: Finding[] = [];
    apiTokenDetector.find(text, out);
    expect(out.map((f) => [f.start, f.end])).toEqual([
      [0, stripe.length],
      [stripe.length + 5, text.length],
    ]);
  });

  it('a token in ASCII ends at the first character outside its alphabet, a look-alike too', () => {
    scan.marked(`«${ghp}»\u0455xyz ok`);
  });
});

describe('api-token: the token run past the pattern takes letters, digits and `_`', () => {
  it('npm_ and 36 characters, then _ and more: masked whole', () => {
    scan.marked(`«npm_${run(MIXED, 36)}_x1» ok`);
    scan.marked(`«npm_${run(MIXED, 36)}»-x1 ok`);
  });
});
