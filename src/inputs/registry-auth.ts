import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import {
  isRegistryHost,
  normalizeAuthRegistry,
  type RegistryAuth,
} from './registry-auth-checks.js';

// The YAML of `registry-auth`, read only when the input is set (src/inputs/inputs.ts loads this
// file then); its checks that need no parser are in registry-auth-checks.ts.
export {
  checkNotMixed,
  isRegistryHost,
  normalizeAuthRegistry,
  type RegistryAuth,
} from './registry-auth-checks.js';

const KEYS = ['registry', 'username', 'password'] as const;
const EXPECTED = 'a YAML list of logins, each with registry, username and password keys';
const EXAMPLE = '"- registry: ghcr.io" then "  username: ..." and "  password: ..." lines';

/**
 * Parses the `registry-auth` input. Every password found is handed to `mask` first, before the
 * text is validated, so that even an entry refused below never shows its password. Errors name
 * `registry-auth`, the entry (1-based) and what is expected; they never quote a value other than
 * a registry. Scalars are read as strings (YAML's failsafe schema): a password such as `0123` or
 * `true` stays what was written. An entry whose `oidcLogin(registry)` is true may leave its
 * password empty (Docker Hub's OIDC login, src/inputs/dockerhub-oidc.ts).
 */
export function parseRegistryAuth(
  text: string,
  mask: (secret: string) => void,
  oidcLogin: (registry: string) => boolean = () => false,
): RegistryAuth[] {
  if (text.trim() === '') return [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    schema: 'failsafe',
    prettyErrors: false,
    uniqueKeys: true,
    lineCounter,
  });
  maskPasswords(doc.contents, mask);

  const [syntax] = doc.errors;
  if (syntax) {
    // What the parser could not read may still hold passwords: mask what follows `password:`.
    for (const match of text.matchAll(/\bpassword\s*:[ \t]*(.*)$/gm)) {
      const rest = match[1].trim();
      const token = /^["']?([^"',}\]\s]+)/.exec(rest)?.[1] ?? '';
      for (const value of new Set([rest, token])) if (value.length >= 3) mask(value);
    }
    // The parser's own message quotes the source, which may hold a password: only the position.
    const at = lineCounter.linePos(syntax.pos[0]);
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    const what = syntax.code === 'DUPLICATE_KEY' ? 'a key given twice' : 'invalid YAML';
    throw new Error(`registry-auth: ${what}${where}; expected ${EXPECTED}: ${EXAMPLE}`);
  }
  const root = doc.contents;
  if (!isSeq(root)) {
    throw new Error(`registry-auth: not a list; expected ${EXPECTED}: ${EXAMPLE}`);
  }

  const logins: RegistryAuth[] = [];
  root.items.forEach((item, index) => {
    const entry = `registry-auth: entry ${index + 1}`;
    if (!isMap(item)) {
      throw new Error(`${entry} is not a mapping; expected registry, username and password keys`);
    }
    const values: Partial<Record<(typeof KEYS)[number], string>> = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!(KEYS as readonly string[]).includes(key)) {
        const shown = key && /^[\w-]{1,40}$/.test(key) ? `"${key}"` : '(not a plain name)';
        throw new Error(
          `${entry} has an unknown key ${shown}; expected registry, username and password`,
        );
      }
      const name = key as (typeof KEYS)[number];
      if (pair.value !== null && !isScalar(pair.value)) {
        throw new Error(`${entry}: ${name} is not a single value; expected a string`);
      }
      values[name] = isScalar(pair.value) ? scalarText(pair.value.value).trim() : '';
    }

    // No registry is Docker Hub, as in docker/login-action's registry-auth.
    const registry = normalizeAuthRegistry(values.registry ?? '') || 'docker.io';
    if (!isRegistryHost(registry)) {
      throw new Error(
        `${entry}: registry "${registry}" is not a registry host; expected a host such as ghcr.io, docker.io or host:port, without a path`,
      );
    }
    const username = values.username ?? '';
    const password = values.password ?? '';
    // ghcr.io defaults to the workflow actor and github-token, as the registry input does.
    if (registry !== 'ghcr.io') {
      for (const [name, value] of [
        ['username', username],
        ['password', password],
      ] as const) {
        if (!value && !(name === 'password' && oidcLogin(registry))) {
          throw new Error(
            `${entry} (${registry}) has no ${name}; expected registry, username and password (only ghcr.io defaults them to the actor and github-token)`,
          );
        }
      }
    }
    const earlier = logins.findIndex((l) => l.registry === registry);
    if (earlier >= 0) {
      throw new Error(
        `${entry} repeats registry ${registry} (entry ${earlier + 1}); give each registry once`,
      );
    }
    logins.push({ registry, username, password });
  });
  if (logins.length === 0) {
    throw new Error(`registry-auth: the list is empty; expected ${EXPECTED}, or no registry-auth`);
  }
  return logins;
}

/** Masks every scalar under a `password` key, wherever it is, before anything is validated. */
function maskPasswords(node: unknown, mask: (secret: string) => void): void {
  if (isSeq(node)) {
    for (const item of node.items) maskPasswords(item, mask);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'password' && isScalar(pair.value)) {
        const secret = scalarText(pair.value.value);
        if (secret.trim()) mask(secret.trim());
        // The runner masks line by line: a multi-line value is masked per line too.
        for (const line of secret.split('\n')) if (line.trim()) mask(line.trim());
      } else {
        maskPasswords(pair.value, mask);
      }
    }
  }
}

/** A scalar's value as text; the failsafe schema gives strings, null for an empty value. */
function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
