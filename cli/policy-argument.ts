import { loadPolicy } from '../policy/load-policy';
import type { LoadPolicyOptions } from '../policy/load-policy';
import type { Policy } from '../policy/policy';
import { PolicyError } from '../policy/policy-error';
import { CliFailure } from './cli-command';

/**
 * Loads the policy named by `--policy`; a bad policy becomes a one-line `CliFailure` (file:line path: problem). Commands
 * that never use key material pass `{ ignoreMissingKeys: true }`.
 */
export function loadPolicyArgument(path: string, options: LoadPolicyOptions = {}): Policy {
  try {
    return loadPolicy(path, options);
  } catch (err) {
    if (err instanceof PolicyError) throw new CliFailure(`invalid policy: ${err.message}`, { cause: err });
    throw new CliFailure(`cannot load policy ${path}: ${(err as Error).message}`, { cause: err });
  }
}
