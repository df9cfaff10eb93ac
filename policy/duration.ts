/** A duration as written in a policy: a positive integer and a unit (`250ms`, `1s`, `5m`, `1h`, `1d`). */
export const DURATION_PATTERN = /^([1-9][0-9]{0,8})(ms|s|m|h|d)$/;

const UNIT_MILLIS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration matching `DURATION_PATTERN` (the schema has checked it). */
export function durationMillis(text: string): number {
  const m = DURATION_PATTERN.exec(text);
  if (m === null) throw new RangeError(`expected a duration such as 1s or 5m, got ${JSON.stringify(text)}`);
  return Number(m[1]) * UNIT_MILLIS[m[2]];
}
