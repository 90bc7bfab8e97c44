import { exportsFiles, type SecretEnv } from '../inputs/buildx.js';
import type { SecretFile } from './secrets.js';

/** The inputs that go to buildx unchanged (build-push-action's names, parsed as it parses them). */
export interface BuildInputs {
  context: string;
  file: string;
  buildArgs: string[];
  buildContexts: string[];
  target: string;
  platforms: string[];
  cacheFrom: string[];
  cacheTo: string[];
  noCache: boolean;
  pull: boolean;
  provenance: string;
  sbom: string;
  builder: string;
  /** `secret-envs`: secrets buildx reads from the step's environment (`--secret id=X,env=Y`). */
  secretEnvs: SecretEnv[];
  addHosts: string[];
  allow: string[];
  attests: string[];
  /** `--call` method; a method other than `build` evaluates the build and produces no image. */
  call: string;
  cgroupParent: string;
  network: string;
  noCacheFilters: string[];
  /** `--output` entries. */
  outputs: string[];
  shmSize: string;
  ssh: string[];
  ulimit: string[];
}

/** Everything one `docker buildx build` needs. */
export interface BuildxPlan extends BuildInputs {
  /** Image labels (`key=value`), from the tag engine. */
  labels: string[];
  /** Annotations (`[level:]key=value`), from the tag engine. */
  annotations: string[];
  /** Full references (`image:tag`) the build names the image with (and pushes, with `push`). */
  tags: string[];
  push: boolean;
  load: boolean;
  /** Build secrets, already written to files (see writeSecretFiles). */
  secrets: SecretFile[];
  metadataFile: string;
  iidFile: string;
  /**
   * The builder's driver, when known. With the `docker` driver a pushed image is also in the
   * local image store, and dockerd's BuildKit may refuse `--push --load` ("multiple outputs").
   */
  driver?: string;
}

/** The arguments of `docker` for the build (starting with `buildx build`). Pure. */
export function buildxArgs(plan: BuildxPlan): string[] {
  const args = ['buildx', 'build'];
  if (plan.builder) args.push('--builder', plan.builder);
  if (plan.file) args.push('--file', plan.file);
  if (plan.target) args.push('--target', plan.target);
  if (plan.platforms.length > 0) args.push('--platform', plan.platforms.join(','));
  for (const arg of plan.buildArgs) args.push('--build-arg', arg);
  for (const context of plan.buildContexts) args.push('--build-context', context);
  for (const source of plan.cacheFrom) args.push('--cache-from', source);
  for (const dest of plan.cacheTo) args.push('--cache-to', dest);
  if (plan.noCache) args.push('--no-cache');
  for (const stage of plan.noCacheFilters) args.push('--no-cache-filter', stage);
  if (plan.pull) args.push('--pull');
  for (const host of plan.addHosts) args.push('--add-host', host);
  for (const entitlement of plan.allow) args.push('--allow', entitlement);
  if (plan.network) args.push('--network', plan.network);
  if (plan.shmSize) args.push('--shm-size', plan.shmSize);
  for (const limit of plan.ulimit) args.push('--ulimit', limit);
  if (plan.cgroupParent) args.push('--cgroup-parent', plan.cgroupParent);
  for (const ssh of plan.ssh) args.push('--ssh', ssh);
  if (plan.call) args.push('--call', plan.call);
  // `=` form: a value such as "false" or "mode=max" must stay one argument of the flag.
  if (plan.provenance) args.push(`--provenance=${plan.provenance}`);
  if (plan.sbom) args.push(`--sbom=${plan.sbom}`);
  // As build-push-action: the provenance and sbom inputs win over attests of their type.
  for (const attest of plan.attests) {
    const type = /(?:^|,)\s*type\s*=\s*([^,\s]+)/.exec(attest)?.[1];
    if (type === 'provenance' && plan.provenance) continue;
    if (type === 'sbom' && plan.sbom) continue;
    args.push('--attest', attest);
  }
  for (const label of plan.labels) args.push('--label', label);
  for (const annotation of plan.annotations) args.push('--annotation', annotation);
  for (const tag of plan.tags) args.push('--tag', tag);
  for (const secret of plan.secrets) args.push('--secret', `id=${secret.id},src=${secret.src}`);
  // The variable's name only: buildx reads the value from its own environment.
  for (const secret of plan.secretEnvs) args.push('--secret', `id=${secret.id},env=${secret.env}`);
  for (const output of plan.outputs) args.push('--output', output);
  if (plan.push) args.push('--push');
  if (plan.load && !(plan.push && plan.driver === 'docker')) args.push('--load');
  args.push('--metadata-file', plan.metadataFile);
  // A local or tar export has no image ID to write (as build-push-action).
  if (!exportsFiles(plan.outputs)) args.push('--iidfile', plan.iidFile);
  // `--`: a context path starting with `-` is a path, not an option.
  args.push('--', plan.context || '.');
  return args;
}

const SECRET_NAME = /TOKEN|PASSWORD|SECRET|KEY/i;

/** Warnings for build arguments whose name looks like a credential (they end up in the image history). Pure. */
export function buildArgWarnings(buildArgs: string[]): string[] {
  return buildArgs
    .map((arg) => arg.split('=', 1)[0].trim())
    .filter((name) => SECRET_NAME.test(name))
    .map(
      (name) =>
        `build-args: ${name} looks like a credential; build arguments are stored in the image's history and visible to anyone who pulls it. Pass it with secrets (${name}=...) and read it in the Dockerfile with RUN --mount=type=secret,id=${name}`,
    );
}
