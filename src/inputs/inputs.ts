import * as core from '@actions/core';
import { isDockerHubOidc } from './dockerhub-oidc.js';
import {
  checkNotMixed,
  isRegistryHost,
  normalizeAuthRegistry,
  type RegistryAuth,
} from './registry-auth-checks.js';
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
import {
  signMode,
  maskKey,
  checkSignKey,
  buildContext,
  parseSecrets,
  splitLines,
  imageList,
  platformList,
  parsePairs,
  dockerfile,
  pushMode,
  buildxVersion,
  artifactName,
  retryCount,
  type PushMode,
} from './values.js';
import type { BuildInputs } from '../docker/buildx-args.js';
import type { BuildSecret } from '../docker/secrets.js';
import type { SignMode } from '../sign/mode.js';
import { parsePromote, type PromoteSource } from './promote.js';
import { parseDuration, parseTestEnv, type TestEnvVar } from '../gate/spec.js';

export type { PushMode };
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

/**
 * Reads and validates the inputs; secrets are masked before anything else reads them. The YAML
 * parser is loaded only for a `registry-auth` that is set (most runs have none).
 */
export async function getInputs(): Promise<Inputs> {
  const registryAuthText = core.getInput('registry-auth');
  // registry-auth masks its passwords as it parses, before it validates anything.
  const registryAuth =
    registryAuthText.trim() === ''
      ? []
      : (await import('./registry-auth.js')).parseRegistryAuth(
          registryAuthText,
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

/** One entry per non-empty line; lines starting with `#` are comments. */
function lines(name: string): string[] {
  return splitLines(core.getInput(name, { trimWhitespace: false }));
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
