/** A release version split into the parts a semver/pep440 pattern can use. */
export interface VersionParts {
  /** The text the version was read from (the git tag, or what `match`/tag-pattern kept of it). */
  raw: string;
  /** The normalised full version: `1.2.3`, `2.0.8-beta.67`, `1.1b2`. */
  version: string;
  major: string;
  minor: string;
  patch: string;
  /** False for pre-releases (and for PEP 440 dev and post releases). */
  final: boolean;
}
