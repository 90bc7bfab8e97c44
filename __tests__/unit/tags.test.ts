import { contextFrom, type Context, type Payload } from '../../src/context/context.js';
import {
  computeMeta,
  DEFAULT_TAG_RULES,
  METADATA_ACTION_DEFAULT_TAG_RULES,
  resolveNow,
  type TagInputs,
} from '../../src/tags/index.js';

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const NOW = new Date('2018-09-23T08:23:16Z');
const COMMIT_DATE = '2018-09-22T23:59:58Z';
const REPOSITORY = {
  name: 'app',
  full_name: 'acme/app',
  description: 'The app',
  html_url: 'https://github.com/acme/app',
  default_branch: 'main',
  license: { spdx_id: 'MIT' },
};

/** A context as the runner gives it: `event` + `ref`, repository data in the payload. */
function ctx(
  event: string,
  ref: string,
  payload: Payload = {},
  env: Record<string, string> = {},
): Context {
  return contextFrom(
    {
      GITHUB_EVENT_NAME: event,
      GITHUB_REF: ref,
      GITHUB_SHA: SHA,
      GITHUB_RUN_NUMBER: '42',
      ...env,
    },
    { head_commit: { timestamp: COMMIT_DATE }, repository: REPOSITORY, ...payload },
    NOW,
  );
}

const PR_PAYLOAD: Payload = {
  number: 42,
  pull_request: {
    number: 42,
    head: { sha: 'aaaaaaa1111111', ref: 'feature', repo: { full_name: 'acme/app' } },
    base: { ref: 'main', repo: { full_name: 'acme/app' } },
  },
};

function meta(context: Context, over: Partial<TagInputs> = {}) {
  return computeMeta(
    {
      images: ['ghcr.io/acme/app'],
      tags: DEFAULT_TAG_RULES,
      flavor: [],
      labels: [],
      annotations: [],
      tagPattern: '',
      ...over,
    },
    context,
    NOW,
  );
}

describe('default rules (DESIGN.md) by ref', () => {
  test.each<[string, string, string, Payload, string[], string]>([
    // seed case
    [
      'git tag v2.1.1',
      'push',
      'refs/tags/v2.1.1',
      {},
      ['2.1.1', '2.1', '2', 'sha-860c190', 'latest'],
      '2.1.1',
    ],
    [
      'pre-release tag',
      'push',
      'refs/tags/v1.2.3-rc.1',
      {},
      ['1.2.3-rc.1', 'sha-860c190'],
      '1.2.3-rc.1',
    ],
    // "1.2" is not SemVer: the semver rules give nothing, as in metadata-action (use type=pep440).
    ['two-part tag', 'push', 'refs/tags/1.2', {}, ['sha-860c190'], 'sha-860c190'],
    ['non-version tag', 'push', 'refs/tags/nightly-build', {}, ['sha-860c190'], 'sha-860c190'],
    ['push to main', 'push', 'refs/heads/main', {}, ['main', 'sha-860c190'], 'main'],
    [
      'branch with slash, capitals and #',
      'push',
      'refs/heads/feature/Foo_Bar#1',
      {},
      ['feature-Foo_Bar-1', 'sha-860c190'],
      'feature-Foo_Bar-1',
    ],
    [
      'pull request',
      'pull_request',
      'refs/pull/42/merge',
      PR_PAYLOAD,
      ['pr-42', 'sha-860c190'],
      'pr-42',
    ],
    ['schedule', 'schedule', 'refs/heads/main', {}, ['main', 'sha-860c190'], 'main'],
    [
      'workflow_dispatch',
      'workflow_dispatch',
      'refs/heads/release/2.x',
      {},
      ['release-2.x', 'sha-860c190'],
      'release-2.x',
    ],
    ['no ref at all', '', '', {}, ['sha-860c190'], 'sha-860c190'],
  ])('%s', (_name, event, ref, payload, tagNames, version) => {
    const m = meta(ctx(event, ref, payload));
    expect(m.tagNames).toEqual(tagNames);
    expect(m.version).toBe(version);
    expect(m.tags).toEqual(tagNames.map((t) => `ghcr.io/acme/app:${t}`));
  });

  test('pull_request_target builds the PR, with its head sha when DOCKER_METADATA_PR_HEAD_SHA is set', () => {
    const m = meta(
      ctx('pull_request_target', 'refs/heads/main', PR_PAYLOAD, {
        DOCKER_METADATA_PR_HEAD_SHA: 'true',
      }),
    );
    expect(m.tagNames).toEqual(['pr-42', 'sha-aaaaaaa']);
  });
});

describe('tag-pattern', () => {
  const rules = { tags: DEFAULT_TAG_RULES, tagPattern: '^app-v(\\d+\\.\\d+\\.\\d+)$' };
  test.each<[string, string, string[]]>([
    [
      'refs/tags/app-v1.0.0',
      '^app-v(\\d+\\.\\d+\\.\\d+)$',
      ['1.0.0', '1.0', '1', 'sha-860c190', 'latest'],
    ],
    [
      'refs/tags/app-v1.0.0',
      '^app-v(?<version>\\d+\\.\\d+\\.\\d+)$',
      ['1.0.0', '1.0', '1', 'sha-860c190', 'latest'],
    ],
    // whole match when the pattern has no group
    ['refs/tags/v3.0.1', '^v\\d+\\.\\d+\\.\\d+$', ['3.0.1', '3.0', '3', 'sha-860c190', 'latest']],
    // a named group wins over an earlier unnamed one
    [
      'refs/tags/svc-a-2.0.0',
      '^(svc-a)-(?<version>.+)$',
      ['2.0.0', '2.0', '2', 'sha-860c190', 'latest'],
    ],
    // not a release of this component: no semver tags, no latest
    ['refs/tags/web-v1.0.0', '^app-v(\\d+\\.\\d+\\.\\d+)$', ['sha-860c190']],
    ['refs/tags/app-v1.0.0-rc.1', '^app-v(.+)$', ['1.0.0-rc.1', 'sha-860c190']],
  ])('%s with %s', (ref, tagPattern, tagNames) => {
    expect(meta(ctx('push', ref), { ...rules, tagPattern }).tagNames).toEqual(tagNames);
  });

  test('without tag-pattern, app-v1.0.0 is no SemVer tag', () => {
    expect(meta(ctx('push', 'refs/tags/app-v1.0.0')).tagNames).toEqual(['sha-860c190']);
  });

  test('a git tag outside tag-pattern gets no latest from type=ref,event=tag or type=match', () => {
    const m = meta(ctx('push', 'refs/tags/web-v1.0.0'), {
      tags: ['type=ref,event=tag', 'type=match,pattern=\\d+\\.\\d+\\.\\d+'],
      tagPattern: '^app-v',
    });
    expect(m.tagNames).toEqual(['1.0.0', 'web-v1.0.0']);
  });

  test('tag-pattern leaves value= alone', () => {
    const m = meta(ctx('push', 'refs/heads/main'), {
      tags: ['type=semver,pattern={{version}},value=v4.5.6'],
      tagPattern: '^app-v(.+)$',
    });
    expect(m.tagNames).toEqual(['4.5.6', 'latest']);
  });
});

describe('semver and pep440 patterns', () => {
  test.each<[string, string, string[]]>([
    ['refs/tags/v1.2.3', 'type=semver,pattern={{raw}}', ['v1.2.3', 'latest']],
    ['refs/tags/v1.2.3', 'type=semver,pattern=v{{major}}', ['v1', 'latest']],
    ['refs/tags/v1.2.3', 'type=semver,pattern={{minor}}', ['2', 'latest']],
    ['refs/tags/v1.2.3', 'type=semver,pattern={{patch}}', ['3', 'latest']],
    ['refs/tags/v1.2.3', 'type=semver,pattern=', []],
    ['refs/tags/v1.2.3', 'type=semver', ['1.2.3', 'latest']],
    ['refs/tags/v1.2.3', 'type=semver,pattern={{version}}-{{sha}}', ['1.2.3-860c190', 'latest']],
    ['refs/tags/v2.0.8-beta.67', 'type=semver,pattern={{major}}.{{minor}}', ['2.0.8-beta.67']],
    ['refs/tags/v2.0.8-beta.67', 'type=semver,pattern=v{{version}}', ['v2.0.8-beta.67']],
    ['refs/tags/v2.0.8-beta.67', 'type=semver,pattern={{raw}}', ['v2.0.8-beta.67']],
    ['refs/tags/v1.2.3+build.5', 'type=semver,pattern={{version}}', ['1.2.3', 'latest']],
    [
      'refs/tags/p1/v1.0.0',
      'type=semver,pattern={{version}},match=v(\\d.\\d.\\d)$',
      ['1.0.0', 'latest'],
    ],
    ['refs/tags/p1/v1.0.0', 'type=semver,pattern={{version}},match=^x', []],
    ['refs/tags/1.2', 'type=pep440,pattern={{major}}.{{minor}}.{{patch}}', ['1.2.0', 'latest']],
    ['refs/tags/1.2.3rc2', 'type=pep440,pattern={{major}}.{{minor}}', ['1.2.3rc2']],
    ['refs/tags/1.2.3post1', 'type=pep440,pattern={{major}}.{{minor}}', ['1.2.3.post1']],
    ['refs/tags/1.0dev4', 'type=pep440,pattern={{major}}', ['1.0.dev4']],
    ['refs/tags/v1!2.0', 'type=pep440,pattern={{version}}', ['1-2.0', 'latest']],
    ['refs/tags/not-a-version', 'type=pep440,pattern={{version}}', []],
  ])('%s: %s', (ref, rule, tagNames) => {
    expect(meta(ctx('push', ref), { tags: [rule] }).tagNames).toEqual(tagNames);
  });
});

describe('rule types', () => {
  const main = ctx('push', 'refs/heads/main');
  const dev = ctx('push', 'refs/heads/dev');
  const tag = ctx('push', 'refs/tags/v1.1.1', { base_ref: 'refs/heads/main' });
  const schedule = ctx('schedule', 'refs/heads/main');
  const pr = ctx('pull_request', 'refs/pull/42/merge', PR_PAYLOAD);
  test.each<[string, Context, string[], string[]]>([
    ['schedule default', schedule, ['type=schedule'], ['nightly']],
    ['schedule outside a schedule', main, ['type=schedule'], []],
    ['schedule pattern', schedule, ["type=schedule,pattern={{date 'YYYYMMDD'}}"], ['20180923']],
    ['edge on the default branch', main, ['type=edge'], ['edge']],
    ['edge elsewhere', dev, ['type=edge'], []],
    ['edge,branch=dev', dev, ['type=edge,branch=dev'], ['edge']],
    ['ref tag', tag, ['type=ref,event=tag'], ['v1.1.1', 'latest']],
    ['ref branch on a tag', tag, ['type=ref,event=branch'], []],
    ['ref pr, no prefix', pr, ['type=ref,event=pr,prefix='], ['42']],
    ['ref pr, suffix', pr, ['type=ref,event=pr,suffix=-test'], ['pr-42-test']],
    ['match with group', tag, ['type=match,pattern=v(\\d+)\\.(\\d+),group=2'], ['1', 'latest']],
    ['match, group not taking part', tag, ['type=match,pattern=v(\\d+)(-x)?,group=2'], []],
    ['match on a branch', main, ['type=match,pattern=.*'], []],
    ['match with value', main, ['type=match,pattern=v(.*),group=1,value=v9.9'], ['9.9', 'latest']],
    ['raw shorthand', main, ['type=raw,foo'], ['foo']],
    ['raw statement', main, ['foo'], ['foo']],
    ['raw value with expression', main, ['type=raw,value={{branch}}-{{sha}}'], ['main-860c190']],
    ['raw, empty', main, ['type=raw,value='], []],
    ['sha long', main, ['type=sha,format=long'], [`sha-${SHA}`]],
    ['sha with branch prefix', main, ['type=sha,prefix={{branch}}-'], ['main-860c190']],
    ['run number', main, ['type=raw,value=build-{{run_number}}'], ['build-42']],
    ['base_ref on a tag', tag, ['type=raw,value=from-{{base_ref}}'], ['from-main']],
    ['base_ref on a PR', pr, ['type=raw,value=into-{{base_ref}}'], ['into-main']],
    ['base_ref on a branch', main, ['type=raw,value=x{{base_ref}}'], ['x']],
    ['tag on a branch', main, ['type=raw,value=t-{{tag}}'], ['t-']],
    [
      'is_default_branch',
      main,
      ['type=raw,value=default,enable={{is_default_branch}}'],
      ['default'],
    ],
    ['is_default_branch off', dev, ['type=raw,value=default,enable={{is_default_branch}}'], []],
    [
      'is_not_default_branch',
      dev,
      ['type=raw,value=dev-build,enable={{is_not_default_branch}}'],
      ['dev-build'],
    ],
    ['enable=FALSE', main, ['type=raw,value=x,enable=FALSE'], []],
    ['metadata-action defaults when no rule is given', tag, [], ['v1.1.1', 'latest']],
    [
      'metadata-action defaults on schedule',
      schedule,
      METADATA_ACTION_DEFAULT_TAG_RULES,
      ['nightly', 'main'],
    ],
  ])('%s', (_name, context, tags, tagNames) => {
    expect(meta(context, { tags }).tagNames).toEqual(tagNames);
  });
});

describe('dates', () => {
  const main = ctx('push', 'refs/heads/main');
  test.each<[string, string]>([
    ["{{date 'YYYYMMDDTHHmmss[Z]'}}", '20180923T082316Z'],
    ["{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", '20180923-172316'],
    ['{{date "YYYY.MM.DD"}}', '2018.09.23'],
    ["{{commit_date 'YYYYMMDD-HHmmss'}}", '20180922-235958'],
    ["{{commit_date 'YYYYMMDD' tz='Europe/Paris'}}", '20180923'],
    // unquoted, the format is a (missing) variable: ISO 8601, sanitised
    ['{{date YYYYMMDD}}', '2018-09-23T08-23-16Z'],
    ["{{date tz='America/New_York'}}", '2018-09-23T04-23-16-04-00'],
    ["{{date 'Do MMMM'}}", '23rd-September'],
  ])('%s', (expression, tagName) => {
    expect(meta(main, { tags: [`type=raw,value=${expression}`] }).tagNames).toEqual([tagName]);
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  const fallback = new Date('2030-01-01T00:00:00Z');
  test.each<[string | undefined, string]>([
    [undefined, '2030-01-01T00:00:00.000Z'],
    ['', '2030-01-01T00:00:00.000Z'],
    ['1578616200', '2020-01-10T00:30:00.000Z'],
    [' 0 ', '1970-01-01T00:00:00.000Z'],
  ])('%j', (value, iso) => {
    expect(resolveNow({ SOURCE_DATE_EPOCH: value }, fallback).toISOString()).toBe(iso);
  });

  test.each(['abc', '-5', '1.5', '1e9', '99999999999999999'])('%j is refused', (value) => {
    expect(() => resolveNow({ SOURCE_DATE_EPOCH: value }, fallback)).toThrow(
      `SOURCE_DATE_EPOCH: invalid value "${value}"; expected whole seconds since 1970-01-01T00:00:00Z, such as 1578616200`,
    );
  });

  test('drives {{date}} and the created label', () => {
    const now = resolveNow({ SOURCE_DATE_EPOCH: '1578616200' }, new Date());
    const m = computeMeta(
      {
        images: [],
        tags: ["type=raw,value={{date 'YYYYMMDDTHHmmss[Z]'}}"],
        flavor: [],
        labels: [],
        annotations: [],
        tagPattern: '',
      },
      ctx('push', 'refs/heads/main'),
      now,
    );
    expect(m.tagNames).toEqual(['20200110T003000Z']);
    expect(m.labels).toContain('org.opencontainers.image.created=2020-01-10T00:30:00.000Z');
  });
});

describe('latest', () => {
  test.each<[string, string, string[], string[], string[]]>([
    [
      'auto: final semver',
      'refs/tags/v1.0.0',
      ['type=semver,pattern={{version}}'],
      [],
      ['1.0.0', 'latest'],
    ],
    [
      'auto: semver pre-release',
      'refs/tags/v1.0.0-rc.1',
      ['type=semver,pattern={{version}}'],
      [],
      ['1.0.0-rc.1'],
    ],
    [
      'auto: match on a pre-release tag',
      'refs/tags/v2.0.8-beta.67',
      ['type=match,pattern=\\d.\\d.\\d'],
      [],
      ['2.0.8'],
    ],
    [
      'auto: ref tag on a pre-release tag',
      'refs/tags/20200110-RC2',
      ['type=ref,event=tag'],
      [],
      ['20200110-RC2'],
    ],
    ['auto: ref tag on 1.1beta2', 'refs/tags/1.1beta2', ['type=ref,event=tag'], [], ['1.1beta2']],
    [
      'auto: ref tag on a release',
      'refs/tags/release1',
      ['type=ref,event=tag'],
      [],
      ['release1', 'latest'],
    ],
    ['auto: branch', 'refs/heads/main', ['type=ref,event=branch'], [], ['main']],
    // the first rule that produces a tag decides, as in metadata-action
    [
      'auto: raw first',
      'refs/tags/v1.0.0',
      ['type=raw,priority=2000,foo', 'type=semver,pattern={{version}}'],
      [],
      ['foo', '1.0.0'],
    ],
    [
      'true on a branch',
      'refs/heads/dev',
      ['type=ref,event=branch'],
      ['latest=true'],
      ['dev', 'latest'],
    ],
    [
      'false on a release',
      'refs/tags/v1.0.0',
      ['type=semver,pattern={{version}}'],
      ['latest=false'],
      ['1.0.0'],
    ],
    ['true with nothing else', 'refs/heads/dev', ['type=edge'], ['latest=true'], []],
    // a raw latest and the automatic one give one tag, not two
    [
      'raw latest + auto',
      'refs/tags/v1.0.0',
      ['type=semver,pattern={{version}}', 'type=raw,latest'],
      [],
      ['1.0.0', 'latest'],
    ],
    [
      'prefix on latest',
      'refs/tags/v1.0.0',
      ['type=semver,pattern={{version}}'],
      ['prefix=foo-,onlatest=true', 'suffix=-dev'],
      ['foo-1.0.0-dev', 'foo-latest'],
    ],
    [
      'suffix on latest',
      'refs/tags/v1.0.0',
      ['type=semver,pattern={{version}}'],
      ['prefix=foo-', 'suffix=-dev,onlatest=true'],
      ['foo-1.0.0-dev', 'latest-dev'],
    ],
    [
      'flavor prefix + suffix on one line',
      'refs/tags/v1.0.0',
      ['type=semver,pattern={{version}}'],
      ['prefix=a-,suffix=-b,onlatest=true'],
      ['a-1.0.0-b', 'a-latest-b'],
    ],
  ])('%s', (_name, ref, tags, flavor, tagNames) => {
    expect(meta(ctx('push', ref), { tags, flavor }).tagNames).toEqual(tagNames);
  });
});

describe('order, priority, flavor, duplicates', () => {
  const tag = ctx('push', 'refs/tags/v1.1.1');
  test.each<[string, string[], string[], string[], string]>([
    [
      // ... and, the sha rule coming first, that there is no latest (as in metadata-action)
      'priority decides the version',
      ['type=sha,priority=2000', 'type=semver,pattern={{version}}'],
      [],
      ['sha-860c190', '1.1.1'],
      'sha-860c190',
    ],
    ['equal priorities keep their order', ['type=raw,b', 'type=raw,a'], [], ['b', 'a'], 'b'],
    [
      'negative priority',
      ['type=raw,a,priority=-1', 'type=sha'],
      [],
      ['sha-860c190', 'a'],
      'sha-860c190',
    ],
    [
      'duplicates removed',
      [
        'type=semver,pattern={{version}}',
        'type=semver,pattern={{major}}.{{minor}}.{{patch}}',
        'type=raw,1.1.1',
      ],
      [],
      ['1.1.1', 'latest'],
      '1.1.1',
    ],
    [
      'flavor prefix/suffix',
      ['type=semver,pattern={{version}}', 'type=sha'],
      ['prefix=glo-', 'suffix=-bal'],
      ['glo-1.1.1-bal', 'sha-860c190-bal', 'latest'],
      'glo-1.1.1-bal',
    ],
    [
      'rule prefix replaces flavor prefix',
      ['type=raw,my,prefix=foo-,suffix=-bar', 'type=raw,custom'],
      ['prefix=glo-', 'suffix=-bal'],
      ['foo-my-bar', 'glo-custom-bal'],
      'foo-my-bar',
    ],
    [
      'flavor prefix with expression',
      ['type=raw,x'],
      ['prefix={{sha}}-'],
      ['860c190-x'],
      '860c190-x',
    ],
  ])('%s', (_name, tags, flavor, tagNames, version) => {
    const m = meta(tag, { tags, flavor });
    expect(m.tagNames).toEqual(tagNames);
    expect(m.version).toBe(version);
  });

  test('tags are image by image, in tag order', () => {
    const m = meta(ctx('push', 'refs/tags/v1.1.1'), {
      images: ['org/app', 'name=ghcr.io/Acme/App', 'quay.io/x/y,enable=false', 'org/app'],
      tags: ['type=semver,pattern={{version}}', 'type=sha'],
    });
    expect(m.images).toEqual(['org/app', 'ghcr.io/acme/app']);
    expect(m.tags).toEqual([
      'org/app:1.1.1',
      'org/app:sha-860c190',
      'org/app:latest',
      'ghcr.io/acme/app:1.1.1',
      'ghcr.io/acme/app:sha-860c190',
      'ghcr.io/acme/app:latest',
    ]);
  });

  test('no images: bare tags', () => {
    expect(meta(tag, { images: [], tags: ['type=sha'] }).tags).toEqual(['sha-860c190']);
  });
});

describe('moving flags (push order)', () => {
  test('seed case: version and sha immutable; partial versions and latest moving', () => {
    expect(meta(ctx('push', 'refs/tags/v2.1.1')).planned).toEqual([
      { name: '2.1.1', moving: false },
      { name: '2.1', moving: true },
      { name: '2', moving: true },
      { name: 'sha-860c190', moving: false },
      { name: 'latest', moving: true },
    ]);
  });

  test.each<[string, string, string[], boolean[]]>([
    ['branch, sha', 'refs/heads/main', ['type=ref,event=branch', 'type=sha'], [true, false]],
    ['pr', 'refs/pull/42/merge', ['type=ref,event=pr'], [true]],
    [
      'a full-version git tag and major.minor.patch are immutable; a match group of two parts moves',
      'refs/tags/v1.2.3',
      [
        'type=ref,event=tag',
        'type=match,pattern=\\d.\\d',
        'type=semver,pattern={{major}}.{{minor}}.{{patch}}',
      ],
      [false, true, false, true],
    ],
    [
      'a match group moves by meaning: 1 of v1.2.3 moves, 1.2.3 does not',
      'refs/tags/v1.2.3',
      ['type=match,pattern=v(\\d+),group=1', 'type=match,pattern=v(\\d+.\\d+.\\d+),group=1'],
      [true, false, true],
    ],
    [
      'a git tag that is not a full version moves (v1)',
      'refs/tags/v1',
      ['type=ref,event=tag'],
      [true, true],
    ],
    ['a git tag such as stable moves', 'refs/tags/stable', ['type=ref,event=tag'], [true, true]],
    [
      'raw: latest and a word move, a full version does not; moving= decides',
      'refs/heads/main',
      [
        'type=raw,value=latest',
        'type=raw,value=1.2.3',
        'type=raw,value=build-{{run_number}},moving=false',
        'type=sha,moving=true',
      ],
      [true, false, false, true],
    ],
    ['branch-only rules move', 'refs/heads/main', ['type=ref,event=branch'], [true]],
    ['raw, edge', 'refs/heads/main', ['type=raw,x', 'type=edge'], [true, true]],
    [
      'pre-release partial pattern gives the full version',
      'refs/tags/v1.0.0-rc.1',
      ['type=semver,pattern={{major}}'],
      [false],
    ],
    [
      'immutable wins when names meet',
      'refs/tags/1.2',
      ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{version}}'],
      [false, true],
    ],
  ])('%s', (_name, ref, tags, moving) => {
    expect(meta(ctx('push', ref, PR_PAYLOAD), { tags }).planned.map((t) => t.moving)).toEqual(
      moving,
    );
  });
});

describe('sanitising and the 128-character limit', () => {
  const long = `feature/${'very-long-branch-name-'.repeat(8)}end`;

  test.each<[string, string, string[], string]>([
    ['leading dash from the ref', 'refs/heads/-hotfix', ['type=ref,event=branch'], 'hotfix'],
    ['leading dots and dashes', 'refs/heads/..--x', ['type=ref,event=branch'], 'x'],
    ['invalid characters in a raw value', 'refs/heads/main', ['type=raw,value=a b/c:d'], 'a-b-c-d'],
    ['leading dot of a raw value', 'refs/heads/main', ['type=raw,value=.hidden'], 'hidden'],
    ['underscore start is valid', 'refs/heads/_x', ['type=ref,event=branch'], '_x'],
  ])('%s', (_name, ref, tags, tagName) => {
    expect(meta(ctx('push', ref), { tags }).tagNames).toEqual([tagName]);
  });

  test('a long branch name is shortened to 128 characters, ending in a hash', () => {
    const [name] = meta(ctx('push', `refs/heads/${long}`), {
      tags: ['type=ref,event=branch'],
    }).tagNames;
    expect(name).toHaveLength(128);
    expect(name).toMatch(/^feature-very-long-branch-name-very-long.*-[0-9a-f]{7}$/);
    expect(name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
  });

  test('two long branches that share a beginning get different tags', () => {
    const names = ['a', 'b'].map(
      (end) =>
        meta(ctx('push', `refs/heads/${long}${end}`), { tags: ['type=ref,event=branch'] })
          .tagNames[0],
    );
    expect(names[0]).not.toBe(names[1]);
  });

  test('with a written prefix and suffix, only the derived part is shortened', () => {
    const [name] = meta(ctx('push', `refs/heads/${long}`), {
      tags: ['type=ref,event=branch,prefix=build-,suffix=-amd64'],
    }).tagNames;
    expect(name).toHaveLength(128);
    expect(name.startsWith('build-feature-very-long')).toBe(true);
    expect(name.endsWith('-amd64')).toBe(true);
  });

  test('a raw value with an expression is shortened', () => {
    const [name] = meta(ctx('push', `refs/heads/${long}`), {
      tags: ['type=raw,value=x-{{branch}}'],
    }).tagNames;
    expect(name).toHaveLength(128);
  });

  test('a written raw value of 128 characters is kept', () => {
    const value = 'a'.repeat(128);
    expect(
      meta(ctx('push', 'refs/heads/main'), { tags: [`type=raw,value=${value}`] }).tagNames,
    ).toEqual([value]);
  });

  test('a written raw value over 128 characters is an error that says so', () => {
    const value = 'a'.repeat(129);
    expect(() =>
      meta(ctx('push', 'refs/heads/main'), { tags: [`type=raw,value=${value}`] }),
    ).toThrow(
      `tags: the tag "${value}" is 129 characters long, over Docker's limit of 128 characters for a tag in "type=raw,value=${value}"; expected a value, prefix and suffix of at most 128 characters together`,
    );
  });

  test('a written prefix too long for any value is an error', () => {
    const prefix = 'p'.repeat(125);
    expect(() =>
      meta(ctx('push', 'refs/heads/main'), { tags: [`type=sha,prefix=${prefix}`] }),
    ).toThrow(
      `tags: the tag "${prefix}860c190" is 132 characters long, over Docker's limit of 128 characters for a tag in "type=sha,prefix=${prefix}"; expected a value, prefix and suffix of at most 128 characters together`,
    );
  });

  test("a flavor prefix that makes a rule's tag too long is an error naming flavor and the rule", () => {
    const prefix = 'p'.repeat(125);
    expect(() =>
      meta(ctx('push', 'refs/tags/v1.2.3'), {
        tags: ['type=semver,pattern={{version}}'],
        flavor: [`prefix=${prefix}`],
      }),
    ).toThrow(
      `flavor: the tag "${prefix}1.2.3" (rule "type=semver,pattern={{version}}" with the flavor's prefix and suffix) is 130 characters long, over Docker's limit of 128 characters for a tag; expected a value, prefix and suffix of at most 128 characters together`,
    );
  });

  test('a flavor suffix that makes latest too long is an error naming flavor', () => {
    const suffix = 's'.repeat(123);
    expect(() =>
      meta(ctx('push', 'refs/tags/v1.0.0'), {
        tags: ['type=semver,pattern={{major}}'],
        flavor: [`suffix=${suffix},onlatest=true`],
      }),
    ).toThrow(/^flavor: the tag "latest-?s+" is 129 characters long/);
  });
});

describe('labels and annotations', () => {
  test('generated OCI labels, sorted, with user labels replacing them', () => {
    const m = meta(ctx('push', 'refs/tags/v1.0.0'), {
      tags: ['type=semver,pattern={{version}}'],
      labels: [
        'org.opencontainers.image.title=Custom=Title',
        'maintainer=acme',
        'no equals sign is ignored',
        "built={{date 'YYYY'}}-{{branch}}{{tag}}",
        '',
      ],
    });
    expect(m.labels).toEqual([
      'built=2018-v1.0.0',
      'maintainer=acme',
      'org.opencontainers.image.created=2018-09-23T08:23:16.000Z',
      'org.opencontainers.image.description=The app',
      'org.opencontainers.image.licenses=MIT',
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.source=https://github.com/acme/app',
      'org.opencontainers.image.title=Custom=Title',
      'org.opencontainers.image.url=https://github.com/acme/app',
      'org.opencontainers.image.version=1.0.0',
    ]);
  });

  test('annotations get one copy per level', () => {
    const m = computeMeta(
      {
        images: [],
        tags: ['type=raw,x'],
        flavor: [],
        labels: [],
        annotations: ['a=1'],
        tagPattern: '',
      },
      ctx('push', 'refs/heads/main'),
      NOW,
      { annotationLevels: ['index', 'manifest'] },
    );
    expect(m.annotations).toHaveLength(18);
    expect(m.annotations[0]).toBe('index:a=1');
    expect(m.annotations[9]).toBe('manifest:a=1');
    expect(m.annotations).toContain('manifest:org.opencontainers.image.version=x');
  });
});
