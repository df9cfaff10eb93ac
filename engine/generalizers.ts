import { isIPv4, isIPv6 } from 'node:net';
import type { GeneralizerName } from '../policy/schema';

/** Turns a value into a coarser one, or `undefined` when it cannot (the attribute is then dropped). */
export type Generalizer = (value: unknown) => string | undefined;

/** IPv4 → its /24 network (`203.0.113.7` → `203.0.113.0`); IPv6 → its /48 (`2001:db8:1:…` → `2001:db8:1::`). */
export function ipPrefix(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (isIPv4(v)) return v.slice(0, v.lastIndexOf('.')) + '.0';
  if (!isIPv6(v)) return undefined;
  const zoneless = v.split('%')[0];
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(zoneless);
  if (mapped) return `::ffff:${ipPrefix(mapped[1])}`;
  const groups = expandIPv6(zoneless);
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(':')}::`;
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
