import clean from 'semver/functions/clean.js';
import parse from 'semver/functions/parse.js';
import type { VersionParts } from './version.js';

/** Reads a SemVer version (`v1.2.3`, `1.2.3-rc.1`); undefined when it is not one. */
export function parseSemver(raw: string): VersionParts | undefined {
  const cleaned = clean(raw);
  const parsed = cleaned === null ? null : parse(cleaned);
  if (parsed === null) return undefined;
  return {
    raw,
    version: parsed.version,
    major: String(parsed.major),
    minor: String(parsed.minor),
    patch: String(parsed.patch),
    final: parsed.prerelease.length === 0,
  };
}
