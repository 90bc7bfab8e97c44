// A registry's WWW-Authenticate challenge read, and the token request that answers it (Bearer scope, identity-token grant, https only).
import * as core from '@actions/core';
import type { Credentials } from '../docker/config.js';
import { isLoopback, type ImageReference } from '../oci/reference.js';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header (`Bearer realm="...",service="...",scope="..."` or
 * `Basic realm="..."`). When several challenges are joined in one header, Bearer wins. Pure.
 */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge | undefined {
  if (!header) return undefined;
  const challenges: Challenge[] = [];
  // scheme token, then key=value pairs where a quoted value may hold commas (scope="...:pull,push").
  const token =
    /\s*([A-Za-z][\w-]*)(?!\s*=)(?:\s+|$)|\s*([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/gy;
  let match: RegExpExecArray | null;
  while (token.lastIndex < header.length && (match = token.exec(header)) !== null) {
    if (match[1] !== undefined) {
      challenges.push({ scheme: match[1].toLowerCase(), params: {} });
    } else if (challenges.length > 0) {
      const value = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : (match[4] ?? '');
      challenges[challenges.length - 1].params[match[2].toLowerCase()] = value;
    }
  }
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges[0];
}

/**
 * The request for a token that answers the Bearer `challenge` for `access` to `ref`'s
 * repository: the realm with service and scope, Basic credentials on it, or an identity token
 * exchanged as docker does. Refuses to send credentials to a token service over plain http.
 */
export function tokenRequest(
  ref: ImageReference,
  what: string,
  challenge: Challenge,
  access: 'pull' | 'push',
  credentials: Credentials | undefined,
  basic: string | undefined,
): { url: string; init: RequestInit; host: string } {
  const realm = challenge.params.realm;
  if (!realm)
    throw new Error(`${what}: ${ref.registry} asked for a token without saying where to get it`);
  let tokenUrl: URL;
  try {
    tokenUrl = new URL(realm);
  } catch {
    throw new Error(
      `${what}: ${ref.registry} asked for a token from "${realm}", which is not a URL`,
    );
  }
  // The password goes to a token service only over https (a loopback one aside, as docker does).
  if ((basic || credentials) && tokenUrl.protocol !== 'https:' && !isLoopback(tokenUrl.host)) {
    throw new Error(
      `${what}: ${ref.registry} asked for a token from ${tokenUrl.origin}, over plain http; credentials are sent to a token service only over https`,
    );
  }
  if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
  tokenUrl.searchParams.set(
    'scope',
    `repository:${ref.repository}:${access === 'push' ? 'pull,push' : 'pull'}`,
  );
  core.debug(
    `registry token: ${tokenUrl.origin}${tokenUrl.pathname} for ${tokenUrl.searchParams.get('scope')}`,
  );
  // An identity token (ACR, a credential helper's `<token>` login) is exchanged as docker
  // does: an OAuth2 refresh-token grant POSTed to the realm.
  const identityToken = credentials?.identityToken;
  const init: RequestInit = identityToken
    ? {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: identityToken,
          service: challenge.params.service ?? '',
          scope: tokenUrl.searchParams.get('scope') ?? '',
          client_id: 'build-tag-push',
        }).toString(),
      }
    : { method: 'GET', headers: basic ? { Authorization: basic } : {} };
  return { url: identityToken ? realm : tokenUrl.toString(), init, host: tokenUrl.host };
}
