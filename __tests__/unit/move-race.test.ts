// Concurrent releases: the read-back waits only when another run of the workflow is in progress
// (or that cannot be known), the GitHub API question, and the post step's re-check.
import { jest } from '@jest/globals';
import { refName } from '../../src/release/stage.js';
import { moveTags, readMoves, type RaceCheck } from '../../src/release/move.js';
import { parseMovedRecord, recheckMoved } from '../../src/release/recheck.js';
import { otherRunsInProgress, workflowFile } from '../../src/github/runs.js';
import type { Ancestry } from '../../src/release/forward.js';
import { MemoryRegistry } from './memory-registry.js';

beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

const sha = (c: string): string => c.repeat(40);
const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;
const OLD = digestOf('0');
const NEW = digestOf('1');
const latest = [{ image: 'a/x', tag: 'latest', moving: true }];
const noHistory = (): Promise<Ancestry> => Promise.resolve('unknown');

function registryAt(version: string): MemoryRegistry {
  const registry = new MemoryRegistry();
  registry.put('a/x:latest', OLD, { version, revision: sha('a') });
  registry.identities.set(NEW, { version: '1.2.0', revision: sha('b') });
  return registry;
}

describe('the read-back waits only when another run may be racing', () => {
  const run = async (racing?: () => Promise<RaceCheck>, version = '1.1.0') => {
    const waits: number[] = [];
    const asked = { count: 0 };
    const registry = registryAt(version);
    const report = await moveTags(latest, registry, {
      digest: NEW,
      ours: { version: '1.2.0', revision: sha('b') },
      force: false,
      ancestry: noHistory,
      settleMs: 1500,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      ...(racing
        ? {
            racing: () => {
              asked.count++;
              return racing();
            },
          }
        : {}),
    });
    return { report, waits, asked, registry };
  };

  test('no other run in progress: read back at once', async () => {
    const { report, waits } = await run(() =>
      Promise.resolve({ others: 'none', detail: 'no other run' }),
    );
    expect(waits).toEqual([]);
    expect(report.moved.map(refName)).toEqual(['a/x:latest']);
    expect(report.race?.others).toBe('none');
  });

  test('another run in progress: read back after the settle time', async () => {
    const { waits, report } = await run(() =>
      Promise.resolve({ others: 'some', detail: '1 other run' }),
    );
    expect(waits).toEqual([1500]);
    expect(report.race?.others).toBe('some');
  });

  test('the question fails: no wait (the post step reads the tags again), and says why', async () => {
    const { waits, report } = await run(() => Promise.reject(new Error('HTTP 403')));
    expect(waits).toEqual([]);
    expect(report.race).toEqual({ others: 'unknown', detail: 'HTTP 403' });
  });

  test('nothing to write: nothing asked, no wait', async () => {
    const { waits, asked, report } = await run(
      () => Promise.resolve({ others: 'some', detail: '' }),
      '1.3.0',
    );
    expect([waits, asked.count, report.race]).toEqual([[], 0, undefined]);
  });
});

describe('readMoves: the reads beside the checks of the push, the writes after them', () => {
  const options = {
    digest: NEW,
    ours: { version: '1.2.0', revision: sha('b') },
    force: false,
    ancestry: noHistory,
    racing: () => Promise.resolve<RaceCheck>({ others: 'none', detail: 'no other run' }),
  };

  test('reading writes nothing and logs nothing; the write phase says what was decided', async () => {
    const registry = registryAt('1.1.0');
    const logged: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
      logged.push(String(line));
      return true;
    });
    const write = await readMoves(latest, registry, options);
    expect(registry.writes).toEqual([]);
    expect(logged).toEqual([]);
    const report = await write();
    expect(logged[0]).toMatch(/^moving a\/x:latest from sha256:0+: /);
    expect(report.moved.map(refName)).toEqual(['a/x:latest']);
    expect(registry.writes).toEqual([`a/x:latest=${NEW}`]);
  });

  test('a write phase never run (the checks failed) leaves every tag where it was', async () => {
    const registry = registryAt('1.1.0');
    await readMoves(latest, registry, options);
    expect(registry.tags.get('a/x:latest')).toBe(OLD);
    expect(registry.writes).toEqual([]);
  });

  test('the release record is written with the tags, and done before any tag is read back', async () => {
    const registry = registryAt('1.1.0');
    const events: string[] = [];
    const read = registry.manifestDigest.bind(registry);
    const write = await readMoves(latest, registry, options);
    registry.manifestDigest = (image, tag) => {
      events.push(`read ${image}:${tag}`);
      return read(image, tag);
    };
    registry.afterPut = (ref) => events.push(`put ${ref}`);
    await write(async () => {
      events.push('record started');
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('record done');
    });
    expect(events).toEqual(['record started', 'put a/x:latest', 'record done', 'read a/x:latest']);
  });

  test('with no tag to move, the record is still written', async () => {
    const registry = registryAt('1.1.0');
    registry.tags.set('a/x:latest', NEW);
    let recorded = false;
    const report = await (
      await readMoves(latest, registry, options)
    )(() => {
      recorded = true;
      return Promise.resolve();
    });
    expect(report.unchanged.map(refName)).toEqual(['a/x:latest']);
    expect(recorded).toBe(true);
  });
});

describe('otherRunsInProgress', () => {
  const query = {
    apiUrl: 'https://api.example/',
    repository: 'acme/app',
    workflowRef: 'acme/app/.github/workflows/release.yml@refs/heads/main',
    runId: '42',
    token: 'ghs_token',
    timeoutMs: 1000,
  };
  const answering = (status: number, body: unknown) => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const fetch = ((url: string, init: RequestInit) => {
      seen.push({ url, headers: init.headers as Record<string, string> });
      return Promise.resolve(new Response(JSON.stringify(body), { status }));
    }) as typeof globalThis.fetch;
    return { fetch, seen };
  };

  test.each([
    ['only this run', 1, [{ id: 42 }], 0],
    ['this run and another', 2, [{ id: 43 }, { id: 42 }], 1],
    ['another, this run not listed yet', 1, [{ id: 43 }], 1],
    ['none listed', 0, [], 0],
    ['many, this run on a later page', 5, [{ id: 50 }, { id: 49 }], 5],
  ])('%s', async (_name, total, runs, others) => {
    const { fetch, seen } = answering(200, { total_count: total, workflow_runs: runs });
    expect(await otherRunsInProgress({ ...query, fetch })).toBe(others);
    expect(seen[0]?.url).toBe(
      'https://api.example/repos/acme/app/actions/workflows/release.yml/runs?status=in_progress&exclude_pull_requests=true&per_page=2',
    );
    expect(seen[0]?.headers.authorization).toBe('Bearer ghs_token');
  });

  test('a token without actions: read: the error says so', async () => {
    const { fetch } = answering(403, { message: 'Resource not accessible by integration' });
    await expect(otherRunsInProgress({ ...query, fetch })).rejects.toThrow(
      /HTTP 403 from https:\/\/api\.example\/ \(the token needs the `actions: read` permission\)/,
    );
  });

  test('no workflow file, no token: not asked', async () => {
    const { fetch, seen } = answering(200, {});
    await expect(otherRunsInProgress({ ...query, workflowRef: '', fetch })).rejects.toThrow(
      /GITHUB_WORKFLOW_REF "" names no workflow file/,
    );
    await expect(otherRunsInProgress({ ...query, token: '', fetch })).rejects.toThrow(
      /github-token input is empty/,
    );
    expect(seen).toEqual([]);
  });

  test('workflowFile', () => {
    expect(workflowFile('o/r/.github/workflows/ci.yaml@refs/tags/v1')).toBe('ci.yaml');
    expect(workflowFile('o/r/.github/workflows/a/b.yml@x')).toBe('');
    expect(workflowFile('')).toBe('');
  });
});

describe('the post step re-check', () => {
  const record = {
    digest: NEW,
    ours: { version: '1.2.0', revision: sha('b') },
    refs: [...latest, { image: 'b/x', tag: 'latest', moving: true }],
  };

  test('an older release that took a tag after the read-back: moved forward again', async () => {
    const registry = registryAt('1.1.0');
    registry.put('b/x:latest', NEW, { version: '1.2.0', revision: sha('b') });
    const outcomes = await recheckMoved(record, registry, noHistory);
    expect(outcomes.map((o) => [refName(o.ref), o.kind])).toEqual([
      ['a/x:latest', 'forward'],
      ['b/x:latest', 'kept'],
    ]);
    expect(registry.tags.get('a/x:latest')).toBe(NEW);
    expect(registry.writes).toEqual([`a/x:latest=${NEW}`]);
  });

  test('a newer release that took it: left to it', async () => {
    const registry = registryAt('1.3.0');
    registry.put('b/x:latest', NEW, { version: '1.2.0', revision: sha('b') });
    const outcomes = await recheckMoved(record, registry, noHistory);
    const [first] = outcomes;
    expect(first?.kind === 'newer' && first.reason).toMatch(/1\.3\.0/);
    expect(registry.writes).toEqual([]);
  });

  test('the record round-trips; anything else is no record', () => {
    expect(parseMovedRecord(JSON.stringify({ ...record, timeoutMs: 5 }))).toEqual({
      ...record,
      ours: { ...record.ours, created: '' },
    });
    expect(parseMovedRecord('{"digest":"sha256:x","refs":[],"ours":{}}')).toBeUndefined();
    expect(parseMovedRecord('not json')).toBeUndefined();
  });
});
