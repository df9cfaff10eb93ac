import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, unlinkSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { CliFailure } from './cli-command';

/** Temporary files not yet committed, removed if the process exits early. */
const pending = new Set<string>();
process.on('exit', () => {
  for (const p of pending) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
});

/**
 * An output file that appears only when complete: written to a temporary file beside it, renamed over
 * the target by `commit`, removed by `abort` (or when the process exits first). A failed run never
 * leaves a partial file behind. Writes respect back-pressure, so memory does not grow with the output.
 */
export class AtomicOutput {
  private readonly stream: WriteStream;
  private readonly temp: string;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;

  constructor(readonly path: string) {
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    pending.add(this.temp);
    this.stream = createWriteStream(this.temp, { flags: 'wx', mode: 0o644 });
    this.stream.on('error', (err) => {
      this.failure ??= err;
      this.waiting?.();
    });
  }

  /** Appends `text`; waits when the file system is behind. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.error();
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        this.stream.once('drain', resolve);
      });
      this.waiting = undefined;
    }
    if (this.failure) throw this.error();
  }

  /** Flushes, closes and renames the temporary file over `path`. */
  async commit(): Promise<void> {
    if (this.failure) throw this.error();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    if (this.failure) throw this.error();
    renameSync(this.temp, this.path);
    pending.delete(this.temp);
  }

  /** Closes and removes the temporary file; `path` is left as it was. */
  async abort(): Promise<void> {
    if (!this.stream.closed) {
      const closed = once(this.stream, 'close').catch(() => undefined);
      this.stream.destroy();
      await closed;
    }
    try {
      unlinkSync(this.temp);
    } catch {
      // never created, or already gone
    }
    pending.delete(this.temp);
  }

  private error(): CliFailure {
    const e = this.failure as NodeJS.ErrnoException;
    return new CliFailure(`cannot write ${this.path}: ${e.code ?? e.message}`, { cause: e });
  }
}
