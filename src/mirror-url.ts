// The base URL of a release mirror (buildx-mirror, cosign-mirror): https only, since the binary
// and the checksums it is checked against come from the same place; plain http only to this
// machine (a mirror served on the loopback interface), where no one on the path can change both.

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `raw` (or `fallback` when empty) as a base URL ending in `/`; an error naming `input`, the
 * value and the form expected when it is not https (or http to a loopback address). Pure.
 */
export function mirrorBase(input: string, raw: string, fallback: string, layout: string): URL {
  const value = raw.trim() || fallback;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const expected = `expected the https base URL of a mirror laid out like ${fallback} (${layout})`;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(`${input}: "${value}" is not an https URL; ${expected}`);
  }
  // Names under .localhost are loopback names (RFC 6761).
  if (
    url.protocol === 'http:' &&
    !LOOPBACK.has(url.hostname) &&
    !url.hostname.endsWith('.localhost')
  ) {
    throw new Error(
      `${input}: "${value}" is plain http, where anyone on the path can replace both the binary and its checksum; ${expected}`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
