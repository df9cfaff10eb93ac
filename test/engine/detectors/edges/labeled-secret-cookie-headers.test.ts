import { describe, expect, it } from 'vitest';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (engine/detectors/labeled-secret.ts, docs/detectors.md): the pairs of `Cookie:` and `Set-Cookie:`
// headers. The header's writings (`cookie=`, `Cookie2:`, a JSON key, blanks, a folded line), the session and credential
// names whose value counts from 3 characters and the names that only look like them, the cleared states, where a name
// and a value end, quoted values, the next pair after `;` (also on a folded line) and the pairs that a credential label
// finds too. Each case is written with the masked parts between « and »: the scanner (pre-filter on and off) must
// return exactly the text with those parts masked, and a case without « » exactly as written.

const scan = edgeScanners(['labeled-secret']);
const expectMasked = (marked: string): void => scan.marked(marked);

describe('labeled-secret: the writings of a cookie header', () => {
  it('Cookie, Set-Cookie, Cookie2, `cookie=`, a JSON or quoted key, up to 3 blanks around the separator', () => {
    for (const head of [
      'Cookie: ',
      'cookie=',
      'COOKIE:',
      'Set-Cookie: ',
      'Cookie2: ',
      'Set-Cookie2: ',
      '"cookie":"',
      "'cookie': '",
      '"Cookie" : "',
      'Cookie   :   ',
      'Cookie:\t',
      '_Cookie: ',
      'x-Cookie: ',
    ])
      expectMasked(`${head}lang=en; sid=«abc»`);
  });

  it('folded onto the next line (LF, CRLF or escaped in JSON) with 1 to 3 blanks', () => {
    for (const fold of ['\n ', '\r\n ', '\r\n\t', '\n   ', '\\r\\n ', '\\n ', '\\n\t'])
      expectMasked(`Cookie:${fold}sid=«abc»; lang=en`);
  });

  it('aligned in a column: up to 32 blanks on each side of the separator, as after a credential label', () => {
    for (const [before, after] of [
      [0, 4],
      [0, 32],
      [4, 1],
      [32, 32],
      [8, 0],
    ])
      expectMasked(`Cookie${' '.repeat(before!)}:${' '.repeat(after!)}sid=«abc»; lang=en`);
    expectMasked(`Set-Cookie:${'\t'.repeat(6)}sid=«abc»; Path=/`);
    expectMasked(`Cookie:${' '.repeat(33)}sid=abc`);
  });

  it('aligned in a column, through real SDK providers with the default policy', () => {
    const pipeline = defaultPipeline();
    expect(pipeline.exported('GET /cart\nCookie:        PHPSESSID=abc; lang=en')).not.toContain('=abc');
  });

  it('no header inside a longer word', () => {
    for (const text of ['xCookie: sid=abc', 'Xcookie=sid=abc', '1cookie=sid=abc', 'setcookie: sid=abc'])
      expectMasked(text);
  });
});

describe('labeled-secret: session and credential cookie names', () => {
  it('any value of 3 characters of a session or credential name', () => {
    for (const name of [
      'sid',
      'PHPSESSID',
      'connect.sid',
      'session',
      'auth',
      'refresh_token',
      'login',
      'remember_me',
      'jwt',
      'csrf',
      'XSRF',
      'secret',
      'passwort',
      'uid',
      'UID',
      'user',
      'key',
      'Key',
    ])
      expectMasked(`Cookie: lang=en; ${name}=«abc»; theme=dark`);
  });

  it('names that hold `uid`, `user` or `key` inside a longer word are no session names', () => {
    for (const name of ['xuid', 'uids', 'xuser', 'users', 'monkey', 'keys', 'apikey', 'lang'])
      expectMasked(`Cookie: ${name}=abc; theme=dark`);
  });

  it('cleared states, repeats, `$` templates and placeholder words are no session', () => {
    for (const v of [
      'deleted',
      'DELETED',
      'anonymous',
      'guest',
      'logout',
      'logged_out',
      'loggedout',
      '0',
      '00',
      '-',
      '--',
      'xxx',
      'aaaa',
      '$abc',
      'null',
      'none',
      'true',
    ])
      expectMasked(`Cookie: sid=${v}; lang=en`);
    for (const v of ['xdeleted', 'deletedx', 'guests', 'logged-out', 'xxy', 'a$bc', '0a1'])
      expectMasked(`Cookie: sid=«${v}»; lang=en`);
  });

  it('another name from 8 characters that look random', () => {
    expectMasked('Cookie: tracker=«Ab3dEf9h»; lang=en');
    expectMasked('Cookie: tracker=Ab3dEf9; lang=en');
    expectMasked('Cookie: tracker=abcdefghij; lang=en');
    expectMasked('Cookie: tracker=«$Ab3dEf9hQ»; lang=en');
    expectMasked('Set-Cookie: sid=«abc»; path=Ab3dEf9hQ2; Max-Age=3600');
  });
});

describe('labeled-secret: where a cookie name and value end', () => {
  it('a value ends at `;`, `,`, `&`, a blank, a quote, a backslash, `<` or `>`; `=` is part of it', () => {
    for (const end of [';', ',', '&', ' ', '\t', '"', "'", '\\', '<', '>'])
      for (const [name, value] of [
        ['sid', 'abcdef'],
        ['tracker', 'Ab3dEf9hQ'],
      ])
        expectMasked(`Cookie: ${name}=«${value}»${end}zz=1`);
    expectMasked('Cookie: sid=«a=b=c»; lang=en');
    expectMasked('Cookie: tracker=«Ab3d=Ef9h=Q»; lang=en');
  });

  it('a name ends at the same characters: the pair is no session pair', () => {
    for (const end of [',', '&', ' ', '"', "'", '\\', '<', '>']) expectMasked(`Cookie: s${end}id=abc`);
  });

  it('a quoted value is masked inside its quotes and the next pair is read', () => {
    expectMasked('Cookie: sid="«abcdef»"; uid=«xyz»');
    expectMasked('Cookie: lang="en"; sid="«abc»"');
    expectMasked('Cookie: sid="«abcdef»');
    expectMasked('Cookie: lang="en"x; sid=abc');
  });

  it('the next pair after `;` and blanks, also on a folded line; nothing after another separator', () => {
    for (const sep of [';', '; ', ';   ', ';\r\n ', ';\n\t', ';\\r\\n ', ';\\n ', '; \\r\\n\\r\\n '])
      expectMasked(`Cookie: lang=en${sep}sid=«abc»`);
    for (const sep of [';\\x ', ';\\t', ';\\', ', ', ' ', '&']) expectMasked(`Cookie: lang=en${sep}sid=abc`);
    // a name whose second letter is `r` or `n` is read whole, not as an escaped line break
    expectMasked('Cookie: lang=en; xnuid=abc; anuser=abc; xrkey=abc');
    expectMasked('Set-Cookie: a=b; xnPath=«Ab3dEf9hQ2»');
  });

  it('the search for the next header goes on right after a header, however long the text after it', () => {
    expectMasked(`Cookie: sid=«abc» Cookie: uid=«xyz» ${'and more words '.repeat(12)}`);
    expectMasked(`Cookie: sid=«abc»\nSet-Cookie: PHPSESSID=«xyz»; Path=/\n${'x'.repeat(200)}`);
  });
});

describe('labeled-secret: an empty pair does not end the header', () => {
  it('a doubled `;`, a leading `;` or a pair without a name: the pairs after it are read', () => {
    expectMasked('Cookie: lang=en;; sid=«abc»');
    expectMasked('Cookie: lang=en; ; sid=«abc»');
    expectMasked('Cookie: ; sid=«abc»');
    expectMasked('Cookie: ;;;sid=«abc»');
    expectMasked('Cookie: =«Ab3dEf9hQ2»; sid=«abc»');
    expectMasked('Cookie: =en; sid=«abc»');
  });

  it('through real SDK providers with the default policy', () => {
    const pipeline = defaultPipeline();
    expect(pipeline.exported('GET /cart Cookie: lang=en;; PHPSESSID=abc; theme=dark')).not.toContain('=abc');
  });
});

describe('labeled-secret: a header label glued to the last value of the header before', () => {
  it('the second header is read (`Cookie: lang=en_Cookie: sid=…`)', () => {
    expectMasked('Cookie: lang=en_Cookie: sid=«abc»');
    expectMasked('Cookie: lang=en; tz=x_set-cookie: sid=«abc»; Path=/');
    expectMasked('Cookie: sid=«abc»; lang="en"_Cookie: uid=«xyz»');
  });
});

describe('labeled-secret: a cookie value across the 4 KiB a header is read for', () => {
  it('is masked to its end; a name running to the end of the text is no pair', () => {
    // `Cookie: ` and 454 pairs of 9 characters: the value of `sid` starts 6 characters before the bound
    const pairs = 'lang=en; '.repeat(454);
    const value = 'Ab3dEf9hQ2'.repeat(5);
    expectMasked(`Cookie: ${pairs}sid=«${value}»; theme=dark`);
    expectMasked(`Cookie: ${pairs}sid=«${value}»`);
    expectMasked(`Cookie: ${pairs}tracker=«${value}» Cookie: sid=«abc»`);
    expectMasked('Cookie: lang=en; theme');
    expectMasked('Cookie: sid');
    expectMasked('Cookie: x=_cookie:sid=«abc»;');
    expectMasked('Cookie: x=_cookie:sid=«abc»');
    // read to its end: a value with `=` past the bound, and a word of one case, which stays
    expectMasked(`Cookie: ${pairs}sid=«${value}==${value}»; theme=dark`);
    expectMasked(`Cookie: ${pairs}tracker=${'abcdefghij'.repeat(5)}`);
    expectMasked(`Cookie: ${pairs}tracker=${'abcdefghij'.repeat(5)}; theme=dark`);
  });
});

describe('labeled-secret: cookie pairs and credential labels together', () => {
  it('a pair both read (`JSESSIONID=…`) is masked once; a label after a header and before it are read', () => {
    expectMasked('Cookie: JSESSIONID=«Ab3dEf9hQ2»; sid=«abc»');
    // the label's reading (without the sentence punctuation) is the one kept
    expectMasked('Cookie: JSESSIONID=«Ab3dEf9hQ2».');
    expectMasked('Cookie: lang=en; JSESSIONID=«Ab3dEf9hQ2»:');
    expectMasked('Cookie: sid=«abc»; password=«hunt3r2go»');
    expectMasked('password=«hunt3r2go» Cookie: sid=«abc»');
    expectMasked('api_key=«Ab3dEf9hQ2» then cookie sid=abc');
    expectMasked('{"cookies":{"sid":"«abcdef»"}} password=«hunt3r2go»');
  });
});
