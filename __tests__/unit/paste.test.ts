// A job built from docker/login-action + docker/metadata-action + docker/build-push-action,
// pasted into this action: every input of build-push-action and login-action, with the values
// of their documented examples, set as the runner sets them (INPUT_*, with action.yml's
// defaults), read by getInputs and turned into the buildx command line the build runs.
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { contextFrom } from '../../src/context/context.js';
import { buildxArgs } from '../../src/docker/buildx-args.js';
import { resolveLogins } from '../../src/inputs/logins.js';
import { writeSecretFiles } from '../../src/docker/secrets.js';
import { getInputs, type Inputs } from '../../src/inputs/inputs.js';
import { makePlan } from '../../src/plan.js';
import { setOutputs } from '../../src/report/outputs.js';

type ActionYml = { inputs: Record<string, { default?: string }> };
const action = parse(
  readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'),
) as ActionYml;
interface DockerActions {
  actions: Record<string, { inputs: string[]; outputs: string[] }>;
  metadataActionEnvironment: string[];
}
const docker = JSON.parse(
  readFileSync(new URL('../fixtures/docker-actions.json', import.meta.url), 'utf8'),
) as DockerActions;

let out: string[] = [];
beforeEach(() => {
  out = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

function setInputs(overrides: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  const all: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) all[name] = spec.default ?? '';
  all['github-token'] = '';
  Object.assign(all, overrides);
  for (const [name, value] of Object.entries(all)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
}

const pushEvent = contextFrom(
  {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '860c1904a1ce19322e91ac35af1ab07466440c37',
    GITHUB_REPOSITORY: 'acme/app',
  },
  {},
  new Date('2024-05-01T12:00:00Z'),
);

const dir = mkdtempSync(join(tmpdir(), 'paste-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `docker` arguments of the build, as main.ts assembles them. */
function argv(inputs: Inputs): string[] {
  const plan = makePlan(inputs, pushEvent, new Date('2024-05-01T12:00:00Z'));
  const secrets = writeSecretFiles(inputs.secrets, inputs.secretFiles, join(dir, 'secrets'));
  return buildxArgs({
    ...inputs,
    labels: [],
    annotations: [],
    tags: plan.meta.tags,
    push: plan.push,
    load: inputs.load,
    secrets,
    metadataFile: '/t/metadata.json',
    iidFile: '/t/iid',
  });
}

/** The flags (with their values) of an argv, without the file options every build has. */
function flags(args: string[], names: string[]): string[] {
  const picked: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].split('=', 1)[0];
    if (!names.includes(name)) continue;
    if (args[i].includes('=') || BOOLEAN.includes(name)) picked.push(args[i]);
    else picked.push(args[i], args[i + 1]);
  }
  return picked;
}

const BOOLEAN = ['--push', '--load', '--no-cache', '--pull'];
// push: false unless a paste sets it, so that each paste shows only its own flags.
const base = { images: 'user/app', push: 'false' };
const secretFile = join(dir, 'secret.txt');
writeFileSync(secretFile, 'from a file');

interface Paste {
  /** The `with:` entries pasted (documented examples of build-push-action and its docs). */
  with: Record<string, string>;
  /** The buildx flags they give. */
  flags?: string[];
  /** Or: the error (naming the input) they give. */
  error?: string;
  /** Or: something else checked on the inputs. */
  check?: (inputs: Inputs) => void;
}

// Every build-push-action input, keyed by its name; the test below checks none is missing.
const buildPush: Record<string, Paste[]> = {
  'add-hosts': [
    {
      with: { 'add-hosts': 'docker:10.180.0.1,db:10.180.0.2' },
      flags: ['--add-host', 'docker:10.180.0.1', '--add-host', 'db:10.180.0.2'],
    },
    { with: { 'add-hosts': 'docker' }, error: 'add-hosts: "docker" is not a host mapping' },
  ],
  allow: [
    {
      with: { allow: 'network.host,security.insecure' },
      flags: ['--allow', 'network.host', '--allow', 'security.insecure'],
    },
  ],
  annotations: [
    {
      with: { annotations: 'index:org.opencontainers.image.description=My multi-arch image' },
      check: (inputs) =>
        expect(inputs.annotations).toEqual([
          'index:org.opencontainers.image.description=My multi-arch image',
        ]),
    },
  ],
  attests: [
    {
      with: { attests: 'type=sbom,generator=image\ntype=provenance,mode=max' },
      flags: ['--attest', 'type=sbom,generator=image', '--attest', 'type=provenance,mode=max'],
    },
    {
      // The provenance input wins over an attests entry of its type, as in build-push-action.
      with: { attests: 'type=provenance,mode=max', provenance: 'false' },
      flags: ['--provenance=false'],
    },
  ],
  'build-args': [
    {
      with: { 'build-args': 'VERSION=1.2.3\nBUILD_DATE=2024-05-01' },
      flags: ['--build-arg', 'VERSION=1.2.3', '--build-arg', 'BUILD_DATE=2024-05-01'],
    },
  ],
  'build-contexts': [
    {
      with: { 'build-contexts': 'alpine=docker-image://alpine:3.21' },
      flags: ['--build-context', 'alpine=docker-image://alpine:3.21'],
    },
  ],
  builder: [{ with: { builder: 'builder-1' }, flags: ['--builder', 'builder-1'] }],
  'cache-from': [
    { with: { 'cache-from': 'type=gha' }, flags: ['--cache-from', 'type=gha'] },
    {
      with: { 'cache-from': 'type=registry,ref=user/app:buildcache' },
      flags: ['--cache-from', 'type=registry,ref=user/app:buildcache'],
    },
  ],
  'cache-to': [
    { with: { 'cache-to': 'type=gha,mode=max' }, flags: ['--cache-to', 'type=gha,mode=max'] },
  ],
  call: [
    {
      with: { call: 'check' },
      flags: ['--call', 'check'],
      check: (inputs) => {
        // Nothing to push: buildx only evaluates the build.
        expect(makePlan(inputs, pushEvent, new Date()).push).toBe(false);
      },
    },
    { with: { call: 'check,format=json' }, flags: ['--call', 'check,format=json'] },
    { with: { call: 'lint' }, error: 'call: "lint" is not a build method' },
  ],
  'cgroup-parent': [
    { with: { 'cgroup-parent': 'ci.slice' }, flags: ['--cgroup-parent', 'ci.slice'] },
  ],
  context: [
    { with: { context: '.' }, check: (inputs) => expect(inputs.context).toBe('.') },
    { with: { context: './app' }, check: (inputs) => expect(inputs.context).toBe('./app') },
    {
      with: { context: '{{defaultContext}}:mysubdir' },
      error:
        'context: "{{defaultContext}}:mysubdir" is build-push-action\'s Git context; this action builds from the workspace that actions/checkout fills: write the path instead ("mysubdir")',
    },
  ],
  file: [{ with: { file: './Dockerfile.prod' }, flags: ['--file', './Dockerfile.prod'] }],
  labels: [
    {
      with: { labels: 'org.opencontainers.image.vendor=Acme' },
      check: (inputs) => expect(inputs.labels).toEqual(['org.opencontainers.image.vendor=Acme']),
    },
  ],
  load: [{ with: { load: 'true', push: 'false' }, flags: ['--load'] }],
  network: [
    { with: { network: 'host' }, flags: ['--network', 'host'] },
    { with: { network: 'bridge0' }, error: 'network: "bridge0" is not a build network mode' },
  ],
  'no-cache': [{ with: { 'no-cache': 'true' }, flags: ['--no-cache'] }],
  'no-cache-filters': [
    {
      with: { 'no-cache-filters': 'install,test' },
      flags: ['--no-cache-filter', 'install', '--no-cache-filter', 'test'],
    },
  ],
  outputs: [
    {
      with: { outputs: 'type=docker,dest=/tmp/myimage.tar' },
      flags: ['--output', 'type=docker,dest=/tmp/myimage.tar', '--iidfile', '/t/iid'],
    },
    {
      with: { outputs: 'type=oci,dest=/tmp/image.tar' },
      flags: ['--output', 'type=oci,dest=/tmp/image.tar', '--iidfile', '/t/iid'],
    },
    {
      // A file export has no image ID: no --iidfile, as build-push-action.
      with: { outputs: 'type=local,dest=out' },
      flags: ['--output', 'type=local,dest=out'],
    },
    { with: { outputs: 'type=tar,dest=out.tar' }, flags: ['--output', 'type=tar,dest=out.tar'] },
    {
      with: { outputs: 'type=cacheonly' },
      flags: ['--output', 'type=cacheonly', '--iidfile', '/t/iid'],
    },
    {
      with: {
        outputs:
          'type=image,compression=zstd,rewrite-timestamp=true,annotation-index.org.opencontainers.image.description=x',
      },
      flags: [
        '--output',
        'type=image,compression=zstd,rewrite-timestamp=true,annotation-index.org.opencontainers.image.description=x',
        '--iidfile',
        '/t/iid',
      ],
    },
    {
      // registry = image with push=true; whether to push is the push input's decision.
      with: { outputs: 'type=registry,oci-mediatypes=true,push=true' },
      flags: ['--output', 'type=image,oci-mediatypes=true', '--iidfile', '/t/iid'],
    },
    {
      with: { outputs: 'type=image,name=user/app:other,push=true' },
      error: 'outputs: "type=image,name=user/app:other,push=true" names the image (name=)',
    },
    { with: { outputs: 'type=s3,bucket=x' }, error: 'outputs: unknown type "s3"' },
  ],
  platforms: [
    {
      with: { platforms: 'linux/amd64,linux/arm64' },
      flags: ['--platform', 'linux/amd64,linux/arm64'],
    },
  ],
  provenance: [
    { with: { provenance: 'mode=max' }, flags: ['--provenance=mode=max'] },
    { with: { provenance: 'false' }, flags: ['--provenance=false'] },
  ],
  pull: [{ with: { pull: 'true' }, flags: ['--pull'] }],
  push: [
    { with: { push: 'true' }, flags: ['--push'] },
    { with: { push: 'false' }, flags: [] },
  ],
  sbom: [{ with: { sbom: 'true' }, flags: ['--sbom=true'] }],
  secrets: [
    {
      with: { secrets: 'GIT_AUTH_TOKEN=ghp_abcdefgh12345678' },
      flags: ['--secret', `id=GIT_AUTH_TOKEN,src=${join(dir, 'secrets', 'secret-0')}`],
    },
    {
      // docs.docker.com's quoted form, and a value with commas and line breaks.
      with: {
        secrets: '"github_token=ghp_abcdefgh12345678"\n"MYSECRET=aaaaaaaa,\nbbbbbbb\nccccccccc"',
      },
      check: (inputs) =>
        expect(inputs.secrets).toEqual([
          { id: 'github_token', value: 'ghp_abcdefgh12345678' },
          { id: 'MYSECRET', value: 'aaaaaaaa,\nbbbbbbb\nccccccccc' },
        ]),
    },
  ],
  'secret-envs': [
    {
      with: { 'secret-envs': 'MY_SECRET=MY_ENV_VAR,OTHER=OTHER_VAR' },
      flags: ['--secret', 'id=MY_SECRET,env=MY_ENV_VAR', '--secret', 'id=OTHER,env=OTHER_VAR'],
    },
    {
      with: { 'secret-envs': 'MY_SECRET' },
      error: 'secret-envs: "MY_SECRET" is not ID=ENV_NAME',
    },
  ],
  'secret-files': [
    {
      with: { 'secret-files': `MY_SECRET=${secretFile}` },
      flags: ['--secret', `id=MY_SECRET,src=${join(dir, 'secrets', 'secret-0')}`],
    },
  ],
  'shm-size': [
    { with: { 'shm-size': '2g' }, flags: ['--shm-size', '2g'] },
    { with: { 'shm-size': 'big' }, error: 'shm-size: "big" is not a size' },
  ],
  ssh: [
    { with: { ssh: 'default' }, flags: ['--ssh', 'default'] },
    {
      with: { ssh: 'default,github=/home/runner/.ssh/id_ed25519' },
      flags: ['--ssh', 'default', '--ssh', 'github=/home/runner/.ssh/id_ed25519'],
    },
  ],
  tags: [
    {
      // The README's usage block: full references of an image of `images`.
      with: { tags: 'user/app:latest' },
      flags: ['--tag', 'user/app:latest'],
    },
    {
      with: { tags: 'user/app:latest,user/app:1.0.0' },
      flags: ['--tag', 'user/app:latest', '--tag', 'user/app:1.0.0'],
    },
    {
      with: { images: 'ghcr.io/acme/app', tags: 'ghcr.io/acme/app:latest\nghcr.io/acme/app:1.0.0' },
      flags: ['--tag', 'ghcr.io/acme/app:latest', '--tag', 'ghcr.io/acme/app:1.0.0'],
    },
    {
      with: { images: 'ghcr.io/acme/app', tags: 'docker.io/acme/app:latest' },
      error:
        'tags: "docker.io/acme/app:latest" is a full image reference (build-push-action\'s tags), and docker.io/acme/app is not among the images (ghcr.io/acme/app); expected a tag rule such as type=raw,value=latest for every image, or docker.io/acme/app added to images',
    },
    {
      with: { images: 'user/app\nghcr.io/user/app', tags: 'user/app:latest' },
      error:
        'tags: "user/app:latest" gives the tag latest to user/app only, but a tag goes to every image of images (user/app, ghcr.io/user/app); expected type=raw,value=latest, or a reference for each image (ghcr.io/user/app:latest)',
    },
  ],
  target: [{ with: { target: 'runtime' }, flags: ['--target', 'runtime'] }],
  ulimit: [
    { with: { ulimit: 'nofile=1024:1024' }, flags: ['--ulimit', 'nofile=1024:1024'] },
    { with: { ulimit: 'nofile' }, error: 'ulimit: "nofile" is not a ulimit' },
  ],
  'github-token': [
    {
      with: { 'github-token': 'ghs_0123456789abcdef' },
      check: (inputs) => expect(inputs.githubToken).toBe('ghs_0123456789abcdef'),
    },
  ],
};

const FLAGS = [
  '--add-host',
  '--allow',
  '--attest',
  '--build-arg',
  '--build-context',
  '--builder',
  '--cache-from',
  '--cache-to',
  '--call',
  '--cgroup-parent',
  '--file',
  '--iidfile',
  '--load',
  '--network',
  '--no-cache',
  '--no-cache-filter',
  '--output',
  '--platform',
  '--provenance',
  '--pull',
  '--push',
  '--sbom',
  '--secret',
  '--shm-size',
  '--ssh',
  '--tag',
  '--target',
  '--ulimit',
];

describe('build-push-action inputs', () => {
  test('every input of build-push-action is pasted below', () => {
    expect(Object.keys(buildPush).sort()).toEqual(
      [...docker.actions['docker/build-push-action'].inputs].sort(),
    );
  });

  test('each exists in action.yml with the same name', () => {
    for (const name of docker.actions['docker/build-push-action'].inputs) {
      expect(Object.keys(action.inputs)).toContain(name);
    }
  });

  const cases = Object.entries(buildPush).flatMap(([name, pastes]) =>
    pastes.map((paste) => [name, JSON.stringify(paste.with), paste] as const),
  );
  test.each(cases)('%s: %s', async (_name, _with, paste) => {
    process.env.MY_ENV_VAR = 'x';
    process.env.OTHER_VAR = 'y';
    setInputs({ ...base, ...paste.with });
    if (paste.error) {
      await expect(getInputs().then(argv)).rejects.toThrow(paste.error);
      return;
    }
    const inputs = await getInputs();
    const args = argv(inputs);
    if (paste.flags) {
      // --iidfile is there unless the build exports files; the --tag list only when tags are pasted.
      const names = FLAGS.filter(
        (f) =>
          (f !== '--iidfile' || Object.hasOwn(paste.with, 'outputs')) &&
          (f !== '--tag' || Object.hasOwn(paste.with, 'tags')),
      );
      expect(flags(args, names)).toEqual(paste.flags);
    }
    paste.check?.(inputs);
  });

  test('a secret value is masked, each line of a multi-line one too, and never in an error', async () => {
    setInputs({ ...base, secrets: '"MYSECRET=first-line,\nsecond-line"\nno-equals-sign-value' });
    await expect(getInputs()).rejects.toThrow(
      'secrets: entry 2 (value hidden) has no ID before "="; expected ID=VALUE',
    );
    const log = out.join('');
    expect(log).toContain('::add-mask::first-line,%0Asecond-line');
    expect(log).toContain('::add-mask::second-line');
    expect(log).toContain('::add-mask::no-equals-sign-value');
  });
});

describe('login-action inputs', () => {
  const login: Record<string, Paste[]> = {
    registry: [{ with: { registry: 'ghcr.io' }, check: (i) => expect(i.registry).toBe('ghcr.io') }],
    username: [
      {
        with: { registry: 'quay.io', username: 'bot', password: 'p4ssw0rd-long' },
        check: (i) =>
          expect(resolveLogins(i, 'actor')).toEqual([
            { registry: 'quay.io', username: 'bot', password: 'p4ssw0rd-long' },
          ]),
      },
    ],
    password: [
      {
        // login-action's default registry: Docker Hub.
        with: { username: 'bot', password: 'p4ssw0rd-long' },
        check: (i) =>
          expect(resolveLogins(i, 'actor')).toEqual([
            { registry: 'docker.io', username: 'bot', password: 'p4ssw0rd-long' },
          ]),
      },
    ],
    'registry-auth': [
      {
        // login-action's README: an entry without registry is Docker Hub.
        with: {
          'registry-auth':
            '- username: hubuser\n  password: hub-token-1\n- registry: ghcr.io\n  username: octo\n  password: ghcr-token-1',
        },
        check: (i) =>
          expect(resolveLogins(i, 'actor')).toEqual([
            { registry: 'docker.io', username: 'hubuser', password: 'hub-token-1' },
            { registry: 'ghcr.io', username: 'octo', password: 'ghcr-token-1' },
          ]),
      },
    ],
    logout: [
      { with: { logout: 'true' }, check: () => {} },
      { with: { logout: 'false' }, check: (i) => expect(i.logout).toBe(false) },
      { with: { logout: 'no' }, error: 'logout: "no" is not a boolean; expected true or false' },
    ],
    ecr: [
      { with: { ecr: 'auto' }, check: () => {} },
      {
        with: { ecr: 'true' },
        error: 'ecr: "true" asks docker/login-action to log in to Amazon ECR',
      },
    ],
    scope: [
      {
        with: { scope: '@push' },
        check: () => expect(out.join('')).toContain('::warning::scope: "@push" is ignored'),
      },
    ],
  };

  test('every input of login-action is pasted below', () => {
    expect(Object.keys(login).sort()).toEqual(
      [...docker.actions['docker/login-action'].inputs].sort(),
    );
  });

  test.each(
    Object.entries(login).flatMap(([name, pastes]) =>
      pastes.map((paste) => [name, JSON.stringify(paste.with), paste] as const),
    ),
  )('%s: %s', async (_name, _with, paste) => {
    setInputs({ ...base, ...paste.with });
    if (paste.error) {
      await expect(getInputs()).rejects.toThrow(paste.error);
      return;
    }
    paste.check?.(await getInputs());
  });
});

describe("metadata-action's environment variables", () => {
  const env = (extra: Record<string, string>) =>
    contextFrom(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/15/merge',
        GITHUB_SHA: 'a9c8c5828b91be19d9728548b24759e352367ef1',
        GITHUB_REPOSITORY: 'acme/app',
        ...extra,
      },
      {
        number: 15,
        pull_request: { number: 15, head: { sha: 'cfa8a8b9e37c0d1e5c0e1c2d3b4a5968778695a4' } },
      },
      new Date('2024-05-01T12:00:00Z'),
    );

  /** The DOCKER_METADATA_OUTPUT_* variables setOutputs writes to GITHUB_ENV. */
  async function exported(extra: Record<string, string>): Promise<Record<string, string>> {
    setInputs({
      images: 'ghcr.io/acme/app',
      tags: 'type=sha\ntype=raw,value=pr,priority=50',
      annotations: 'index:org.example.id=1',
    });
    const inputs = await getInputs();
    const plan = makePlan(inputs, env(extra), new Date('2024-05-01T12:00:00Z'));
    const file = join(dir, `github-env-${Math.random()}`);
    writeFileSync(file, '');
    process.env.GITHUB_ENV = file;
    process.env.RUNNER_TEMP = dir;
    try {
      setOutputs(plan, inputs, undefined);
    } finally {
      delete process.env.GITHUB_ENV;
    }
    // The file command format: NAME<<DELIMITER, the value, DELIMITER.
    const vars: Record<string, string> = {};
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(\w+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) vars[m[1]] = m[3];
    return vars;
  }

  const documented = docker.metadataActionEnvironment;

  test('every documented variable is checked below', () => {
    const checked = [
      'DOCKER_METADATA_ANNOTATIONS_LEVELS',
      'DOCKER_METADATA_OUTPUT_ANNOTATIONS',
      'DOCKER_METADATA_OUTPUT_BAKE_FILE_ANNOTATIONS',
      'DOCKER_METADATA_OUTPUT_BAKE_FILE_LABELS',
      'DOCKER_METADATA_OUTPUT_BAKE_FILE_TAGS',
      'DOCKER_METADATA_OUTPUT_JSON',
      'DOCKER_METADATA_OUTPUT_LABELS',
      'DOCKER_METADATA_OUTPUT_TAGS',
      'DOCKER_METADATA_OUTPUT_VERSION',
      'DOCKER_METADATA_PR_HEAD_SHA',
      'DOCKER_METADATA_SET_OUTPUT_ENV',
      'DOCKER_METADATA_SHORT_SHA_LENGTH',
    ];
    expect(checked).toEqual(documented);
  });

  test('DOCKER_METADATA_OUTPUT_*: every output, annotations with their level, bake files', async () => {
    const vars = await exported({});
    expect(vars.DOCKER_METADATA_OUTPUT_VERSION).toBe('sha-a9c8c58');
    expect(vars.DOCKER_METADATA_OUTPUT_TAGS).toBe(
      'ghcr.io/acme/app:sha-a9c8c58\nghcr.io/acme/app:pr',
    );
    expect(vars.DOCKER_METADATA_OUTPUT_TAG_NAMES).toBe('sha-a9c8c58\npr');
    expect(vars.DOCKER_METADATA_OUTPUT_LABELS).toContain(
      'org.opencontainers.image.revision=a9c8c5828b91be19d9728548b24759e352367ef1',
    );
    const annotations = vars.DOCKER_METADATA_OUTPUT_ANNOTATIONS.split('\n');
    expect(annotations).toContain('manifest:org.opencontainers.image.version=sha-a9c8c58');
    expect(annotations).toContain('index:org.example.id=1');
    expect(JSON.parse(vars.DOCKER_METADATA_OUTPUT_JSON)).toMatchObject({
      tags: ['ghcr.io/acme/app:sha-a9c8c58', 'ghcr.io/acme/app:pr'],
    });
    expect(bakeFile(vars.DOCKER_METADATA_OUTPUT_BAKE_FILE_TAGS)).toEqual({
      target: {
        'docker-metadata-action': {
          tags: ['ghcr.io/acme/app:sha-a9c8c58', 'ghcr.io/acme/app:pr'],
          args: { DOCKER_META_IMAGES: 'ghcr.io/acme/app', DOCKER_META_VERSION: 'sha-a9c8c58' },
        },
      },
    });
    expect(bakeFile(vars.DOCKER_METADATA_OUTPUT_BAKE_FILE_LABELS)).toMatchObject({
      target: {
        'docker-metadata-action': {
          labels: { 'org.opencontainers.image.version': 'sha-a9c8c58' },
        },
      },
    });
    expect(bakeFile(vars.DOCKER_METADATA_OUTPUT_BAKE_FILE_ANNOTATIONS)).toEqual({
      target: { 'docker-metadata-action': { annotations } },
    });
    expect(bakeFile(vars.DOCKER_METADATA_OUTPUT_BAKE_FILE)).toMatchObject({
      target: {
        'docker-metadata-action': { tags: ['ghcr.io/acme/app:sha-a9c8c58', 'ghcr.io/acme/app:pr'] },
      },
    });
  });

  test('DOCKER_METADATA_SET_OUTPUT_ENV=false: none exported', async () => {
    expect(await exported({ DOCKER_METADATA_SET_OUTPUT_ENV: 'false' })).toEqual({});
  });

  test('DOCKER_METADATA_PR_HEAD_SHA=true: the pull request head', async () => {
    expect(
      (await exported({ DOCKER_METADATA_PR_HEAD_SHA: 'true' })).DOCKER_METADATA_OUTPUT_VERSION,
    ).toBe('sha-cfa8a8b');
  });

  test('DOCKER_METADATA_SHORT_SHA_LENGTH=12', async () => {
    expect(
      (await exported({ DOCKER_METADATA_SHORT_SHA_LENGTH: '12' })).DOCKER_METADATA_OUTPUT_VERSION,
    ).toBe('sha-a9c8c5828b91');
    await expect(exported({ DOCKER_METADATA_SHORT_SHA_LENGTH: 'long' })).rejects.toThrow(
      'DOCKER_METADATA_SHORT_SHA_LENGTH: "long" is not a length; expected a whole number such as 7 or 12',
    );
  });

  test('DOCKER_METADATA_ANNOTATIONS_LEVELS=manifest,index: each annotation per level', async () => {
    const vars = await exported({ DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' });
    const annotations = vars.DOCKER_METADATA_OUTPUT_ANNOTATIONS.split('\n');
    expect(annotations).toContain('manifest:org.opencontainers.image.version=sha-a9c8c58');
    expect(annotations).toContain('index:org.opencontainers.image.version=sha-a9c8c58');
    // Written with its own level: kept once, not prefixed again.
    expect(annotations.filter((a) => a.endsWith('org.example.id=1'))).toEqual([
      'index:org.example.id=1',
    ]);
  });
});

function bakeFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

describe('docs/migration.md: "Coming from the docker actions"', () => {
  const section = readFileSync(new URL('../../docs/migration.md', import.meta.url), 'utf8');

  /** The first-column names of the table headed `| <action> | here |`. */
  function rows(name: string): string[] {
    const at = section.search(
      new RegExp(`^\\| ${name.replace(/[./]/g, '\\$&')} +\\| here +\\|`, 'm'),
    );
    if (at < 0) return [];
    const names: string[] = [];
    for (const line of section.slice(at).split('\n').slice(2)) {
      const m = /^\| `([^`]+)` +\|/.exec(line);
      if (!m) break;
      names.push(m[1]);
    }
    return names;
  }

  test.each(Object.keys(docker.actions))('the table of %s has every input, once', (name) => {
    const names = rows(name);
    expect([...names].sort()).toEqual([...docker.actions[name].inputs].sort());
  });

  test('every documented metadata-action variable is named', () => {
    for (const variable of docker.metadataActionEnvironment) {
      const short = variable.replace('DOCKER_METADATA_OUTPUT', '');
      expect(section.includes(variable) || section.includes(`\`${short}\``)).toBe(true);
    }
  });
});
