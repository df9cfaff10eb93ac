import { NAMESPACES } from '../policy/semconv-classification';
import type { ValueScanner } from './attribute-redactor';

/**
 * The last words of the semantic-convention keys classified `address` (`client.address`, `net.peer.ip`,
 * `net.sock.peer.addr`, `http.client_ip`): a key whose last word is one of them names a peer's IP address, whatever its
 * namespace (`app.client.ip`, `source_address`). Keys whose value is an array (`dns.answers`) are left out: their word
 * names no address.
 */
const ADDRESS_WORDS: ReadonlySet<string> = (() => {
  const words = new Set<string>();
  for (const rules of Object.values(NAMESPACES))
    for (const [key, c] of Object.entries(rules.keys ?? {})) {
      const cls = typeof c === 'string' ? c : c[0];
      const why = typeof c === 'string' ? '' : c[1];
      if (cls !== 'address' || why.includes('array')) continue;
      words.add(lastWord(key));
    }
  return words;
})();

/** The last word of a key, lower case (`client.address` → `address`, `http.client_ip` → `ip`, `peerIP` → `ip`). */
function lastWord(key: string): string {
  let end = key.length;
  let start = end;
  while (start > 0) {
    const c = key.charCodeAt(start - 1);
    if (c === 46 || c === 95 || c === 45) break;
    start--;
    // camelCase: a capital after a lower-case letter starts the word (`peerIp`, `clientAddress`; `peerIP` keeps `IP`)
    if (c >= 65 && c <= 90 && start > 0) {
      const b = key.charCodeAt(start - 1);
      if (b >= 97 && b <= 122) break;
    }
  }
  if (start === end) end = key.length;
  return key.slice(start, end).toLowerCase();
}

/** Whether `key` names an IP address (see `ADDRESS_WORDS`). */
export function isAddressKey(key: string): boolean {
  return ADDRESS_WORDS.has(lastWord(key));
}

/** 1.0.0.0: smaller integers are no address anyone has (and `0.x.y.z` is "this network"). */
const MIN_ADDRESS = 0x1000000;

/** One part of a `inet_aton` address: decimal, `0x` hex or `0`-led octal; NaN when it is none. */
function partValue(part: string): number {
  if (part.length === 0 || part.length > 12) return NaN;
  if (/^0x[0-9a-f]+$/i.test(part)) return parseInt(part.slice(2), 16);
  if (/^0[0-7]*$/.test(part)) return part.length === 1 ? 0 : parseInt(part.slice(1), 8);
  return /^[1-9]\d*$/.test(part) ? Number(part) : NaN;
}

/**
 * The dotted quad an address written as `inet_aton` reads it stands for, or `undefined`: one 32-bit number in decimal,
 * hex or octal (`3405803783`, `0xCB007107`, `031300070407`), or four parts with a hex or octal one among them
 * (`0313.0.0161.07`, `0xCB.0.0x71.7`). Plain dotted quads are the `ipv4` detector's own.
 */
export function ipv4FromNumber(value: string): string | undefined {
  // A dotted form needs a part of two or more characters led by `0` (checked without splitting: a plain dotted quad,
  // what address keys usually hold, is never one and costs no array of parts).
  if (value.indexOf('.') !== -1 && !hasZeroLedPart(value.trim())) return undefined;
  return ipv4FromParts(value);
}

/** `ipv4FromNumber` without its check before splitting: every value split at `.` (the check's oracle in tests). */
export function ipv4FromParts(value: string): string | undefined {
  const text = value.trim();
  if (text.length === 0 || text.length > 48) return undefined;
  const parts = text.split('.');
  let n: number;
  if (parts.length === 1) {
    n = partValue(text);
    if (!(n >= MIN_ADDRESS && n <= 0xffffffff)) return undefined;
  } else if (parts.length === 4) {
    if (!parts.some((p) => p.length > 1 && p.charCodeAt(0) === 48)) return undefined;
    const octets = parts.map(partValue);
    if (!octets.every((o) => o >= 0 && o <= 255)) return undefined;
    n = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  } else return undefined;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Whether a part of `text` (split at `.`) is two or more characters long and starts with `0`. */
function hasZeroLedPart(text: string): boolean {
  for (let i = text.indexOf('0'); i !== -1; i = text.indexOf('0', i + 1)) {
    if ((i === 0 || text.charCodeAt(i - 1) === 46) && i + 1 < text.length && text.charCodeAt(i + 1) !== 46) return true;
  }
  return false;
}

/**
 * Wraps the value scanner so that under a key naming an IP address (`isAddressKey`) a value written as one number
 * or in `inet_aton` parts (`ipv4FromNumber`) is scanned as the dotted quad it stands for: a finding there (the `ipv4`
 * detector's, so its exclusions hold: loopback, `.0` networks) replaces the value. Other keys keep the number: an
 * integer is an id, a count or an epoch time anywhere else. The attribute redactor scans numbers as `key: digits`;
 * that form is read too.
 */
export function withAddressKeyNumbers(scanner: ValueScanner): ValueScanner {
  const decided = new Map<string, boolean>();
  return (value, key) => {
    if (key !== '' && value.length <= key.length + 50) {
      let address = decided.get(key);
      if (address === undefined) {
        address = isAddressKey(key);
        if (decided.size >= 1024) decided.clear();
        decided.set(key, address);
      }
      if (address) {
        const body = value.startsWith(key) && value.startsWith(': ', key.length) ? value.slice(key.length + 2) : value;
        const quad = ipv4FromNumber(body);
        if (quad !== undefined) {
          const out = scanner(quad, key);
          if (out !== quad) return out;
        }
      }
    }
    return scanner(value, key);
  };
}
