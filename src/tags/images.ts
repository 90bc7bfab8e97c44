import { splitFields, splitKeyValue } from './csv.js';
import { inputError, type Where } from './errors.js';

// Docker's reference grammar (distribution/reference), for a name without tag or digest.
const DOMAIN_COMPONENT = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-f:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const MAX_NAME_LENGTH = 255;

const EXPECTED =
  '[registry[:port]/]path such as ghcr.io/owner/app, with path parts of letters and digits joined by ".", "_", "__" or "-"';

/**
 * Validates and lower-cases one image name (`ghcr.io/Owner/App` -> `ghcr.io/owner/app`).
 * A tag or digest is refused: tags come from the rules.
 */
export function normaliseImageName(name: string, where: Where): string {
  const lower = name.toLowerCase();
  const last = lower.slice(lower.lastIndexOf('/') + 1);
  if (lower.includes('@') || last.includes(':')) {
    throw inputError(
      where,
      `image name "${name}" has a tag or digest`,
      'a name without :tag or @digest (tags come from the tags input)',
    );
  }
  if (!NAME.test(lower) || lower.length > MAX_NAME_LENGTH) {
    throw inputError(where, `invalid image name "${name}"`, EXPECTED);
  }
  return lower;
}

/**
 * Parses the `images` entries (`ghcr.io/owner/app` or `name=ghcr.io/owner/app,enable=false`)
 * into the enabled, validated, lower-cased, de-duplicated names.
 */
export function parseImages(entries: string[]): string[] {
  const images: string[] = [];
  for (const { name, enable } of imageEntries(entries)) {
    if (enable && !images.includes(name)) images.push(name);
  }
  return images;
}

/** Every `images` entry, enabled or not, validated and lower-cased. */
export function imageEntries(entries: string[]): Array<{ name: string; enable: boolean }> {
  const images: Array<{ name: string; enable: boolean }> = [];
  for (const entry of entries) {
    if (entry.trim() === '') continue;
    const where: Where = { input: 'images', line: entry };
    let name: string | undefined;
    let enable = true;
    for (const field of splitFields(entry, 'images')) {
      const { key, value } = splitKeyValue(field);
      if (key === undefined || key === 'name') {
        if (name !== undefined)
          throw inputError(where, 'more than one image name', 'one name per entry');
        name = value;
      } else if (key === 'enable') {
        if (!/^(true|false)$/i.test(value)) {
          throw inputError(where, `invalid enable "${value}"`, 'enable=true or enable=false');
        }
        enable = /^true$/i.test(value);
      } else {
        throw inputError(
          where,
          `unknown attribute "${key}"`,
          'name=<image> and enable=<true|false>',
        );
      }
    }
    if (name === undefined || name === '') {
      throw inputError(where, 'no image name', 'name=<image> or the bare name');
    }
    // The entry is worth quoting only when it says more than the name.
    const image = normaliseImageName(name, name === entry ? { input: 'images', line: '' } : where);
    images.push({ name: image, enable });
  }
  return images;
}
