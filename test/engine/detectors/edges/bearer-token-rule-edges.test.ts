import { describe, expect, it } from 'vitest';
import { bearerTokenDetector } from '../../../../engine/detectors/bearer-token';
import type { Finding } from '../../../../engine/detectors/types';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `bearer-token` (engine/detectors/bearer-token.ts) at rule edges the other bearer suites reach only by chance or not
// at all: placeholder words as a part of a token, a scheme word inside a token, how random a token after a dash or
// without a label must be, `Basic` credentials that are no strict base64, `%3D` padding, a token longer than the
// 4 096 characters read at once, and the type's precedence. Every case is written out (no random draw): «…» is
// masked, the rest exported as written, pre-filter on and off.

const scan = edgeScanners(['bearer-token']);

describe('bearer-token: a placeholder word is a whole token, not a part of one', () => {
  it.each(['mysecret', 'examplecorp', 'tokenizer', 'abcdefx', 'xyzabc', 'nullable', 'defaultvalue'])(
    'Authorization: Bearer %s is masked',
    (token) => {
      scan.marked(`Authorization: Bearer «${token}»`);
    },
  );
});

describe('bearer-token: a scheme word inside a token', () => {
  it('is part of the token unless the token starts with it', () => {
    scan.marked('Authorization: Bearer «12basic34ab»');
    scan.marked('Authorization: Bearer «7token-x9k2»');
    scan.marked('Authorization: Bearer «ab1bearer»');
  });
});

describe('bearer-token: how random a token must be', () => {
  it('a date or a number with dashes under 16 characters is prose; 16 digits and dashes are a token', () => {
    scan.marked('renewed Bearer 2024-01-15 ok');
    scan.marked('renewed Bearer 12-34 ok');
    scan.marked('renewed Bearer «1234-5678-9012-3456» ok');
  });

  it('one case of letters is prose at any length, without a label', () => {
    scan.marked('renewed Bearer ABCDEFGHIJKLMNOPQR ok');
    scan.marked('renewed Bearer abcdefghijklmnopqrstuvwxyz ok');
  });

  it('after a dash the first part needs a digit or both cases: capitals and `_` are not both cases', () => {
    scan.marked('config Bearer-session-v2 ok');
    scan.marked('config Bearer-SESSION_ID-v2 ok');
    scan.marked('config Bearer-«Session7-v2» ok');
  });
});

describe('bearer-token: `.` for the blanks after an Authorization label', () => {
  it('a configuration key is no credential; a random token or a Basic credential is', () => {
    scan.marked('authorization.bearer.expires_in = 3600');
    scan.marked('Authorization:.Bearer.«Abc123xyz9»');
    scan.marked('Authorization:.Basic.«dXNlcjpwYXNzdw==»');
  });

  it('not after Token (the Token scheme needs a blank)', () => {
    scan.marked('authorization.token.Abc123xyz9 ok');
  });
});

describe('bearer-token: what follows a token', () => {
  it('a token glued to a letter past ASCII is a word, not a token', () => {
    scan.marked('renewed Bearer abc123\u00fc ok');
    scan.marked('renewed Bearer \u00e9t\u00e9 2024');
  });

  it('a refused Token scheme is read again: a Bearer- credential inside its token is masked', () => {
    scan.marked('cfg token=my-bearer-«Abc123XyZ9» ok');
  });

  it('prose after Bearer is prose in a value longer than 4 096 characters too', () => {
    const filler = 'lorem ipsum '.repeat(400);
    scan.marked(`renewed Bearer expired, ${filler}`);
    scan.marked(`renewed Bearer abc ${filler}`);
  });
});

describe('bearer-token: Basic is strict base64', () => {
  it('a character outside base64 before or after the padding is no credential', () => {
    scan.marked('Authorization: Basic dXNl.cjpwYXNzdw=');
    scan.marked('Authorization: Basic dXNlcjpwYXNzdw~~');
    scan.marked('Authorization: Basic «dXNlcjpwYXNzdw==»');
  });

  it('%3D padding is masked with the credential', () => {
    scan.marked('Authorization: Basic «dXNlcjpwdw%3D%3D»');
    scan.marked('authorization=Basic%20«dXNlcjpwdw%3d%3d»&x=1');
  });

  it('the detector reads %3D as = itself (not only through the URL-decoded view)', () => {
    const text = 'Authorization: Basic dXNlcjpwdw%3D%3D';
    const out: Finding[] = [];
    bearerTokenDetector.find(text, out);
    expect(out.map((f) => text.slice(f.start, f.end))).toEqual(['dXNlcjpwdw%3D%3D']);
  });
});

describe('bearer-token: a token longer than the 4 096 characters read at once', () => {
  const B64 = 'aB3cD5eF7gH9jK2mN4pQ6rS8tU1vW0xY_-';
  const long = Array.from({ length: 6000 }, (_, i) => B64[(i * 7) % B64.length]).join('');
  const pipeline = defaultPipeline();

  it('is masked to its end, with or without a label, whatever it looks like', () => {
    scan.marked(`Authorization: Bearer «${long}»`);
    scan.marked(`Authorization: Bearer «${long}» next`);
    scan.marked(`Bearer «${'a'.repeat(5000)}».`);
    scan.marked(`Bearer «${'a'.repeat(5000)}»/ ok`);
    expect(pipeline.exported(`Authorization: Bearer ${long}`)).not.toContain(long.slice(4096, 4160));
  });

  it('after a dash, its first part is read to its end: a digit after the first 4 096 characters counts', () => {
    scan.marked(`Bearer-«${'abc_'.repeat(1024)}7» ok`);
    scan.marked(`Bearer-${'abc_'.repeat(1100)} ok`);
  });
});

describe('bearer-token: its findings rank above api-token where they overlap', () => {
  it('a Slack token whose tail is Bearer-…: the credential after the dash is named bearer-token', () => {
    const s = createValueScanner({
      detectors: ['bearer-token', 'api-token'],
      action: 'mask',
      mask: '[{type}]',
      cleanCacheSize: 0,
    });
    expect(s.scan('xoxb-1234567890-bearer-Abc123XyZ9 ok').value).toBe('[api-token][bearer-token] ok');
  });
});
