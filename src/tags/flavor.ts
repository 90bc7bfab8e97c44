import { splitFields, splitKeyValue } from './csv.js';
import { inputError, type Where } from './errors.js';

export type LatestMode = 'auto' | 'true' | 'false';

/** The `flavor` input: when to add `latest`, and a prefix/suffix for every tag. */
export interface Flavor {
  latest: LatestMode;
  /** Templates (they may hold global expressions), rendered per run. */
  prefix: string;
  suffix: string;
  /** Whether the prefix / suffix also go on `latest`. */
  prefixLatest: boolean;
  suffixLatest: boolean;
}

const KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];

/** Parses the `flavor` lines (`latest=auto`, `prefix=foo-,onlatest=true`, ...). */
export function parseFlavor(lines: string[]): Flavor {
  const flavor: Flavor = {
    latest: 'auto',
    prefix: '',
    suffix: '',
    prefixLatest: false,
    suffixLatest: false,
  };
  for (const line of lines) {
    const where: Where = { input: 'flavor', line };
    let onlatest: boolean | undefined;
    let hasPrefix = false;
    let hasSuffix = false;
    for (const field of splitFields(line, 'flavor')) {
      const { key, value } = splitKeyValue(field);
      if (key === undefined) {
        throw inputError(where, `"${field}" is not a key=value pair`, 'key=value');
      }
      switch (key) {
        case 'latest':
          if (value !== 'auto' && value !== 'true' && value !== 'false') {
            throw inputError(
              where,
              `invalid latest "${value}"`,
              'latest=auto, latest=true or latest=false',
            );
          }
          flavor.latest = value;
          break;
        case 'prefix':
          flavor.prefix = value;
          hasPrefix = true;
          break;
        case 'suffix':
          flavor.suffix = value;
          hasSuffix = true;
          break;
        case 'onlatest':
          if (value !== 'true' && value !== 'false') {
            throw inputError(
              where,
              `invalid onlatest "${value}"`,
              'onlatest=true or onlatest=false',
            );
          }
          onlatest = value === 'true';
          break;
        default:
          throw inputError(where, `unknown key "${key}"`, `one of ${KEYS.join(', ')}`);
      }
    }
    if (onlatest !== undefined) {
      // onlatest qualifies the prefix or suffix written on the same line.
      if (!hasPrefix && !hasSuffix) {
        throw inputError(
          where,
          'onlatest without a prefix or suffix on the same line',
          'prefix=...,onlatest=true or suffix=...,onlatest=true',
        );
      }
      if (hasPrefix) flavor.prefixLatest = onlatest;
      if (hasSuffix) flavor.suffixLatest = onlatest;
    }
  }
  return flavor;
}
