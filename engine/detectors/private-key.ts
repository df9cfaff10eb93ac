import { fromStart, isHexDigit } from './chars';
import type { Detector, Finding } from './types';

const BEGIN = '-----BEGIN ';
const MAX_LABEL = 48;

/**
 * The base64 of the first bytes of an unencrypted private key's DER, which a key written without its PEM lines
 * starts with (an environment dump, a key pasted without its `-----BEGIN` line): PKCS#1 RSA (`MIIEowIBAAKCAQEA`),
 * PKCS#8 RSA (`MIIEvQIBADANBgkqhkiG9w0BAQEFAASC`), SEC 1 EC (`MHcCAQEEI…`, P-384, P-521), PKCS#8 EC and
 * Ed25519/X25519/Ed448. Public keys (`…AAOC`, `MFkwEwYH…`) and certificates start otherwise.
 */
const BARE_DER =
  /(?<![A-Za-z0-9+/])(?:MII[A-Za-z0-9+/]{3}IBAAK[BC]|MII[A-Za-z0-9+/]{3}IBADANBgkqhkiG9w0BAQEFAAS|MHcCAQEEI|MIGkAgEBBD|MIHcAgEBBE|MI[GH][A-Za-z0-9+/]AgEAMB[AM]GByqGSM49AgEG|M[CE][A-Za-z0-9+/]CAQAwBQYDK2V[a-z])/g;
const BARE_TRIGGER = new RegExp(BARE_DER.source);
const MAX_BARE = 16_384;

function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
}

/** The end of the base64 run from `i`, across line breaks (also escaped `\\n`) between base64 lines. */
function base64RunEnd(text: string, i: number): number {
  const limit = Math.min(text.length, i + MAX_BARE);
  let end = i;
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (isBase64Char(c)) {
      end++;
      continue;
    }
    let next = end;
    if (c === 13 && text.charCodeAt(next + 1) === 10) next += 2;
    else if (c === 10) next += 1;
    else if (c === 92 && (text.charCodeAt(next + 1) === 110 || text.charCodeAt(next + 1) === 114)) {
      next += 2;
      if (text.charCodeAt(next) === 92 && text.charCodeAt(next + 1) === 110) next += 2;
    } else break;
    if (next < limit && isBase64Char(text.charCodeAt(next)) && text.charCodeAt(next) !== 45) end = next;
    else break;
  }
  return end;
}

/** The first line of a PuTTY private key file (`.ppk`, versions 2 and 3), any case. */
const PUTTY = /PuTTY-User-Key-File-/gi;
const PUTTY_TRIGGER = /PuTTY-User-Key-File-/i;
/**
 * The line that announces the private part of a `.ppk` file (`Private-Lines:`; read as any `Lines:` but `Public-Lines:`,
 * the file's other one: a view that glued a public line ending in `+A…` to it decodes `+A…Private-` as UTF-7), and the
 * MAC line that closes the file.
 */
const PRIVATE_LINES = /(?<!Public-)Lines:[ \t]*(\d+)/gi;
const PRIVATE_MAC = /Private-(?:MAC|Hash):/i;
const PRIVATE_MAC_G = /Private-(?:MAC|Hash):/gi;
/** A line of a `.ppk` file after its first: a label of the format, or a base64 line (16 characters or more). */
const FILE_LINE = /(?:Encryption|Comment|Public-Lines|Key-Derivation|Argon2-[A-Za-z]+):|[A-Za-z0-9+/]{16}/gi;
/** Most private lines read from a flattened file (a 16 384-bit RSA key has about 150). */
const MAX_PRIVATE_LINES = 512;
/** Longest MAC read after its label (SHA-256: 64 hex digits). */
const MAX_MAC = 128;

/** A space or a tab. */
function isLineBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Most characters of the joiner between two lines of a flattened file (`<br />`, ` \\n `, `,  `). */
const MAX_JOINER = 12;
/** An HTML line break (`<br>`, `<br/>`, `<br />`, any case) at the index the search starts from. */
const BR = /<br[ \t]*\/?>/iy;
/** The MAC line's label at the index the search starts from. */
const MAC_AT = /Private-(?:MAC|Hash):/iy;

/**
 * The end of what joins two lines of a flattened file from `i`, or `i`: blanks, line breaks (also escaped `\\n`,
 * `\\r\\n`, U+2028), `,`, `;`, `|`, a `\\` that continues a line, and HTML line breaks (`<br>`), in any mix (` | `,
 * `  \n` as Markdown breaks a line, `, `).
 */
function joinerEnd(text: string, i: number): number {
  let k = i;
  while (k - i < MAX_JOINER) {
    const c = text.charCodeAt(k);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 59 || c === 124 || c === 0x2028) k++;
    else if (c === 92) k += text.charCodeAt(k + 1) === 110 || text.charCodeAt(k + 1) === 114 ? 2 : 1;
    else if (c === 60) {
      BR.lastIndex = k;
      if (!BR.test(text)) break;
      k = BR.lastIndex;
    } else break;
  }
  return k;
}

/** A character of a base64 line (also the URL alphabet's `-` and `_`). */
function isLineChar(c: number): boolean {
  return isBase64Char(c) || c === 45 || c === 95;
}

/**
 * The end of `count` base64 lines from `i`, each after a joiner (`joinerEnd`: a file flattened onto one line,
 * `Private-Lines: 1 AAAA… Private-MAC: …`, or its lines joined by `<br>`, `, `, `;`), before a MAC line; or `i` when
 * no line follows.
 */
function linesEnd(text: string, i: number, count: number): number {
  let end = i;
  for (let n = 0; n < count; n++) {
    let k = joinerEnd(text, end);
    if (k === end || !isLineChar(text.charCodeAt(k))) break;
    // The MAC line's label is no base64 line (`Private-MAC` reads as one).
    MAC_AT.lastIndex = k;
    if ((text.charCodeAt(k) | 32) === 112 && MAC_AT.test(text)) break;
    while (k < text.length && isLineChar(text.charCodeAt(k))) k++;
    end = k;
  }
  return end;
}

/** The end of the MAC line whose label starts at `label` (blanks and up to `MAX_MAC` hex digits after it). */
function macEnd(text: string, label: number): number {
  let k = label + 'Private-MAC:'.length;
  if (text.charCodeAt(label + 8) === 72 || text.charCodeAt(label + 8) === 104) k++; // Private-Hash: one longer
  while (isLineBlank(text.charCodeAt(k))) k++;
  const hex = k;
  while (k - hex < MAX_MAC && isHexDigit(text.charCodeAt(k))) k++;
  return k;
}

/** The index after a line break at `i` (`\r\n`, `\n`, or escaped `\\r\\n`, `\\n` in JSON), or `i`. */
function afterLineBreak(text: string, i: number): number {
  if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) return i + 2;
  if (text.charCodeAt(i) === 10) return i + 1;
  if (text.charCodeAt(i) === 92) {
    let j = i;
    if (text.charCodeAt(j + 1) === 114 && text.charCodeAt(j + 2) === 92) j += 2;
    if (text.charCodeAt(j + 1) === 110) return j + 2;
  }
  return i;
}

/**
 * PuTTY private key files (`PuTTY-User-Key-File-2:`/`-3:` … `Private-Lines: N`, base64 lines, `Private-MAC: …`):
 * from the first line through the MAC line (its whole hex), also with the lines joined by blanks, `<br>`, `, `, `;` or
 * Markdown's `  \n` (a file flattened onto one line: the N private lines are read, `joinerEnd`), or through the private
 * lines when the MAC is cut off; without a
 * `Private-Lines:` line (a truncated value) to the end of the text (fail closed).
 */
function findPutty(text: string, out: Finding[]): void {
  const re = fromStart(PUTTY);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const at = m.index;
    const lines = fromStart(PRIVATE_LINES);
    lines.lastIndex = at;
    const pl = lines.exec(text);
    if (pl === null) {
      // A view that read the label otherwise (`1AAAA+APrivate-Lines:` decodes as UTF-7 once `<br>` is taken out): through
      // the MAC. Else a file cut off before its private lines: to the end of the text (fail closed), but a header alone
      // (`PuTTY-User-Key-File-2: ssh-rsa`, `… (private part removed)`) is no file.
      PRIVATE_MAC_G.lastIndex = at;
      const mac = PRIVATE_MAC_G.exec(text);
      if (mac !== null) {
        const end = macEnd(text, mac.index);
        out.push({ start: at, end, type: 'private-key' });
        re.lastIndex = end;
        continue;
      }
      FILE_LINE.lastIndex = at + m[0].length;
      if (FILE_LINE.test(text)) out.push({ start: at, end: text.length, type: 'private-key' });
      return;
    }
    const plEnd = pl.index + pl[0].length;
    const body = afterLineBreak(text, plEnd);
    let end = linesEnd(text, plEnd, Math.min(Number(pl[1]), MAX_PRIVATE_LINES));
    if (body > plEnd) end = Math.max(end, base64RunEnd(text, body));
    // The MAC line after the private lines, also after more lines than `Private-Lines:` counts: through its whole hex.
    const label = joinerEnd(text, linesEnd(text, end, MAX_PRIVATE_LINES));
    MAC_AT.lastIndex = label;
    if (MAC_AT.test(text)) end = macEnd(text, label);
    else {
      const mac = PRIVATE_MAC.exec(text.slice(plEnd, Math.min(text.length, end + 16)));
      if (mac !== null) end = Math.max(end, macEnd(text, plEnd + mac.index));
    }
    out.push({ start: at, end, type: 'private-key' });
    re.lastIndex = Math.max(end, at + 1);
  }
}

/**
 * `private-key`: PEM private key blocks (`-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED ]PRIVATE KEY-----`,
 * `PGP PRIVATE KEY BLOCK`) through the matching `-----END …-----`
 * line, also with escaped newlines (`\n` in JSON). A block without its END line (truncated values)
 * is matched to the end of the text (fail closed). Certificates and public keys are not matched. A key body without
 * its PEM lines is matched by the base64 its DER starts with (`BARE_DER`), through the end of its base64 lines. PuTTY
 * private key files (`.ppk`) are matched from their first line through their MAC (see `findPutty`).
 */
export const privateKeyDetector: Detector = {
  name: 'private-key',
  trigger:
    /-----BEGIN |[Pp][Uu][Tt][Tt][Yy]-[Uu][Ss][Ee][Rr]-[Kk][Ee][Yy]-[Ff][Ii][Ll][Ee]-|M[A-Za-z0-9+/]{2,5}(?:IBAAK|IBADANBgkqhkiG9w0BAQEFAAS|CAQEEI|AgEBBD|AgEBBE|AgEAMB|CAQAwBQYDK2V)/,
  mayMatch: (text) => text.indexOf(BEGIN) !== -1 || BARE_TRIGGER.test(text) || PUTTY_TRIGGER.test(text),
  find(text: string, out: Finding[]): void {
    const armored: Finding[] = [];
    if (text.indexOf(BEGIN) !== -1) findArmored(text, armored);
    if (PUTTY_TRIGGER.test(text)) {
      findPutty(text, armored);
      armored.sort((a, b) => a.start - b.start);
    }
    if (!BARE_TRIGGER.test(text)) {
      for (const f of armored) out.push(f);
      return;
    }
    const found = armored.slice();
    const bare = fromStart(BARE_DER);
    let block = 0;
    let m: RegExpExecArray | null;
    while ((m = bare.exec(text)) !== null) {
      const at = m.index;
      // Inside an armored block already found: nothing to add (blocks and matches both ascend).
      while (block < armored.length && armored[block].end <= at) block++;
      if (block < armored.length && armored[block].start <= at) {
        bare.lastIndex = armored[block].end;
        continue;
      }
      const end = base64RunEnd(text, at);
      // A DER key is longer than its header: at least 40 base64 characters (an Ed25519 PKCS#8 key has 64).
      if (end - at < 40) continue;
      found.push({ start: at, end, type: 'private-key' });
      bare.lastIndex = end;
    }
    if (found.length > armored.length && armored.length > 0) found.sort((a, b) => a.start - b.start);
    for (const f of found) out.push(f);
  },
};

/** PEM blocks from `-----BEGIN … PRIVATE KEY-----` (see `privateKeyDetector`). */
function findArmored(text: string, out: Finding[]): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf(BEGIN, from);
    if (at === -1) return;
    const labelStart = at + BEGIN.length;
    const labelEnd = text.indexOf('-----', labelStart);
    from = labelStart;
    if (labelEnd === -1) return;
    if (labelEnd - labelStart > MAX_LABEL) continue;
    const label = text.slice(labelStart, labelEnd);
    if (!/^(?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?$/.test(label)) continue;
    // The first END line closes the block (whatever its label); none: mask to the end (fail closed).
    const close = text.indexOf('-----END ', labelEnd + 5);
    const stop = close === -1 ? -1 : text.indexOf('-----', close + 9);
    const end = stop === -1 ? text.length : stop + 5;
    out.push({ start: at, end, type: 'private-key' });
    if (end === text.length) return;
    from = end;
  }
}
