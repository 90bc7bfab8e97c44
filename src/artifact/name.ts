// Artifact names, checked where the inputs are read (a bad name fails before anything is built)
// and again by the upload.
import { createHash } from 'node:crypto';

/** The characters the results service refuses in an artifact name. */
export const INVALID_NAME_CHARACTERS = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];

/** The characters of an artifact name the service refuses; [] when the name is fine. Pure. */
export function invalidNameCharacters(name: string): string[] {
  return INVALID_NAME_CHARACTERS.filter((c) => name.includes(c));
}

/** The placeholders of `artifact-name`. */
export const NAME_PLACEHOLDERS = ['image', 'job'];

/** The unknown `{{...}}` placeholders of an `artifact-name`; [] when it is fine. Pure. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => !NAME_PLACEHOLDERS.includes(name));
}

export interface NameParts {
  /** The first image, as written in `images` (`ghcr.io/acme/app`). */
  image: string;
  /** GITHUB_JOB: the job's key in the workflow, the same for every job of a matrix. */
  job: string;
  /** The job's backend ID (from ACTIONS_RUNTIME_TOKEN): one per job of the run, matrix jobs included. */
  jobRunId: string;
  /** GITHUB_ACTION: the step's ID, one per step of the job (`__acme_build-tag-push_2`). */
  step: string;
}

/**
 * Expands `{{image}}` (the first image without its tag, `/` and `:` as `-`) and `{{job}}` (the
 * job's key and 8 hex digits of a hash of the job's run ID and the step ID, so the jobs of a
 * matrix and the steps of one job each get their own) in an `artifact-name`. Pure.
 */
export function expandArtifactName(template: string, parts: NameParts): string {
  const image = parts.image
    .replace(/[@].*$/, '')
    .replace(/:[^/]*$/, '')
    .replace(/[/:]/g, '-');
  const hash = createHash('sha256').update(`${parts.jobRunId}\n${parts.step}`).digest('hex');
  const job = `${parts.job || 'job'}-${hash.slice(0, 8)}`;
  return template
    .replace(/\{\{\s*image\s*\}\}/g, image)
    .replace(/\{\{\s*job\s*\}\}/g, job)
    .replace(new RegExp(`[${INVALID_NAME_CHARACTERS.map((c) => `\\${c}`).join('')}]`, 'g'), '-');
}

/**
 * The job's backend ID from the runtime token's `Actions.Results:<run>:<job>` scope (the token
 * is a JWT whose claims are read, not checked); '' when there is none. Pure.
 */
export function jobRunId(runtimeToken: string): string {
  try {
    const claims = JSON.parse(
      Buffer.from(runtimeToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { scp?: unknown };
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    const results = scopes.map((s) => s.split(':')).find((p) => p[0] === 'Actions.Results');
    return results?.[2] ?? '';
  } catch {
    return '';
  }
}

/**
 * Why no digest artifact can be uploaded here, or '' when it can: GitHub Enterprise Server
 * (GITHUB_SERVER_URL other than github.com or a *.ghe.com data-residency host) has no artifact
 * service of this kind; outside GitHub Actions there is no runtime token or results service. Pure.
 */
export function noArtifactService(env: Record<string, string | undefined>): string {
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  let host = '';
  try {
    host = new URL(server).hostname.toLowerCase();
  } catch {
    host = server.toLowerCase();
  }
  if (host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost')) {
    return `GitHub Enterprise Server (${server}) has no artifact service that this action can upload to`;
  }
  if (!env.ACTIONS_RUNTIME_TOKEN)
    return 'ACTIONS_RUNTIME_TOKEN is not set (not running on GitHub Actions)';
  if (!env.ACTIONS_RESULTS_URL)
    return 'ACTIONS_RESULTS_URL is not set (the runner gives no artifact service)';
  return '';
}
