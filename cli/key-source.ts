import { readFileSync } from 'node:fs';
import {
  KEY_LENGTH,
  KEY_LIKE_VALUE_NOT_SHOWN,
  decodeKeyText,
  envNameForError,
  keyPathForError,
} from '../engine/crypto/key-material';
import { CliFailure, UsageError } from './cli-command';

/**
 * Reads key material named on the command line: `env:NAME` (an environment variable) or a file path,
 * in the policy's key format (raw, `base64:…` or `hex:…`). Never echoes the key in errors.
 */
export function readKeyArgument(ref: string): Buffer {
  let text: string | Buffer;
  let where: string;
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    if (name === '') throw new UsageError('--key env:NAME needs a variable name');
    if (envNameForError(name) !== name)
      throw new UsageError(`--key env:NAME: ${KEY_LIKE_VALUE_NOT_SHOWN}; give the name of the variable, never the key`);
    const v = process.env[name];
    if (v === undefined || v === '') throw new CliFailure(`environment variable ${name} is not set`);
    text = v;
    where = `environment variable ${name}`;
  } else {
    const shown = keyPathForError(ref);
    if (shown !== ref)
      throw new UsageError(`--key: ${shown.slice(1, -1)}; give a key file path or env:NAME, never the key itself`);
    try {
      text = readFileSync(ref);
    } catch (err) {
      throw new CliFailure(
        `cannot read key file ${ref}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      );
    }
    where = `key file ${ref}`;
  }
  try {
    return decodeKeyText(text, KEY_LENGTH.encryption);
  } catch (err) {
    throw new CliFailure(`${where} ${(err as Error).message}`, { cause: err });
  }
}
