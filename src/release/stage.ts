import * as core from '@actions/core';
import type { Manifest } from '../oci/manifest.js';
import { parseReference } from '../oci/reference.js';
import { errorText } from '../error-text.js';

export interface TagRef {
  image: string;
  tag: string;
  moving: boolean;
}

/**
 * One step of a push, in order:
 * - `build`: writes the image under these references (`docker buildx build --push`, the test
 *   gate's push, or a promotion), so every registry gets the same digest;
 * - `verify`: each reference's digest, read back from its registry, must be the built one.
 * The moving tags follow in the release transaction (src/release/).
 */
export type PushStep = { kind: 'build'; refs: TagRef[] } | { kind: 'verify'; refs: TagRef[] };

export function refName(ref: TagRef): string {
  return `${ref.image}:${ref.tag}`;
}

/**
 * Per image: tags verified in the registry, unverified (written or found, digest not checked),
 * unknown (the registry could not be read after a failed build) and not pushed.
 */
export interface ImagePushResult {
  image: string;
  pushed: string[];
  unverified: string[];
  unknown?: string[];
  notPushed: string[];
  /** Moving tags left where they were: moving them would have gone backwards. */
  heldBack?: string[];
  /** Moving tags moved, then put back where they were after a failure (also in notPushed). */
  restored?: string[];
  /** Moving tags moved that could not be put back after a failure. */
  notRestored?: string[];
}

export interface PushReport {
  /** The digest every tag points to (the built one). */
  digest: string;
  images: ImagePushResult[];
}

/** A push that stopped part way; `report` says which tags made it, `reason` why it stopped. */
export class PushError extends Error {
  constructor(
    readonly reason: string,
    readonly report: PushReport,
  ) {
    super(`${reason}\n${describePush(report)}`);
    this.name = 'PushError';
  }
}

export interface PushRunner {
  /** Runs `docker buildx build --push` with these full references; returns the built digest. */
  build(refs: string[]): Promise<string>;
  registry: {
    manifestDigest(image: string, tag: string): Promise<string | undefined>;
    getManifest(image: string, digest: string): Promise<Manifest>;
    putManifest(image: string, tag: string, manifest: Manifest): Promise<string>;
  };
}

type Status = 'pending' | 'pushed' | 'verified' | 'unknown';

/**
 * Runs the steps in order and stops at the first failure, throwing a PushError whose message
 * has the cause and, per image, the tags pushed and not pushed.
 */
export async function runPushSteps(steps: PushStep[], runner: PushRunner): Promise<PushReport> {
  const status = new Map<string, Status>();
  const all = steps.flatMap((s) => (s.kind === 'build' ? s.refs : []));
  for (const ref of all) status.set(refName(ref), 'pending');
  let digest = '';

  const report = (): PushReport => pushReport(all, status, digest);
  let current: PushStep | undefined;
  try {
    for (const step of steps) {
      current = step;
      if (step.kind === 'build') {
        const refs = step.refs.map(refName);
        // Retried, and its refusals explained, where the release is run (src/phases/build-retry.ts).
        digest = await runner.build(refs);
        for (const ref of step.refs) status.set(refName(ref), 'pushed');
        if (!digest) {
          // buildx always reports one when it pushes; without it the first tag's digest is the reference.
          const first = step.refs[0];
          digest = (await runner.registry.manifestDigest(first.image, first.tag)) ?? '';
          if (!digest)
            throw new Error(`${refName(first)} is not in the registry after the build pushed it`);
          core.debug(`buildx reported no digest; using ${digest} of ${refName(first)}`);
        }
      } else {
        // The references of a step are independent: they are read at once, reported in order.
        const found = await Promise.allSettled(
          step.refs.map((ref) => runner.registry.manifestDigest(ref.image, ref.tag)),
        );
        const problems: string[] = [];
        step.refs.forEach((ref, i) => {
          const result = found[i];
          if (result.status === 'fulfilled' && result.value === digest) {
            status.set(refName(ref), 'verified');
            core.info(`verified ${refName(ref)}@${digest}`);
          } else if (result.status === 'fulfilled') {
            problems.push(
              result.value
                ? `${refName(ref)} points to ${result.value}, not to the built ${digest}`
                : `${refName(ref)} is missing`,
            );
          }
        });
        throwFirstRejection(found);
        if (problems.length > 0) throw new Error(`verification failed: ${problems.join('; ')}`);
      }
    }
  } catch (error) {
    if (current?.kind === 'build' && !digest) await afterFailedBuild(current.refs, status, runner);
    throw new PushError(errorText(error), report());
  }
  return report();
}

function throwFirstRejection(results: PromiseSettledResult<unknown>[]): void {
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/**
 * A build that failed while pushing may have pushed some of its tags: those found in the
 * registry (or that cannot be read) are reported as unverified, the missing ones as not pushed.
 */
async function afterFailedBuild(
  refs: TagRef[],
  status: Map<string, Status>,
  runner: PushRunner,
): Promise<void> {
  // A registry that cannot be read once (down, refusing) is not asked again for each tag.
  const unreadable = new Set<string>();
  for (const ref of refs) {
    const registry = registryOf(ref.image);
    if (unreadable.has(registry)) {
      status.set(refName(ref), 'unknown');
      continue;
    }
    try {
      if ((await runner.registry.manifestDigest(ref.image, ref.tag)) !== undefined)
        status.set(refName(ref), 'pushed');
    } catch (error) {
      unreadable.add(registry);
      status.set(refName(ref), 'unknown');
      core.debug(`after the failed build, ${refName(ref)} could not be read: ${String(error)}`);
    }
  }
}

/** The registry of an image name (its first part when it is not one). */
export function registryOf(image: string): string {
  try {
    return parseReference(image).registry;
  } catch {
    return image.split('/')[0];
  }
}

function pushReport(refs: TagRef[], status: Map<string, Status>, digest: string): PushReport {
  const images: ImagePushResult[] = [];
  for (const ref of refs) {
    let entry = images.find((i) => i.image === ref.image);
    if (!entry) {
      entry = { image: ref.image, pushed: [], unverified: [], notPushed: [] };
      images.push(entry);
    }
    const state = status.get(refName(ref));
    let list = entry.notPushed;
    if (state === 'verified') list = entry.pushed;
    else if (state === 'pushed') list = entry.unverified;
    else if (state === 'unknown') list = entry.unknown ??= [];
    if (!list.includes(ref.tag)) list.push(ref.tag);
  }
  return { digest, images };
}

/** One line per image: which tags were pushed and which not. Pure. */
export function describePush(report: PushReport): string {
  return report.images
    .map((i) => {
      const parts = [
        `pushed ${i.pushed.join(', ') || 'nothing'}`,
        ...(i.unverified.length > 0
          ? [`in the registry, not verified ${i.unverified.join(', ')}`]
          : []),
        ...(i.unknown?.length
          ? [`unknown (the registry could not be read) ${i.unknown.join(', ')}`]
          : []),
        ...(i.notPushed.length > 0 ? [`not pushed ${i.notPushed.join(', ')}`] : []),
      ];
      return `${i.image}: ${parts.join('; ')}`;
    })
    .join('\n');
}
