/** The chain phase: the bake definition of `files` and `targets`, read by bake itself, as a chain of targets. */
import * as core from '@actions/core';
import { bakeDefinition } from '../docker/bake.js';
import { userDockerConfigDir } from '../docker/config.js';
import type { Inputs } from '../inputs/inputs.js';
import { chainOf, imageOverrides, type BakeDefinition, type Chain } from '../release/chain.js';

/** The chain of `files` and `targets` from bake's own reading of them; undefined without either. */
export async function chainPhase(inputs: Inputs): Promise<Chain | undefined> {
  if (inputs.files.length === 0 && inputs.targets.length === 0) return undefined;
  return core.group('Bake definition', async () => {
    const text = await bakeDefinition(inputs.targets, {
      dockerConfig: userDockerConfigDir(),
      files: inputs.files,
    });
    let definition: BakeDefinition;
    try {
      definition = JSON.parse(text) as BakeDefinition;
    } catch {
      throw new Error(`files: docker buildx bake --print wrote no JSON: ${text.slice(0, 200)}`);
    }
    const chain = chainOf(definition, inputs.targets, imageOverrides(inputs.images));
    for (const target of chain.targets) {
      const from = target.parents.length > 0 ? ` FROM ${target.parents.join(', ')}` : '';
      const to = target.repositories.join(', ') || 'not released (built as a parent only)';
      core.info(`${target.name}${from}: ${to}`);
    }
    return chain;
  });
}
