// The run's artifacts through @actions/artifact (the results service of GitHub Actions): every
// call bounded by network-timeout, since the client itself waits for ever, and the client
// loaded only when a step uses artifacts (dry runs never load it).
import * as core from '@actions/core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One artifact of the run, as the service lists it. */
export interface RunArtifact {
  id: number;
  name: string;
  /** `sha256:...` of the uploaded archive, when the service gives it. */
  digest?: string;
}

type ArtifactClient = import('@actions/artifact').ArtifactClient;

async function client(): Promise<ArtifactClient> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  return new DefaultArtifactClient();
}

/** `work` bounded by `timeoutMs`: past it, an error that names the service and the wait. */
export async function bounded<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the artifact service at ${process.env.ACTIONS_RESULTS_URL ?? '(ACTIONS_RESULTS_URL unset)'} gave no answer within ${Math.round(timeoutMs / 1000)} s`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every artifact of this workflow run, whichever job or attempt uploaded it. */
export async function listRunArtifacts(timeoutMs: number): Promise<RunArtifact[]> {
  const artifacts = await client();
  const { artifacts: list } = await bounded(artifacts.listArtifacts(), timeoutMs);
  return list.map((a) => ({ id: a.id, name: a.name, digest: a.digest }));
}

/**
 * Uploads `files` (name -> content) as the artifact `name`; returns its ID ('' when the
 * service gives none). The files are written to a directory of their own under `tempRoot`,
 * removed after.
 */
export async function uploadFiles(
  name: string,
  files: Record<string, string>,
  tempRoot: string,
  timeoutMs: number,
): Promise<string> {
  const dir = mkdtempSync(join(tempRoot, 'artifact-'));
  try {
    const paths = Object.entries(files).map(([file, content]) => {
      const path = join(dir, file);
      writeFileSync(path, content);
      return path;
    });
    const artifacts = await client();
    const { id, size } = await bounded(artifacts.uploadArtifact(name, paths, dir), timeoutMs);
    core.info(`uploaded artifact "${name}" (${size ?? '?'} bytes): ID ${id ?? '?'}`);
    return id === undefined ? '' : String(id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Downloads `artifact` into a new directory under `tempRoot` and returns the content of `file`
 * in it. The archive's sha256 is checked against the listed digest when the service gives one.
 */
export async function downloadFile(
  artifact: RunArtifact,
  file: string,
  tempRoot: string,
  timeoutMs: number,
): Promise<string> {
  const dir = mkdtempSync(join(tempRoot, 'download-'));
  try {
    mkdirSync(dir, { recursive: true });
    const artifacts = await client();
    const { digestMismatch } = await bounded(
      artifacts.downloadArtifact(artifact.id, {
        path: dir,
        ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
      }),
      timeoutMs,
    );
    if (digestMismatch) {
      throw new Error(
        `the artifact "${artifact.name}" (ID ${artifact.id}) downloaded with another sha256 than the service lists (${artifact.digest})`,
      );
    }
    try {
      return readFileSync(join(dir, file), 'utf8');
    } catch {
      throw new Error(`the artifact "${artifact.name}" (ID ${artifact.id}) holds no ${file}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deletes the artifact `name` of this run. */
export async function deleteRunArtifact(name: string, timeoutMs: number): Promise<void> {
  const artifacts = await client();
  await bounded(artifacts.deleteArtifact(name), timeoutMs);
}
