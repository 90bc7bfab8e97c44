// Runs cosign: signs the verified digest in every registry of `images` and verifies each
// signature right after, with the same identity.
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerEnv } from '../docker/config.js';
import { logUntrusted, oneLine } from '../untrusted.js';
import {
  GITHUB_ISSUER,
  NO_TLOG_SIGNING_CONFIG,
  publicKeyArgs,
  signArgs,
  signingConfigHasTlog,
  tokenClaims,
  verifyArgs,
  verifyCommand,
  workflowIdentity,
  type SignMethod,
} from './cosign.js';
import { errorText } from '../error-text.js';

/** What signing gave one image repository. */
export interface SignatureResult {
  image: string;
  /** Where the signature is (`image:sha256-<hex>`, or the signed `image@digest`); '' if none. */
  reference: string;
  /** Why there is none ('' when signed and verified). */
  failure: string;
  /** The `cosign verify` a user runs for it. */
  verifyCommand: string;
}

export interface SignerOptions {
  /** Image repositories, as in `images`. */
  images: string[];
  /** `sign: true`: a registry that cannot take a signature fails the release. */
  required: boolean;
  /** The action's Docker config: cosign reads the logins from it. */
  dockerConfig: string;
  /** The cosign binary (install.ts). */
  cosign: string;
  /** Finds the signature cosign wrote for `image@digest`; '' when it cannot tell. */
  locate?: (image: string, digest: string) => Promise<string>;
}

/** A keyed signer's material: the key itself never leaves `dir`. */
export interface KeyMaterial {
  /** The private key (from `sign-key`). */
  key: string;
  password: string;
  /** `signing-config`: a file path, or '' for no transparency log. */
  signingConfig: string;
  trustedRoot: string;
  /** Where the key and the derived public key are written (0700), removed by `cleanup()`. */
  dir: string;
}

export interface KeylessMaterial {
  signingConfig: string;
  trustedRoot: string;
  serverUrl: string;
  /** GITHUB_WORKFLOW_REF, used when the token has no job_workflow_ref claim. */
  workflowRef: string;
  /** Fetches the OIDC token (audience sigstore) at signing time. */
  idToken: () => Promise<string>;
}

/** Signs the release's digest in every registry; see {@link Signer.sign}. */
export class Signer {
  readonly results: SignatureResult[] = [];

  private constructor(
    private method: SignMethod,
    private readonly options: SignerOptions,
    private readonly secretEnv: () => Promise<Record<string, string>>,
    /** The public key (PEM) of a keyed signer, shown in the summary; '' for keyless. */
    readonly publicKey: string,
    private readonly keyless?: KeylessMaterial,
  ) {}

  /**
   * A signer with a cosign key: the key is written 0600 under `material.dir`, its password is
   * given to cosign only through COSIGN_PASSWORD, and the public key is derived at once, so a
   * key that cosign cannot read (or a wrong password) fails before anything is built.
   */
  static async withKey(material: KeyMaterial, options: SignerOptions): Promise<Signer> {
    checkFiles(material.signingConfig, material.trustedRoot);
    mkdirSync(material.dir, { recursive: true, mode: 0o700 });
    chmodSync(material.dir, 0o700);
    const keyFile = join(material.dir, 'cosign.key');
    const publicKeyFile = join(material.dir, 'cosign.pub');
    writeFileSync(keyFile, material.key.endsWith('\n') ? material.key : `${material.key}\n`, {
      mode: 0o600,
    });
    let signingConfig = material.signingConfig;
    if (!signingConfig) {
      signingConfig = join(material.dir, 'signing-config.json');
      writeFileSync(signingConfig, NO_TLOG_SIGNING_CONFIG, { mode: 0o600 });
    }
    const tlog = material.signingConfig
      ? signingConfigHasTlog(readConfig(material.signingConfig))
      : false;
    const secretEnv = () => Promise.resolve({ COSIGN_PASSWORD: material.password });
    const derived = await cosign(options, publicKeyArgs(keyFile, publicKeyFile), await secretEnv());
    if (derived.exitCode !== 0) {
      throw new Error(
        `sign-key: cosign cannot read the key (${lastLine(derived.stderr)}); expected a cosign private key (the content of cosign.key from \`cosign generate-key-pair\`) and its password in sign-key-password`,
      );
    }
    const publicKey = readFileSync(publicKeyFile, 'utf8');
    const method: SignMethod = {
      kind: 'key',
      keyFile,
      publicKeyFile,
      signingConfig,
      tlog,
      trustedRoot: material.trustedRoot,
    };
    core.info(
      `signing with the key of sign-key; ${tlog ? `transparency log: as ${material.signingConfig} says` : 'no transparency log (the public key is the trust root)'}`,
    );
    return new Signer(method, options, secretEnv, publicKey);
  }

  /** A keyless signer: Fulcio and Rekor (public-good, or `signing-config`'s) with the job's OIDC token. */
  static keyless(material: KeylessMaterial, options: SignerOptions): Signer {
    checkFiles(material.signingConfig, material.trustedRoot);
    const method: SignMethod = {
      kind: 'keyless',
      identity: workflowIdentity(material.serverUrl, undefined, material.workflowRef),
      issuer: GITHUB_ISSUER,
      signingConfig: material.signingConfig,
      trustedRoot: material.trustedRoot,
    };
    let token = '';
    const secretEnv = async () => {
      token ||= await material.idToken();
      return { SIGSTORE_ID_TOKEN: token };
    };
    core.info(
      `signing keyless with the workflow's OIDC token (${material.signingConfig ? `Sigstore of ${material.signingConfig}` : 'the public-good Sigstore: Fulcio and the Rekor transparency log'})`,
    );
    return new Signer(method, options, secretEnv, '', material);
  }

  /**
   * Signs `digest` in every image repository, then verifies each signature. A repository that
   * does not take one gets a warning and the others are signed; with `required` (sign: true)
   * it throws, naming each, after trying them all.
   */
  async sign(digest: string): Promise<void> {
    this.results.length = 0;
    const env = await this.secretEnv();
    if (this.method.kind === 'keyless' && this.keyless) {
      // The certificate names the workflow file that runs: a reusable workflow's own.
      const claims = tokenClaims(env.SIGSTORE_ID_TOKEN ?? '');
      const jobRef = typeof claims.job_workflow_ref === 'string' ? claims.job_workflow_ref : '';
      const issuer = typeof claims.iss === 'string' && claims.iss ? claims.iss : GITHUB_ISSUER;
      this.method = {
        ...this.method,
        identity: workflowIdentity(this.keyless.serverUrl, jobRef, this.keyless.workflowRef),
        issuer,
      };
    }
    for (const image of this.options.images) {
      const command = verifyCommand(this.method, image, digest);
      const failure = await this.signOne(image, digest, env);
      const reference = failure
        ? ''
        : ((await this.options.locate?.(image, digest).catch(() => '')) ?? '') ||
          `${image}@${digest}`;
      this.results.push({ image, reference, failure, verifyCommand: command });
      if (failure) {
        const message = `signing ${image}@${digest}: ${failure}`;
        if (this.options.required) core.error(message);
        else
          core.warning(
            `${message}; the other registries are signed (sign: true makes this an error)`,
          );
      } else {
        core.info(`signed and verified ${image}@${digest}: ${reference}`);
      }
    }
    const failed = this.results.filter((r) => r.failure);
    if (failed.length > 0 && this.options.required) {
      throw new Error(
        `sign is true and ${failed.map((r) => `${r.image} (${r.failure})`).join('; ')} could not be signed`,
      );
    }
  }

  private async signOne(
    image: string,
    digest: string,
    env: Record<string, string>,
  ): Promise<string> {
    const signed = await cosign(this.options, signArgs(this.method, image, digest), env);
    if (signed.exitCode !== 0) return `cosign sign failed: ${lastLine(signed.stderr)}`;
    const verified = await cosign(this.options, verifyArgs(this.method, image, digest), env);
    if (verified.exitCode !== 0) {
      return `the signature was written but cosign verify failed: ${lastLine(verified.stderr)}`;
    }
    return '';
  }

  /** Removes the key files (never throws); returns warnings. */
  static cleanup(dir: string): string[] {
    try {
      rmSync(dir, { recursive: true, force: true });
      return [];
    } catch (error) {
      return [`could not remove the signing key in ${dir}: ${String(error)}`];
    }
  }
}

async function cosign(
  options: SignerOptions,
  args: string[],
  secrets: Record<string, string>,
): Promise<{ exitCode: number; stderr: string }> {
  core.info(`cosign ${args.join(' ')}`);
  try {
    const result = await getExecOutput(options.cosign, args, {
      env: { ...dockerEnv(options.dockerConfig), ...secrets },
      ignoreReturnCode: true,
      silent: true,
    });
    logUntrusted(result.stderr.split('\n'));
    return { exitCode: result.exitCode, stderr: result.stderr };
  } catch (error) {
    return { exitCode: -1, stderr: errorText(error) };
  }
}

function lastLine(text: string): string {
  return oneLine(lastLineOf(text));
}

function lastLineOf(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^WARNING/.test(l));
  return lines[lines.length - 1]?.replace(/^Error:\s*/, '') ?? 'no message';
}

function readConfig(path: string, input = 'signing-config'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const expected =
      input === 'signing-config'
        ? 'the path of a Sigstore signing config (cosign signing-config create --out FILE)'
        : "the path of a Sigstore trusted root (the instance's trusted_root.json)";
    throw new Error(
      `${input}: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? String(error)}); expected ${expected}`,
    );
  }
}

/** Fails early, naming the input, when a file given for signing cannot be read. */
function checkFiles(signingConfig: string, trustedRoot: string): void {
  if (signingConfig) readConfig(signingConfig);
  if (trustedRoot) readConfig(trustedRoot, 'trusted-root');
}
