// Whether this run signs, and how: a pure function of the inputs and the job's environment.

/** The `sign` input. */
export type SignMode = 'auto' | 'true' | 'false';

export type SigningDecision =
  | { sign: false; reason: string }
  | { sign: true; kind: 'key' | 'keyless'; required: boolean; reason: string };

export interface SigningFacts {
  mode: SignMode;
  hasKey: boolean;
  /** ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set: the job has `id-token: write`. */
  idToken: boolean;
  /** From the payload's repository: true public, false private or internal, undefined unknown. */
  repositoryPublic: boolean | undefined;
  /** Whether this run pushes at all. */
  push: boolean;
}

/**
 * `sign: auto` signs with `sign-key` whenever something is pushed, and keyless only when the
 * job may ask for an OIDC token and the repository is public (a keyless signature goes to the
 * public transparency log, naming the repository and the workflow). `sign: true` signs or fails
 * here, before anything is built (a run that pushes nothing signs nothing). Pure.
 */
export function decideSigning(facts: SigningFacts): SigningDecision {
  const { mode, hasKey, idToken, repositoryPublic, push } = facts;
  if (mode === 'false') return { sign: false, reason: 'sign is false' };
  const required = mode === 'true';
  // A pull request (from a fork: no secrets, no OIDC token) pushes nothing and signs nothing.
  if (!push) return { sign: false, reason: 'nothing is pushed' };
  if (!hasKey && !idToken && required) {
    throw new Error(
      'sign: "true", but there is nothing to sign with: no sign-key, and no OIDC token for keyless signing (ACTIONS_ID_TOKEN_REQUEST_URL is not set); expected `permissions: id-token: write` on the job, or sign-key (a cosign private key from a secret), or sign: auto or false',
    );
  }
  if (hasKey) return { sign: true, kind: 'key', required, reason: 'sign-key is set' };
  if (required) {
    return { sign: true, kind: 'keyless', required, reason: 'sign is true' };
  }
  if (!idToken) {
    return { sign: false, reason: 'no sign-key, and no `id-token: write` for keyless signing' };
  }
  if (repositoryPublic !== true) {
    return {
      sign: false,
      reason: `the repository is ${repositoryPublic === false ? 'not public' : 'of unknown visibility'}: a keyless signature would name it in the public transparency log (sign: true signs anyway)`,
    };
  }
  return {
    sign: true,
    kind: 'keyless',
    required,
    reason: 'a public repository with `id-token: write`',
  };
}
