/**
 * Where the value scanner notes the type of every finding it counts, for the engine to attribute to the signal and
 * key it was scanning (the leak alarm). Present only when the policy has `alarms.leak`: the scanner appends only
 * when it finds something, and the engine checks `pending.length` after a scan, so clean values cost one length
 * check.
 */
export class FindingLog {
  /** Finding types noted since the last `flush`. */
  readonly pending: string[] = [];
  /** Receives each attributed finding (set by the policy that adopts the compiled rules). */
  sink: ((signal: string, key: string, type: string) => void) | undefined;

  /** Attributes every pending finding to (`signal`, `key`) and clears them. */
  flush(signal: string, key: string): void {
    const p = this.pending;
    const sink = this.sink;
    if (sink !== undefined) for (let i = 0; i < p.length; i++) sink(signal, key, p[i]);
    p.length = 0;
  }

  /** Attributes the finding types of a key that itself holds findings (never named: the key is the finding). */
  keyFindings(signal: string, types: readonly string[]): void {
    const sink = this.sink;
    if (sink !== undefined) for (let i = 0; i < types.length; i++) sink(signal, '(key holding a finding)', types[i]);
  }
}
