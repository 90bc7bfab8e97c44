import { contextFrom } from '../../src/context/context.js';
import { splitFields } from '../../src/tags/csv.js';
import { formatDate } from '../../src/tags/dates.js';
import { globalScope } from '../../src/tags/expressions.js';
import { normaliseImageName, parseImages } from '../../src/tags/images.js';
import { computeMeta } from '../../src/tags/index.js';
import { metaOutputs } from '../../src/tags/outputs.js';
import { parsePep440 } from '../../src/tags/pep440.js';
import { looksLikePreRelease } from '../../src/tags/refs.js';
import { parseRule } from '../../src/tags/rules.js';
import { fitTag, sanitizeTagText, shorten } from '../../src/tags/sanitize.js';
import { parseSemver } from '../../src/tags/semver.js';
import { render } from '../../src/tags/template.js';

const where = { input: 'tags', line: 'x' };

describe('rule lines are split like CSV', () => {
  test.each<[string, string[]]>([
    ['type=raw,foo', ['type=raw', 'foo']],
    [' type=sha , format=long ', ['type=sha', 'format=long']],
    ['type=match,"pattern=\\d,\\d",group=0', ['type=match', 'pattern=\\d,\\d', 'group=0']],
    ['type=raw,"value=say ""hi"""', ['type=raw', 'value=say "hi"']],
    ['type=raw,value=a"b', ['type=raw', 'value=a"b']],
    ['type=raw,,foo,', ['type=raw', 'foo']],
    ['', []],
  ])('%j', (line, fields) => {
    expect(splitFields(line, 'tags')).toEqual(fields);
  });
});

describe('rule defaults', () => {
  test.each<[string, Record<string, string>, number]>([
    ['type=schedule', { type: 'schedule', pattern: 'nightly', enable: 'true' }, 1000],
    ['type=semver', { type: 'semver', pattern: '{{version}}', enable: 'true' }, 900],
    ['type=pep440', { type: 'pep440', pattern: '{{version}}', enable: 'true' }, 900],
    ['type=pep440,pattern=', { type: 'pep440', pattern: '', enable: 'true' }, 900],
    ['type=match,pattern=x', { type: 'match', pattern: 'x', group: '0', enable: 'true' }, 800],
    ['type=edge', { type: 'edge', enable: 'true' }, 700],
    ['type=ref,event=pr', { type: 'ref', event: 'pr', prefix: 'pr-', enable: 'true' }, 600],
    ['type=ref,event=pr,prefix=', { type: 'ref', event: 'pr', prefix: '', enable: 'true' }, 600],
    ['foo', { value: 'foo', enable: 'true' }, 200],
    ['TYPE=raw,Value=x', { type: 'raw', value: 'x', enable: 'true' }, 200],
    [
      'type=sha,priority=-5',
      { type: 'sha', format: 'short', prefix: 'sha-', priority: '-5', enable: 'true' },
      -5,
    ],
  ])('%s', (line, attrs, priority) => {
    const rule = parseRule(line);
    expect(rule.attrs).toEqual(attrs);
    expect(rule.priority).toBe(priority);
  });
});

describe('templates', () => {
  const context = contextFrom(
    {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '0123456789abcdef',
      GITHUB_RUN_NUMBER: '7',
    },
    { repository: { default_branch: 'main' }, head_commit: { timestamp: '2020-02-02T02:02:02Z' } },
    new Date(),
  );
  const scope = globalScope(context, new Date('2018-09-23T08:23:16Z'));
  test.each<[string, string]>([
    ['plain text', 'plain text'],
    ['{{branch}}-{{sha}}-{{run_number}}', 'main-0123456-7'],
    ['{{ branch }}', 'main'],
    ['{{is_default_branch}}/{{is_not_default_branch}}', 'true/false'],
    ["{{date 'YYYYMMDDTHHmmss[Z]'}}", '20180923T082316Z'],
    ["{{commit_date 'YYYY-MM-DD'}}", '2020-02-02'],
    ['{{date}}', '2018-09-23T08:23:16Z'],
    ['} { }} {', '} { }} {'],
  ])('%s', (template, out) => {
    expect(render(template, scope, where)).toBe(out);
  });
});

describe('dates', () => {
  const date = new Date('2020-01-10T00:30:00Z');
  test.each<[string | undefined, string, string]>([
    ['YYYYMMDD-HHmmss', 'Asia/Tokyo', '20200110-093000'],
    ['YYYY-MM-DDTHH:mm:ss.SSS[Z]', 'UTC', '2020-01-10T00:30:00.000Z'],
    ['dddd, MMMM Do YYYY, h:mm:ss a', 'UTC', 'Friday, January 10th 2020, 12:30:00 am'],
    ['X', 'UTC', '1578616200'],
    [undefined, 'UTC', '2020-01-10T00:30:00Z'],
    [undefined, 'Asia/Kolkata', '2020-01-10T06:00:00+05:30'],
  ])('%s in %s', (format, tz, out) => {
    expect(formatDate(date, format, tz)).toBe(out);
  });
});

describe('image names', () => {
  test.each<[string, string]>([
    ['user/app', 'user/app'],
    ['ghcr.io/MyUSER/MyApp', 'ghcr.io/myuser/myapp'],
    ['localhost:5000/app', 'localhost:5000/app'],
    ['registry.example.com:443/team/sub/app', 'registry.example.com:443/team/sub/app'],
    ['[::1]:5000/app', '[::1]:5000/app'],
    ['app', 'app'],
    ['a__b/c.d/e-f--g', 'a__b/c.d/e-f--g'],
  ])('%s', (name, normal) => {
    expect(normaliseImageName(name, { input: 'images', line: '' })).toBe(normal);
  });

  test.each([
    'a/b_',
    'a/.b',
    'a/b___c',
    'ghcr.io:port/app',
    'a b',
    '/app',
    'app/',
    `a/${'b'.repeat(255)}`,
  ])('%s is refused', (name) => {
    expect(() => normaliseImageName(name, { input: 'images', line: '' })).toThrow(
      /^images: invalid image name/,
    );
  });

  test('enable, name= and duplicates', () => {
    expect(parseImages(['name=a/b', 'c/d,enable=false', 'A/B', '', 'e/f,enable=TRUE'])).toEqual([
      'a/b',
      'e/f',
    ]);
  });
});

describe('versions', () => {
  test.each<[string, object | undefined]>([
    ['v1.2.3', { version: '1.2.3', major: '1', minor: '2', patch: '3', final: true }],
    ['1.2.3-rc.1', { version: '1.2.3-rc.1', final: false }],
    ['=1.0.0', { version: '1.0.0' }],
    ['1.2', undefined],
    ['app-v1.0.0', undefined],
  ])('semver %s', (raw, parts) => {
    const parsed = parseSemver(raw);
    if (parts === undefined) expect(parsed).toBeUndefined();
    else expect(parsed).toMatchObject({ raw, ...parts });
  });

  test.each<[string, object | undefined]>([
    ['1.2', { version: '1.2', major: '1', minor: '2', patch: '0', final: true }],
    ['1.1beta2', { version: '1.1b2', final: false }],
    ['1.0dev4', { version: '1.0.dev4', final: false }],
    ['1.2post1', { version: '1.2.post1', final: false }],
    ['v1.2.3rc2', { version: '1.2.3rc2', major: '1', minor: '2', patch: '3', final: false }],
    ['sometag', undefined],
  ])('pep440 %s', (raw, parts) => {
    const parsed = parsePep440(raw);
    if (parts === undefined) expect(parsed).toBeUndefined();
    else expect(parsed).toMatchObject({ raw, ...parts });
  });

  test.each<[string, boolean]>([
    ['v1.2.3', false],
    ['release1', false],
    ['1.2post1', false],
    ['src-1.0', false],
    ['v1.2.3-rc.1', true],
    ['v2.0.8-beta.67', true],
    ['20200110-RC2', true],
    ['1.1beta2', true],
    ['1.0dev4', true],
    ['v3.0.0-alpha', true],
    ['v1.0.0-0.3.7', true],
    ['2.0-preview', true],
  ])('%s looks like a pre-release: %s', (tag, pre) => {
    expect(looksLikePreRelease(tag)).toBe(pre);
  });
});

describe('sanitising', () => {
  test.each<[string, string]>([
    ['feature/Foo_Bar#1', 'feature-Foo_Bar-1'],
    ['a  b//c', 'a-b-c'],
    ['ünïcode', '-n-code'],
    ['ok_1.2-3', 'ok_1.2-3'],
  ])('%s', (text, out) => {
    expect(sanitizeTagText(text)).toBe(out);
  });

  test('shorten keeps the beginning and ends with a hash of the whole', () => {
    const text = 'x'.repeat(200);
    expect(shorten(text, 20)).toMatch(/^x{12}-[0-9a-f]{7}$/);
    expect(shorten('short', 20)).toBe('short');
  });

  test.each<[string, Array<[string, boolean]>, string]>([
    [
      'leading separators of the first non-empty part',
      [
        ['', false],
        ['-.x', true],
        ['-y', false],
      ],
      'x-y',
    ],
    ['nothing left', [['--', true]], ''],
  ])('%s', (_name, parts, tag) => {
    expect(fitTag(parts.map(([text, derived]) => ({ text, derived })))).toEqual({ tag });
  });

  test('a written tag over 128 characters overflows', () => {
    expect(fitTag([{ text: 'a'.repeat(129), derived: false }])).toEqual({
      overflow: 'a'.repeat(129),
    });
  });
});

describe('outputs', () => {
  const meta = computeMeta(
    {
      images: ['user/app'],
      tags: ['type=ref,event=branch', 'type=raw,my'],
      flavor: [],
      labels: ['foo=bar=baz'],
      annotations: [],
      tagPattern: '',
    },
    contextFrom(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/dev', GITHUB_SHA: 'abc' },
      {},
      new Date(),
    ),
    new Date('2020-01-10T00:30:00Z'),
    { annotationLevels: ['manifest'] },
  );

  test('joined with the separators', () => {
    const out = metaOutputs(meta, { tags: ',', labels: '\n', annotations: ' ' });
    expect(out.version).toBe('dev');
    expect(out.tags).toBe('user/app:dev,user/app:my');
    expect(out['tag-names']).toBe('dev,my');
    expect(out.labels.split('\n')[0]).toBe('foo=bar=baz');
    expect(out.annotations.split(' ')[0]).toBe(
      'manifest:org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
    );
  });

  test('json as metadata-action', () => {
    const json = JSON.parse(
      metaOutputs(meta, { tags: '\n', labels: '\n', annotations: '\n' }).json,
    ) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['tags', 'tag-names', 'labels', 'annotations']);
    expect(json.tags).toEqual(['user/app:dev', 'user/app:my']);
    expect(json['tag-names']).toEqual(['dev', 'my']);
    expect(json.labels).toMatchObject({
      foo: 'bar=baz',
      'org.opencontainers.image.version': 'dev',
    });
    expect(json.annotations).toHaveLength(8);
  });
});
