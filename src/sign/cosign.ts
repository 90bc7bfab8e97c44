// cosign's command lines, as pure functions of what is signed and how. No secret is ever an
// argument: the key is a file path, its password goes through COSIGN_PASSWORD and the keyless
// OIDC token through SIGSTORE_ID_TOKEN (see run.ts).
import { parseReference } from '../oci/reference.js';

/** The issuer of GitHub Actions' OIDC tokens: the issuer keyless signatures name. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * A signing config (cosign 3's `--signing-config`) that names no transparency log and no
 * timestamp authority: what `cosign signing-config create` writes with no service given. A
 * key-signed release uses it unless `signing-config` names one: the key the user holds is the
 * trust root, and nothing about the repository goes to the public Rekor log.
 */
export const NO_TLOG_SIGNING_CONFIG = JSON.stringify({
  mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
  rekorTlogConfig: {},
  tsaConfig: {},
});

/** How the signatures of one run are made and checked. */
export type SignMethod =
  | {
      kind: 'key';
      /** The private key file (0600, in the action's temp dir). */
      keyFile: string;
      /** The public key file derived from it (`cosign public-key`). */
      publicKeyFile: string;
      /** `--signing-config`: the user's, or the no-tlog one. */
      signingConfig: string;
      /** Whether the signing config uploads to a transparency log (verify then checks it). */
      tlog: boolean;
      /** `--trusted-root` for verify (a private Sigstore instance); '' for cosign's default. */
      trustedRoot: string;
    }
  | {
      kind: 'keyless';
      /** The certificate identity: the workflow that runs (its job_workflow_ref as a URL). */
      identity: string;
      issuer: string;
      /** `--signing-config` of a private Sigstore instance; '' for the public-good one. */
      signingConfig: string;
      trustedRoot: string;
    };

/** Whether cosign must be allowed plain HTTP (and no TLS check) for this image's registry. */
export function insecureRegistry(image: string): boolean {
  return parseReference(image).scheme === 'http';
}

function registryFlags(image: string): string[] {
  return insecureRegistry(image) ? ['--allow-http-registry', '--allow-insecure-registry'] : [];
}

/** `cosign sign` of `image@digest`. Pure. */
export function signArgs(method: SignMethod, image: string, digest: string): string[] {
  const args = ['sign', '--yes'];
  if (method.kind === 'key') args.push('--key', method.keyFile);
  if (method.signingConfig) args.push('--signing-config', method.signingConfig);
  if (method.trustedRoot) args.push('--trusted-root', method.trustedRoot);
  return [...args, ...registryFlags(image), `${image}@${digest}`];
}

/** `cosign verify` of `image@digest` with the identity that signed it. Pure. */
export function verifyArgs(method: SignMethod, image: string, digest: string): string[] {
  return [
    'verify',
    ...identityFlags(method, method.kind === 'key' ? method.publicKeyFile : ''),
    ...registryFlags(image),
    `${image}@${digest}`,
  ];
}

function identityFlags(method: SignMethod, publicKey: string): string[] {
  const args =
    method.kind === 'key'
      ? ['--key', publicKey, ...(method.tlog ? [] : ['--insecure-ignore-tlog=true'])]
      : ['--certificate-identity', method.identity, '--certificate-oidc-issuer', method.issuer];
  if (method.trustedRoot) args.push('--trusted-root', method.trustedRoot);
  return args;
}

/** `cosign public-key` of the private key, written to `out`. Pure. */
export function publicKeyArgs(keyFile: string, out: string): string[] {
  return ['public-key', '--key', keyFile, '--outfile', out];
}

/**
 * The command a user runs to check a signature, shell-quoted; a key is named `cosign.pub`
 * (the public key the summary shows), a trusted root by its base name. Pure.
 */
export function verifyCommand(method: SignMethod, image: string, digest: string): string {
  const shown: SignMethod =
    method.kind === 'key'
      ? { ...method, trustedRoot: baseName(method.trustedRoot) }
      : { ...method, trustedRoot: baseName(method.trustedRoot) };
  const args = [
    'verify',
    ...identityFlags(shown, 'cosign.pub'),
    ...registryFlags(image),
    `${image}@${digest}`,
  ];
  return ['cosign', ...args].map(shellQuote).join(' ');
}

function baseName(path: string): string {
  return path ? path.slice(path.lastIndexOf('/') + 1) : '';
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * The certificate identity of a keyless signature made in this job: the workflow file at its
 * ref as a URL, from the OIDC token's `job_workflow_ref` claim (a reusable workflow's own file
 * and ref) or, without it, GITHUB_WORKFLOW_REF. '' when neither is known. Pure.
 */
export function workflowIdentity(
  serverUrl: string,
  jobWorkflowRef: string | undefined,
  workflowRef: string | undefined,
): string {
  const ref = jobWorkflowRef || workflowRef || '';
  if (!ref) return '';
  return `${(serverUrl || 'https://github.com').replace(/\/+$/, '')}/${ref}`;
}

/** The claims of a JWT (its payload, not checked: cosign and Fulcio check the token). Pure. */
export function tokenClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The version in `cosign version` output (`GitVersion:    v3.0.2`); undefined when it names
 * none (a distribution build says `devel`). Pure.
 */
export function parseCosignVersion(output: string): string | undefined {
  const match = /GitVersion:\s*v?(\d+\.\d+\.\d+\S*)/.exec(output);
  return match?.[1];
}

/**
 * Whether a signing config names a transparency log (`rekorTlogUrls`, cosign 3's field): a
 * key-signed release verified against it must then find its signature in that log. Pure.
 */
export function signingConfigHasTlog(text: string): boolean {
  try {
    const config = JSON.parse(text) as { rekorTlogUrls?: unknown };
    return Array.isArray(config.rekorTlogUrls) && config.rekorTlogUrls.length > 0;
  } catch {
    return false;
  }
}
