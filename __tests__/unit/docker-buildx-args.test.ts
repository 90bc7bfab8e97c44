import { buildArgWarnings, buildxArgs, type BuildxPlan } from '../../src/docker/buildx-args.js';
import { buildxPlan } from '../fixtures/buildx-plan.js';

const base: BuildxPlan = buildxPlan('.', {
  metadataFile: '/tmp/t/metadata.json',
  iidFile: '/tmp/t/iid',
});

// `--` ends the options: the context is always a path, even one starting with `-`.
const tail = ['--metadata-file', '/tmp/t/metadata.json', '--iidfile', '/tmp/t/iid', '--'];

describe('buildxArgs', () => {
  test('the minimum: context, metadata file and iidfile', () => {
    expect(buildxArgs(base)).toEqual(['buildx', 'build', ...tail, '.']);
  });

  test.each<[string, Partial<BuildxPlan>, string[]]>([
    ['context', { context: 'app' }, [...tail, 'app']],
    ['a context starting with - stays a path', { context: '-app' }, [...tail, '-app']],
    ['empty context is .', { context: '' }, [...tail, '.']],
    [
      'file',
      { file: 'docker/Dockerfile.prod' },
      ['--file', 'docker/Dockerfile.prod', ...tail, '.'],
    ],
    ['target', { target: 'runtime' }, ['--target', 'runtime', ...tail, '.']],
    ['builder', { builder: 'remote1' }, ['--builder', 'remote1', ...tail, '.']],
    [
      'platforms joined',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      ['--platform', 'linux/amd64,linux/arm64', ...tail, '.'],
    ],
    [
      'build-args, one flag each',
      { buildArgs: ['A=1', 'B=two words'] },
      ['--build-arg', 'A=1', '--build-arg', 'B=two words', ...tail, '.'],
    ],
    [
      'build-contexts',
      { buildContexts: ['base=docker-image://alpine', 'src=../src'] },
      [
        '--build-context',
        'base=docker-image://alpine',
        '--build-context',
        'src=../src',
        ...tail,
        '.',
      ],
    ],
    [
      'cache-from and cache-to',
      { cacheFrom: ['type=registry,ref=r/app:cache'], cacheTo: ['type=inline'] },
      ['--cache-from', 'type=registry,ref=r/app:cache', '--cache-to', 'type=inline', ...tail, '.'],
    ],
    ['no-cache', { noCache: true }, ['--no-cache', ...tail, '.']],
    ['pull', { pull: true }, ['--pull', ...tail, '.']],
    ['provenance false', { provenance: 'false' }, ['--provenance=false', ...tail, '.']],
    ['provenance mode=max', { provenance: 'mode=max' }, ['--provenance=mode=max', ...tail, '.']],
    ['sbom', { sbom: 'true' }, ['--sbom=true', ...tail, '.']],
    [
      'labels',
      { labels: ['org.opencontainers.image.version=1.2.3', 'team=x y'] },
      ['--label', 'org.opencontainers.image.version=1.2.3', '--label', 'team=x y', ...tail, '.'],
    ],
    [
      'annotations',
      { annotations: ['manifest:org.opencontainers.image.version=1.2.3'] },
      ['--annotation', 'manifest:org.opencontainers.image.version=1.2.3', ...tail, '.'],
    ],
    [
      'tags',
      { tags: ['ghcr.io/a/app:1.2.3', 'ghcr.io/a/app:sha-abc1234'] },
      ['--tag', 'ghcr.io/a/app:1.2.3', '--tag', 'ghcr.io/a/app:sha-abc1234', ...tail, '.'],
    ],
    [
      'secrets only as id and file',
      { secrets: [{ id: 'npm', src: '/tmp/s/secret-0' }] },
      ['--secret', 'id=npm,src=/tmp/s/secret-0', ...tail, '.'],
    ],
    ['push', { push: true }, ['--push', ...tail, '.']],
    ['load', { load: true }, ['--load', ...tail, '.']],
    [
      'push and load on a container builder',
      { push: true, load: true, driver: 'docker-container' },
      ['--push', '--load', ...tail, '.'],
    ],
    [
      'push and load, driver unknown',
      { push: true, load: true },
      ['--push', '--load', ...tail, '.'],
    ],
    // dockerd's BuildKit refuses two outputs, and its pushed image is in the image store anyway.
    [
      'push and load on the docker driver',
      { push: true, load: true, driver: 'docker' },
      ['--push', ...tail, '.'],
    ],
    ['load on the docker driver', { load: true, driver: 'docker' }, ['--load', ...tail, '.']],
  ])('%s', (_name, change, expected) => {
    expect(buildxArgs({ ...base, ...change })).toEqual(['buildx', 'build', ...expected]);
  });

  test('everything at once keeps a stable order', () => {
    const args = buildxArgs({
      ...base,
      builder: 'b',
      file: 'Dockerfile',
      target: 't',
      platforms: ['linux/amd64'],
      buildArgs: ['A=1'],
      buildContexts: ['c=d'],
      cacheFrom: ['type=gha'],
      cacheTo: ['type=gha,mode=max'],
      noCache: true,
      pull: true,
      provenance: 'false',
      sbom: 'false',
      labels: ['l=1'],
      annotations: ['a=1'],
      tags: ['r/i:1'],
      secrets: [{ id: 's', src: '/f' }],
      push: true,
      context: 'ctx',
    });
    expect(args.join(' ')).toBe(
      'buildx build --builder b --file Dockerfile --target t --platform linux/amd64 --build-arg A=1 ' +
        '--build-context c=d --cache-from type=gha --cache-to type=gha,mode=max --no-cache --pull ' +
        '--provenance=false --sbom=false --label l=1 --annotation a=1 --tag r/i:1 --secret id=s,src=/f ' +
        '--push --metadata-file /tmp/t/metadata.json --iidfile /tmp/t/iid -- ctx',
    );
  });

  test('no secret value, env= or src outside the given files', () => {
    const args = buildxArgs({ ...base, secrets: [{ id: 'token', src: '/tmp/a/secret-0' }] });
    expect(args.filter((a) => a.includes('env='))).toEqual([]);
    expect(args[args.indexOf('--secret') + 1]).toBe('id=token,src=/tmp/a/secret-0');
  });
});

describe('buildArgWarnings', () => {
  test.each([
    [['GITHUB_TOKEN=abc'], ['GITHUB_TOKEN']],
    [['db_password=x'], ['db_password']],
    [['MY_SECRET'], ['MY_SECRET']],
    [['API_KEY=1', 'VERSION=2'], ['API_KEY']],
    [['VERSION=1.2.3', 'NODE_ENV=production'], []],
  ])('%j warns about %j', (args, names) => {
    const warnings = buildArgWarnings(args);
    expect(warnings).toHaveLength(names.length);
    names.forEach((name, i) => {
      expect(warnings[i]).toContain(`build-args: ${name} `);
      expect(warnings[i]).toContain('secrets');
    });
  });

  test('the warning never repeats the value', () => {
    expect(buildArgWarnings(['GITHUB_TOKEN=ghp_supersecret'])[0]).not.toContain('ghp_supersecret');
  });
});
