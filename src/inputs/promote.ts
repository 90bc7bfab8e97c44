/** The `promote` input: the image to release without a build, by digest or by a tag read once. */
import { normaliseImageName } from '../tags/images.js';

/** The image `promote` names: its repository and either a digest or a tag (pinned at the start). */
export interface PromoteSource {
  /** `registry/repository`, lower-cased. */
  image: string;
  /** `sha256:<64 hex>` when the reference has one; the tag is then not read. */
  digest: string;
  /** The tag, when there is no digest. */
  tag: string;
}

const EXPECTED =
  'an image reference with a digest (ghcr.io/acme/app@sha256:<64 hex>) or a tag (ghcr.io/acme/app:1.2.3)';

/** Parses `promote`; undefined when empty. Every error names the input and the value. Pure. */
export function parsePromote(value: string): PromoteSource | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const fail = (problem: string): Error =>
    new Error(`promote: "${text}" ${problem}; expected ${EXPECTED}`);
  if (/\s/.test(text)) throw fail('contains white space');
  let name = text;
  let digest = '';
  let tag = '';
  const at = text.indexOf('@');
  if (at >= 0) {
    digest = text.slice(at + 1);
    name = text.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw fail(`has the digest "${digest}"`);
  }
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    // A tag beside a digest is ignored, as docker does: the digest decides.
    tag = digest ? '' : name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!digest && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
      throw fail(`has the tag "${tag}", which is not a valid tag`);
    }
  }
  if (!digest && !tag) throw fail('has neither a digest nor a tag');
  let image: string;
  try {
    image = normaliseImageName(name, { input: 'promote', line: '' });
  } catch {
    throw fail(`has the image name "${name}", which is not valid`);
  }
  return { image, digest, tag };
}
