// docker/build-push-action's inputs that this action passes to buildx with the same name, syntax
// and meaning. Pure: each function checks one input's entries and says what is expected.

/** One `secret-envs` entry: the secret `id` is read by buildx from the environment variable `env`. */
export interface SecretEnv {
  id: string;
  env: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `add-hosts`: `HOST:IP` (or `HOST=IP`), as `docker build --add-host`. */
export function parseAddHosts(items: string[]): string[] {
  for (const item of items) {
    const at = item.search(/[:=]/);
    if (at <= 0 || at === item.length - 1) {
      throw new Error(
        `add-hosts: "${item}" is not a host mapping; expected HOST:IP such as docker:10.180.0.1, one per line or comma separated`,
      );
    }
  }
  return items;
}

/** `secret-envs`: `ID=ENV_NAME` (the name of an environment variable, not a value). */
export function parseSecretEnvs(items: string[]): SecretEnv[] {
  return items.map((item) => {
    const eq = item.indexOf('=');
    const id = eq > 0 ? item.slice(0, eq).trim() : '';
    const env = eq > 0 ? item.slice(eq + 1).trim() : '';
    if (!id || !ENV_NAME.test(env)) {
      throw new Error(
        `secret-envs: "${item}" is not ID=ENV_NAME; expected a secret id, "=" and the name of an environment variable of the step, such as MY_SECRET=MY_ENV_VAR`,
      );
    }
    return { id, env };
  });
}

const CALL_METHODS = ['build', 'check', 'outline', 'targets', 'subrequests.describe'];

/** `call`: buildx's `--call` method (`check`, `outline`, `targets`, ...), with its options. */
export function parseCall(value: string): string {
  if (value === '') return '';
  const method = value.split(',')[0].trim();
  if (!CALL_METHODS.includes(method)) {
    throw new Error(
      `call: "${value}" is not a build method; expected one of ${CALL_METHODS.join(', ')} (options after a comma, e.g. check,format=json)`,
    );
  }
  return value;
}

/** True when `call` asks buildx to evaluate the build instead of building an image. */
export function evaluatesOnly(call: string): boolean {
  return call !== '' && call.split(',')[0].trim() !== 'build';
}

const NETWORKS = ['default', 'none', 'host'];

export function parseNetwork(value: string): string {
  if (value === '' || NETWORKS.includes(value)) return value;
  throw new Error(
    `network: "${value}" is not a build network mode; expected ${NETWORKS.join(', ')} (host also needs allow: network.host on a docker-container builder)`,
  );
}

export function parseShmSize(value: string): string {
  if (value === '' || /^\d+(\.\d+)?\s*[bkmgBKMG]?[bB]?$/.test(value)) return value;
  throw new Error(
    `shm-size: "${value}" is not a size; expected bytes or a size such as 2g or 512m`,
  );
}

export function parseUlimits(items: string[]): string[] {
  for (const item of items) {
    if (!/^[a-z]+=-?\d+(:-?\d+)?$/.test(item)) {
      throw new Error(
        `ulimit: "${item}" is not a ulimit; expected NAME=SOFT[:HARD] such as nofile=1024:1024, one per line`,
      );
    }
  }
  return items;
}

export function parseSsh(items: string[]): string[] {
  for (const item of items) {
    if (!/^[A-Za-z0-9_.-]+(=.+)?$/.test(item)) {
      throw new Error(
        `ssh: "${item}" is not an SSH agent socket or key; expected default (the runner's agent, SSH_AUTH_SOCK), ID=SOCKET or ID=KEYFILE, one per line`,
      );
    }
  }
  return items;
}

const OUTPUT_TYPES = ['image', 'registry', 'docker', 'oci', 'tar', 'local', 'cacheonly'];

/** A parsed `outputs` entry: the value for `--output`, and warnings about what was changed. */
export interface ParsedOutputs {
  outputs: string[];
  warnings: string[];
}

/**
 * `outputs`: buildx's `--output` entries (`type=oci,dest=image.tar`, `type=local,dest=dir`,
 * `type=image,compression=zstd`, `type=cacheonly`, a bare path for a local export). The image is
 * named by `images` and `tags`, and whether it is pushed is the `push` input's decision (never
 * from a pull request): `name=` on an image output is refused, `type=registry` is an image
 * output, and its `push=` is left to `push`.
 */
export function parseOutputs(items: string[]): ParsedOutputs {
  const warnings: string[] = [];
  const outputs = items.map((item) => {
    const fields = item.split(',').map((f) => f.trim());
    const typeField = fields.find((f) => /^type\s*=/.test(f));
    if (!typeField) {
      if (fields.length === 1 && !fields[0].includes('=')) return item; // a local export to a path
      throw new Error(
        `outputs: "${item}" has no type=; expected type=${OUTPUT_TYPES.join('|')} with its attributes, such as type=oci,dest=image.tar`,
      );
    }
    const type = typeField.slice(typeField.indexOf('=') + 1).trim();
    if (!OUTPUT_TYPES.includes(type)) {
      throw new Error(
        `outputs: unknown type "${type}" in "${item}"; expected one of ${OUTPUT_TYPES.join(', ')}`,
      );
    }
    if (type !== 'image' && type !== 'registry') return item;
    const kept: string[] = [];
    for (const field of fields) {
      const key = field.split('=', 1)[0].trim();
      if (key === 'name') {
        throw new Error(
          `outputs: "${item}" names the image (name=); expected the image names in images and the tags in tags, and only exporter attributes here (compression, oci-mediatypes, rewrite-timestamp, annotation-index.*, ...)`,
        );
      }
      if (key === 'push') {
        warnings.push(
          `outputs: "${field}" in "${item}" is left to the push input, which decides whether the image is pushed (auto: never from a pull request)`,
        );
        continue;
      }
      kept.push(field === typeField ? 'type=image' : field);
    }
    return kept.join(',');
  });
  return { outputs, warnings };
}

/** Whether an output writes files (local, tar): buildx then has no image ID to write. */
export function exportsFiles(outputs: string[]): boolean {
  return outputs.some((output) => {
    const type = /(?:^|,)\s*type\s*=\s*([^,]+)/.exec(output)?.[1]?.trim();
    return type === undefined || type === 'local' || type === 'tar';
  });
}

/** The warnings of `secret-envs` entries whose variable is not set in the step's environment. Pure. */
export function secretEnvWarnings(
  secretEnvs: SecretEnv[],
  env: Record<string, string | undefined>,
): string[] {
  return secretEnvs
    .filter(({ env: name }) => env[name] === undefined)
    .map(
      ({ id, env: name }) =>
        `secret-envs: the environment variable ${name} of secret "${id}" is not set in this step; set it with env: ${name}: \${{ secrets.... }} on the step`,
    );
}

/** The error for `ssh: default` without an SSH agent in the environment, or undefined. Pure. */
export function sshAgentProblem(
  ssh: string[],
  env: Record<string, string | undefined>,
): string | undefined {
  const usesAgent = ssh.some((entry) => !entry.includes('='));
  if (!usesAgent || env.SSH_AUTH_SOCK) return undefined;
  const entry = ssh.find((e) => !e.includes('='));
  return `ssh: "${entry}" uses the runner's SSH agent, but SSH_AUTH_SOCK is not set; start an agent with the key in an earlier step (for example webfactory/ssh-agent), or give the key file: ${entry}=/path/to/key`;
}
