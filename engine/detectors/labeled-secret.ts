import { codeAt, fromStart, isAlnum, isAsciiLetter, isDigit, isHexDigit, isSpace, isUpper } from './chars';
import { LOOKALIKE, foldLookalikes } from './lookalikes';
import type { Detector, Finding } from './types';

/**
 * Credential words that end a label (`password`, `db_password`, `DB_PASSWORD`, `dbPassword`, `client_secret`,
 * `x-api-key`, `access_token`, `JSESSIONID`): the words that make the attribute rules drop a key, so that the same
 * label inside a kept text (`password=…` in a log line) does not carry the value out. Group 1: password words (`pass`
 * alone only as a name's first word or a later word of it: `pass=`, `db_pass`, `smtpPass`, not `bypass`), also in
 * other languages (`Passwort`, `Kennwort`, `mot de passe`, `contraseña`, `senha`, `wachtwoord`, `passord`,
 * `lösenord`, `hasło`, `heslo`, `jelszó`, `şifre`, `salasana`, `adgangskode`, `palavra-passe`, `пароль`, `パスワード`,
 * `密码`, `密碼`, `口令`, `暗証番号`, `비밀번호`, `암호`, `mật khẩu`, `पासवर्ड`, `รหัสผ่าน`); group 2: secret and key words (also Azure's `AccountKey` of storage connection strings, API
 * Management's `Ocp-Apim-Subscription-Key`, Azure Functions' `x-functions-key`, Honeycomb's `X-Honeycomb-Team`, and
 * URL signatures: `signature`, `X-Amz-Signature`, and `sig` as a word of its own, Azure's SAS parameter), group 3:
 * token and session words; group 4: words that are credentials only as a label with a separator and a value that
 * looks like one (`PIN`, `PIN-Code`, Italian and Romanian `parola`, also "word", Spanish `clave`, also "key", French
 * `mdp`). Words of two are also written with
 * a blank (`api key`, `access key`, `session id`).
 */
const LABEL =
  /(pass(?:word|wort|wd|phrase|ord)?|pwd|kennwort|wachtwoord|mot[-_ ]?de[-_ ]?passe|contrase(?:ñ|n)a|senha|salasana|adgangskode|heslo|has(?:ł|l)o|l(?:ö|o)senord|jelsz(?:ó|o)|(?:ş|s)ifre|palavra[-_ ]?passe|пароль|パスワード|密[码碼]|口令|暗証番号|비밀번호|암호|mật khẩu|पासवर्ड|รหัสผ่าน)|(secret(?:[-_ ]?key)?|api[-_ ]?key|apikey|private[-_ ]?key|access[-_ ]?key|account[-_ ]?key|subscription[-_]?key|functions[-_]?key|honeycomb[-_]team|signature|sig)|(token|session[-_ ]?id|sessid)|(parola|clave|mdp|pin(?:[-_ ]?code)?)/gi;

const MAX_VALUE = 256;
/** Fewest characters of a value after a password label (`pwd=abc`). */
const MIN_PASSWORD = 3;
/** Fewest characters of a value after a secret, key or token label. */
const MIN_SECRET = 8;

/** Words written after a label that are no credential: states, prose, placeholders. */
const NOT_A_VALUE =
  /^(?:redacted|filtered|hidden|masked|removed|omitted|null|nil|none|undefined|true|false|empty|blank|required|optional|mandatory|locked|unlocked|forgotten|needed|disabled|enabled|non|obbligatoria|scaduta|errata|vuota|bloccata|modificata|richiesta|dimenticata|reimpostata|invalid|incorrect|missing|expired|revoked|wrong|changed|updated|reset|set|unset|ok|yes|no|not|must|should|cannot|can|does|did|has|had|will|too|is|was|are|for|of|the|and|or|to|in|on|at|by|mismatch|matches|match|accepted|rejected|failed|passed|valid|weak|strong|provided|present|absent|supplied|string|value|secret|secrets|password|passwords|token|tokens|example|placeholder|default|bearer|basic|all|any)$/i;

/** Characters that end an unquoted value. */
function endsValue(c: number): boolean {
  return (
    c === -1 ||
    isSpace(c) ||
    c === 34 || // "
    c === 39 || // '
    c === 96 || // `
    c === 59 || // ;
    c === 44 || // ,
    c === 38 || // &
    c === 60 || // <
    c === 62 || // >
    c === 41 || // )
    c === 93 || // ]
    c === 125 || // }
    c === 92 || // \ (the end of an escaped JSON string: \")
    (c > 0x3000 && isCjkPunctuation(c))
  );
}

/** Ideographic and fullwidth punctuation that ends a value in CJK text (`密码：…，请核实`, `パスワード：…。`). */
function isCjkPunctuation(c: number): boolean {
  return (
    c === 0x3001 || // 、
    c === 0x3002 || // 。
    c === 0xff0c || // ，
    c === 0xff1b || // ；
    c === 0xff09 || // ）
    c === 0x300d || // 」
    c === 0x300f || // 』
    c === 0x3011 // 】
  );
}

/**
 * Fewest characters of a value after a secret, key or token label taken whatever it looks like: no state word is
 * that long (`api_key=fakefakefakefakefake`, letters of one case, was exported). Cookie values keep `looksRandom`.
 */
const MIN_ONE_CASE = 20;

/** Whether a secret- or token-labelled value looks random rather than like a word (`token: expired`). */
function looksRandom(text: string, start: number, end: number): boolean {
  let digits = 0;
  let upper = 0;
  let lower = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isUpper(c)) upper++;
    else if (isAsciiLetter(c)) lower++;
  }
  const letters = upper + lower;
  if (digits > 0 && letters > 0) return true;
  if (upper > 0 && lower > 0 && end - start >= 12) return true;
  return end - start >= 16 && (digits === end - start || letters < end - start);
}

/**
 * A `Cookie:` or `Set-Cookie:` header (also `cookie=` and a JSON key `"cookie":"`), up to its first pair; up to 32
 * blanks on each side of the separator, as after a credential label (headers aligned in a column: `Cookie:      sid=…`).
 */
// A folded header continues on the next line after CRLF or LF (also escaped in JSON) and a blank (`Cookie:\r\n sid=…`).
const COOKIE_HEADER =
  /(?<![A-Za-z0-9])(?:set-)?cookie2?["']?[ \t]{0,32}[:=][ \t]{0,32}(?:(?:\r?\n|\\r\\n|\\n)[ \t]{1,3})?["']?/gi;

/**
 * Cookie names of sessions and credentials (`sid`, `PHPSESSID`, `connect.sid`, `auth_token`, `remember_me`, `uid`):
 * their value is a secret whatever it looks like, from 3 characters (`sid=abc`, `session=letmein`).
 */
const SESSION_COOKIE = /sess|sid|auth|token|login|remember|jwt|csrf|xsrf|secret|passw|^uid$|^user$|^key$/i;

/** Values a server writes into a session cookie that are no session (`sid=deleted` clears it), and repeats (`xxx`). */
const COOKIE_STATE = /^(?:deleted|anonymous|guest|logout|logged_?out|0|-)$|^(.)\1*$/i;

/** Shortest value of a session cookie (`SESSION_COOKIE`) taken as a secret. */
const MIN_SESSION_COOKIE = 3;

/** Set-Cookie attributes: their values are no secrets. */
const COOKIE_ATTRIBUTES = new Set([
  'path',
  'domain',
  'expires',
  'max-age',
  'samesite',
  'secure',
  'httponly',
  'priority',
  'partitioned',
  'version',
  'comment',
]);

/** Most characters of one header read for its pairs. */
const MAX_COOKIE_HEADER = 4096;
/** The longest label `COOKIE_HEADER` matches (`set-cookie2"`, 32 blanks, `:`, 32 blanks, `\\r\\n   "`). */
const LONGEST_COOKIE_LABEL = 85;

/**
 * Characters that end a cookie name or value (RFC 6265 excludes them from both; `&` ends a header written into a
 * query string).
 */
function endsCookie(c: number): boolean {
  return (
    c === 38 ||
    c === -1 ||
    c === 59 ||
    c === 61 ||
    c === 44 ||
    isSpace(c) ||
    c === 34 ||
    c === 39 ||
    c === 92 ||
    c === 60 ||
    c === 62
  );
}

/**
 * Whether the value `text[start, end)` of cookie `name` is a secret: a session cookie's (`SESSION_COOKIE`) of 3 or more
 * characters but cleared states and placeholders, or any other that looks random; never a `Set-Cookie` attribute's.
 */
function cookieSecret(text: string, name: string, start: number, end: number): boolean {
  const session = SESSION_COOKIE.test(name);
  const value = text.slice(start, end);
  return (
    end - start >= (session ? MIN_SESSION_COOKIE : MIN_SECRET) &&
    !COOKIE_ATTRIBUTES.has(name.toLowerCase()) &&
    (session ? !COOKIE_STATE.test(value) && value.charCodeAt(0) !== 36 : looksRandom(text, start, end)) &&
    !NOT_A_VALUE.test(value)
  );
}

/** A JSON object of cookies (`"cookies":{`, `"cookie": {`, also with escaped quotes), up to its first member. */
const COOKIE_OBJECT = /(?<![A-Za-z0-9])(?:set-)?cookies?2?(?:\\?["'])?[ \t]{0,3}:[ \t]{0,3}\{/gi;

/** Length of a quote at `i` (`"`, `'`, or a JSON-escaped `\"`), 0 when there is none. */
function quoteAt(text: string, i: number): number {
  const c = codeAt(text, i);
  if (c === 34 || c === 39) return 1;
  return c === 92 && codeAt(text, i + 1) === 34 ? 2 : 0;
}

/**
 * The string members of JSON objects of cookies (`{"cookies":{"sid":"abc","lang":"en"}}`, also escaped inside a JSON
 * string): each value read like a header's (`cookieSecret`). Nested objects and arrays end the reading. Appended to
 * `out`.
 */
function findCookieObjects(text: string, out: Finding[]): void {
  const re = new RegExp(COOKIE_OBJECT.source, COOKIE_OBJECT.flags);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let i = m.index + m[0].length;
    const limit = Math.min(text.length, i + MAX_COOKIE_HEADER);
    while (i < limit) {
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      const q = quoteAt(text, i);
      if (q === 0) break;
      const nameStart = i + q;
      i = nameStart;
      while (i < limit && quoteAt(text, i) === 0 && !isSpace(text.charCodeAt(i))) i++;
      const nameEnd = i;
      if (quoteAt(text, i) === 0 || nameEnd === nameStart) break;
      i += quoteAt(text, i);
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      if (codeAt(text, i) !== 58) break;
      i++;
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      const vq = quoteAt(text, i);
      if (vq === 0) break;
      const start = i + vq;
      i = start;
      while (i < limit && quoteAt(text, i) === 0) i++;
      const end = i;
      if (quoteAt(text, i) === 0) break;
      i += quoteAt(text, i);
      if (cookieSecret(text, text.slice(nameStart, nameEnd), start, end))
        out.push({ start, end, type: 'labeled-secret' });
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      if (codeAt(text, i) !== 44) break;
      i++;
    }
    if (re.lastIndex < i) re.lastIndex = i;
  }
}

/**
 * The values of the `name=value` pairs of `Cookie:` and `Set-Cookie:` headers (also folded onto the next line, and a
 * JSON `"cookie":"…"` string) that look random (session ids: 8 or more characters of letters and digits, or long mixed
 * case) or belong to a session cookie (`SESSION_COOKIE`: any value of 3 or more characters but placeholders, `sid=abc`);
 * `lang=en-US`, `theme=dark` and the attributes of `Set-Cookie` are left alone. Appended to `out`.
 */
function findCookies(text: string, out: Finding[]): void {
  const re = fromStart(COOKIE_HEADER);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let i = m.index + m[0].length;
    const limit = Math.min(text.length, i + MAX_COOKIE_HEADER);
    let lastName = i;
    let past = -1;
    while (i < limit) {
      const nameStart = i;
      lastName = i;
      while (i < limit && !endsCookie(text.charCodeAt(i))) i++;
      const nameEnd = i;
      // An empty pair (`lang=en;; sid=…`, `Cookie: ; sid=…`, `=en; sid=…`) goes on to the next one: only a character
      // other than `=` or `;` ends the header there (below).
      if (codeAt(text, i) === 61) {
        i++;
        const quoted = codeAt(text, i) === 34;
        if (quoted) i++;
        const start = i;
        while (i < limit && (!endsCookie(text.charCodeAt(i)) || text.charCodeAt(i) === 61)) i++;
        // A value cut by the bound goes on to its end (masked whole: its rest was exported); the search resumes after
        // it, so each character is read once more at most.
        if (i === limit) {
          while (i < text.length && (!endsCookie(text.charCodeAt(i)) || text.charCodeAt(i) === 61)) i++;
          if (i > limit) past = i;
        }
        const end = i;
        if (quoted && codeAt(text, i) === 34) i++;
        if (cookieSecret(text, text.slice(nameStart, nameEnd), start, end))
          out.push({ start, end, type: 'labeled-secret' });
      }
      if (codeAt(text, i) !== 59) break;
      i++;
      // Blanks, and a line break of a folded header (`;\r\n sid=…`, also escaped in JSON: `;\\r\\n sid=…`).
      for (;;) {
        if (i < limit && isSpace(text.charCodeAt(i))) i++;
        else if (codeAt(text, i) === 92 && (codeAt(text, i + 1) === 114 || codeAt(text, i + 1) === 110)) i += 2;
        else break;
      }
    }
    // The next header's label may be in the last pair or cross the bound (`theme; Cookie: sid=…`, `theme_Cookie:
    // sid=…`, a label glued to the last value: `lang=en_Cookie: sid=…`), so the search resumes a label's length before
    // the stop (not before the last name; at most that much is read again per header).
    i = Math.max(lastName, Math.min(i, limit) - LONGEST_COOKIE_LABEL, past);
    if (re.lastIndex < i) re.lastIndex = i;
  }
}

/**
 * `labeled-secret`: the value after a credential label in text: `password=…`, `"db_password": "…"`,
 * `Password=…;` in connection strings, `client_secret: …`, `x-api-key: …`, `access_token=…`, `JSESSIONID=…`,
 * `<password>…</password>`, `--password=…`. The label must end its identifier (`password_policy: strict` and
 * `max_tokens: 512` are no labels) and be followed by `=`, `:`, `=>` or `:=` (quotes and up to 32 blanks around
 * it). Only the value is reported, so masking keeps `password=[REDACTED:labeled-secret]`. After a password label
 * any value of 3 or more characters counts but placeholders and state words (`password: required`, `pwd=***`,
 * `password=${DB_PASSWORD}`, `password = ?`); after a secret, key or token label the value must have 8 or more
 * characters and look random (letters and digits, or long mixed case), so `token: expired` is prose. The values of
 * `Cookie:` and `Set-Cookie:` headers that look random (session ids) are found too (see `findCookies`).
 */
export const labeledSecretDetector: Detector = {
  name: 'labeled-secret',
  trigger:
    /pass(?:word|wd|phrase)?|pwd|secret|api.?key|private.?key|access.?key|account.?key|signature|(?<![A-Za-z0-9_-])sig(?![A-Za-z0-9])|token|sess(?:ion.?)?id|cookie|auth|identified|login|setuser|(?:redis|valkey|keydb)-cli|ldap|curl|smbclient|zip|rabbitmq(?:ctl|admin)|net user|mysql|mariadb|sqlcmd|mongo|7z|securestring|connect[ \t]+to|psexec|mosquitto_(?:pub|sub)|user(?:mod|add)|beeline|isql|kennwort|wachtwoord|contrase(?:ñ|n)a|senha|salasana|adgangskode|h[ea]slo|hasło|l(?:ö|o)senord|jelsz(?:ó|o)|(?:ş|s)ifre|пароль|パスワード|密[码碼]|口令|暗証番号|비밀번호|암호|mật khẩu|पासवर्ड|รหัสผ่าน|parola|clave|mdp|pin(?:code)?(?![A-Za-z0-9])|subscription.?key|functions.?key|honeycomb.team/i,
  mayMatch: (text) =>
    labeledSecretDetector.trigger.test(text) ||
    (LOOKALIKE.test(text) && labeledSecretDetector.trigger.test(foldLookalikes(text))),
  find(text: string, out: Finding[]): void {
    if (!LOOKALIKE.test(text)) {
      findAll(text, out);
      return;
    }
    // A Cyrillic, Greek or other look-alike letter in a label (`passwοrd=…` with Greek `ο`, `api_kеy` with Cyrillic
    // `е`): the values found in the folded text too, where the text itself has none (one UTF-16 unit for one, so the
    // folded text's offsets are the text's). Only a text holding such a letter pays for it. A folded value reaching
    // past one found in the text is kept too (the scanner masks their union): `tоken="Zx9Q… password=hunter2"` found
    // only `hunter2` in the text, and the token's value before it was exported.
    const found: Finding[] = [];
    findAll(text, found);
    const folded: Finding[] = [];
    findAll(foldLookalikes(text), folded);
    for (const f of folded) if (!found.some((g) => g.start <= f.start && f.end <= g.end)) found.push(f);
    found.sort((a, b) => a.start - b.start);
    for (const f of found) out.push(f);
  },
};

/** The cookie values and labeled values of `text` (see `labeledSecretDetector`), appended to `out` in order. */
function findAll(text: string, out: Finding[]): void {
  const cookies: Finding[] = [];
  if (COOKIE_WORD.test(text)) {
    findCookies(text, cookies);
    findCookieObjects(text, cookies);
  }
  const commands: Finding[] = [];
  if (fromStart(COMMAND_WORD).test(text)) findCommandSecrets(text, commands);
  // A command written as an argument list (`["docker","login","-p","…"]`, `[docker, login, -p, …]`, a YAML list
  // `- docker\n- login\n- -p\n- …`): read again with the list's punctuation as blanks (the same length, so the
  // offsets are the text's).
  if (ARG_LIST.test(text)) {
    const flat = text.replace(ARG_LIST_PUNCTUATION, blanks);
    if (fromStart(COMMAND_WORD).test(flat)) findCommandSecrets(flat, commands);
  }
  if (AUTHORIZATION_WORD.test(text)) findAuthorization(text, commands);
  if (cookies.length === 0 && commands.length === 0) findLabeled(text, out);
  else {
    const found: Finding[] = [];
    findLabeled(text, found);
    // A `JSESSIONID=…` pair, `password=…` on a command line, are found by both: keep each value once (the scanner
    // masks the union of overlapping ones).
    const starts = new Set(found.map((g) => g.start));
    for (const f of commands)
      if (!starts.has(f.start)) {
        starts.add(f.start);
        found.push(f);
      }
    for (const f of cookies) if (!starts.has(f.start)) found.push(f);
    found.sort((a, b) => a.start - b.start);
    for (const f of found) out.push(f);
  }
}

const COOKIE_WORD = /cookie/i;

/** Whether a text may hold an argument list: quoted items between commas, `, `, or a YAML list item on a new line. */
const ARG_LIST = /["'][ \t]*,[ \t]*["']|,[ \t]|(?:\n|\\n)[ \t]*-[ \t]/;
/** The punctuation of argument lists (read as blanks by `findAll`). */
const ARG_LIST_PUNCTUATION = /["'][ \t]*,[ \t]*["']|,[ \t]+|\r?\n[ \t]*-[ \t]+|\\n[ \t]*-[ \t]+/g;
const blanks = (m: string): string => ' '.repeat(m.length);

/** Whether `c` before `sig` makes it part of a longer name (a letter, digit, `_` or `-`). */
function isSigGlue(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45;
}

/** Whether `text[i]` starts `%5` and the hex digit `lower` (any case): `%5B` (98) or `%5D` (100), a bracket encoded. */
function percentAt(text: string, i: number, lower: number): boolean {
  return codeAt(text, i) === 37 && codeAt(text, i + 1) === 53 && (codeAt(text, i + 2) | 32) === lower;
}

/** Most blanks on each side of a label's separator (settings aligned in a column: `db_password      = …`). */
const MAX_BLANKS = 32;

/**
 * Whether the name that ends with the label at `k` opens an XML tag (`<password>`, `<db_password>`, `<jdbc.password>`,
 * `<ns:password>`): a `<` before at most 64 characters of a tag name.
 */
function isTagOpen(text: string, k: number): boolean {
  let j = k - 1;
  const stop = Math.max(-1, k - 65);
  for (
    let c = codeAt(text, j);
    j > stop && (isAlnum(c) || c === 95 || c === 45 || c === 46 || c === 58);
    c = codeAt(text, --j)
  );
  return codeAt(text, j) === 60;
}

/** A test runner's verdict at `k` (`PASS:`): after `--- ` (Go) or before a test's name (`PASS: test_login`, `TestX`). */
function isVerdict(text: string, k: number): boolean {
  return text.startsWith('- ', k - 2) || /^:[ \t]+test/i.test(text.slice(k + 4, k + 10));
}

/** A count or ratio after the `pass` label (`12`, `120/120`, `98.5%`): no password. */
const COUNT = /^[\d/.,%]+$/;

/**
 * Whether the label at `k` is glued to the word before it (`bypass`, `BYPASS`, `compass2`): a letter or digit before it,
 * but a lower-case letter before a capital (`smtpPass`).
 */
function gluedBefore(text: string, k: number): boolean {
  const b = codeAt(text, k - 1);
  if (!isAlnum(b)) return false;
  return !(isUpper(text.charCodeAt(k)) && !isUpper(b) && !isDigit(b) && !isUpper(codeAt(text, k + 1)));
}

/**
 * Past the opening of a JSON object or list, or a parenthesis, at `i` to its first member's value: `{"new":"…"`,
 * `{ new: "…"`, `["…"`, `('…'` (blanks around each part); else `i`.
 */
function memberValueAt(text: string, i: number): number {
  const open = codeAt(text, i);
  if (open !== 123 && open !== 91 && open !== 40) return i;
  let j = i + 1;
  while (codeAt(text, j) === 32) j++;
  if (open !== 123) return quoteCodeAt(text, j) === -1 ? i : j;
  // an object: a key of up to 32 letters, digits or `_`, quoted or not, then `:` (an empty key too: `{"":"…"}` was
  // exported)
  const q = quoteCodeAt(text, j);
  if (q !== -1) j++;
  const key = j;
  while (j < key + 32 && (isAlnum(codeAt(text, j)) || codeAt(text, j) === 95)) j++;
  if (q !== -1 && codeAt(text, j++) !== q) return i;
  while (codeAt(text, j) === 32) j++;
  if (codeAt(text, j) !== 58) return i;
  j++;
  while (codeAt(text, j) === 32) j++;
  return j;
}

/** A blank or tab; also a line break in the gap after a quoted label (`isGap(c, true)`). */
function isGap(c: number, lineBreaks: boolean): boolean {
  return c === 32 || c === 9 || (lineBreaks && (c === 10 || c === 13));
}

/**
 * Past a form encoding's blanks (`+`, at most `MAX_BLANKS`) at `i` before a separator: `=` or `:` after one or more
 * (`password+=+…`), or an encoded `%3D` or `%3A` after any, a `+` following it (`password+%3D+…`,
 * `password%3A+…`); else `i`.
 */
function plusGapEnd(text: string, i: number): number {
  let j = i;
  while (j - i < MAX_BLANKS && codeAt(text, j) === 43) j++;
  const c = codeAt(text, j);
  if (j > i && (c === 61 || c === 58)) return j;
  return percentSeparatorAt(text, j) && (j > i || codeAt(text, j + 3) === 43) ? j : i;
}

/** Whether `%3D` or `%3A` (any case) is at `i`. */
function percentSeparatorAt(text: string, i: number): boolean {
  return (
    codeAt(text, i) === 37 &&
    codeAt(text, i + 1) === 51 &&
    ((codeAt(text, i + 2) | 32) === 100 || (codeAt(text, i + 2) | 32) === 97)
  );
}

/** Past line breaks and blanks at `i` when a `:` follows them (`"password"\n:`); else `i`. */
function colonAfterBreaks(text: string, i: number): number {
  let j = i;
  for (let n = 0; n < MAX_BLANKS && isGap(codeAt(text, j), true); n++) j++;
  return j > i && codeAt(text, j) === 58 ? j : i;
}

/** Past line breaks and blanks at `i` when a quote follows them (a JSON value on its own line); else `i`. */
function quotedAfterBreaks(text: string, i: number): number {
  let j = i;
  for (let n = 0; n < MAX_BLANKS && isGap(codeAt(text, j), true); n++) j++;
  return j > i && quoteCodeAt(text, j) !== -1 ? j : i;
}

/** Values after credential labels (see `labeledSecretDetector`), appended to `out`. */
function findLabeled(text: string, out: Finding[]): void {
  const re = fromStart(LABEL);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let i = m.index + m[0].length;
    // The label ends its identifier, or a suffix word or number does (`password_confirmation`, `newPassword2`,
    // `secret_key_base`, `refreshTokenValue`): `passwordHash`, `tokens`, `secretary` are other words.
    i = labelSuffixEnd(text, i);
    if (isAlnum(codeAt(text, i))) continue;
    // `sig` only as a word of its own (`?sig=`, `&sig=`): `xsig`, `my_sig`, `pre-sig` are other names.
    if (m[0].length === 3 && (m[0].charCodeAt(0) | 32) === 115 && isSigGlue(codeAt(text, m.index - 1))) continue;
    // `PIN`, `parola`, `clave`, `mdp`: a password's label only with a separator, a word of its own and a value that
    // looks like one.
    const weak = m[4] !== undefined;
    const password = m[1] !== undefined || weak;
    // `pass` alone: a word of its own (`pass=`, `DB_PASS`, `smtpPass`; `bypass`, `compass` are other words), and not a
    // test runner's upper-case verdict (`--- PASS: TestLogin`, `PASS: test_login`).
    const bare = m[0].length === 4 && password && (m[0].charCodeAt(0) | 32) === 112;
    if (
      (bare || weak) &&
      (gluedBefore(text, m.index) || (m[0] === 'PASS' && codeAt(text, i) === 58 && isVerdict(text, m.index)))
    )
      continue;
    const labelEnd = i;
    // A value introduced in prose or by a blank (`password is …`, `api key …`) is taken only when it looks like a
    // credential (`credentialLike`); not after `pass` alone (`pass the test`), a weak label or a signature's label.
    const proseLabel = !bare && !weak && !((m[0].charCodeAt(0) | 32) === 115 && (m[0].charCodeAt(1) | 32) === 105);
    let prose = false;
    // `"password": ` / `password = ` / `password=>` / `password:=` / `<password>`
    if (codeAt(text, i) === 92) i++; // \" inside an escaped JSON string
    const labelQuoted = codeAt(text, i) === 34 || codeAt(text, i) === 39;
    if (labelQuoted) i++;
    // a form parameter's name in brackets (`user[password_confirmation]=…`, `user[password]+=+…`) or an array's
    // (`password[]=…`, also percent-encoded: `password%5B%5D=…`, `user%5Bpassword%5D+=+…`)
    if (codeAt(text, i) === 91 && codeAt(text, i + 1) === 93) i += 2;
    else if (percentAt(text, i, 98) && percentAt(text, i + 3, 100)) i += 6;
    else if (codeAt(text, i) === 93 && (codeAt(text, i + 1) === 61 || codeAt(text, i + 1) === 43)) i++;
    else if (percentAt(text, i, 100) && (codeAt(text, i + 3) === 61 || codeAt(text, i + 3) === 43)) i += 3;
    const gapStart = labelQuoted ? i : labelEnd;
    let blanks = 0;
    for (; blanks < MAX_BLANKS && isGap(codeAt(text, i), false); blanks++) i++;
    // Blanks a form encoding wrote as `+` (`password+=+…`, `password+%3D+…` in a form-encoded body): `+` only, then
    // the separator.
    const plus = blanks === 0 ? plusGapEnd(text, i) : i;
    const formBlanks = plus > i || (blanks === 0 && percentSeparatorAt(text, i) && codeAt(text, i + 3) === 43);
    i = plus;
    // A quoted label's gap may hold line breaks before its `:` (JSON written as `"password"\n:\n"…"`); else the line
    // break is read below (a multipart field's blank line).
    if (labelQuoted) i = colonAfterBreaks(text, i);
    const c = codeAt(text, i);
    // (`==`, `===` and `::=` too: the normalized view writes `⩵`, `⩶` and `⩴` so)
    if (c === 61)
      i += codeAt(text, i + 1) === 62 ? 2 : codeAt(text, i + 1) !== 61 ? 1 : codeAt(text, i + 2) === 61 ? 3 : 2;
    else if (c === 58)
      i += codeAt(text, i + 1) === 61 ? 2 : codeAt(text, i + 1) === 58 && codeAt(text, i + 2) === 61 ? 3 : 1;
    else if (c > 127 && isSeparatorLike(c))
      i++; // `password꞉…`, `password ≔ …`: a colon or equals sign of another block
    else if (c === 62 && isTagOpen(text, m.index)) {
      i++; // <password>, <db_password>
      // a blank after the tag: text, not an element's value, unless it looks like a credential (Redis's own error
      // `ERR AUTH <password> called without any password configured`)
      if (codeAt(text, i) === 32 || codeAt(text, i) === 9) prose = true;
    } else if (c === 37 && formBlanks)
      i += 3; // `password+%3D+…`: a form encoding's `=` or `:`, read here (the view decodes `+…-` as UTF-7)
    else if (
      c === 62 &&
      labelQuoted &&
      codeAt(text, m.index - 1) === codeAt(text, labelEnd) &&
      isAttributeValue(text, m.index - 1)
    )
      i++; // <entry key="password">…</entry>: the label as an attribute's value, the secret as the element's text
    else if (labelQuoted && (c === 13 || c === 10) && isMultipartName(text, m.index - 1)) {
      // a multipart form field (`Content-Disposition: form-data; name="password"`, a blank line, the value)
      const body = blankLineEnd(text, i);
      if (body === -1) continue;
      i = body;
    } else {
      // The label as a name and the value in the next field (`{"name":"DB_PASSWORD","value":"…"}`).
      const v = pairValueAt(text, labelEnd);
      // A password word of another language, a qualifier of one or two words and a separator (`contraseña temporal:`,
      // `senha do wifi =`, `"Passwort für jane": `); its value judged as after the word (`foreignPasswordValue`).
      const q =
        v === -1 && m[1] !== undefined && !ENGLISH_PASSWORD.test(m[0]) ? qualifiedSeparatorEnd(text, labelEnd) : -1;
      if (v !== -1) i = v;
      else if (q !== -1) i = q;
      else {
        // In prose or after a blank (`password is …`, `use password … to log in`, `password -> …`, `--password …`),
        // or after a CJK label's particle (`密码是…`, `パスワードは…`, `비밀번호는 …`).
        const p = proseLabel
          ? labelEnd === gapStart && text.charCodeAt(labelEnd - 1) >= 0x3000
            ? cjkParticleEnd(text, labelEnd)
            : proseValueAt(text, gapStart, true)
          : -1;
        if (p === -1) continue;
        prose = true;
        i = p;
      }
    }
    blanks = 0;
    for (; blanks < MAX_BLANKS && (codeAt(text, i) === 32 || codeAt(text, i) === 9); blanks++) i++;
    // `+` written for blanks after the separator: after form blanks before it (`password+=+…`), or before a quote
    // (`password:+"…"`); `password=+hunter2` keeps its `+`.
    // An unquoted value after form blanks is masked from them (the view reads `+…-` as UTF-7 when it decodes, and the
    // masked text is then the same).
    const formStart = formBlanks ? i : -1;
    if (blanks === 0 && !prose && codeAt(text, i) === 43) {
      let j = i;
      while (j - i < MAX_BLANKS && codeAt(text, j) === 43) j++;
      if (formBlanks || quoteCodeAt(text, j) !== -1) i = j;
    }
    // A connector after the separator (`password = is …`, `API key: is …`): read as prose.
    if (!prose && proseLabel && connectorAt(text, i)) {
      prose = true;
      i = proseValueAt(text, i, false);
    }
    // After the separator or in prose, line breaks before a quoted value (`"password":\n"…"`; also after an unquoted
    // label or a connector: `const password =\n  "…";`, `{password:\n"…"}`, `Your password is\n"…"` were exported).
    i = quotedAfterBreaks(text, i);
    // YAML's tags and anchors before a value (`!!str …`, `&pw …`) and block scalars (`>-`, `|` and a line break).
    if (c === 58 && !prose) i = yamlValueStart(text, i);
    // A YAML value on the next, indented line (`password:\n  …`, also with JSON-escaped line breaks).
    if (codeAt(text, i - 1) !== 61 && !prose) i = indentedLineAt(text, i);
    // A JSON object or list holding the value (`"password":{"new":"…"}`, `api_key=["…"]`, `password=('…')`): its
    // first member's value.
    i = memberValueAt(text, i);
    const escapedQuote = codeAt(text, i) === 92 && quoteCodeAt(text, i + 1) !== -1;
    if (escapedQuote) i++;
    // Python's string prefixes (`r'…'`, `b"…"`, `rb'…'`)
    i = stringPrefixEnd(text, i);
    const quote = quoteCodeAt(text, i);
    if (quote !== -1) {
      i++;
      // a triple-quoted string (`"""…"""`)
      if (codeAt(text, i) === quote && codeAt(text, i + 1) === quote) i += 2;
    }
    const start = i;
    // The value is judged on its first MAX_VALUE characters (each label reads at most that far: linear time on text
    // of many labels); a value found goes on to its end below.
    const limit = Math.min(text.length, start + MAX_VALUE);
    let end = valueEnd(text, start, limit, quote, escapedQuote);
    const unlisted = quote === -1 ? trimSentenceEnd(text, start, end) : end;
    // `,` and `;` end an unquoted value only before another pair (`password=ab;hunter2…` was cut at the `;`).
    if (quote === -1) end = listedValueEnd(text, end, limit);
    // A value in brackets (`[REDACTED]`, `{password}`, `<your-password>`, `<hunter2…>`) runs to its closing bracket.
    if (quote === -1) end = bracketedEnd(text, start, end, limit);
    const cut = end === limit && limit < text.length;
    // Trailing sentence punctuation is not part of an unquoted value.
    if (quote === -1) end = trimSentenceEnd(text, start, end);
    if (end - start < (password ? MIN_PASSWORD : MIN_SECRET)) continue;
    const first = text.charCodeAt(start);
    const value = text.slice(start, end);
    // Placeholders and templates: `***`, `[REDACTED]`, `${PASSWORD}`, `{{secret}}`, `%s`, `?`, `/path` (shell $PWD).
    if (isPlaceholder(value)) {
      // a label word inside it (`<your-password>`) is the placeholder's, not a label before the next word
      if (re.lastIndex < end) re.lastIndex = end;
      continue;
    }
    if (first === 47 && password && m[0].length === 3) continue; // `pwd=/home/…`
    if (bare && COUNT.test(value)) continue; // `pass=12`, `pass: 120/120`: a test count
    if (NOT_A_VALUE.test(value) || /^(.)\1*$/.test(value)) continue;
    // `PIN: 4821`, `parola: Xk29fLq81Zt` (`parola: ciao` is a word, `pin: high` a setting; `PIN: 2026` a year,
    // `pin: GPIO4`, `Pin: v2.3.1`, `parola: Milano2026`, `clave: pedido-2024-001` names and ids)
    // The value judged without a sentence's end; a bracketed value (`<hunter2…>`, which `unlisted` ends at its `<`) on
    // what its brackets hold.
    const bracketed = unlisted <= start && end - start > 2;
    const judgedStart = bracketed ? start + 1 : start;
    const judged = bracketed ? end - 1 : Math.min(end, unlisted);
    if (weak && !weakLabelValue(text, judgedStart, judged)) continue;
    // A password word of another language (`contraseña`, `senha`, `Passwort`, `пароль`, `密码`, …): only a value that
    // looks like a credential (`foreignPasswordValue`); its state words (`senha: expirada`, `密码：已重置`) and a
    // translation table's label (`{"senha":"Senha"}`) are not.
    if (
      m[1] !== undefined &&
      !ENGLISH_PASSWORD.test(m[0]) &&
      !foreignPasswordValue(text, judgedStart, judged) &&
      !(m[0] === '暗証番号' && weakLabelValue(text, judgedStart, judged))
    )
      continue;
    if (prose) {
      // Judged on its part before a `,` or `;` (`password reset requested,ok,12`: a CSV row's next cells), masked
      // with what follows it (`password is hunter2,x`).
      if (!credentialLike(text, start, Math.min(end, unlisted), password, quote !== -1)) continue;
      // A bracketed placeholder (`secret [REDACTED-api-token]`); after a blank only, hex digits name a token rather
      // than disclose it (`token 9944b0… rotated`: a digest or id).
      if (start > 0 && isPlaceholder(text.slice(start - 1, end + 1))) continue;
      if (!password && quote === -1 && blanksEnd(text, gapStart) === start && onlyHex(text, start, end)) continue;
    } else if (!password && end - start < MIN_ONE_CASE && !looksRandom(text, start, end)) continue;
    // A value longer than MAX_VALUE (a long password or key): masked to its end, not only its first characters (the
    // rest was exported). Each character is read once more at most: the search goes on after the value.
    if (cut) {
      end = valueEnd(text, limit, text.length, quote, escapedQuote);
      // past `,` and `;` as before the bound (`password=<300 characters>,…`: the part after the comma was exported)
      if (quote === -1) end = trimSentenceEnd(text, start, listedValueEnd(text, end, text.length));
    }
    out.push({ start: formStart !== -1 && quote === -1 ? formStart : start, end, type: 'labeled-secret' });
    if (re.lastIndex < end) re.lastIndex = end;
  }
}

/**
 * Whether `c` (past ASCII) is a colon or equals sign of another block after a label (`password꞉…` U+A789, `᠄` U+1804,
 * `∶` U+2236, `ː` U+02D0, `≔` U+2254, `⩵` U+2A75, …): read as `:` or `=`. (Fullwidth `：` and `＝` are read in the
 * scanner's normalized view.)
 */
function isSeparatorLike(c: number): boolean {
  switch (c) {
    case 0x02d0: // ː
    case 0x02f8: // ˸
    case 0x05c3: // ׃
    case 0x0589: // ։
    case 0x1804: // ᠄
    case 0x2236: // ∶
    case 0xa789: // ꞉
    case 0xfe13: // ︓
    case 0xfe55: // ﹕
    case 0xff1a: // ：
    case 0x207c: // ⁼
    case 0x208c: // ₌
    case 0x2254: // ≔
    case 0x2a74: // ⩴
    case 0x2a75: // ⩵
    case 0x2a76: // ⩶
    case 0xfe66: // ﹦
    case 0xff1d: // ＝
      return true;
    default:
      return false;
  }
}

/**
 * After a particle that joins a CJK password word to its value at `i` (`是`, `为`, `為`, `は`, `が`, `는`, `은`), its
 * blanks (also ideographic) and an opening corner bracket (`パスワードは「…」`); or -1.
 */
function cjkParticleEnd(text: string, i: number): number {
  const c = codeAt(text, i);
  if (c !== 0x662f && c !== 0x4e3a && c !== 0x70ba && c !== 0x306f && c !== 0x304c && c !== 0xb294 && c !== 0xc740)
    return -1;
  let j = i + 1;
  while (codeAt(text, j) === 32 || codeAt(text, j) === 0x3000) j++;
  if (codeAt(text, j) === 0x300c || codeAt(text, j) === 0x300e) j++;
  return j;
}

/** Fewest digits of a value after `PIN` (`PIN: 4821`). */
const MIN_PIN = 4;

/** Most letters of a word qualifying a password word before its separator (`temporaire`, `Datenbank`). */
const MAX_QUALIFIER = 14;

/**
 * After a password word of another language at `i`: one or two qualifying words (letters of Latin, Greek or Cyrillic
 * scripts, up to `MAX_QUALIFIER` each, or one in parentheses: `(neu)`), each after one blank, a closing quote of a JSON
 * key, blanks, and `:` or `=` (not `==`); the index after the separator, or -1 (`contraseña temporal: …`, `senha do
 * wifi = …`, `пароль от почты: …`, `"mot de passe temporaire": …`).
 */
function qualifiedSeparatorEnd(text: string, i: number): number {
  let j = i;
  for (let words = 0; words < 2; words++) {
    if (codeAt(text, j) !== 32) break;
    let k = j + 1;
    const paren = codeAt(text, k) === 40;
    if (paren) k++;
    const w = k;
    while (k - w <= MAX_QUALIFIER && isQualifierLetter(codeAt(text, k))) k++;
    if (k === w && !paren && words > 0) break; // `contraseña temporal = …`
    if (k === w || k - w > MAX_QUALIFIER) return -1;
    if (paren) {
      if (codeAt(text, k) !== 41) return -1;
      k++;
    }
    j = k;
  }
  if (j === i) return -1;
  if (codeAt(text, j) === 92 && quoteCodeAt(text, j + 1) !== -1) j++;
  if (quoteCodeAt(text, j) !== -1) j++;
  while (codeAt(text, j) === 32 || codeAt(text, j) === 9) j++;
  const c = codeAt(text, j);
  if (c === 58 || c === 0xff1a || c === 0xff1d || (c === 61 && codeAt(text, j + 1) !== 61)) return j + 1;
  return -1;
}

/** A letter of a qualifying word: ASCII, or Latin, Greek and Cyrillic past ASCII. */
function isQualifierLetter(c: number): boolean {
  return isAsciiLetter(c) || (c >= 0xc0 && c <= 0x52f && c !== 0xd7 && c !== 0xf7);
}

/** The English password words (`password`, `pass`, `passwd`, `passphrase`, `pwd`): their state words are listed. */
const ENGLISH_PASSWORD = /^(?:pass(?:word|wd|phrase)?|pwd)$/i;

/**
 * Whether `text[start, end)` after a password word of another language looks like a credential: no blank and no
 * other text than Latin, Greek and Cyrillic letters, digits and symbols (CJK text around it is not read), and letters
 * with a digit or a symbol (`Hunter2`, `geheim!`), letters of both cases from 12 with a capital past the first letter
 * (`XkqfLqZtMnBv`, not `Palavra-passe`), or six digits or more (`482913`). A word of letters alone (`expirada`,
 * `ungültig`, `Senha`, `неверный`, `non-valide`, `id_usuario`) or CJK text (`已重置`, `8文字以上`) is not.
 */
function foreignPasswordValue(text: string, start: number, end: number): boolean {
  let letters = 0;
  let digits = 0;
  let symbols = 0;
  let upper = 0;
  let lower = 0;
  let i = start;
  // CJK punctuation and particles before the value (`密码是：…`, `密码：「…」`) are not part of it; CJK text after it
  // ends it (`パスワードはXk29fLq81Ztです`).
  while (i < end && text.charCodeAt(i) >= 0x3000) i++;
  const from = i;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x3000) break;
    if (isDigit(c)) digits++;
    else if (isAsciiLetter(c)) {
      letters++;
      if (isUpper(c)) upper += i === from ? 0 : 1;
      else lower++;
    } else if (c >= 0xc0 && c <= 0x52f && c !== 0xd7 && c !== 0xf7) {
      letters++;
      const ch = text[i]!;
      if (ch !== ch.toLowerCase()) upper += i === from ? 0 : 1;
      else if (ch !== ch.toUpperCase()) lower++;
    } else if (c > 127 || isSpace(c)) return false;
    // `-`, `.`, `_` and `'` join words (`non-valide`, `id_usuario`, `d'ordine`)
    else if (c !== 45 && c !== 46 && c !== 95 && c !== 39) symbols++;
  }
  if (letters === 0) return digits === i - from && digits >= 6;
  return digits > 0 || symbols > 0 || (upper > 0 && lower > 0 && i - from >= 12);
}

/** A name or id: a word (or words joined by `-`, `_`, `.`) and a number (`GPIO4`, `v2.3.1`, `pedido-2024-001`). */
const WORD_AND_NUMBER = /^[A-Za-z]+(?:[-_.][A-Za-z]+)*[-_.]?\d+(?:[-_.]\d+)*$/;

/** A year (`2026`), not a PIN. */
const YEAR = /^(?:19|20)\d\d$/;

/**
 * Whether `text[start, end)` after a weak label (`PIN`, `parola`, `clave`, `mdp`) is a credential: digits (4 or more,
 * not a year) or a value that looks like a password (`foreignPasswordValue`) and is not a word and a number.
 */
function weakLabelValue(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) >= 0x3000) end = i; // `暗証番号は4829です`
  const value = text.slice(start, end);
  if (onlyDigits(text, start, end)) return end - start >= MIN_PIN && !YEAR.test(value);
  return foreignPasswordValue(text, start, end) && !WORD_AND_NUMBER.test(value);
}

/** Whether `text[start, end)` is ASCII digits only. */
function onlyDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Whether `text[start, end)` is hex digits only. */
function onlyHex(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isHexDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Past the blanks and tabs at `i` (at most `MAX_BLANKS`; also JSON-escaped tabs, `\\t`). */
function blanksEnd(text: string, i: number): number {
  let j = i;
  for (let n = 0; n < MAX_BLANKS; n++) {
    const c = codeAt(text, j);
    if (c === 32 || c === 9) j++;
    else if (c === 92 && codeAt(text, j + 1) === 116) j += 2;
    else break;
  }
  return j;
}

/**
 * Words that join a label to its value in prose, each followed by a blank: `password is …`, `password was …`, `new
 * password set to …`, `password changed to …`, `reset password to …`, `password as …`, `Passwort ist …`.
 */
const PROSE_CONNECTORS = new Set(
  'is was are to as of now set changed reset updated becomes equals ist war lautet es est è é era fue foi était är jest je'.split(
    ' ',
  ),
);

/**
 * Adjectives written after a password word in Romance languages before the connector (`su contraseña temporal es …`,
 * `votre mot de passe provisoire est …`, `a sua senha temporária é …`): read like connectors in prose.
 */
const PROSE_ADJECTIVES = new Set(
  'temporal temporaire provisoire provisional provisoria provisória temporária temporaria temporanea provvisoria nueva nuevo nouveau nouvel nouvelle nova novo nuova actual actuelle atual attuale'.split(
    ' ',
  ),
);

/** Longest connector or adjective word (`PROSE_CONNECTORS`, `PROSE_ADJECTIVES`). */
const MAX_CONNECTOR = 11;

/** Whether `c` is a letter of a connector: ASCII, or Latin-1 and Latin Extended-A (`è`, `é`, `á`, `ä`). */
function isConnectorLetter(c: number): boolean {
  return isAsciiLetter(c) || (c >= 0xc0 && c <= 0x17f && c !== 0xd7 && c !== 0xf7);
}

/**
 * The end of the run of letters (`isConnectorLetter`) at `i` when it is at most `MAX_CONNECTOR` long and a blank or
 * tab follows; else `i`.
 */
function wordBeforeBlank(text: string, i: number): number {
  let j = i;
  while (j - i <= MAX_CONNECTOR && isConnectorLetter(codeAt(text, j))) j++;
  return j - i <= MAX_CONNECTOR && blanksEnd(text, j) > j ? j : i;
}

/**
 * Whether a connector word (`PROSE_CONNECTORS`) and a blank are at `i` (`password: is …`, `password: now …`,
 * `Passwort: ist …`; `now`, `as`, `becomes`, `ist` and `lautet` were taken as the value and the password after them
 * exported).
 */
function connectorAt(text: string, i: number): boolean {
  const w = wordBeforeBlank(text, i);
  return w > i && PROSE_CONNECTORS.has(text.slice(i, w).toLowerCase());
}

/**
 * After `for` and its blanks at `i`: past one or two words naming whose credential it is and `is`, `was`, `:` or `=`
 * (`the password for jane is …`, `password for db-admin: …`); or -1.
 */
function forSubjectEnd(text: string, i: number): number {
  let j = i;
  for (let words = 0; words < 2; words++) {
    const w = j;
    while (j - w < 64 && j < text.length && !isSpace(text.charCodeAt(j))) j++;
    if (j === w) return -1;
    const last = text.charCodeAt(j - 1);
    if (last === 58 || last === 61) return j; // `for jane:`
    j = blanksEnd(text, j);
    const c = codeAt(text, j);
    if (c === 58 || c === 61) return j + 1;
    const v = wordBeforeBlank(text, j);
    if (v > j && /^(?:is|was)$/i.test(text.slice(j, v))) return v;
  }
  return -1;
}

/**
 * After an arrow or dash at `i` that joins a label to its value (`->`, `-->`, `→`, `⇒`, `⟶`; `-`, `–`, `—` with a blank
 * after them, and `-` also after a blank, `gap`: `password-reset` is a name); else `i`.
 */
function arrowEnd(text: string, i: number, gap: boolean): number {
  const c = codeAt(text, i);
  if (c === 45) {
    let j = i + 1;
    if (codeAt(text, j) === 45) j++;
    if (codeAt(text, j) === 62) return j + 1;
    return j === i + 1 && gap && codeAt(text, j) === 32 ? j : i;
  }
  if (c === 0x2192 || c === 0x21d2 || c === 0x27f6 || c === 0x2794 || c === 0x279c) return i + 1;
  if ((c === 0x2013 || c === 0x2014 || c === 0x2015) && codeAt(text, i + 1) === 32) return i + 1;
  return i;
}

/**
 * Where a value introduced in prose after a label starts (`password is …`, `the password for jane is …`, `new password
 * set to …`, `password -> …`, `password → …`, `password — …`, `use password … to log in`, `password (…)`): past the
 * blanks at `i` (some needed when `needGap` and no arrow follows), an arrow or dash, up to four connector words
 * (`PROSE_CONNECTORS`, `for` and whose credential it is), and an opening `(`, `[` or `<` before the value; or -1.
 */
function proseValueAt(text: string, i: number, needGap: boolean): number {
  let j = blanksEnd(text, i);
  const gap = j > i;
  const a = arrowEnd(text, j, gap);
  if (a > j) j = blanksEnd(text, a);
  else if (needGap && !gap) return -1;
  for (let words = 0; words < 4; words++) {
    const w = wordBeforeBlank(text, j);
    if (w === j) break;
    const word = text.slice(j, w).toLowerCase();
    if (word === 'for') {
      const k = forSubjectEnd(text, blanksEnd(text, w));
      if (k === -1) return -1;
      j = blanksEnd(text, k);
    } else if (PROSE_CONNECTORS.has(word) || (words === 0 && PROSE_ADJECTIVES.has(word))) j = blanksEnd(text, w);
    else break;
  }
  const o = codeAt(text, j);
  if ((o === 40 || o === 91 || o === 60) && !endsValue(codeAt(text, j + 1))) j++;
  return j;
}

/**
 * Whether a value introduced in prose (`text[start, end)`, see `proseValueAt`) looks like a credential, not a word of
 * the sentence (`password is required`, `token is expired`, `reset your password to continue`): one word (no blank),
 * no `(` (`password varchar(255)`), no pair of its own or mask (`token axsig=…`, `[REDACTED:api-token]`: no `:` nor `=`
 * but base64's trailing `=`), and after a password label quoted (`password "…"`), or letters with digits or
 * symbols (`hunter2-Fake-9x`, `p@ss!word`; `-`, `'`, `.`, `_`, `/` are no symbols here), long mixed case, or six
 * digits or more; after a secret, key or token label 8 or more characters that look random (`looksRandom`). Trailing
 * `!` and `?` are the sentence's.
 */
function credentialLike(text: string, start: number, end: number, password: boolean, quoted: boolean): boolean {
  let e = end;
  while (e > start && (text.charCodeAt(e - 1) === 33 || text.charCodeAt(e - 1) === 63)) e--;
  let letters = 0;
  let digits = 0;
  let symbols = 0;
  for (let i = start; i < e; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isAsciiLetter(c) || c > 127) letters++;
    else if (isSpace(c) || c === 40 || c === 41) return false;
    // `=` inside the value (not base64's padding) starts a pair of its own (`token axsig=…`); `:` one too, or a
    // mask (`secret [REDACTED:api-token]` after a first pass) or a URL
    // (`=` last before a quote is an attribute's: `<input name="password_confirm" type="password">`)
    else if (
      (c === 61 && (i + 1 < e ? text.charCodeAt(i + 1) !== 61 : !quoted && quoteCodeAt(text, e) !== -1)) ||
      c === 58
    )
      return false;
    else if (c !== 45 && c !== 39 && c !== 46 && c !== 95 && c !== 47) symbols++;
  }
  if (!password) return e - start >= MIN_SECRET && looksRandom(text, start, e);
  if (e - start < MIN_PASSWORD) return false;
  if (quoted) return true;
  if (letters === 0) return digits === e - start && digits >= 6;
  return digits > 0 || symbols > 0 || looksRandom(text, start, e);
}

/** The key names that hold the value of a name/value pair (`value`, CloudFormation's `ParameterValue`). */
const PAIR_VALUE_KEY = /^(?:parameter|secret)?value$/i;

/**
 * Where the value of a name/value pair starts when the label ending at `k` is the name's (`{"name":"DB_PASSWORD",
 * "value":"…"}` as Kubernetes and ECS write environment variables and jQuery's `serializeArray` form fields,
 * `{"ParameterKey":"DbPassword","ParameterValue":"…"}`, YAML's `- name: API_KEY\n  value: …`, also in escaped JSON,
 * and an HTML form field, `<input name="password" value="…">`, `<input type=password value=…>`): after the name's
 * closing quote, a comma or a line break (blanks and escaped line breaks around it), and the key `value` with `:` or
 * `=`, or a blank and `value=`;
 * or -1. Reads the gap (blanks, commas, line breaks: each once, they follow this label's name) and one key: a bound on
 * the gap exported a pair whose gap was longer with the scanner's pre-filter on and masked it with the pre-filter off.
 */
function pairValueAt(text: string, k: number): number {
  let i = k;
  if (codeAt(text, i) === 92) i++;
  const quote = quoteCodeAt(text, i);
  if (quote !== -1) i++;
  let joined = false;
  const gapEnd = text.length;
  while (i < gapEnd) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 10 || c === 13) joined = true;
    else if (c === 92 && (codeAt(text, i + 1) === 110 || codeAt(text, i + 1) === 114)) {
      joined = true;
      i++;
    } else if (c === 92 && codeAt(text, i + 1) === 116) i++;
    else if (c !== 32 && c !== 9 && c !== 45) break; // `-`: YAML's list item
    i++;
  }
  // Without a comma or line break only as HTML writes a field: the name, quoted or not, a blank, `value=` (`<input
  // name="password" value="…">`, `<input type=password value=…>`).
  if (!joined && (i === gapEnd || codeAt(text, i - 1) !== 32)) return -1;
  if (codeAt(text, i) === 92) i++;
  const keyQuote = quoteCodeAt(text, i) !== -1;
  if (keyQuote) i++;
  const keyStart = i;
  while (i < keyStart + 14 && isAsciiLetter(codeAt(text, i))) i++;
  if (!PAIR_VALUE_KEY.test(text.slice(keyStart, i))) return -1;
  if (codeAt(text, i) === 92) i++;
  if (keyQuote && quoteCodeAt(text, i) !== -1) i++;
  for (let blanks = 0; blanks < 3 && (codeAt(text, i) === 32 || codeAt(text, i) === 9); blanks++) i++;
  const c = codeAt(text, i);
  return c === 61 || (c === 58 && joined) ? i + 1 : -1;
}

/**
 * After a label's `:` and its blanks at `i`: past a line break (LF, CRLF, or escaped `\n`/`\r\n`) and the indentation
 * of the next line when the value is written there (YAML's `password:\n  …`); else `i`.
 */
function indentedLineAt(text: string, i: number): number {
  let j = i;
  if (codeAt(text, j) === 13) j++;
  if (codeAt(text, j) === 10) j++;
  else if (codeAt(text, j) === 92 && codeAt(text, j + 1) === 114 && codeAt(text, j + 2) === 92) j += 2;
  if (j === i || codeAt(text, j - 1) !== 10) {
    if (codeAt(text, j) !== 92 || codeAt(text, j + 1) !== 110) return i;
    j += 2;
  }
  const indent = j;
  // Any indentation (each blank read once: the run belongs to this label's line). A bound of 16 exported a value
  // indented 17 to 61 blanks when the scanner's pre-filter was on and masked it when it was off (a view read it).
  while (codeAt(text, j) === 32 || codeAt(text, j) === 9) j++;
  return j > indent ? j : i;
}

/** The quote (`"`, `'` or a backtick) at `i`, or -1 when there is none. */
function quoteCodeAt(text: string, i: number): number {
  const c = codeAt(text, i);
  return c === 34 || c === 39 || c === 96 ? c : -1;
}

/**
 * Words and numbers that continue a label to the end of its name (lower case): confirmation and repeat fields
 * (`password_confirmation`, `passwordConfirm`, `pwd_new`), Rails' `secret_key_base`, `refreshTokenValue`.
 */
const LABEL_SUFFIXES = new Set(
  'confirmation confirm confirmed new old current base value again repeat repeated retype verify verification plain plaintext clear raw input'.split(
    ' ',
  ),
);

/**
 * The end of a label's name at `i` (right after the label word): past one suffix word of `LABEL_SUFFIXES` joined by
 * `_`, `-` or camelCase and one or two digits (`password_confirmation`, `newPassword2`, `old_password_1`); `i` when
 * none follows.
 */
function labelSuffixEnd(text: string, i: number): number {
  let j = i;
  const c = codeAt(text, j);
  const joined = c === 95 || c === 45;
  if (joined || isUpper(c)) {
    const w = joined ? j + 1 : j;
    let e = w + 1;
    while (e - w < 13 && isAsciiLetter(codeAt(text, e)) && !isUpper(codeAt(text, e))) e++;
    if (LABEL_SUFFIXES.has(text.slice(w, e).toLowerCase())) j = e;
  }
  const digitsFrom = codeAt(text, j) === 95 || codeAt(text, j) === 45 ? j + 1 : j;
  let d = digitsFrom;
  while (d - digitsFrom < 2 && isDigit(codeAt(text, d))) d++;
  return d > digitsFrom && !isAlnum(codeAt(text, d)) ? d : j;
}

/**
 * The end of an unquoted value at `start` written in brackets (`[`, `{`, `<`): one past its closing bracket when it
 * comes before a blank, a quote or `limit`; else `end`.
 */
function bracketedEnd(text: string, start: number, end: number, limit: number): number {
  const open = text.charCodeAt(start);
  const close = open === 91 ? 93 : open === 123 ? 125 : open === 60 ? 62 : -1;
  if (close === -1) return end;
  for (let j = start + 1; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === close) return j + 1;
    if (isSpace(c) || c === 34 || c === 39 || c === open) break;
  }
  // `<` ends an unquoted value, so one that starts with it and does not close it (`<hunter2…`) reads on after it
  return open === 60 && end === start ? valueEnd(text, start + 1, limit, -1) : end;
}

/** Whether the quote at `q` opens an attribute's value (`key="password"`, `name='pwd'`): `=` before it. */
function isAttributeValue(text: string, q: number): boolean {
  return codeAt(text, q - 1) === 61;
}

/** Whether the quote at `q` opens a multipart field's name (`Content-Disposition: form-data; name="password"`). */
function isMultipartName(text: string, q: number): boolean {
  return q >= 5 && text.slice(q - 5, q).toLowerCase() === 'name=';
}

/** After a multipart header line ending at `i` (CR or LF): past the blank line before the body, or -1. */
function blankLineEnd(text: string, i: number): number {
  let j = i;
  for (let lines = 0; lines < 2; lines++) {
    if (codeAt(text, j) === 13) j++;
    if (codeAt(text, j) !== 10) return -1;
    j++;
  }
  return j;
}

/**
 * After a label's `:` at `i`: past YAML's tags and anchors of letters (`!!str `, `!secret `, `&pw `; `!a1b2` is a
 * value) and a block scalar's indicator before its line break (`>-`, `|`, `|+`); else `i`.
 */
function yamlValueStart(text: string, i: number): number {
  let j = i;
  const c = codeAt(text, j);
  if (c === 33 || c === 38) {
    // `!!str`, `!tag`, `&anchor`, then one blank
    let e = j + 1;
    if (c === 33 && codeAt(text, e) === 33) e++;
    const w = e;
    while (e - w < 32 && (isAsciiLetter(codeAt(text, e)) || codeAt(text, e) === 95 || codeAt(text, e) === 45)) e++;
    if (e > w && codeAt(text, e) === 32) j = e + 1;
  } else if (c === 62 || c === 124) {
    let e = j + 1;
    if (codeAt(text, e) === 45 || codeAt(text, e) === 43) e++;
    if (codeAt(text, e) === 13 || codeAt(text, e) === 10) j = e;
  }
  return j;
}

/**
 * After Python's string prefixes at `i` (`r`, `b`, `u`, `f`, `rb`, `br`, any case) and SQL's national strings (`N'…'`:
 * `ALTER LOGIN sa WITH PASSWORD = N'…'`) when a quote follows; else `i`.
 */
function stringPrefixEnd(text: string, i: number): number {
  let e = i;
  while (e - i < 2 && 'rRbBuUfFnN'.includes(text[e] ?? '.')) e++;
  return e > i && (codeAt(text, e) === 34 || codeAt(text, e) === 39) && !isAlnum(codeAt(text, i - 1)) ? e : i;
}

/** A placeholder word: letters, `_`, `-`, `.` or blanks in one case (`password`, `YOUR_PASSWORD`, `db-password`). */
const PLACEHOLDER_WORD = /^(?:[a-z_. -]+|[A-Z_. -]+)$/;

/**
 * Whether a labeled value is a placeholder or template, not a credential: `***`, `?`, `%s`, `%(pw)s`, `%PASSWORD%`,
 * `${…}`, `$(…)`, `$PASSWORD`, `{{…}}`, and a placeholder word in brackets (`[REDACTED]`, `{password}`,
 * `<your-password>`). A value that only starts like one (`$Hunter2…`, `*hunter2*`, `{hunter2}`) is a credential.
 */
function isPlaceholder(v: string): boolean {
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(v.length - 1);
  switch (first) {
    case 42: // *
      return /^\*+$/.test(v);
    case 63: // ?
      return /^\?\d*$/.test(v);
    case 37: // %
      // (`)` ends an unquoted value: `%(pw)s` reads `%(pw`)
      return /^%(?:[sdvfqr]|\([\w.]{1,64}(?:\)[sdr])?|[A-Z_]{1,64}%)$/.test(v);
    case 36: // $
      return v.startsWith('${') || v.startsWith('$(') || /^\$[A-Z_][A-Z0-9_]*$/.test(v);
    case 123: // {
      return v.startsWith('{{') || (last === 125 && PLACEHOLDER_WORD.test(v.slice(1, -1)));
    case 91: // [
      return last === 93 && /^[A-Za-z_. :-]+$/.test(v.slice(1, -1));
    case 60: // <
      return last === 62 && PLACEHOLDER_WORD.test(v.slice(1, -1));
    default:
      return false;
  }
}

/**
 * Where a labeled value that starts (or goes on) at `from` ends, reading up to `limit`: when quoted (`quote`, or -1) its
 * closing quote or a line break, a `\\` escaping the next character (`"a\\"b"`); inside an escaped JSON string
 * (`escaped`: the opening quote was `\\"`) the `\\` that escapes its closing quote; else the first character that ends
 * an unquoted value.
 */
function valueEnd(text: string, from: number, limit: number, quote: number, escaped = false): number {
  let end = from;
  if (quote === -1) {
    while (end < limit && !endsValue(text.charCodeAt(end))) end++;
    return end;
  }
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (c === quote || c === 10) break;
    if (c === 92) {
      if (escaped) break;
      end++; // the escaped character is part of the value
    }
    end++;
  }
  return Math.min(end, limit);
}

/**
 * Where an unquoted value that stopped at a `,` or `;` at `end` ends: it goes on over the next run of characters
 * (`password=hunter2,fake`, `pwd=ab;cd`) unless that run starts another pair: it holds `=` or `:` (`password=…;user=…`,
 * `Password=…;Server=…`), or is a capitalized word followed by a name of several words and `=` (`Password=…;User
 * ID=sa`, `;Initial Catalog=…`, connection-string keys); a blank or the end of the text after the `,`/`;` ends it too.
 */
function listedValueEnd(text: string, end: number, limit: number): number {
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (c !== 44 && c !== 59) return end;
    let k = end + 1;
    let pair = false;
    let word = isUpper(codeAt(text, k));
    for (; k < limit; k++) {
      const r = text.charCodeAt(k);
      if (r === 61 || r === 58) pair = true;
      if (pair || endsValue(r)) break;
      if (!isAsciiLetter(r)) word = false;
    }
    if (pair || k === end + 1) return end;
    if (word && isSpace(codeAt(text, k)) && spacedKeyAt(text, k, limit)) return end;
    end = k;
  }
  return end;
}

/** Whether a key's next words and `=` follow at `k` (` ID=`, ` Catalog=`, ` Security Info=`): letters and blanks. */
function spacedKeyAt(text: string, k: number, limit: number): boolean {
  const stop = Math.min(limit, k + 40);
  for (let i = k; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 61) return i > k + 1;
    if (c !== 32 && !isAsciiLetter(c)) return false;
  }
  return false;
}

/** `end` without the sentence punctuation (`.`, `:`) that ends an unquoted value `text[start, end)`. */
function trimSentenceEnd(text: string, start: number, end: number): number {
  while (end > start && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 58)) end--;
  return end;
}

/**
 * Statement and command words after which a password is written with no `=` or `:` label of its own (see
 * `findCommandSecrets`). Each ends a word; `AUTH` is upper case or quoted (Redis's command as clients and `MONITOR`
 * write it: lower-case `auth` is prose, `auth failed`), a tool's `login` only after the tools whose `login` takes
 * a password (`docker login`, `az login`, `vault login`, …).
 */
const COMMAND_WORD =
  /(?<![A-Za-z0-9_-])(?:identified|auth2?|requirepass|masterauth|setuser|changeUserPassword|(?:docker|podman|nerdctl|buildah|skopeo|oras|helm[ \t]+registry|az|oc|cf|vault)(?:\.exe)?[ \t]+login|sshpass|(?:redis|valkey|keydb)-cli|ldap(?:search|modify|add|delete|whoami|passwd|compare|modrdn|exop|url)|curl|smbclient|zip|unzip|zipcloak|rabbitmq(?:ctl|admin)|net user|mysql(?:dump|admin|import|show|check|slap)?|mariadb(?:-dump|-admin)?|convertto-securestring|password\(|connect[ \t]+to|psexec|mosquitto_(?:pub|sub)|user(?:mod|add)|beeline|isql|-(?:src|dest)?(?:store|key)pass|htpasswd|sqlcmd|mongo(?:sh|dump|restore|export|import|stat|top|files)?|7z[arz]?|chpasswd)(?:\.exe)?(?![A-Za-z0-9_-])/gi;

/** Words of statements and subcommands after a command word (compiled once). */
const WITH_WORD = /^with$/i;
const BY_WORD = /^by$/i;
const VALUES_WORD = /^values$/i;
const USER_WORD = /^user$/i;
const USING_WORD = /^using$/i;
const RABBITMQ_PASSWORD = /^(?:change_password|add_user|authenticate_user)$/;
const FLAG_CLUSTER = /^-[A-Za-z]+$/;
const REPEATED = /^(.)\1*$/;

/** Most characters read after a command word for its flags and arguments (one command line). */
const MAX_COMMAND = 512;

/** A tool's password flags (case matters: `zip -P` is the password, `-p` another option), `user:password` flags. */
interface ToolFlags {
  /** Flags whose value is the password (`-p …`, `-p…` glued when `glued`). */
  readonly password: readonly string[];
  /** Flags whose value is `user<sep>password` (`curl -u app:…`, `smbclient -U app%…`). */
  readonly userPassword?: readonly string[];
  readonly sep?: number;
  /** Whether a short flag's value may be glued to it (`sshpass -p…`, `mysql -p…`). */
  readonly glued?: boolean;
  /** Whether the value is taken only glued (`mysql -p` then a blank prompts; the next word is the database). */
  readonly onlyGlued?: boolean;
}

const LOGIN_FLAGS: ToolFlags = { password: ['-p'], glued: true };
const TOOL_FLAGS: Readonly<Record<string, ToolFlags>> = {
  sshpass: { password: ['-p'], glued: true },
  'redis-cli': { password: ['-a', '--pass'] },
  rabbitmqadmin: { password: ['-p', '--password'] },
  psexec: { password: ['-p'] },
  mosquitto: { password: ['-P'] },
  usermod: { password: ['-p', '--password'] },
  beeline: { password: ['-p'] },
  isql: { password: ['-P'] },
  ldap: { password: ['-w'] },
  curl: { password: [], userPassword: ['-u', '--user', '-U', '--proxy-user'], sep: 58 },
  smbclient: { password: [], userPassword: ['-U', '--user'], sep: 37 },
  zip: { password: ['-P'], glued: true },
  mysql: { password: ['-p'], glued: true, onlyGlued: true },
  '7z': { password: ['-p'], glued: true, onlyGlued: true },
  sqlcmd: { password: ['-P'] },
  mongo: { password: ['-p'] },
};

/** Where a line of a command ends for its arguments: a line break (also JSON-escaped), `|`, `;` or `&`. */
function endsCommand(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 10 || c === 13 || c === 124 || c === 59 || c === 38 || (c === 92 && codeAt(text, i + 1) === 110);
}

/** One argument of a command line: `[start, end)` without its quotes, and where the argument ends (`next`). */
interface Arg {
  start: number;
  end: number;
  next: number;
  quoted: boolean;
}

/** The argument after the blanks at `i` (a quoted one to its closing quote on the line), or undefined before `stop`. */
function argAt(text: string, i: number, stop: number): Arg | undefined {
  let j = i;
  while (j < stop && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
  if (j >= stop || endsCommand(text, j)) return undefined;
  const q = quoteCodeAt(text, j);
  if (q !== -1) {
    let e = j + 1;
    while (e < stop && text.charCodeAt(e) !== q && text.charCodeAt(e) !== 10) e++;
    if (codeAt(text, e) !== q) return undefined;
    return { start: j + 1, end: e, next: e + 1, quoted: true };
  }
  let e = j;
  while (e < stop && !isSpace(text.charCodeAt(e)) && !endsCommand(text, e)) e++;
  return { start: j, end: e, next: e, quoted: false };
}

/**
 * Whether `text[start, end)` after a command word is a password: 3 or more characters, no placeholder (`$PASSWORD`,
 * `***`, `<password>`) or state word, and (unquoted, or `strict`) one that looks like a credential (`credentialLike`:
 * `hunter2-Fake-9x`, not `failed`, `8080`, `default`); quoted ones after statement words are taken whole.
 */
function commandSecret(text: string, start: number, end: number, quoted: boolean): boolean {
  const e = quoted ? end : trimSentenceEnd(text, start, end);
  if (e - start < MIN_PASSWORD) return false;
  const value = text.slice(start, e);
  if (isPlaceholder(value) || NOT_A_VALUE.test(value) || REPEATED.test(value)) return false;
  return credentialLike(text, start, e, true, quoted);
}

/**
 * Where an unquoted argument `[start, end)` ends as a value: at a quote or a `\` before a quote or `n` (the end of the
 * JSON string the command line was written into: `{"cmd":"… -p hunter2…"}`); else `end`.
 */
function unquotedEnd(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 96) return i;
    if (c === 92 && (quoteCodeAt(text, i + 1) !== -1 || codeAt(text, i + 1) === 110)) return i;
  }
  return end;
}

/** Appends `[start, end)` (sentence punctuation trimmed when unquoted) as a finding when `commandSecret` takes it. */
function pushArg(text: string, a: Arg | undefined, out: Finding[], quoted = a?.quoted ?? false): void {
  if (a === undefined) return;
  const end = a.quoted ? a.end : unquotedEnd(text, a.start, a.end);
  if (!commandSecret(text, a.start, end, quoted)) return;
  out.push({ start: a.start, end: quoted ? end : trimSentenceEnd(text, a.start, end), type: 'labeled-secret' });
}

/** The flags of a tool's command line after `i`: each password flag's value (see `ToolFlags`). */
function flagValues(text: string, i: number, stop: number, flags: ToolFlags, out: Finding[]): void {
  let a = argAt(text, i, stop);
  for (let n = 0; a !== undefined && n < 32; n++) {
    const arg = text.slice(a.start, a.end);
    let next = argAt(text, a.next, stop);
    if (!a.quoted && arg.charCodeAt(0) === 45) {
      for (const f of flags.password) {
        if (arg === f && !flags.onlyGlued) {
          pushArg(text, next, out);
          if (next !== undefined) next = argAt(text, next.next, stop);
        } else if (arg.startsWith(f) && arg.length > f.length && (flags.glued === true || arg[f.length] === '=')) {
          const v = arg[f.length] === '=' ? a.start + f.length + 1 : a.start + f.length;
          const q = quoteCodeAt(text, v);
          if (q !== -1 && text.charCodeAt(a.end - 1) === q)
            pushArg(text, { start: v + 1, end: a.end - 1, next: a.end, quoted: true }, out);
          else pushArg(text, { start: v, end: a.end, next: a.end, quoted: false }, out);
        }
      }
      for (const f of flags.userPassword ?? []) {
        let v: Arg | undefined;
        // `-u` alone or last in a cluster of short flags (`curl -fsSLu app:…`)
        if (arg === f || (f.length === 2 && arg.endsWith(f[1]!) && FLAG_CLUSTER.test(arg))) {
          v = next;
          if (next !== undefined) next = argAt(text, next.next, stop);
        } else if (arg.startsWith(f) && arg.length > f.length)
          v = { start: a.start + f.length + (arg[f.length] === '=' ? 1 : 0), end: a.end, next: a.end, quoted: false };
        if (v === undefined) continue;
        const vEnd = v.quoted ? v.end : unquotedEnd(text, v.start, v.end);
        // the user's separator, past a mask written over the user (`[REDACTED:api-token]:…` on a second pass)
        let s = v.start;
        if (text.charCodeAt(s) === 91) while (s < vEnd && text.charCodeAt(s) !== 93) s++;
        while (s < vEnd && text.charCodeAt(s) !== flags.sep) s++;
        // the part after the user's separator: any value of 3 or more characters but placeholders (`app:$TOKEN`)
        if (s < vEnd) pushUserPassword(text, s + 1, vEnd, out);
      }
    }
    a = next;
  }
}

/** The password of a `user:password` argument (`[start, end)` after the separator): 3+ characters, no placeholder. */
function pushUserPassword(text: string, start: number, end: number, out: Finding[]): void {
  if (end - start < MIN_PASSWORD) return;
  const value = text.slice(start, end);
  if (isPlaceholder(value) || NOT_A_VALUE.test(value) || REPEATED.test(value)) return;
  out.push({ start, end, type: 'labeled-secret' });
}

/**
 * The password of the `user:password` argument of the last `echo` or `printf` before a `|` and `chpasswd` at `at`, on
 * the same line and within `MAX_COMMAND` characters (`echo "app:…" | chpasswd`; appended to `out`).
 */
function chpasswdInput(text: string, at: number, out: Finding[]): void {
  let from = at;
  while (from > 0 && at - from < MAX_COMMAND && text.charCodeAt(from - 1) !== 10 && text.charCodeAt(from - 1) !== 13)
    from--;
  // (each search bounded by the line: `lastIndexOf` would read back to the text's start for every `chpasswd`)
  let pipe = at - 1;
  while (pipe >= from && text.charCodeAt(pipe) !== 124) pipe--;
  if (pipe < from) return;
  let w = pipe - 4;
  let wEnd = -1;
  for (; w >= from; w--) {
    if (isAlnum(codeAt(text, w - 1))) continue;
    if (text.startsWith('echo', w)) wEnd = w + 4;
    else if (text.startsWith('printf', w)) wEnd = w + 6;
    if (wEnd !== -1) break;
  }
  if (wEnd === -1 || (codeAt(text, wEnd) !== 32 && codeAt(text, wEnd) !== 9)) return;
  const arg = argAt(text, wEnd, pipe);
  if (arg === undefined) return;
  const end = arg.quoted ? arg.end : unquotedEnd(text, arg.start, arg.end);
  let s = arg.start;
  while (s < end && text.charCodeAt(s) !== 58) s++;
  // `printf 'app:…\n'`: the line break's escape is no part of the password
  let e = end;
  if (e - 2 > s && text.charCodeAt(e - 2) === 92 && text.charCodeAt(e - 1) === 110) e -= 2;
  if (s < e) pushUserPassword(text, s + 1, e, out);
}

/** A PowerShell parameter's name in lower case without the `)` that may close its call (`-Force)`). */
function psParameter(text: string, a: Arg): string {
  let e = a.end;
  while (e > a.start && text.charCodeAt(e - 1) === 41) e--;
  return text.slice(a.start, e).toLowerCase();
}

/**
 * The plain text of PowerShell's `ConvertTo-SecureString '…' -AsPlainText -Force` (also `-String '…'`, and the
 * parameters in any order) after `i`, up to the `)` of a call around it: taken only with `-AsPlainText` (without it
 * the string is an encrypted one). Appended to `out`.
 */
function secureStringValue(text: string, i: number, stop: number, out: Finding[]): void {
  let plain = false;
  let value: Arg | undefined;
  let a = argAt(text, i, stop);
  for (let n = 0; a !== undefined && n < 8; n++) {
    if (!a.quoted && text.charCodeAt(a.start) === 45) {
      const p = psParameter(text, a);
      if (p === '-asplaintext') plain = true;
      else if (p === '-string') {
        const v = argAt(text, a.next, stop);
        if (v !== undefined) value ??= v;
        a = v;
      }
    } else value ??= a;
    if (a === undefined || (!a.quoted && text.charCodeAt(a.end - 1) === 41)) break;
    a = argAt(text, a.next, stop);
  }
  if (plain && value !== undefined) {
    let e = value.end;
    if (!value.quoted) while (e > value.start && text.charCodeAt(e - 1) === 41) e--;
    pushArg(text, { ...value, end: e }, out);
  }
}

/**
 * Passwords written after statement and command words with no `=`/`:` label (appended to `out`):
 * `IDENTIFIED BY '…'` and `IDENTIFIED WITH plugin BY '…'` (MySQL, Oracle, ClickHouse), Redis's `AUTH [user] …`,
 * `AUTH2 user …`, `requirepass …`, `masterauth …`, `ACL SETUSER … >…`, MongoDB's `changeUserPassword("app", "…")`; the
 * password flags of command lines (CI logs with `set -x`): `docker|podman|az|oc|cf|… login -p …`, `vault login …`,
 * `sshpass -p …`, `redis-cli -a …`, `ldapsearch … -w …`, `curl -u app:…`, `smbclient -U app%…`, `zip -P …`,
 * `mysql -p…`, `7z a -p…`, `sqlcmd -P …`, `mongosh -p …`, `keytool -storepass …` (`-keypass`, `-srcstorepass`, …), `rabbitmqctl change_password|add_user app …`,
 * `net user app … /add`, `htpasswd -b file app …`, `echo "app:…" | chpasswd`. Short flags only after their tool (`docker run -p 8080:80` is a port), and an unquoted value
 * only when it looks like a credential (`credentialLike`).
 */
function findCommandSecrets(text: string, out: Finding[]): void {
  const re = fromStart(COMMAND_WORD);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let word = m[0].toLowerCase();
    // `docker.exe login`, `curl.exe -u …` (Windows)
    if (word.endsWith('.exe')) word = word.slice(0, -4);
    let i = m.index + m[0].length;
    const stop = Math.min(text.length, i + MAX_COMMAND);
    // A quoted command word (`"AUTH" "…"`, as `MONITOR` writes a command): past its closing quote.
    const quotedWord = quoteCodeAt(text, m.index - 1) !== -1 && codeAt(text, i) === text.charCodeAt(m.index - 1);
    if (quotedWord) i++;
    if (word === 'chpasswd') {
      // `echo "app:…" | chpasswd` (also `printf`, `sudo chpasswd`): the `user:password` piped in before it
      chpasswdInput(text, m.index, out);
      continue;
    }
    if (word === 'changeuserpassword') {
      // MongoDB's `db.changeUserPassword("app", "…")`: the second string argument
      if (codeAt(text, i) !== 40) continue;
      const user = argAt(text, i + 1, stop);
      if (user === undefined || !user.quoted || codeAt(text, user.next) !== 44) continue;
      const pw = argAt(text, user.next + 1, stop);
      if (pw !== undefined && pw.quoted) pushArg(text, pw, out);
      continue;
    }
    if (word === 'password(') {
      // MySQL's `SET PASSWORD FOR 'app'@'%' = PASSWORD('…')`: the function's quoted argument
      const pw = argAt(text, i, stop);
      if (pw !== undefined && pw.quoted) pushArg(text, pw, out);
      continue;
    }
    const c = codeAt(text, i);
    if (c !== 32 && c !== 9) continue;
    if (word === 'auth' || word === 'auth2') {
      // Redis's `AUTH password` and `AUTH user password`: the command's own case or quoted (`auth failed` is prose).
      if (m[0] !== 'AUTH' && m[0] !== 'AUTH2' && !quotedWord) continue;
      const first = argAt(text, i, stop);
      const second = first === undefined ? undefined : argAt(text, first.next, stop);
      const two = second !== undefined && commandSecret(text, second.start, second.end, false);
      if (word === 'auth2' || two) pushArg(text, second, out, false);
      else pushArg(text, first, out, false);
    } else if (word === 'identified') {
      // `IDENTIFIED BY …`, `IDENTIFIED WITH plugin BY …` (`IDENTIFIED WITH plugin AS 'hash'` is a digest)
      let a = argAt(text, i, stop);
      if (a !== undefined && !a.quoted && WITH_WORD.test(text.slice(a.start, a.end))) {
        a = argAt(text, a.next, stop);
        if (a !== undefined) a = argAt(text, a.next, stop);
      }
      if (a === undefined || a.quoted || !BY_WORD.test(text.slice(a.start, a.end))) continue;
      a = argAt(text, a.next, stop);
      // Oracle's `IDENTIFIED BY VALUES '…'`
      if (a !== undefined && !a.quoted && VALUES_WORD.test(text.slice(a.start, a.end))) a = argAt(text, a.next, stop);
      pushArg(text, a, out);
    } else if (word === 'requirepass' || word === 'masterauth' || word.charCodeAt(0) === 45) {
      // `requirepass …`, `CONFIG SET masterauth …`, `keytool -storepass …`
      pushArg(text, argAt(text, i, stop), out);
    } else if (word === 'setuser') {
      // `ACL SETUSER app on >… ~* +@all`: each rule `>password` adds one
      let a = argAt(text, i, stop);
      for (let n = 0; a !== undefined && n < 32; n++) {
        const end = a.quoted ? a.end : unquotedEnd(text, a.start, a.end);
        if (!a.quoted && text.charCodeAt(a.start) === 62 && end - a.start > MIN_PASSWORD)
          out.push({ start: a.start + 1, end, type: 'labeled-secret' });
        a = argAt(text, a.next, stop);
      }
    } else if (word.endsWith('login')) {
      if (word.startsWith('vault')) {
        // `vault login <token>`: the first argument that is no flag and no `key=value` pair
        const a = argAt(text, i, stop);
        if (a !== undefined && text.charCodeAt(a.start) !== 45 && !text.slice(a.start, a.end).includes('='))
          pushArg(text, a, out);
      } else flagValues(text, i, stop, LOGIN_FLAGS, out);
    } else if (word === 'rabbitmqctl') {
      // `rabbitmqctl change_password|add_user|authenticate_user <user> <password>`
      const sub = argAt(text, i, stop);
      if (sub === undefined || !RABBITMQ_PASSWORD.test(text.slice(sub.start, sub.end))) continue;
      const user = argAt(text, sub.next, stop);
      if (user !== undefined) pushArg(text, argAt(text, user.next, stop), out);
    } else if (word === 'htpasswd') {
      // `htpasswd -b[c…] <file> <user> <password>` (`-n`: no file): the password given on the command line
      let batch = false;
      let noFile = false;
      const positional: Arg[] = [];
      let a = argAt(text, i, stop);
      for (let n = 0; a !== undefined && n < 16 && positional.length < 3; n++) {
        const arg = text.slice(a.start, a.end);
        if (!a.quoted && FLAG_CLUSTER.test(arg)) {
          batch ||= arg.includes('b');
          noFile ||= arg.includes('n');
        } else positional.push(a);
        a = argAt(text, a.next, stop);
      }
      if (batch) pushArg(text, positional[noFile ? 1 : 2], out);
    } else if (word === 'net user') {
      // `net user <name> <password> [/add]`, `net user /add <name> <password>` (`*` prompts; `/delete` is an option)
      let user = argAt(text, i, stop);
      for (let n = 0; user !== undefined && n < 4 && text.charCodeAt(user.start) === 47; n++)
        user = argAt(text, user.next, stop);
      const pw = user === undefined ? undefined : argAt(text, user.next, stop);
      if (pw !== undefined && text.charCodeAt(pw.start) !== 47) pushArg(text, pw, out);
    } else if (word.startsWith('connect')) {
      // DB2's `CONNECT TO db USER app USING …` (quoted or bare)
      const db = argAt(text, i, stop);
      const user = db === undefined ? undefined : argAt(text, db.next, stop);
      if (user === undefined || user.quoted || !USER_WORD.test(text.slice(user.start, user.end))) continue;
      const name = argAt(text, user.next, stop);
      const using = name === undefined ? undefined : argAt(text, name.next, stop);
      if (using === undefined || using.quoted || !USING_WORD.test(text.slice(using.start, using.end))) continue;
      pushArg(text, argAt(text, using.next, stop), out);
    } else if (word === 'convertto-securestring') {
      // PowerShell's `ConvertTo-SecureString '…' -AsPlainText -Force` (also `-String '…'`): the plain text given
      secureStringValue(text, i, stop, out);
    } else {
      const flags = word.startsWith('ldap')
        ? TOOL_FLAGS.ldap
        : word.startsWith('mysql') || word.startsWith('mariadb')
          ? TOOL_FLAGS.mysql
          : word.startsWith('mongo')
            ? TOOL_FLAGS.mongo
            : word.endsWith('-cli')
              ? TOOL_FLAGS['redis-cli']
              : word.startsWith('7z')
                ? TOOL_FLAGS['7z']
                : word.includes('zip')
                  ? TOOL_FLAGS.zip
                  : word.startsWith('mosquitto')
                    ? TOOL_FLAGS.mosquitto
                    : word.startsWith('user')
                      ? TOOL_FLAGS.usermod
                      : TOOL_FLAGS[word];
      if (flags !== undefined) flagValues(text, i, stop, flags, out);
    }
  }
}

const AUTHORIZATION_WORD = /authori[sz]ation/i;

/**
 * An `Authorization` or `Proxy-Authorization` header's label and separator (`Authorization: `, a JSON key
 * `"authorization":"`, also escaped, `authorization=[`, as the OpenTelemetry HTTP conventions write a header's values),
 * up to its value.
 */
const AUTHORIZATION_LABEL =
  /(?<![A-Za-z0-9])(?:proxy-)?authori[sz]ation(?:\\?["'])?[ \t]{0,32}(?:=>|[:=])[ \t]{0,32}(?:\\?["']|\[["']?)?/gi;

/**
 * An `Authorization` or `Proxy-Authorization` header's name written without a separator of its own: as a call's or
 * tuple's first argument, a CSV cell (`setHeader("Authorization", "…")`, `("authorization", "…")`,
 * `"Authorization","…"`), the name of a name/value pair (`{"name":"Authorization","value":"…"}`, YAML's
 * `- name: Authorization` and `value: …`), an XML element (`<Authorization>…`) or a bracketed log field
 * (`[authorization] …`). See `authorizationNameValueAt`.
 */
const AUTHORIZATION_NAME = /(?<![A-Za-z0-9])(?:proxy-)?authori[sz]ation(?![A-Za-z0-9_-])/gi;

/** After a quoted name's closing quote: a `,` and the next argument's opening quote (`"Authorization", "…"`). */
const NEXT_QUOTED_ARGUMENT = /\\?["'][ \t]{0,8},[ \t]{0,8}\\?["']/y;

/**
 * Where the value starts after an `Authorization` name (`AUTHORIZATION_NAME`) from `s` to `e` written without a
 * separator of its own, or -1.
 */
function authorizationNameValueAt(text: string, s: number, e: number): number {
  let v = pairValueAt(text, e);
  if (v !== -1) {
    while (codeAt(text, v) === 32 || codeAt(text, v) === 9) v++;
    if (codeAt(text, v) === 92 && quoteCodeAt(text, v + 1) !== -1) v++;
    return quoteCodeAt(text, v) !== -1 ? v + 1 : v;
  }
  if (quoteCodeAt(text, s - 1) !== -1) {
    NEXT_QUOTED_ARGUMENT.lastIndex = e;
    if (NEXT_QUOTED_ARGUMENT.test(text)) return NEXT_QUOTED_ARGUMENT.lastIndex;
  }
  const before = codeAt(text, s - 1);
  const after = codeAt(text, e);
  if ((before === 60 && after === 62) || (before === 91 && after === 93 && blanksEnd(text, e + 1) > e + 1))
    return blanksEnd(text, e + 1); // <Authorization>…, [authorization] …
  return -1;
}

/**
 * Schemes `bearer-token` reads (`Bearer`, `Basic`, `Token`): left to it, also glued to their token (`Bearer<br>…` reads
 * `Bearer…` in the markup view).
 */
const BEARER_SCHEMES = /^(?:bearer|basic|token)/i;

/**
 * Parameters of an `Authorization` header's scheme that hold its credential (Digest's `response`, Hawk's `mac`,
 * GoogleLogin's `auth`).
 */
const AUTH_SECRET_PARAMS =
  /^(?:response|mac|auth|signature|sig|key|token|password|secret|hash|credential|apikey|api_key)$/i;

/**
 * Values written right after an `Authorization` label that name rather than hold a credential: a `:` in them (a
 * timestamp, an `urn:` grant type), a Java object's `toString` (`io.grpc.Metadata$Key@1b6d3586`), a UUID, words of
 * letters joined by `-`, `_`, `.` or `/`, each with up to three digits after it or a number (`AWS4-HMAC-SHA256` alone,
 * `policy/AdminOnly`, `application/json`, `cluster-admin-binding-2024`), and a camel-case name of words of three
 * letters or more (`RoleBasedAccessControl`).
 */
const BARE_NOT_CREDENTIAL =
  /:|^[A-Za-z_$][\w$.]*@[0-9a-f]{4,16}$|^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$|^(?:[A-Za-z]+\d{0,3}|\d{1,4})(?:[-_./](?:[A-Za-z]+\d{0,3}|\d{1,4}))+$|^[A-Za-z][a-z]{2,}(?:[A-Z][a-z]{2,})*$/;

/** Whether a bare value after an `Authorization` label is a name or id, not a credential (`BARE_NOT_CREDENTIAL`). */
function notBareCredential(value: string): boolean {
  return BARE_NOT_CREDENTIAL.test(value);
}

/** Fewest characters of a credential after an `Authorization` label's scheme word. */
const MIN_AUTHORIZATION = 8;

/** Where a name of letters, digits, `-` or `_` at `i` ends (`i` when there is none). */
function nameEnd(text: string, i: number): number {
  let j = i;
  while (j - i < 64) {
    const c = codeAt(text, j);
    if (!isAlnum(c) && c !== 45 && c !== 95) break;
    j++;
  }
  return j;
}

/** Whether a name followed by `=` and a value (not base64's padding: `abc==`) is at `i`; returns the `=`'s index or -1. */
function paramAt(text: string, i: number): number {
  const e = nameEnd(text, i);
  if (e === i || codeAt(text, e) !== 61) return -1;
  const v = codeAt(text, e + 1);
  return v === 61 || v === -1 || (endsValue(v) && v !== 34 && v !== 39 && v !== 92) ? -1 : e;
}

/** Pushes the credential `[start, end)` after an `Authorization` label when it is one (8+ characters, no placeholder). */
function pushAuthorization(text: string, start: number, end: number, random: boolean, out: Finding[]): void {
  const e = trimSentenceEnd(text, start, end);
  if (e - start < MIN_AUTHORIZATION) return;
  const value = text.slice(start, e);
  if (isPlaceholder(value) || NOT_A_VALUE.test(value) || REPEATED.test(value)) return;
  if (random && e - start < MIN_ONE_CASE && !looksRandom(text, start, e)) return;
  out.push({ start, end: e, type: 'labeled-secret' });
}

/**
 * The `name=value` parameters of an `Authorization` header from `i` (`username="app", realm="api", nonce="…",
 * response="…"`; `key=AAAA…`): the values of credential parameters (`AUTH_SECRET_PARAMS`; Digest's `nonce` and
 * `cnonce` are no secret). Appended to `out`.
 */
function authorizationParams(text: string, i: number, out: Finding[]): void {
  for (let n = 0; n < 16; n++) {
    const eq = paramAt(text, i);
    if (eq === -1) return;
    const secret = AUTH_SECRET_PARAMS.test(text.slice(i, eq));
    let j = eq + 1;
    const escaped = codeAt(text, j) === 92 && quoteCodeAt(text, j + 1) !== -1;
    if (escaped) j++;
    const quote = quoteCodeAt(text, j);
    if (quote !== -1) j++;
    const end = valueEnd(text, j, Math.min(text.length, j + MAX_VALUE), quote, escaped);
    if (secret) pushAuthorization(text, j, end, false, out);
    j = end;
    if (quote !== -1 && codeAt(text, j) === 92) j++;
    if (quote !== -1 && codeAt(text, j) === quote) j++;
    while (codeAt(text, j) === 32 || codeAt(text, j) === 9) j++;
    if (codeAt(text, j) !== 44) return;
    j++;
    while (codeAt(text, j) === 32 || codeAt(text, j) === 9) j++;
    i = j;
  }
}

/**
 * The credential of an `Authorization` or `Proxy-Authorization` header whatever its scheme but `Bearer`, `Basic` and
 * `Token` (`bearer-token`'s): the token after the scheme word (`Splunk <uuid>`, `NTLM …`, `Negotiate …`, `SSWS …`,
 * `GenieKey …`, Elastic's `ApiKey …`; `SharedKey acct:…` from its `:`), a credential parameter's value (Digest's
 * `response="…"`, Hawk's `mac="…"`, `key=AAAA…`), or a bare credential right after the label. A token after a scheme is
 * taken from 8 characters that look random or 20 of any kind, so prose (`Authorization: none provided`) stays.
 * Appended to `out`.
 */
function findAuthorization(text: string, out: Finding[]): void {
  const re = fromStart(AUTHORIZATION_LABEL);
  let m: RegExpExecArray | null;
  // (a YAML value on the next, indented line: `authorization:\n  NTLM …`)
  while ((m = re.exec(text)) !== null) authorizationAt(text, indentedLineAt(text, m.index + m[0].length), out);
  // the name without a separator of its own (`setHeader("Authorization", "…")`, `{"name":"Authorization","value":…}`)
  const names = fromStart(AUTHORIZATION_NAME);
  while ((m = names.exec(text)) !== null) {
    const i = authorizationNameValueAt(text, m.index, m.index + m[0].length);
    if (i !== -1) authorizationAt(text, i, out);
  }
}

/** The credential of an `Authorization` header whose value starts at `i` (see `findAuthorization`), appended to `out`. */
function authorizationAt(text: string, i: number, out: Finding[]): void {
  if (paramAt(text, i) !== -1) {
    authorizationParams(text, i, out);
    return;
  }
  const wEnd = nameEnd(text, i);
  if (wEnd === i) return;
  if (BEARER_SCHEMES.test(text.slice(i, wEnd))) return;
  let j = wEnd;
  while (codeAt(text, j) === 32 || codeAt(text, j) === 9) j++;
  if (j === wEnd) {
    // no scheme: a bare credential (`Authorization: 01jLpk82…`), not a name or id (`notBareCredential`)
    const end = valueEnd(text, i, Math.min(text.length, i + MAX_VALUE), -1);
    if (!notBareCredential(text.slice(i, trimSentenceEnd(text, i, end)))) pushAuthorization(text, i, end, true, out);
    return;
  }
  if (paramAt(text, j) !== -1) {
    authorizationParams(text, j, out);
    return;
  }
  let start = j;
  const end = valueEnd(text, j, Math.min(text.length, j + MAX_VALUE), -1);
  // `SharedKey account:signature`: the part after the account's name
  const n = nameEnd(text, j);
  if (n > j && codeAt(text, n) === 58 && end - n > MIN_AUTHORIZATION) start = n + 1;
  pushAuthorization(text, start, end, true, out);
}
