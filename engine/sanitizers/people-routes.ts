/**
 * The paths that carry a person's key or a credential as a segment: the segment after `users`, `customers`, … is the
 * person's key (`/users/alice`), the one after `reset-password`, `invite`, `token`, … the secret a link carries
 * (`/reset-password/hKqPzTrW…`). Such a segment is a value unless it is made of the words of these routes
 * (`/users/me/settings`, `/oauth/token/refresh`), whatever its shape: a name or a token of letters only has none of the
 * digits the ID rules look for. Read by the URL sanitizer (URL and path attributes, URL words in span names and log
 * bodies) and by the span-name identifier tokens.
 */

/** A character outside ASCII. */
const NON_ASCII = /[^\0-\x7f]/;

/** Invisible format characters (zero-width space and joiners, soft hyphen, bidi marks, …). */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** Written in place of an identifier token. */
const ID = '{id}';

/** A template or pattern segment (`{userId}`, `:id`, `*`, `?`): never an identifier. */
export const ROUTE_TEMPLATE = /^(?:\{[A-Za-z_][\w.-]{0,63}\}|:[A-Za-z_]\w{0,63}|[*?[\]]+)$/;

/**
 * Path segments that name people (lower case): the segment after one is the person's key (`/users/alice`), so it is
 * read against the words of people's routes (`PEOPLE_ROUTE_WORDS`) rather than by its shape.
 */
const PEOPLE_SEGMENTS = new Set(
  (
    'user users customer customers account accounts member members profile profiles people person persons ' +
    'patient patients employee employees subscriber subscribers visitor visitors staff student students ' +
    'contact contacts friend friends follower followers following author authors team teams channel channels ' +
    'mailbox mailboxes dm dms in user-profile user-profiles user_profile user_profiles userprofile userprofiles'
  ).split(' '),
);

/**
 * Path segments after which the next segment is a credential a link carries (lower case): password-reset, invitation,
 * magic-link, e-mail verification and unsubscribe links, and tokens (`/reset/<token>`, `/invite/<code>`,
 * `/api/token/<token>`). Read like people segments: `/oauth/token/refresh`, `/password/reset/confirm` stay.
 */
const CREDENTIAL_SEGMENTS = new Set(
  (
    'token tokens password passwords reset reset-password reset_password resetpassword password-reset ' +
    'password_reset passwordreset invite invites invitation invitations magic-link magic_link magiclink verify ' +
    'verification confirm confirmation activate activation unsubscribe'
  ).split(' '),
);

/**
 * The words that follow a people segment in routes: the caller (`me`, `self`, `current`), actions and collections
 * (`search`, `new`, `settings`, `password`, `sign_in`, `by-email`), sub-resources. A segment made of these words
 * (joined by `-`, `_` or camelCase, a plural `s` dropped) stays; any other after a people segment is `{id}`.
 */
const PEOPLE_ROUTE_WORDS = new Set(
  (
    'me my mine self current whoami new edit create update delete remove destroy search find lookup query filter ' +
    'list all count exists available availability check export import bulk batch sync delta changes ' +
    'setting preference profile avatar photo picture image password reset forgot change confirm confirmation ' +
    'verify verification validate validation activate activation deactivate invite invitation register ' +
    'registration sign signup signin signout up in out on off login logout logon auth oauth openid saml sso ldap ' +
    'callback omniauth token session refresh mfa otp totp factor authenticator webauthn passkey recovery code ' +
    'backup security role permission group team organization org membership roster owner admin guest ' +
    'follower following friend contact block unblock mute lock unlock suspend unsuspend ban active inactive online ' +
    'recent stat statistic metric summary report history activity event notification message inbox feed ' +
    'subscription billing payment method invoice order cart address email phone key credential identity link ' +
    'unlink status state info detail data by id name username handle attribute metadata tag label audit log ' +
    'impersonate public private deleted archived pending approve approved reject verified unverified upload ' +
    'download document file repo star starred gist balance transaction source card tax discount ' +
    'consent privacy erase erasure forget anonymize merge transfer restore purge revoke assign enroll ' +
    'enrollment claim scope app application client integration webhook usage limit quota plan upgrade downgrade ' +
    'cancel renew trial wallet point reward referral share shared access request approval join leave mention ' +
    'autocomplete typeahead suggest suggestion resolve property trait segment cohort identify alias timeline ' +
    'post comment like favorite bookmark collection item playlist task project workspace channel conversation ' +
    'chat thread calendar schedule appointment booking ticket record visit encounter observation ' +
    'locale language timezone theme resend send and or of to for with registry directory ' +
    'internal external other random top popular nearby offline anonymous gpg ssh installation relationship ' +
    'familiar social connection show many api chart unsubscribe json csv xml html txt pdf ' +
    'introspect accept decline rotate regenerate expire done complete success sent personal account ' +
    'staff student author mailbox dm 2fa index benefit home dashboard overview png jpg jpeg gif svg webp ico'
  ).split(' '),
);

/** The parts of a route word: split at `-`, `_`, `.` and before an upper-case letter (`sign_in`, `byEmail`). */
const ROUTE_PARTS = /[-_.]|(?<=[a-z])(?=[A-Z])/;

/**
 * Endings of English nouns and adjectives that no given name has (`retention`, `payable`, `membership`): a word of seven
 * letters or more ending so is a route word (`-ence`, `-ance`, `-ity`, `-ed` are left out: `florence`, `constance`,
 * `trinity`, `alfred`).
 */
const ROUTE_SUFFIX = /^[a-z]{3,}(?:tion|sion|ment|ness|able|ible|ship)s?$/;

/** Whether `word` (lower case) is a people route word, or one with a plural `s` or `es` dropped. */
function peopleRouteWord(word: string): boolean {
  if (PEOPLE_ROUTE_WORDS.has(word) || ROUTE_SUFFIX.test(word)) return true;
  const n = word.length;
  if (n > 2 && word.charCodeAt(n - 1) === 115) {
    if (PEOPLE_ROUTE_WORDS.has(word.slice(0, -1))) return true;
    if (n > 3 && word.charCodeAt(n - 2) === 101 && PEOPLE_ROUTE_WORDS.has(word.slice(0, -2))) return true;
  }
  return false;
}

/**
 * A path segment right after a people segment (`PEOPLE_SEGMENTS`): a value unless every part of it is a people route
 * word (`me`, `sign_in`, `by-email`, `passwordReset`), a version (`v2`), a template (`{id}`, `:id`, `*`) or empty:
 * `/users/alice` → `/users/{id}`, `/users/me/settings` stays.
 */
export function valueAfterPeople(seg: string): boolean {
  if (seg.length === 0 || seg === ID || ROUTE_TEMPLATE.test(seg) || /^v\d{1,3}$/.test(seg)) return false;
  const parts = seg.split(ROUTE_PARTS);
  // an empty part is a separator at an end (`_search`)
  for (let i = 0; i < parts.length; i++) if (parts[i] !== '' && !peopleRouteWord(parts[i]!.toLowerCase())) return true;
  return false;
}

/**
 * Whether a path segment names people (`users`, `Customers`, see `PEOPLE_SEGMENTS`) or a credential sent in the path
 * (`reset-password`, `invite`, `token`, see `CREDENTIAL_SEGMENTS`): the segment after it is read by `valueAfterPeople`.
 */
export function peopleSegment(seg: string): boolean {
  // the longest word has 14 letters, 28 UTF-16 units in letters outside the BMP (math bold `𝐟𝐨𝐥𝐥𝐨𝐰𝐞𝐫𝐬`)
  if (seg.length > 28) return false;
  // written with compatibility forms (fullwidth `ｕｓｅｒｓ`, `ｕsers`, one character `㍷` for `dm`): read as NFKC folds them
  // and with invisible format characters inside (`u\u200Bsers`): read without them
  let lower = (NON_ASCII.test(seg) ? seg.normalize('NFKC').replace(FORMAT_CHARACTERS, '') : seg).toLowerCase();
  // with dots or blanks glued after it (`/users./jane`, `/users../jane`, `/users /jane`): the word itself
  if (TRAILING_DOTS_BLANKS.test(lower)) lower = lower.replace(TRAILING_DOTS_BLANKS, '');
  return PEOPLE_SEGMENTS.has(lower) || CREDENTIAL_SEGMENTS.has(lower);
}

/** Dots and blanks at the end of a segment (`users.`, `users..`, `users `). */
const TRAILING_DOTS_BLANKS = /[.\s]+$/;

/** `%u002e` (IE's escape), `&#46;` / `&#x2e;` (HTML's): read as the character they write. */
const U_OR_ENTITY_ESCAPE = /%u([0-9a-f]{4})|&#x([0-9a-f]{1,6});?|&#(\d{1,7});?/gi;

/** A letter or a digit of any script. */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Whether a path segment names no one once decoded: it holds no letter or digit after percent-decoding (several times:
 * `%252e`), `%u` and HTML escapes (`%u002e`, `&#46;`) and NFKC (fullwidth `．`): `.`, `..`, `-`, `_`, `@`, `~`, `*`,
 * `:`, a blank, a tab, `。`. After a people segment the segment after such a one is still read as the person's key
 * (`/users/%252e/janedoe`, `/users/-/janedoe`). Only called on segments after a people segment.
 */
export function blankAfterPeople(seg: string): boolean {
  let s = seg;
  for (let i = 0; i < 4 && s.indexOf('%') !== -1; i++) {
    const d = s.indexOf('%u') !== -1 || s.indexOf('%U') !== -1 ? s.replace(U_OR_ENTITY_ESCAPE, unescapeOne) : s;
    const next = safeDecode(d);
    if (next === s) break;
    s = next;
  }
  if (s.indexOf('&#') !== -1) s = s.replace(U_OR_ENTITY_ESCAPE, unescapeOne);
  if (NON_ASCII.test(s)) s = s.normalize('NFKC');
  return !LETTER_OR_DIGIT.test(s);
}

function unescapeOne(match: string, u?: string, hex?: string, dec?: string): string {
  const code = parseInt(u ?? hex ?? dec ?? '', u !== undefined || hex !== undefined ? 16 : 10);
  return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : match;
}

/** The keys people are looked up by, in a route after a people segment (`/users/by-email/…`, `/users/name/…`). */
const LOOKUP_WORDS = new Set(
  (
    'name username user email mail handle login phone mobile slug nickname nick alias displayname display ' +
    'screenname screen fullname full first last id uid'
  ).split(' '),
);

/**
 * Whether a segment right after a people segment names the key the next segment looks a person up by: `name`,
 * `by-name`, `byEmail`, `username`, `by_handle` (`/users/by-name/janedoe`: `janedoe` is read as after `users`).
 */
export function lookupKeySegment(seg: string): boolean {
  if (seg.length < 2) return false;
  const parts = seg.split(ROUTE_PARTS);
  let words = 0;
  for (let i = 0; i < parts.length; i++) {
    const w = parts[i]!.toLowerCase();
    if (w === '' || (w === 'by' && i === 0)) continue;
    if (!LOOKUP_WORDS.has(w)) return false;
    words++;
  }
  return words > 0;
}

/** The words naming people or a credential (`PEOPLE_SEGMENTS`, `CREDENTIAL_SEGMENTS`), lower case: for tests. */
export const PEOPLE_AND_CREDENTIAL_WORDS: readonly string[] = Object.freeze([
  ...PEOPLE_SEGMENTS,
  ...CREDENTIAL_SEGMENTS,
]);

/**
 * A `/` written escaped (case-insensitive): percent-encoded once or more (`%2F`, `%252F`) and its backslash twin
 * (`%5C`), `%u002F`, HTML (`&#x2F;`, `&#47;`, `&sol;`), quoted-printable `=2F`, fullwidth `／`, a backslash escape
 * (`\x2f`, `\u002f`, `\u{2f}`, CSS's `\2f `, `\057`; `=2F` before one letter or none is no slash: `users=2FA`) and JSON's `\/` (with the backslash itself escaped any number of times), look-alikes (division slash `∕`, fraction slash `⁄`, raw, UTF-8 or `%u`; fullwidth's UTF-8 `%EF%BC%8F`), overlong `%C0%AF`, `&slash;`, or backslashes
 * before no escape letter (`\janedoe`: a Windows path, read only after a path's `/` or `\`).
 */
const SLASH_FORM =
  String.raw`(?:%(?:25){0,3}(?:2f|5c)|%u002f|&#x0{0,4}2f;?|&#0{0,4}47;?|&sol;|=2f(?![a-z](?![a-z0-9]))|／|` +
  // look-alikes and other encodings of `/`: division and fraction slashes (raw, UTF-8, `%u`), fullwidth's UTF-8 and
  // `%u`, the overlong `%C0%AF`, `&slash;`
  String.raw`[\u2215\u2044]|%(?:25){0,3}(?:e2%(?:25){0,3}88%(?:25){0,3}95|e2%(?:25){0,3}81%(?:25){0,3}84|ef%(?:25){0,3}bc%(?:25){0,3}8f|c0%(?:25){0,3}af)|%u(?:2215|2044|ff0f)|&slash;|` +
  String.raw`\\+(?:x2f|u0{0,2}2f|u\{0{0,4}2f\}|0{0,4}2f ?|0?57|\/)|\\+(?![nrtbfvux0-9"'\\\/]))`;

/**
 * A name after a slash form: no blank, `/`, backslash, quote, bracket or query punctuation, and no `%`, `&` or `=`
 * that starts a slash form (`%2F`, `&#47;`, `=2F`); a `%` before two other hex digits (`Jane%20Doe`) is part of it.
 */
const SLASH_NAME = String.raw`(?:[^\s\/\\%&=?#"'<>()[\]{},;:|／\u2215\u2044]|%(?!(?:25){0,3}(?:2f|5c|e2%(?:25){0,3}8[18]|ef%(?:25){0,3}bc|c0)|u(?:002f|2215|2044|ff0f))[0-9a-f]{2})+`;

/** `word` as a pattern matching each character also in its fullwidth form (`users` → `[uｕ][sｓ]…`; `i` makes `Ｕ`). */
function withFullwidth(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    // a leading `-` in a class is literal; the words hold letters, digits, `-` and `_`
    out += `[${c}${String.fromCharCode(word.charCodeAt(i) - 0x21 + 0xff01)}]`;
  }
  return out;
}

/**
 * A people or credential word (`PEOPLE_SEGMENTS`, `CREDENTIAL_SEGMENTS`, any case, also fullwidth: `ｕｓｅｒｓ／ｊａｎｅ`) after the start, a character other than a
 * letter or digit, or the end of a slash form (`%2F`, `\x2f`, `\057`); slash forms (and `.` or `..` segments between
 * them), then the segment after it (a `.` percent-encoded too: `users%2F%2E%2Fjanedoe`). Group 1 is what stands before the word, 2 the word, 3 the slash forms, 4 the
 * segment. One compiled pattern (global; `replace` resets it).
 */
const ESCAPED_PEOPLE_PATH = new RegExp(
  String.raw`(^|[^a-z0-9]|2f|5c|57)(` +
    [...PEOPLE_AND_CREDENTIAL_WORDS]
      .sort((a, b) => b.length - a.length)
      .map(withFullwidth)
      .join('|') +
    String.raw`)((?:${SLASH_FORM})+(?:(?:\.|%(?:25){0,3}2e){1,2}(?:${SLASH_FORM})+)*)(${SLASH_NAME})`,
  'gi',
);

/** Slash forms that are backslashes alone (and `.` segments): read only after a path's `/` or `\`. */
const BACKSLASHES_ONLY = /^[\\.]+$/;

/** What every slash form holds (case-insensitive): `%2F`, `%5C`, `%u002f`, `&#`, `&sol;`, `=2F`, `／`, a backslash. */
const SLASH_FORM_HINT =
  /%(?:25){0,3}(?:2f|5c|e2%(?:25){0,3}8[18]|ef%(?:25){0,3}bc|c0)|%u(?:002f|2215|2044|ff0f)|&#|&sol;|&slash;|=2f|[／\u2215\u2044]|\\/i;

/** Whether `text` may hold a `/` written escaped (`SLASH_FORM`): the cheap check `templateEscapedPeoplePaths` starts with. */
export function mayHoldEscapedSlash(text: string): boolean {
  // Every form starts with one of these characters: most values hold none, and `indexOf` finds that faster than the
  // regular expression does.
  return (
    (text.indexOf('%') !== -1 ||
      text.indexOf('&') !== -1 ||
      text.indexOf('=') !== -1 ||
      text.indexOf('\\') !== -1 ||
      text.indexOf('\uff0f') !== -1 ||
      text.indexOf('\u2215') !== -1 ||
      text.indexOf('\u2044') !== -1) &&
    SLASH_FORM_HINT.test(text)
  );
}

/**
 * `text` with the segment after a people or credential word joined to it by an escaped `/` written `{id}` when it is
 * a value (`valueAfterPeople`): `/users%2Fjanedoe` → `/users%2F{id}`, `"\/users\/janedoe"` → `"\/users\/{id}"`,
 * `next=%2Fprofile%2Fjanedoe`, `&#x2F;users&#x2F;janedoe`, `users\u002fjanedoe`, `users／janedoe`, also across `.`
 * segments (`users%2F.%2Fjanedoe`); `users%2Fsettings` stays. A name after backslashes alone is read only when a
 * `/` or `\` stands before the word (`/users\janedoe`; `logged in\janedoe` stays). Plain `/` paths are left to the
 * URL sanitizer. `text` itself when nothing changes.
 */
export function templateEscapedPeoplePaths(text: string): string {
  if (!mayHoldEscapedSlash(text)) return text;
  return text.replace(
    ESCAPED_PEOPLE_PATH,
    (match: string, before: string, word: string, slashes: string, name: string): string => {
      if (BACKSLASHES_ONLY.test(slashes) && before !== '/' && before !== '\\') return match;
      let decoded = safeDecode(name);
      // fullwidth and other compatibility forms (`ｓｅｔｔｉｎｇｓ`) read as NFKC folds them
      if (NON_ASCII.test(decoded)) decoded = decoded.normalize('NFKC');
      return valueAfterPeople(decoded) && !lookupKeySegment(decoded) ? before + word + slashes + ID : match;
    },
  );
}

/** `s` percent-decoded, or `s` itself when it holds no `%` or an escape that does not decode. */
export function safeDecode(s: string): string {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * In free text, a people or credential word after a `/`, then a blank or tab segment or blanks glued to the word (and
 * dots: `/users/ /janedoe`, `/users/\t/janedoe`, `/users /janedoe`, `/users. /janedoe`), then a name: free text
 * splits its words at the blanks, so the path's reader never sees the name after the word. Also a segment that is an
 * HTML reference to a dot or blank (`/users/&#46;/janedoe`, `&period;`, `&nbsp;`): a URL reader ends the path at its
 * `#` or `;`. Group 1 is the word with what follows it to the name, 2 the reference, 3 the name. One compiled pattern (global; `replace` resets it).
 */
const BLANK_SEGMENT_PEOPLE_PATH = new RegExp(
  String.raw`(?<=\/)((?:` +
    [...PEOPLE_AND_CREDENTIAL_WORDS].sort((a, b) => b.length - a.length).join('|') +
    String.raw`)\.{0,2}(?:\/[ \t]+|[ \t]+|\/(&#x?[0-9a-f]{1,6};|&period;|&nbsp;))\/)([^\s\/\\?#"'<>()[\]{},;|&]+)`,
  'gi',
);

/** A blank or tab before or after a `/`, or `/&`: the cheap check before `templateBlankSegmentPeoplePaths`. */
const BLANK_BY_SLASH = /[ \t]\/|\/[ \t&]/;

/**
 * `text` with the name after a people word and a blank segment written `{id}` when it is a value
 * (`GET /users/ /janedoe 404` → `GET /users/ /{id} 404`, `/users /janedoe` → `/users /{id}`); `/users/ /me` stays.
 * `text` itself when nothing changes.
 */
export function templateBlankSegmentPeoplePaths(text: string): string {
  if (!BLANK_BY_SLASH.test(text)) return text;
  return text.replace(
    BLANK_SEGMENT_PEOPLE_PATH,
    (match: string, head: string, entity: string | undefined, name: string): string => {
      // an HTML character reference as the segment (`/users/&#46;/janedoe`, whose `#` a URL reader takes for a fragment)
      if (entity !== undefined && entity.charCodeAt(1) === 35 && !blankAfterPeople(entity)) return match;
      const decoded = safeDecode(name);
      return valueAfterPeople(decoded) && !lookupKeySegment(decoded) ? head + ID : match;
    },
  );
}
