import { isIPv4, isIPv6 } from 'node:net';
import type { GeneralizerName } from '../policy/schema';

/** Turns a value into a coarser one, or `undefined` when it cannot (the attribute is then dropped). */
export type Generalizer = (value: unknown) => string | undefined;

/** `a.b.c.d` of a 32-bit address with the last octet zeroed. */
function v4Slash24(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.0`;
}

/**
 * Writes eight 16-bit groups in the RFC 5952 form (lowercase, longest run of two or more zero groups
 * as `::`); with `dottedTail`, the last 32 bits as a dotted IPv4 address.
 */
function formatIPv6(groups: readonly number[], dottedTail?: string): string {
  const n = dottedTail === undefined ? 8 : 6;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < n;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  let head: string;
  if (bestStart === -1) head = hex(0, n);
  else head = `${hex(0, bestStart)}::${hex(bestStart + bestLen, n)}`;
  if (dottedTail === undefined) return head;
  return head.endsWith(':') ? head + dottedTail : `${head}:${dottedTail}`;
}

/**
 * IPv4 → its /24 network (`203.0.113.7` → `203.0.113.0`); IPv6 → its /48 (`2001:db8:1:…` →
 * `2001:db8:1::`). IPv6 forms that carry an IPv4 address are generalized to that address's /24 and
 * keep their form: IPv4-mapped and -compatible (`::ffff:203.0.113.7` → `::ffff:203.0.113.0`), NAT64
 * (`64:ff9b::203.0.113.7` → `64:ff9b::203.0.113.0`), 6to4 (`2002:cb00:7107::1` → `2002:cb00:7100::`)
 * and Teredo (server and client addresses each to their /24, flags and port zeroed). The loopback
 * (`::1`) and unspecified (`::`) addresses identify nobody and are kept. Zones (`%eth0`) are dropped.
 */
export function ipPrefix(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let v = value.trim();
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
  if (isIPv4(v)) return v.slice(0, v.lastIndexOf('.')) + '.0';
  if (!isIPv6(v)) return undefined;
  const g = expandIPv6(v.split('%')[0]);
  const zerosBefore = (k: number) => g.slice(0, k).every((x) => x === 0);
  if (zerosBefore(7) && (g[7] === 0 || g[7] === 1)) return g[7] === 0 ? '::' : '::1';
  // IPv4-mapped ::ffff:0:0/96 and the deprecated IPv4-compatible ::/96.
  if (zerosBefore(5) && (g[5] === 0xffff || g[5] === 0)) return formatIPv6(g, v4Slash24(g[6], g[7]));
  // NAT64 well-known prefix 64:ff9b::/96.
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0)
    return formatIPv6(g, v4Slash24(g[6], g[7]));
  // 6to4 2002:AABB:CCDD::/48: the IPv4 address is groups 1-2.
  if (g[0] === 0x2002) return formatIPv6([0x2002, g[1], g[2] & 0xff00, 0, 0, 0, 0, 0]);
  // Teredo 2001:0::/32: server IPv4 in groups 2-3, client IPv4 (bits inverted) in groups 6-7.
  if (g[0] === 0x2001 && g[1] === 0) return formatIPv6([0x2001, 0, g[2], g[3] & 0xff00, 0, 0, g[6], g[7] | 0xff]);
  return formatIPv6([g[0], g[1], g[2], 0, 0, 0, 0, 0]);
}

/** Expands an IPv6 address (already validated) into its eight 16-bit groups. */
function expandIPv6(addr: string): number[] {
  let text = addr;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    text = text.slice(0, v4.index) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => parseInt(g, 16));
}

/** The generalizers by policy name. */
export const generalizers: Readonly<Record<GeneralizerName, Generalizer>> = {
  'ip-prefix': ipPrefix,
};
