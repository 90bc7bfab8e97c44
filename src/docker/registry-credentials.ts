// RegistryCredentials: the credentials of the action's own registry requests, from the step's
// logins (known before docker stored them) and the logins of earlier steps.
import * as core from '@actions/core';
import {
  credentialsFromAuths,
  credentialsFromConfig,
  storedLogin,
  type StoredLogin,
} from './credentials.js';
import type { Credentials } from './config.js';
import type { Login } from './login.js';
import { errorText } from '../error-text.js';

/**
 * Credentials for the action's own registry requests (digest checks, tag copies, reuse
 * lookups): the action's logins, else what docker would use from the user's Docker config
 * (auths, credHelpers, credsStore), found once per registry by {@link prepare}.
 */
export class RegistryCredentials {
  private readonly found = new Map<string, StoredLogin | undefined>();
  private readonly pending = new Map<string, Promise<void>>();
  /** The step's own logins as `auths` entries (see `give`). */
  private readonly given: Record<string, unknown> = {};

  constructor(
    private readonly ownConfig: string,
    readonly userConfig: string,
    private readonly timeoutMs: number,
    /** false on a fork's run: no earlier login is looked up, no credential helper run. */
    private readonly earlierLogins = true,
  ) {}

  /** Looks up the earlier logins of `registries` (a credential helper is a process each). */
  async prepare(registries: string[]): Promise<void> {
    if (!this.earlierLogins) return;
    const own = credentialsFromConfig(this.ownConfig);
    await Promise.all(
      [...new Set(registries)].map((registry) => {
        // Once per registry, also when lookups overlap (the fingerprint's base images).
        let pending = this.pending.get(registry);
        if (!pending) {
          pending = own(registry) ? Promise.resolve() : this.find(registry);
          this.pending.set(registry, pending);
        }
        return pending;
      }),
    );
  }

  private async find(registry: string): Promise<void> {
    try {
      const login = await storedLogin(this.userConfig, registry, { timeoutMs: this.timeoutMs });
      this.found.set(registry, login);
      if (login) core.info(`${registry}: using the login of an earlier step (${login.source})`);
    } catch (error) {
      this.found.set(registry, undefined);
      core.warning(
        `${registry}: the login of an earlier step could not be read (${errorText(error)}); the action's registry checks go without it`,
      );
    }
  }

  /**
   * The step's own logins with their passwords, known before `docker login` has stored them:
   * the reads that go beside the logins use them. Held in memory only.
   */
  give(logins: Login[]): void {
    for (const { registry, username, password } of logins) {
      if (password) this.given[registry] = { username, password };
    }
  }

  /** Whether the credentials for `registry` are known now, before the logins are done. */
  known(registry: string): boolean {
    return credentialsFromAuths(this.given, registry) !== undefined;
  }

  /**
   * The credentials for `registry`, or undefined (anonymous). The step's own logins are the ones
   * `docker login` stores in the action's config: asked first, they spare a read of that file per
   * request; the file still answers for a login whose password came later (Docker Hub's OIDC).
   */
  readonly lookup = (registry: string): Credentials | undefined =>
    credentialsFromAuths(this.given, registry) ??
    credentialsFromConfig(this.ownConfig)(registry) ??
    this.found.get(registry)?.credentials;
}
