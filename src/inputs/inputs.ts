import * as core from '@actions/core';
import { invalidNameCharacters, NAME_PLACEHOLDERS, unknownPlaceholders } from '../artifact/name.js';
import { isDockerHubOidc } from './dockerhub-oidc.js';
import {
  checkNotMixed,
  isRegistryHost,
  normalizeAuthRegistry,
  parseRegistryAuth,
  type RegistryAuth,
} from './registry-auth.js';
import {
  parseAddHosts,
  parseCall,
  parseNetwork,
  parseOutputs,
  parseSecretEnvs,
  parseShmSize,
  parseSsh,
  parseUlimits,
} from './buildx.js';
import { listItems } from './lists.js';
import type { BuildInputs } from '../docker/buildx-args.js';
import type { BuildSecret } from '../docker/secrets.js';
import type { SignMode } from '../sign/mode.js';
import { parsePromote, type PromoteSource } from './promote.js';
import { parseDuration, parseTestEnv, type TestEnvVar } from '../gate/spec.js';

export type PushMode = 'auto' | 'true' | 'false';
export type { BuildSecret, SignMode };

/** Every input of action.yml, read and validated once. Defaults live in action.yml. */
export interface Inputs extends BuildInputs {
  images: string[];
  /** bake definition files (`files`): a chain of bake targets is built instead of one image. */
  files: string[];
  /** bake targets or groups (`targets`) of the chain. */
  targets: string[];
  tags: string[];
  flavor: string[];
  tagPattern: string;
  labels: string[];
  annotations: string[];
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  /** metadata-action's bake-target: the target of the DOCKER_METADATA_OUTPUT_BAKE_FILE* definitions. */
  bakeTarget: string;
  registry: string;
  username: string;
  password: string;
  /** Several logins (`registry-auth`); empty when registry, username and password are used. */
  registryAuth: RegistryAuth[];
  secrets: BuildSecret[];
  secretFiles: BuildSecret[];
  push: PushMode;
  load: boolean;
  /** Shell command run in the built image (`sh -c`) before anything is pushed. */
  test: string;
  /** Dockerfile stage built and run (its own CMD) before the image. */
  testTarget: string;
  testEnv: TestEnvVar[];
  /** `test-timeout` as written, for messages. */
  testTimeout: string;
  testTimeoutMs: number;
  /** Tag an image already built from the same source fingerprint instead of building. */
  reuse: boolean;
  /** Move every moving tag to this release, even backwards (an older version or commit). */
  forceMovingTags: boolean;
  /** Re-point immutable tags (`1.2.3`, `sha-...`) that already hold an image of another source. */
  force: boolean;
  /** Run `test` in a reused image (pulled) before it gets the new tags. */
  testOnReuse: boolean;
  /** `promote`: the image released without a build, by digest or a tag read once. */
  promote?: PromoteSource;
  /** `scan`: the command(s) run on the runner on the staged digest before any tag is written. */
  scan: string;
  /** `scan-timeout` as written, for messages. */
  scanTimeout: string;
  scanTimeoutMs: number;
  dryRun: boolean;
  summary: boolean;
  artifactName: string;
  buildxVersion: string;
  buildxMirror: string;
  githubToken: string;
  /** Retries of a transient registry failure (login, push, registry API). */
  retries: number;
  /** `network-timeout` as written, for messages. */
  networkTimeout: string;
  /** Bound of each network operation of the action's own (a login attempt, a registry request, the artifact upload). */
  networkTimeoutMs: number;
  /** `false`: the logins go to the user's Docker config and stay for later steps. */
  logout: boolean;
  /** A multi-platform release's group: this job builds one platform of it, or (with merge) merges it. */
  mergeGroup: string;
  /** The merge step of `mergeGroup`: its platform digests become one index, released. */
  merge: boolean;
  /** Sign the verified digest in every registry (src/sign/): auto, true or false. */
  sign: SignMode;
  /** A cosign private key (PEM text, masked); '' for keyless signing. */
  signKey: string;
  /** Its password (masked); reaches cosign only through COSIGN_PASSWORD. */
  signKeyPassword: string;
  /** Path of a Sigstore signing config (cosign's `--signing-config`): a private Fulcio and Rekor. */
  signingConfig: string;
  /** Path of a Sigstore trusted root (cosign's `--trusted-root`) that verifies such signatures. */
  trustedRoot: string;
  /** Base URL of a mirror of cosign's GitHub releases. */
  cosignMirror: string;
  /** Push a GitHub build provenance attestation (@actions/attest) for the verified digest. */
  attest: boolean;
}

/** Reads and validates the inputs; secrets are masked before anything else reads them. */
export function getInputs(): Inputs {
  // registry-auth masks its passwords as it parses, before it validates anything.
  const registryAuth = parseRegistryAuth(
    core.getInput('registry-auth'),
    (s) => core.setSecret(s),
    // An entry of Docker Hub with no password and DOCKERHUB_OIDC_CONNECTIONID: an OIDC login.
    (registry) => isDockerHubOidc(registry, '', process.env),
  );
  const password = core.getInput('password');
  const githubToken = core.getInput('github-token');
  const secrets = parseSecrets(core.getInput('secrets', { trimWhitespace: false }), (s) =>
    core.setSecret(s),
  );
  const testEnv = parseTestEnv(lines('test-env'));
  const signKey = core.getInput('sign-key');
  const signKeyPassword = core.getInput('sign-key-password', { trimWhitespace: false });
  for (const value of [password, githubToken, signKeyPassword, ...testEnv.map((v) => v.value)]) {
    if (value) core.setSecret(value);
  }
  maskKey(signKey, (s) => core.setSecret(s));
  const secretEnvs = parseSecretEnvs(list('secret-envs'));
  // The values buildx will read are secrets too (usually ${{ secrets.X }}, masked already).
  for (const { env } of secretEnvs) {
    const value = process.env[env];
    if (value) core.setSecret(value);
  }
  checkLoginActionInputs();

  const registry = core.getInput('registry');
  if (registry && !isRegistryHost(normalizeAuthRegistry(registry))) {
    throw new Error(
      `registry: "${registry}" is not a registry host; expected a host such as ghcr.io, docker.io or host:port, without a path`,
    );
  }
  const username = core.getInput('username');
  checkNotMixed(registryAuth, { registry, username, password });

  // Empty plans bare tags, as metadata-action does; the plan fails a push without images.
  const images = imageList(core.getInput('images'));
  const files = list('files');
  const targets = list('targets');

  return {
    images,
    files,
    targets,
    tags: lines('tags'),
    flavor: lines('flavor'),
    tagPattern: core.getInput('tag-pattern'),
    labels: lines('labels'),
    annotations: lines('annotations'),
    sepTags: separator('sep-tags'),
    sepLabels: separator('sep-labels'),
    sepAnnotations: separator('sep-annotations'),
    bakeTarget: core.getInput('bake-target'),
    registry,
    username,
    password,
    registryAuth,
    context: buildContext(core.getInput('context')),
    file: dockerfile(core.getInput('file')),
    buildArgs: lines('build-args'),
    buildContexts: lines('build-contexts'),
    target: core.getInput('target'),
    platforms: platformList(core.getInput('platforms')),
    cacheFrom: lines('cache-from'),
    cacheTo: lines('cache-to'),
    noCache: bool('no-cache'),
    pull: bool('pull'),
    provenance: core.getInput('provenance'),
    sbom: core.getInput('sbom'),
    builder: core.getInput('builder'),
    secrets,
    secretFiles: parsePairs('secret-files', lines('secret-files'), 'ID=PATH'),
    secretEnvs,
    addHosts: parseAddHosts(list('add-hosts')),
    allow: list('allow'),
    attests: lines('attests'),
    call: parseCall(core.getInput('call')),
    cgroupParent: core.getInput('cgroup-parent'),
    network: parseNetwork(core.getInput('network')),
    noCacheFilters: list('no-cache-filters'),
    outputs: outputList(),
    shmSize: parseShmSize(core.getInput('shm-size')),
    ssh: parseSsh(list('ssh')),
    ulimit: parseUlimits(lines('ulimit')),
    push: pushMode(core.getInput('push')),
    load: bool('load'),
    test: core.getInput('test'),
    testTarget: core.getInput('test-target'),
    testEnv,
    testTimeout: core.getInput('test-timeout'),
    testTimeoutMs: parseDuration('test-timeout', core.getInput('test-timeout')),
    reuse: bool('reuse'),
    forceMovingTags: bool('force-moving-tags'),
    force: bool('force'),
    testOnReuse: bool('test-on-reuse'),
    ...releaseGateInputs(images),
    dryRun: bool('dry-run'),
    summary: bool('summary'),
    artifactName: artifactName(core.getInput('artifact-name')),
    buildxVersion: buildxVersion(core.getInput('buildx-version')),
    buildxMirror: core.getInput('buildx-mirror'),
    githubToken,
    retries: retryCount(core.getInput('retries')),
    networkTimeout: core.getInput('network-timeout'),
    networkTimeoutMs: parseDuration('network-timeout', core.getInput('network-timeout')),
    logout: bool('logout'),
    ...mergeInputs(),
    sign: signMode(core.getInput('sign')),
    signKey: checkSignKey(signKey),
    signKeyPassword,
    signingConfig: core.getInput('signing-config'),
    trustedRoot: core.getInput('trusted-root'),
    cosignMirror: core.getInput('cosign-mirror'),
    attest: bool('attest'),
  };
}

/**
 * `promote` and `scan`, and what they cannot go with: a promotion builds nothing, so the
 * build's own routes (reuse, a merge group) and its test gate do not apply.
 */
function releaseGateInputs(
  images: string[],
): Pick<Inputs, 'promote' | 'scan' | 'scanTimeout' | 'scanTimeoutMs'> {
  const promote = parsePromote(core.getInput('promote'));
  if (promote && images.length === 0) {
    throw new Error(
      `promote: "${core.getInput('promote').trim()}" is released into the repositories of images, and images is empty; expected at least one name in images, such as ghcr.io/acme/app`,
    );
  }
  if (promote) {
    const clash = [
      bool('reuse') ? 'reuse: true' : '',
      core.getInput('merge-group') ? 'merge-group' : '',
      bool('merge') ? 'merge: true' : '',
      core.getInput('test') ? 'test' : '',
      core.getInput('test-target') ? 'test-target' : '',
      core.getInput('files') ? 'files' : '',
      core.getInput('targets') ? 'targets' : '',
    ].filter(Boolean);
    if (clash.length > 0) {
      throw new Error(
        `promote: "${core.getInput('promote').trim()}" releases an image without a build, so ${clash.join(', ')} cannot apply; expected promote alone (use scan to check the image before it is tagged), or no promote`,
      );
    }
  }
  const scan = core.getInput('scan').trim();
  if (scan && (core.getInput('files') || core.getInput('targets'))) {
    throw new Error(
      'scan: a chain of bake targets (files, targets) is not scanned by the step yet; expected no scan with files or targets (scan each image in a later step, by the digests of the targets output)',
    );
  }
  return {
    promote,
    scan,
    scanTimeout: core.getInput('scan-timeout'),
    scanTimeoutMs: parseDuration('scan-timeout', core.getInput('scan-timeout')),
  };
}

/**
 * `merge-group` and `merge`. The group names the platform jobs' artifacts, so it keeps to the
 * characters an artifact name and a log line take without quoting.
 */
function mergeInputs(): Pick<Inputs, 'mergeGroup' | 'merge'> {
  const mergeGroup = core.getInput('merge-group');
  const merge = bool('merge');
  if (mergeGroup && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(mergeGroup)) {
    throw new Error(
      `merge-group: "${mergeGroup}" is not a group name; expected up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit (for example "app")`,
    );
  }
  if (merge && !mergeGroup) {
    throw new Error(
      'merge: true needs merge-group: the name the platform jobs were given, whose digests this step merges into one index',
    );
  }
  return { mergeGroup, merge };
}

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

/** build-push-action's `List/CSV` inputs: one entry per line or per comma. */
function list(name: string): string[] {
  return listItems(core.getInput(name));
}

function outputList(): string[] {
  const { outputs, warnings } = parseOutputs(lines('outputs'));
  for (const warning of warnings) core.warning(warning);
  return outputs;
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
 * The inputs of docker/login-action that have no counterpart here, pasted with the login block:
 * an error for what would silently do something else, a warning for what changes nothing.
 */
function checkLoginActionInputs(): void {
  const ecr = core.getInput('ecr').toLowerCase();
  if (ecr === 'true') {
    throw new Error(
      'ecr: "true" asks docker/login-action to log in to Amazon ECR with the AWS SDK, which this action does not do; expected username AWS and password from `aws ecr get-login-password` (or aws-actions/amazon-ecr-login in an earlier step, whose login this action uses)',
    );
  }
  if (ecr !== '' && ecr !== 'auto' && ecr !== 'false') {
    throw new Error(`ecr: "${ecr}" is not auto, true or false`);
  }
  const scope = core.getInput('scope');
  if (scope) {
    core.warning(
      `scope: "${scope}" is ignored: this action logs in to each registry for the whole repository path it pushes to; \`logout: false\` leaves those logins for later steps`,
    );
  }
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

/** One entry per non-empty line; lines starting with `#` are comments. */
function lines(name: string): string[] {
  return splitLines(core.getInput(name, { trimWhitespace: false }));
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

/** core.getBooleanInput rejects typos; its message is reworded to name the value. */
function bool(name: string): boolean {
  try {
    return core.getBooleanInput(name);
  } catch {
    throw new Error(`${name}: "${core.getInput(name)}" is not a boolean; expected true or false`);
  }
}

function separator(name: string): string {
  // Separators are taken as written: trimming would turn "\n" or " " into nothing.
  const value = core.getInput(name, { trimWhitespace: false });
  if (value === '') {
    throw new Error(
      `${name}: empty, which would run the values together; expected a separator such as a newline (the default), "," or " "`,
    );
  }
  return value;
}
