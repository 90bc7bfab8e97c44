import { inputError } from './errors.js';

/**
 * build-push-action's `tags` are full references (`ghcr.io/acme/app:1.2.3`, comma separated or
 * one per line); here `tags` holds rules. A line of references is read with build-push-action's
 * meaning when every reference names an image of `images`: it becomes `type=raw,value=<tag>`.
 * Anything else is an error that says what to write: a reference is never turned into a tag.
 */
export function referenceRules(
  lines: string[],
  images: Array<{ name: string; enable: boolean }>,
): string[] {
  const enabled = images.filter((i) => i.enable).map((i) => i.name);
  const known = new Map(images.map((i) => [canonical(i.name), i.name]));
  const named = new Map<string, { images: Set<string>; line: string; ref: string }>();
  const rules: string[] = [];
  for (const line of lines) {
    if (!isReferenceLine(line)) {
      rules.push(line);
      continue;
    }
    for (const ref of line
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean)) {
      const where = { input: 'tags', line: '' };
      if (ref.includes('@')) {
        throw inputError(
          where,
          `"${ref}" is an image reference by digest, which cannot be a tag`,
          'tag rules such as type=semver,pattern={{version}} or type=raw,value=latest',
        );
      }
      const { name, tag } = splitReference(ref);
      const image = known.get(canonical(name.toLowerCase()));
      if (image === undefined) {
        throw inputError(
          where,
          `"${ref}" is a full image reference (build-push-action's tags), and ${name} is not among the images (${images.map((i) => i.name).join(', ')})`,
          `a tag rule such as type=raw,value=${tag} for every image, or ${name} added to images`,
        );
      }
      const seen = named.get(tag) ?? { images: new Set<string>(), line, ref };
      seen.images.add(image);
      if (!named.has(tag)) {
        named.set(tag, seen);
        rules.push(`type=raw,value=${tag}`);
      }
    }
  }
  for (const [tag, { images: got, ref }] of named) {
    const missing = enabled.filter((image) => !got.has(image));
    if (missing.length > 0) {
      throw inputError(
        { input: 'tags', line: '' },
        `"${ref}" gives the tag ${tag} to ${[...got].join(', ')} only, but a tag goes to every image of images (${enabled.join(', ')})`,
        `type=raw,value=${tag}, or a reference for each image (${missing.map((m) => `${m}:${tag}`).join(', ')})`,
      );
    }
  }
  return rules;
}

/** A line of build-push-action references: no rule syntax, and a `/` or `:` in a field. */
function isReferenceLine(line: string): boolean {
  if (line.includes('{{') || line.includes('=')) return false;
  return line.split(',').some((field) => /[/:@]/.test(field.trim()));
}

function splitReference(ref: string): { name: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref, tag: 'latest' };
}

/** Docker Hub names written several ways (`acme/app`, `docker.io/acme/app`) compare equal. */
function canonical(name: string): string {
  let n = name.replace(/^(index\.)?docker\.io\//, '');
  if (!n.includes('/')) n = `library/${n}`;
  return n.replace(/^library\/(.*\/.*)$/, '$1');
}
