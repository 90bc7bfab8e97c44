/**
 * Reuse in a chain: each target's source fingerprint, which covers its parents' (so a change
 * in a parent rebuilds its descendants), and the released images of the same fingerprint.
 */
import * as core from '@actions/core';
import { join } from 'node:path';
import { enginePlatform } from '../docker/test-run.js';
import { computeFingerprint, fingerprintTag } from '../fingerprint/index.js';
import type { Chain, ChainTarget } from '../release/chain.js';
import { parseReference } from '../oci/reference.js';
import type { Step } from '../step.js';
import { errorText } from '../error-text.js';

/** A released target found built from the same source: its digest in its first repository. */
export interface Reused {
  digest: string;
  /** `repository:fp-...`, where it was found. */
  from: string;
}

/**
 * The fingerprint of every target of the chain, parents first; a target whose fingerprint
 * cannot be computed (and its descendants) gets none, and is built.
 */
export async function chainFingerprints(step: Step, chain: Chain): Promise<Map<string, string>> {
  const { plan, credentials, registry, dockerConfig } = step;
  const buildPlatform = await enginePlatform(dockerConfig).catch(
    () => `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  );
  const hashes = new Map<string, string>();
  for (const target of chain.targets) {
    const parents = target.parents.map((p) => hashes.get(p));
    if (parents.some((p) => !p)) continue;
    try {
      const { hash, details } = await computeFingerprint(
        fingerprintInputs(target, hashes, plan.meta.labels),
        {
          buildPlatform,
          workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
          resolveDigest: async (image, tag) => {
            await credentials.prepare([parseReference(image).registry]);
            return registry.manifestDigest(image, tag);
          },
        },
      );
      hashes.set(target.name, hash);
      core.info(
        `${target.name}: fingerprint ${hash} (${details.length} inputs, parents ${target.parents.join(', ') || 'none'})`,
      );
    } catch (error) {
      core.warning(
        `reuse: no source fingerprint for ${target.name} (${errorText(error)}); it and the targets built FROM it are built`,
      );
    }
  }
  return hashes;
}

/** The released targets whose fingerprint tag is in their first repository. */
export async function findReused(
  step: Step,
  chain: Chain,
  hashes: Map<string, string>,
): Promise<Map<string, Reused>> {
  const found = new Map<string, Reused>();
  await Promise.all(
    chain.released.map(async (target) => {
      const hash = hashes.get(target.name);
      if (!hash) return;
      const from = `${target.repositories[0]}:${fingerprintTag(hash)}`;
      try {
        const digest = await step.registry.manifestDigest(
          target.repositories[0],
          fingerprintTag(hash),
        );
        core.info(
          digest ? `reuse: ${from} is ${digest}` : `reuse: no ${from} yet; ${target.name} is built`,
        );
        if (digest) found.set(target.name, { digest, from });
      } catch (error) {
        const reason = errorText(error);
        core.warning(`reuse: could not look up ${from} (${reason}); ${target.name} is built`);
      }
    }),
  );
  return found;
}

/** What a bake target's build uses, as the fingerprint reads it; a parent by its fingerprint. */
function fingerprintInputs(target: ChainTarget, hashes: Map<string, string>, labels: string[]) {
  const { definition } = target;
  const context = definition.context ?? '.';
  const contexts = Object.entries(definition.contexts ?? {}).map(([name, value]) =>
    value.startsWith('target:')
      ? `${name}=target:${value.slice('target:'.length)}@fingerprint:${hashes.get(value.slice('target:'.length))}`
      : `${name}=${value}`,
  );
  return {
    context,
    file: join(context, definition.dockerfile ?? 'Dockerfile'),
    buildArgs: Object.entries(definition.args ?? {}).map(([key, value]) => `${key}=${value ?? ''}`),
    buildContexts: contexts,
    target: definition.target ?? '',
    platforms: definition.platforms ?? [],
    secrets: [],
    secretFiles: [],
    provenance: '',
    sbom: '',
    labels,
    annotations: [],
  };
}
