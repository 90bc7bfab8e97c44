// The tested image pushed as it is: the engine's image uploaded by digest to every repository,
// checked there against what was tested, and only then tagged.
import * as core from '@actions/core';
import { rmSync } from 'node:fs';
import { manifestConfig } from './spec.js';
import type { Tested } from './run.js';
import type { Manifest } from '../oci/manifest.js';
import { parseReference, repositoryOf } from '../oci/reference.js';
import type { RegistryClient } from '../registry/client.js';
import { saveImage, uploadImage } from '../publish/tested-image.js';

/**
 * The `docker` driver: puts the tested image itself, as the engine holds it, in the repository
 * of every ref by digest, with no tag (see stage.ts); checks what each registry then holds
 * against the tested image; only then writes the tags of `refs`, by manifest copy. A check that
 * fails leaves no tag in any registry. Returns the manifest digest.
 */
export async function pushTestedImage(
  tested: Tested,
  refs: string[],
  dockerConfig: string,
  registry: RegistryClient,
  dir: string,
  /** The repositories to put it in; those of `refs` when not given (no refs: by digest only). */
  images: string[] = imagesOf(refs),
): Promise<string> {
  // The saved layout (the whole image, uncompressed) goes whether the upload worked or not.
  const saved = await core
    .group('Push the tested image by digest', async () => {
      const image = await saveImage(tested.result.imageId, dockerConfig, dir);
      if (tested.identity === 'image' && image.digest !== tested.configDigest) {
        throw new Error(
          `the engine saved ${image.digest} for the tested image ${tested.configDigest}: the image to push is not the tested one`,
        );
      }
      const digests = await Promise.all(images.map((i) => uploadImage(image, i, registry)));
      const other = digests.find((d) => d !== image.digest);
      if (other)
        throw new Error(`a registry stored the tested image as ${other}, not ${image.digest}`);
      return image;
    })
    .finally(() => rmSync(dir, { recursive: true, force: true }));
  const manifests = new Map<string, Manifest>();
  await Promise.all(
    images.map(async (image) => {
      await checkConfig(registry, image, saved.digest, tested);
      manifests.set(image, await registry.getManifest(image, saved.digest));
    }),
  );
  for (const ref of refs) {
    const image = repositoryOf(ref);
    await registry.putManifest(image, ref.slice(image.length + 1), manifests.get(image)!);
    core.info(`tagged ${ref}`);
  }
  return saved.digest;
}

/**
 * Fails unless `image@digest` is the tested image: the same manifest (or index) digest when
 * that identifies it (containerd image store), else the tested config digest for the tested
 * platform.
 */
async function checkConfig(
  registry: RegistryClient,
  image: string,
  digest: string,
  tested: Tested,
): Promise<void> {
  if (tested.identity === 'image') {
    const held = await registry.manifestDigest(image, digest);
    if (held !== tested.configDigest) {
      throw new Error(
        `${image}@${digest} is ${held ? `the image ${held}` : 'missing'}, not the tested ${tested.configDigest}: the pushed image is not the tested one`,
      );
    }
    core.info(`${image}@${digest} is the tested image`);
    return;
  }
  let manifest = await registry.getManifest(image, digest);
  let found = manifestConfig(manifest.body, tested.platform);
  if ('manifest' in found) {
    manifest = await registry.getManifest(image, found.manifest);
    found = manifestConfig(manifest.body, tested.platform);
  }
  if (!('config' in found)) throw new Error(`${image}@${digest}: no image config found`);
  if (found.config !== tested.configDigest) {
    throw new Error(
      `${image}@${digest} has the image config ${found.config}, not the tested ${tested.configDigest}: the pushed image is not the tested one`,
    );
  }
  core.info(`${image}@${digest} has the tested image config ${found.config}`);
}

function imagesOf(refs: string[]): string[] {
  const images: string[] = [];
  for (const ref of refs) {
    const image = repositoryOf(ref);
    // Validated here so a bad name fails before anything is pushed.
    parseReference(image);
    if (!images.includes(image)) images.push(image);
  }
  return images;
}
