import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/**
 * Reads a file a policy depends on (the policy, its signature, key files, recipient keys, the opt-out filter), only
 * when it is a regular file (after symlinks). A FIFO, device, socket or directory in its place is refused at once:
 * opened without blocking, checked with `fstat` on the same descriptor, so a FIFO without a writer cannot block the
 * process and a symlink to `/dev/zero` cannot fill its memory.
 * @throws the `open` error (with its `code`, e.g. `ENOENT`), or an Error without `code` whose message is
 *   `not a regular file (…)`.
 */
export function readRegularFile(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new Error(
        `not a regular file (${stat.isFIFO() ? 'a FIFO' : stat.isDirectory() ? 'a directory' : 'a device or socket'})`,
      );
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
