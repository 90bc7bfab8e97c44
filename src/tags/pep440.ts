import { clean, explain } from '@renovatebot/pep440';
import type { VersionParts } from './version.js';

/** Reads a PEP 440 version (`1.2`, `1.1beta2`, `v1.2.3rc2`); undefined when it is not one. */
export function parsePep440(raw: string): VersionParts | undefined {
  const info = explain(raw);
  const version = clean(raw);
  if (info === null || version === null) return undefined;
  const [major = 0, minor = 0, patch = 0] = info.release;
  return {
    raw,
    version,
    major: String(major),
    minor: String(minor),
    patch: String(patch),
    // Post releases count as not final too: metadata-action gives them only the full version.
    final: !info.is_prerelease && !info.is_postrelease && !info.is_devrelease,
  };
}
