import { randomBytes } from 'node:crypto';
import { defaultPolicy, definePolicy, loadPolicy } from '../policy/load-policy';
import type { Policy } from '../policy/policy';
import {
  POLICY_IDENTITY_ENV,
  POLICY_PUBLIC_KEY_ENV,
  POLICY_STATE_ENV,
  checkIdentity,
  readPolicyPublicKey,
} from '../policy/policy-signature';
import type { KeyObject } from 'node:crypto';

/** What the environment asks of a policy's signature (see `policySignatureFromEnv`). */
export interface PolicySignatureSettings {
  readonly publicKey?: KeyObject;
  readonly identity?: string;
  readonly stateFile?: string;
}

/**
 * The signature settings of the environment: the Ed25519 key policy files must be signed with
 * (`OTEL_PRIVACY_POLICY_PUBLIC_KEY`: PEM or a file path), the identity their manifest must carry
 * (`OTEL_PRIVACY_POLICY_IDENTITY`) and the serial state file (`OTEL_PRIVACY_POLICY_STATE`); all undefined when unset.
 * @throws Error (one line) when one is set but unusable, or an identity or state file is set without the public key:
 *   a policy must not load unverified because a setting is broken.
 */
export function policySignatureFromEnv(env: Readonly<Record<string, string | undefined>>): PolicySignatureSettings {
  const value = env[POLICY_PUBLIC_KEY_ENV]?.trim();
  const identity = env[POLICY_IDENTITY_ENV]?.trim() || undefined;
  const stateFile = env[POLICY_STATE_ENV]?.trim() || undefined;
  if (!value) {
    const set = identity !== undefined ? POLICY_IDENTITY_ENV : stateFile !== undefined ? POLICY_STATE_ENV : undefined;
    if (set !== undefined)
      throw new Error(`${set} is set but ${POLICY_PUBLIC_KEY_ENV} is not: nothing would be verified`);
    return {};
  }
  if (identity !== undefined) checkIdentity(identity, POLICY_IDENTITY_ENV);
  return { publicKey: readPolicyPublicKey(value, POLICY_PUBLIC_KEY_ENV), identity, stateFile };
}

/** The environment variable holding an ephemeral HMAC key while the zero-config policy is compiled. */
const EPHEMERAL_KEY_VARIABLE = 'OTEL_PRIVACY_EPHEMERAL_HMAC_KEY';

/**
 * The policy `otel-privacy/register` runs with:
 *
 * - `OTEL_PRIVACY_POLICY` set: that file (`loadPolicy`; a problem throws the one-line `PolicyError`). With
 *   `OTEL_PRIVACY_POLICY_PUBLIC_KEY` set, the file must carry a valid signed manifest (`<file>.sig`), with the
 *   identity `OTEL_PRIVACY_POLICY_IDENTITY` and a serial not below `OTEL_PRIVACY_POLICY_STATE`'s, when set.
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
  if (path) return loadPolicy(path, policySignatureFromEnv(env));
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
