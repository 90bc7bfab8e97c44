// The environment of every process the action starts that needs no credential (git, tar,
// `cosign version`): the step's own, without the inputs (passwords, tokens, keys), the runner's
// service tokens and the OIDC request variables, which would let the process mint an ID token.

/** Names a process that needs no credential never gets. */
const WITHHELD = /^(INPUT_|ACTIONS_|STATE_)/;
const WITHHELD_NAMES = new Set(['GITHUB_TOKEN', 'GH_TOKEN', 'SIGSTORE_ID_TOKEN']);

/** True for a variable {@link childEnv} leaves out. Pure. */
export function withheld(name: string): boolean {
  return WITHHELD.test(name.toUpperCase()) || WITHHELD_NAMES.has(name.toUpperCase());
}

/**
 * `env` (default this process's) without `INPUT_*`, `ACTIONS_*` (ACTIONS_RUNTIME_TOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN and _URL, ACTIONS_RESULTS_URL...), `STATE_*` and the token
 * variables, plus `extra`. Pure.
 */
export function childEnv(
  extra: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !withheld(name)) out[name] = value;
  }
  return { ...out, ...extra };
}
