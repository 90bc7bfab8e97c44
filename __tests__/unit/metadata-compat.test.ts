// metadata-action's behaviours that its own test suite (the conformance cases) does not cover:
// Handlebars blocks, images with attributes, scheduled runs, the commit date and the repository
// data a payload lacks (from a real git repository and a real HTTP server).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextFrom, type Context } from '../../src/context/context.js';
import { completeContext } from '../../src/context/sources.js';
import { imageList } from '../../src/inputs/values.js';
import { computeMeta, type TagInputs } from '../../src/tags/index.js';

const now = new Date('2024-05-01T12:00:00Z');
const sha = '860c1904a1ce19322e91ac35af1ab07466440c37';

function ctx(env: Record<string, string>, payload: Record<string, unknown> = {}): Context {
  return contextFrom({ GITHUB_SHA: sha, GITHUB_REPOSITORY: 'acme/app', ...env }, payload, now);
}

function tags(context: Context, over: Partial<TagInputs>): string[] {
  return computeMeta(
    {
      images: ['ghcr.io/acme/app'],
      tags: [],
      flavor: [],
      labels: [],
      annotations: [],
      tagPattern: '',
      ...over,
    },
    context,
    now,
  ).tagNames;
}

const repository = { name: 'app', full_name: 'acme/app', default_branch: 'main' };
const onMain = ctx({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }, { repository });
const onDev = ctx({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/dev' }, { repository });

describe('Handlebars blocks', () => {
  test.each<[string, Context, string[]]>([
    ['type=raw,value={{#if is_default_branch}}latest{{else}}dev{{/if}}', onMain, ['latest']],
    ['type=raw,value={{#if is_default_branch}}latest{{else}}dev{{/if}}', onDev, ['dev']],
    [
      'type=raw,value={{#unless is_default_branch}}preview-{{branch}}{{/unless}}',
      onDev,
      ['preview-dev'],
    ],
    // Nothing rendered: the rule gives no tag.
    ['type=raw,value={{#unless is_default_branch}}preview{{/unless}}', onMain, []],
    ['type=raw,value={{#if tag}}{{tag}}{{else}}{{branch}}-{{sha}}{{/if}}', onDev, ['dev-860c190']],
    [
      'type=ref,event=branch,prefix={{#if is_default_branch}}stable-{{/if}}',
      onMain,
      ['stable-main'],
    ],
  ])('%s on %s', (rule, context, expected) => {
    expect(tags(context, { tags: [rule] })).toEqual(expected);
  });

  test.each<[string, string]>([
    [
      'type=raw,value={{#if is_default_branch}}x',
      'tags: {{#if is_default_branch}} is not closed in "type=raw,value={{#if is_default_branch}}x"; expected {{/if}}',
    ],
    [
      'type=raw,value=x{{/if}}',
      'tags: {{/if}} closes no open block in "type=raw,value=x{{/if}}"; expected a block opened with {{#if name}}',
    ],
    [
      'type=raw,value={{#each tags}}x{{/each}}',
      'tags: unknown block {{#each tags}} in "type=raw,value={{#each tags}}x{{/each}}"; expected {{#if name}}...{{/if}} or {{#unless name}}...{{/unless}}, with {{else}} if need be',
    ],
    [
      'type=raw,value={{#if nope}}x{{/if}}',
      'tags: unknown expression {{#if nope}} in "type=raw,value={{#if nope}}x{{/if}}"',
    ],
  ])('%s fails clearly', (rule, message) => {
    expect(() => tags(onMain, { tags: [rule] })).toThrow(message);
  });
});

describe('images with attributes', () => {
  test.each<[string, string[]]>([
    ['ghcr.io/acme/app,enable=false\nacme/app', ['ghcr.io/acme/app,enable=false', 'acme/app']],
    ['name=ghcr.io/acme/app,enable=true', ['name=ghcr.io/acme/app,enable=true']],
    ['acme/app,ghcr.io/acme/app', ['acme/app', 'ghcr.io/acme/app']],
  ])('%j', (value, expected) => {
    expect(imageList(value)).toEqual(expected);
  });

  test('a disabled image gets no tags; a reference to it in tags is fine', () => {
    const meta = computeMeta(
      {
        images: imageList('ghcr.io/acme/app,enable=false\nacme/app'),
        tags: ['acme/app:latest,ghcr.io/acme/app:latest'],
        flavor: [],
        labels: [],
        annotations: [],
        tagPattern: '',
      },
      onMain,
      now,
    );
    expect(meta.tags).toEqual(['acme/app:latest']);
  });
});

describe('semver pre-releases', () => {
  // metadata-action (meta.ts procSemver at dc802804) renders a pre-release with {{version}}
  // unless the pattern is {{raw}}, so v{{version}} loses its "v" there (2.0.0-rc.1). Here a
  // pattern with the full version keeps what surrounds it; a partial one ({{major}}.{{minor}})
  // still gives only the full version. Declared in the differences of docs/releases.md.
  test.each<[string, string[]]>([
    ['type=semver,pattern=v{{version}}', ['v2.0.0-rc.1']],
    ['type=semver,pattern={{raw}}', ['v2.0.0-rc.1']],
    ['type=semver,pattern={{version}}', ['2.0.0-rc.1']],
    ['type=semver,pattern={{major}}.{{minor}}', ['2.0.0-rc.1']],
    ['type=semver,pattern=v{{major}}', ['2.0.0-rc.1']],
  ])('%s on v2.0.0-rc.1', (rule, expected) => {
    const context = ctx({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v2.0.0-rc.1' });
    expect(tags(context, { tags: [rule] })).toEqual(expected);
  });
});

describe('scheduled runs: the ref is the default branch', () => {
  // A schedule payload has no repository object.
  const schedule = ctx(
    { GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/trunk' },
    { schedule: '0 3 * * *' },
  );

  test.each<[string, string[]]>([
    ['type=edge', ['edge']],
    ['type=raw,value=nightly,enable={{is_default_branch}}', ['nightly']],
    ['type=schedule,pattern=nightly-{{branch}}', ['nightly-trunk']],
  ])('%s', (rule, expected) => {
    expect(tags(schedule, { tags: [rule] })).toEqual(expected);
  });
});

describe('the commit date and repository data a payload lacks', () => {
  let repo: string;
  let server: Server;
  let api: string;
  let answer: (url: string, auth: string) => { status: number; body: unknown; delayMs?: number };

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'commit-date-'));
    const git = (...args: string[]): string =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_COMMITTER_DATE: '2021-03-04T05:06:07+01:00',
          GIT_AUTHOR_DATE: '2021-03-04T05:06:07+01:00',
          GIT_AUTHOR_NAME: 'a',
          GIT_AUTHOR_EMAIL: 'a@example.com',
          GIT_COMMITTER_NAME: 'a',
          GIT_COMMITTER_EMAIL: 'a@example.com',
        },
      }).toString();
    git('init', '-q');
    writeFileSync(join(repo, 'f'), 'x');
    git('add', 'f');
    git('commit', '-q', '-m', 'one');
    server = createServer((req, res) => {
      const { status, body, delayMs } = answer(req.url ?? '', req.headers.authorization ?? '');
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }, delayMs ?? 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    rmSync(repo, { recursive: true, force: true });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const options = (over: Partial<Parameters<typeof completeContext>[1]> = {}) => ({
    githubToken: 'ghs_token',
    timeoutMs: 2000,
    workspace: repo,
    apiUrl: api,
    ...over,
  });

  test('a pull request: the commit date from the checkout (git log -1 --format=%cI)', async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo }).toString().trim();
    const pr = contextFrom(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/1/merge', GITHUB_SHA: head },
      { repository, pull_request: { number: 1 } },
      now,
    );
    expect(pr.commitDateKnown).toBe(false);
    const { context, notices } = await completeContext(pr, options());
    expect(context.commitDate.toISOString()).toBe('2021-03-04T04:06:07.000Z');
    expect(notices).toEqual([]);
    expect(tags(context, { tags: ["type=raw,value={{commit_date 'YYYYMMDD'}}"] })).toEqual([
      '20210304',
    ]);
  });

  test('a commit git does not have: "now" stays', async () => {
    const pr = contextFrom(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/1/merge',
        GITHUB_SHA: 'f'.repeat(40),
      },
      { repository },
      now,
    );
    expect((await completeContext(pr, options())).context.commitDate).toBe(now);
  });

  test('a push payload has the date: neither git nor the API is asked', async () => {
    answer = () => {
      throw new Error('the API was asked');
    };
    const push = contextFrom(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: sha },
      { repository, head_commit: { id: sha, timestamp: '2020-01-10T00:30:00Z' } },
      now,
    );
    const { context } = await completeContext(push, options({ workspace: '/nonexistent' }));
    expect(context.commitDate.toISOString()).toBe('2020-01-10T00:30:00.000Z');
  });

  const schedule = () =>
    contextFrom(
      {
        GITHUB_EVENT_NAME: 'schedule',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: sha,
        GITHUB_REPOSITORY: 'acme/app',
      },
      { schedule: '0 3 * * *' },
      now,
    );

  test('a scheduled run: description and license from the API, with github-token', async () => {
    let seen = '';
    answer = (url, auth) => {
      seen = `${url} ${auth}`;
      return {
        status: 200,
        body: {
          name: 'app',
          full_name: 'acme/app',
          description: 'The app',
          html_url: 'https://github.com/acme/app',
          default_branch: 'main',
          license: { spdx_id: 'MIT' },
          visibility: 'public',
        },
      };
    };
    const { context, notices } = await completeContext(schedule(), options());
    expect(seen).toBe('/repos/acme/app Bearer ghs_token');
    expect(notices).toEqual([]);
    // What `sign: auto` asks before it signs keyless: the payload of a schedule does not say.
    expect(schedule().repository.public).toBeUndefined();
    expect(context.repository.public).toBe(true);
    const labels = computeMeta(
      {
        images: ['a/b'],
        tags: ['type=schedule'],
        flavor: [],
        labels: [],
        annotations: [],
        tagPattern: '',
      },
      context,
      now,
    ).labels;
    expect(labels).toContain('org.opencontainers.image.description=The app');
    expect(labels).toContain('org.opencontainers.image.licenses=MIT');
  });

  test.each<[string, () => ReturnType<typeof answer>, string]>([
    [
      'an API that refuses',
      () => ({ status: 401, body: { message: 'Bad credentials' } }),
      'HTTP 401',
    ],
    [
      'an API that does not answer in time',
      () => ({ status: 200, body: {}, delayMs: 1500 }),
      'timeout',
    ],
  ])('%s: empty, with a notice', async (_name, reply, reason) => {
    answer = reply;
    const { context, notices } = await completeContext(schedule(), options({ timeoutMs: 300 }));
    expect(context.repository.description).toBe('');
    expect(context.repository.defaultBranch).toBe('main');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(
      "the schedule event's payload has no repository data, so the description and licenses labels are empty: the GitHub API gave none (",
    );
    expect(notices[0]).toContain(reason);
  });

  test('no github-token: the API is not asked, a notice says so', async () => {
    answer = () => {
      throw new Error('the API was asked');
    };
    const { notices } = await completeContext(schedule(), options({ githubToken: '' }));
    expect(notices).toEqual([
      "the schedule event's payload has no repository data, so the description and licenses labels are empty: github-token is empty, and the GitHub API was not asked",
    ]);
  });
});
