import { randomBytes } from 'node:crypto';
import { defaultPolicy, definePolicy, loadPolicy } from '../policy/load-policy';
import type { Policy } from '../policy/policy';
import { POLICY_PUBLIC_KEY_ENV, readPolicyPublicKey } from '../policy/policy-signature';
import type { KeyObject } from 'node:crypto';

/**
 * The Ed25519 key policy files must be signed with (`OTEL_PRIVACY_POLICY_PUBLIC_KEY`: PEM or a file path), or
 * undefined when unset.
 * @throws Error (one line) when it is set but unusable: a policy must not load unverified because the key is broken.
 */
export function policyPublicKeyFromEnv(env: Readonly<Record<string, string | undefined>>): KeyObject | undefined {
  const value = env[POLICY_PUBLIC_KEY_ENV]?.trim();
  return value ? readPolicyPublicKey(value, POLICY_PUBLIC_KEY_ENV) : undefined;
}

/** The environment variable holding an ephemeral HMAC key while the zero-config policy is compiled. */
const EPHEMERAL_KEY_VARIABLE = 'OTEL_PRIVACY_EPHEMERAL_HMAC_KEY';

/**
 * The policy `otel-privacy/register` runs with:
 *
 * - `OTEL_PRIVACY_POLICY` set: that file (`loadPolicy`; a problem throws the one-line `PolicyError`). With
 *   `OTEL_PRIVACY_POLICY_PUBLIC_KEY` set, the file must carry a valid Ed25519 signature (`<file>.sig`).
 * - unset, `OTEL_PRIVACY_HMAC_KEY` set: the built-in default policy, with a one-line notice.
 * - unset, no key: the default policy with a random key that lives only in this process (key id `ephemeral`, so the
 *   pseudonyms say so), with a one-line notice that pseudonyms will not be stable across restarts or joinable across
 *   services. The key never appears in the environment of child processes.
 *
 * `notice` receives the one-line notices.
 */
export function loadRegisterPolicy(
  env: Readonly<Record<string, string | undefined>>,
  notice: (line: string) => void,
): Policy {
  const path = env.OTEL_PRIVACY_POLICY?.trim();
  if (path) return loadPolicy(path, { publicKey: policyPublicKeyFromEnv(env) });
  if (env.OTEL_PRIVACY_HMAC_KEY) {
    notice(
      'OTEL_PRIVACY_POLICY is not set: using the built-in default policy (semantic-convention allowlist, identifiers hashed, everything else dropped)',
    );
    return defaultPolicy();
  }
  notice(
    'OTEL_PRIVACY_POLICY and OTEL_PRIVACY_HMAC_KEY are not set: using the built-in default policy with a random per-process HMAC key; ' +
      'pseudonyms will change on restart and will not join across services (set OTEL_PRIVACY_HMAC_KEY, e.g. from `otel-privacy keygen`)',
  );
  process.env[EPHEMERAL_KEY_VARIABLE] = `base64:${randomBytes(32).toString('base64')}`;
  try {
    return definePolicy({
      version: 1,
      extends: 'default',
      keys: { hmac: { id: 'ephemeral', env: EPHEMERAL_KEY_VARIABLE } },
    });
  } finally {
    delete process.env[EPHEMERAL_KEY_VARIABLE];
  }
}
