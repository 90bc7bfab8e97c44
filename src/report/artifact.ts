/** The digest record and its upload as a workflow artifact. */
import * as core from '@actions/core';
import type { Context } from '../context/context.js';
import { listRunArtifacts, uploadFiles } from '../artifact/client.js';
import { noArtifactService } from '../artifact/name.js';
import type { Plan } from '../plan.js';

import { labelValue } from './summary.js';
import type { Outcome } from './outcome.js';

/** The content of `image-digest.json`. */
export interface DigestRecord {
  images: string[];
  tags: string[];
  digest: string;
  refs: string[];
  version: string;
  revision: string;
  source: string;
  created: string;
  /** The source fingerprint; '' when none was computed. */
  fingerprint: string;
  /** The merge step of a merge-group: each platform image of the index, as its job pushed it. */
  platforms?: { platform: string; digest: string }[];
  /** A chain of bake targets: each released target's digest and references. */
  targets?: { target: string; digest: string; refs: string[]; reused: boolean }[];
}

/** The record that consumers use to verify what they run. Pure. */
export function digestRecord(plan: Plan, context: Context, outcome: Outcome): DigestRecord {
  return {
    images: plan.meta.images,
    tags: plan.meta.tags,
    digest: outcome.digest,
    refs: outcome.refs,
    version: plan.meta.version,
    revision: context.sha,
    source: context.repository.htmlUrl,
    created: labelValue(plan.meta.labels, 'org.opencontainers.image.created'),
    fingerprint: outcome.fingerprint ?? '',
    ...(outcome.chain
      ? {
          targets: outcome.chain.map((t) => ({
            target: t.target,
            digest: t.digest,
            refs: t.refs,
            reused: t.reused,
          })),
        }
      : {}),
    ...(outcome.merged
      ? {
          platforms: outcome.merged.platforms.map((p) => ({
            platform: p.platform,
            digest: p.digest,
          })),
        }
      : {}),
  };
}

/**
 * Uploads `image-digest.json` and `digest.txt` as a workflow artifact with @actions/artifact and
 * returns its ID. Where there is no artifact service (GitHub Enterprise Server, outside GitHub
 * Actions) it gives one notice and returns ''.
 */
export async function uploadDigestArtifact(
  name: string,
  record: DigestRecord,
  tempRoot: string,
  /** Bound of the whole upload (`network-timeout`); the client itself waits for ever. */
  timeoutMs: number,
): Promise<string> {
  const unavailable = noArtifactService(process.env);
  if (unavailable) {
    core.notice(
      `artifact-name: no artifact "${name}" uploaded: ${unavailable}; the digest is in the step outputs (digest, refs) and the job summary`,
    );
    return '';
  }
  return uploadFiles(
    name,
    {
      'image-digest.json': JSON.stringify(record, null, 2) + '\n',
      'digest.txt': record.digest + '\n',
    },
    tempRoot,
    timeoutMs,
  );
}

/**
 * Whether this workflow run already holds an artifact called `name` (uploaded by another job or
 * an earlier step): checked before the build, so a name that cannot be uploaded fails the step
 * before anything is pushed. False where there is no artifact service.
 */
export async function artifactExists(name: string, timeoutMs: number): Promise<boolean> {
  if (noArtifactService(process.env)) return false;
  const artifacts = await listRunArtifacts(timeoutMs);
  return artifacts.some((artifact) => artifact.name === name);
}
