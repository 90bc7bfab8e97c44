// Each input's value checked on its own: pure parsers whose errors name the input, the value
// (never a secret's) and what is expected.
import { invalidNameCharacters, NAME_PLACEHOLDERS, unknownPlaceholders } from '../artifact/name.js';
import { listItems } from './lists.js';
import type { BuildSecret } from '../docker/secrets.js';
import type { SignMode } from '../sign/mode.js';

export type PushMode = 'auto' | 'true' | 'false';

export function signMode(value: string): SignMode {
  const mode = value.trim().toLowerCase();
  if (mode === 'auto' || mode === 'true' || mode === 'false') return mode;
  throw new Error(
    `sign: "${value}" is not a signing mode; expected auto (sign when there is a sign-key, or keyless in a public repository with id-token: write), true or false`,
  );
}

/** Masks a key as a whole and line by line (the log shows a multi-line value line by line). */
export function maskKey(key: string, mask: (secret: string) => void): void {
  if (!key) return;
  mask(key);
  // Not the PEM armour lines: they are the same in every key, and masked they would hide
  // every mention of the key format in the log.
  for (const line of key.split(/\r?\n/)) {
    const text = line.trim();
    if (text.length >= 4 && !text.startsWith('-----')) mask(text);
  }
}

/**
 * `sign-key`: the PEM text of a cosign private key. The value is never shown in an error. Pure.
 */
export function checkSignKey(key: string): string {
  if (!key) return '';
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
    const hint =
      /\.key$|^[./~]/.test(key.trim()) && !key.includes('\n')
        ? ' (it looks like a file path: give the content of the key, for example ${{ secrets.COSIGN_PRIVATE_KEY }})'
        : '';
    throw new Error(
      `sign-key: the value (hidden) is not a cosign private key${hint}; expected the PEM text of cosign.key from \`cosign generate-key-pair\`, starting "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"`,
    );
  }
  return key;
}

/**
 * The build context. build-push-action's `{{defaultContext}}` (its Git context of the commit)
 * has no counterpart: this action builds from the checked-out workspace.
 */
export function buildContext(value: string): string {
  if (value.includes('{{defaultContext}}')) {
    const sub = value.replace(/^\{\{defaultContext\}\}:?/, '');
    throw new Error(
      `context: "${value}" is build-push-action's Git context; this action builds from the workspace that actions/checkout fills: write the path instead (${sub ? `"${sub}"` : '"."'}), after an actions/checkout step`,
    );
  }
  return value || '.';
}

/**
 * `secrets`, read as build-push-action reads them: `ID=VALUE` per line, a value with commas or
 * line breaks double-quoted (`"ID=a,b"`, or over several lines), `""` for a quote. Every value,
 * and each line of a multi-line one, is masked before anything else; errors never quote a value.
 */
export function parseSecrets(text: string, mask: (secret: string) => void): BuildSecret[] {
  const entries = listItems(text, { ignoreComma: true, keepWhitespace: true });
  const secrets = entries.map((entry, index) => {
    const eq = entry.indexOf('=');
    const id = eq > 0 ? entry.slice(0, eq).trim() : '';
    const value = eq > 0 ? entry.slice(eq + 1) : entry;
    if (value !== '') mask(value);
    // The log shows a multi-line value line by line; a line of 1-3 characters would mask too much.
    if (value.includes('\n')) {
      for (const line of value.split(/\r?\n/)) if (line.trim().length >= 4) mask(line);
    }
    return { id, value, index };
  });
  for (const { id, index } of secrets) {
    if (!id) {
      throw new Error(
        `secrets: entry ${index + 1} (value hidden) has no ID before "="; expected ID=VALUE, one per line, a value with commas or line breaks in double quotes ("ID=a,b")`,
      );
    }
  }
  return secrets.map(({ id, value }) => ({ id, value }));
}

export function splitLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Image names come one per line or comma separated; a line with attributes, in
 * metadata-action's `name=...,enable=...` form or `ghcr.io/acme/app,enable=false`, is one image.
 */
export function imageList(value: string): string[] {
  return splitLines(value).flatMap((line) => {
    const parts = line
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    return parts.some((part) => part.includes('=')) ? [line] : parts;
  });
}

const PLATFORM = /^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_.]+)?$/;

export function platformList(value: string): string[] {
  const platforms = splitLines(value.replace(/,/g, '\n'));
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) {
      throw new Error(
        `platforms: "${platform}" is not a platform; expected OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, comma separated`,
      );
    }
  }
  return platforms;
}

/** `NAME=value` lines; the value is never echoed in an error, it may be a secret. */
export function parsePairs(input: string, entries: string[], form: string): BuildSecret[] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const id = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (!id) {
      // A secret's line is never shown: without an ID, all of it may be the value.
      const shown = input === 'secrets' ? '(value hidden)' : `"${entry}"`;
      const problem = eq < 0 ? 'has no "="' : 'has no ID before "="';
      throw new Error(`${input}: entry ${shown} ${problem}; expected ${form}, one per line`);
    }
    return { id, value: entry.slice(eq + 1) };
  });
}

/** The `file` input: a path; `-` (buildx reads the Dockerfile from stdin, which the step has not) is refused. */
export function dockerfile(value: string): string {
  if (value.trim() === '-') {
    throw new Error(
      'file: "-" would make buildx read the Dockerfile from standard input, which a step does not have; expected the path of a Dockerfile, such as ./Dockerfile or docker/app.Dockerfile',
    );
  }
  return value;
}

export function pushMode(value: string): PushMode {
  const mode = value.trim().toLowerCase();
  if (mode === 'auto' || mode === 'true' || mode === 'false') return mode;
  throw new Error(`push: "${value}" is not a push mode; expected auto, true or false`);
}

export function buildxVersion(value: string): string {
  const version = value.trim().replace(/^v/, '');
  if (version === '' || version === 'latest' || /^\d+\.\d+\.\d+$/.test(version)) return version;
  throw new Error(
    `buildx-version: "${value}" is not a buildx release; expected a version such as 0.19.3, or latest`,
  );
}

/** An artifact name the results service takes ('' for no artifact); checked before anything runs. */
export function artifactName(value: string): string {
  const unknown = unknownPlaceholders(value);
  if (unknown.length > 0) {
    throw new Error(
      `artifact-name: "${value}" has the unknown placeholder {{${unknown[0]}}}; expected ${NAME_PLACEHOLDERS.map((n) => `{{${n}}}`).join(' or ')}, or none`,
    );
  }
  const invalid = invalidNameCharacters(value);
  if (invalid.length === 0) return value;
  throw new Error(
    `artifact-name: "${value}" has ${invalid.map((c) => JSON.stringify(c)).join(', ')}, which an artifact name cannot hold; expected a name without " : < > | * ? \\ / or line breaks (image-digest-linux-amd64, for example), or empty for no artifact`,
  );
}

export function retryCount(value: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text) && Number(text) <= 10) return Number(text);
  throw new Error(
    `retries: "${value}" is not a retry count; expected a whole number from 0 (no retries) to 10`,
  );
}
