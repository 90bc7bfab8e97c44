import { contextFrom } from '../../src/context/context.js';
import { computeMeta, type TagInputs } from '../../src/tags/index.js';

// Every invalid input gives one line naming the input, the bad value and what is expected.
const context = contextFrom(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_SHA: 'abc' },
  {},
  new Date('2024-01-01T00:00:00Z'),
);

function run(over: Partial<TagInputs>, annotationLevels?: string[]): unknown {
  return computeMeta(
    {
      images: ['a/b'],
      tags: ['type=sha'],
      flavor: [],
      labels: [],
      annotations: [],
      tagPattern: '',
      ...over,
    },
    context,
    new Date('2024-01-01T00:00:00Z'),
    { annotationLevels },
  );
}

describe('tags', () => {
  test.each<[string, string]>([
    [
      'type=semvr,pattern={{version}}',
      'tags: unknown type "semvr" in "type=semvr,pattern={{version}}"; expected one of schedule, semver, pep440, match, edge, ref, raw, sha',
    ],
    [
      'type=ref',
      'tags: type=ref needs an event in "type=ref"; expected event=branch, event=tag or event=pr',
    ],
    [
      'type=ref,event=push',
      'tags: unknown event "push" in "type=ref,event=push"; expected one of branch, tag, pr',
    ],
    [
      'type=sha,format=medium',
      'tags: unknown format "medium" in "type=sha,format=medium"; expected format=short or format=long',
    ],
    [
      'type=raw,value=x,priority=high',
      'tags: invalid priority "high" in "type=raw,value=x,priority=high"; expected a whole number such as 500',
    ],
    [
      'type=raw,value=x,enable=yes',
      'tags: invalid enable "yes" in "type=raw,value=x,enable=yes"; expected enable=true or enable=false, after expressions such as {{is_default_branch}}',
    ],
    [
      'type=raw,value=x,enable={{branch}}',
      'tags: invalid enable "" (from "{{branch}}") in "type=raw,value=x,enable={{branch}}"; expected enable=true or enable=false, after expressions such as {{is_default_branch}}',
    ],
    [
      'type=match,pattern=v(',
      'tags: invalid regular expression "v(" (Unterminated group) in "type=match,pattern=v("; expected a JavaScript regular expression',
    ],
    [
      'type=match',
      'tags: type=match needs a pattern in "type=match"; expected pattern=<regular expression>, e.g. pattern=v(\\d+\\.\\d+\\.\\d+),group=1',
    ],
    [
      'type=match,pattern=v(.*),group=one',
      'tags: invalid group "one" in "type=match,pattern=v(.*),group=one"; expected a capture group number such as 0 or 1',
    ],
    [
      'type=semver,pattern={{version}},match=[',
      'tags: invalid regular expression "[" (Unterminated character class) in "type=semver,pattern={{version}},match=["; expected a JavaScript regular expression',
    ],
    [
      'type=raw',
      'tags: type=raw needs a value in "type=raw"; expected type=raw,value=<tag> or type=raw,<tag>',
    ],
    [
      'type=raw,value=a,value=b',
      'tags: attribute "value" is given twice in "type=raw,value=a,value=b"; expected each attribute once',
    ],
    [
      'type=raw,a,b',
      'tags: "b" is a second value in "type=raw,a,b"; expected one value (one tag) per line',
    ],
    ['type=raw,=x', 'tags: "=x" has no attribute name in "type=raw,=x"; expected key=value'],
    [
      'type=raw,"value=x',
      'tags: a double quote is not closed in "type=raw,"value=x"; expected a closing "',
    ],
    [
      'type=raw,"value=x"y',
      'tags: unexpected text after a closing quote in "type=raw,"value=x"y"; expected a comma after a quoted field',
    ],
    [
      'type=raw,value={{foo}}',
      'tags: unknown expression {{foo}} in "type=raw,value={{foo}}"; expected one of branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, run_number, date, commit_date',
    ],
    [
      'type=raw,value={{branch x}}',
      'tags: {{branch x}} takes no arguments in "type=raw,value={{branch x}}"; expected {{branch}}',
    ],
    [
      'type=raw,value={{branch',
      'tags: "{{" without a closing "}}" in "type=raw,value={{branch"; expected expressions written as {{name}}',
    ],
    [
      'type=raw,value={{}}',
      'tags: expression {{}} does not start with a name in "type=raw,value={{}}"; expected for example {{branch}}',
    ],
    [
      "type=raw,value={{date 'YYYY' tz='Mars/Base'}}",
      "tags: {{date 'YYYY' tz='Mars/Base'}} has an unknown time zone \"Mars/Base\" in \"type=raw,value={{date 'YYYY' tz='Mars/Base'}}\"; expected an IANA time zone name such as UTC or Asia/Tokyo",
    ],
    [
      "type=raw,value={{date 'YYYY' zone='UTC'}}",
      "tags: {{date 'YYYY' zone='UTC'}} has an unknown option \"zone\" in \"type=raw,value={{date 'YYYY' zone='UTC'}}\"; expected tz='<time zone>'",
    ],
    [
      "type=raw,value={{date 'YYYY' 'MM'}}",
      "tags: {{date 'YYYY' 'MM'}} has more than one format in \"type=raw,value={{date 'YYYY' 'MM'}}\"; expected {{date 'FORMAT'}}",
    ],
    [
      "type=raw,value={{'x'}}",
      "tags: expression {{'x'}} does not start with a name in \"type=raw,value={{'x'}}\"; expected for example {{branch}}",
    ],
    [
      'type=semver,pattern={{foo}}',
      'tags: unknown expression {{foo}} in "type=semver,pattern={{foo}}"; expected one of branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, run_number, raw, version, major, minor, patch, date, commit_date',
    ],
  ])('%s', (line, message) => {
    expect(() => run({ tags: [line] })).toThrow(new Error(message));
  });
});

describe('tags: what metadata-action ignores is a warning naming it', () => {
  test.each<[string, string[], string]>([
    [
      'type=sha,foo',
      ['sha-abc'],
      'tags: type=sha takes no bare value ("foo"); it is ignored, as metadata-action ignores it in "type=sha,foo"; expected attributes among type, enable, priority, prefix, suffix, moving, format',
    ],
    [
      'type=ref,event=tag,pattern=x',
      ['v1.0.0', 'latest'],
      'tags: type=ref has no attribute "pattern"; it is ignored, as metadata-action ignores it in "type=ref,event=tag,pattern=x"; expected attributes among type, enable, priority, prefix, suffix, moving, event',
    ],
    [
      'type=edge,onlatest=false',
      [],
      'tags: type=edge has no attribute "onlatest"; it is ignored, as metadata-action ignores it in "type=edge,onlatest=false"; expected attributes among type, enable, priority, prefix, suffix, moving, branch',
    ],
    [
      'type=semver,pattern=',
      [],
      'tags: the pattern is empty in "type=semver,pattern=", so the rule gives no tag (as in metadata-action); expected a pattern such as {{version}} or {{major}}.{{minor}}',
    ],
  ])('%s', (line, tagNames, warning) => {
    const meta = run({ tags: [line] }) as { tagNames: string[]; warnings: string[] };
    expect(meta.tagNames).toEqual(tagNames);
    expect(meta.warnings).toEqual([warning]);
  });
});

describe('flavor', () => {
  test.each<[string, string]>([
    [
      'latest=maybe',
      'flavor: invalid latest "maybe" in "latest=maybe"; expected latest=auto, latest=true or latest=false',
    ],
    [
      'onlatest=true',
      'flavor: onlatest without a prefix or suffix on the same line in "onlatest=true"; expected prefix=...,onlatest=true or suffix=...,onlatest=true',
    ],
    [
      'prefix=x,onlatest=yes',
      'flavor: invalid onlatest "yes" in "prefix=x,onlatest=yes"; expected onlatest=true or onlatest=false',
    ],
    [
      'foo=bar',
      'flavor: unknown key "foo" in "foo=bar"; expected one of latest, prefix, suffix, onlatest',
    ],
    ['prefix', 'flavor: "prefix" is not a key=value pair in "prefix"; expected key=value'],
    [
      'prefix={{nope}}',
      'flavor: unknown expression {{nope}} in "prefix={{nope}}"; expected one of branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, run_number, date, commit_date',
    ],
  ])('%s', (line, message) => {
    expect(() => run({ flavor: [line] })).toThrow(new Error(message));
  });
});

describe('images', () => {
  test.each<[string, string]>([
    [
      'Foo Bar',
      'images: invalid image name "Foo Bar"; expected [registry[:port]/]path such as ghcr.io/owner/app, with path parts of letters and digits joined by ".", "_", "__" or "-"',
    ],
    [
      'ghcr.io/acme/app:1.0',
      'images: image name "ghcr.io/acme/app:1.0" has a tag or digest; expected a name without :tag or @digest (tags come from the tags input)',
    ],
    [
      'ghcr.io/acme/app@sha256:abc',
      'images: image name "ghcr.io/acme/app@sha256:abc" has a tag or digest; expected a name without :tag or @digest (tags come from the tags input)',
    ],
    [
      'name=a/b,enable=maybe',
      'images: invalid enable "maybe" in "name=a/b,enable=maybe"; expected enable=true or enable=false',
    ],
    [
      'name=a/b,tag=x',
      'images: unknown attribute "tag" in "name=a/b,tag=x"; expected name=<image> and enable=<true|false>',
    ],
    [
      'enable=true',
      'images: no image name in "enable=true"; expected name=<image> or the bare name',
    ],
    ['a/b,c/d', 'images: more than one image name in "a/b,c/d"; expected one name per entry'],
    [
      '-app',
      'images: invalid image name "-app"; expected [registry[:port]/]path such as ghcr.io/owner/app, with path parts of letters and digits joined by ".", "_", "__" or "-"',
    ],
    [
      'ghcr.io/acme//app',
      'images: invalid image name "ghcr.io/acme//app"; expected [registry[:port]/]path such as ghcr.io/owner/app, with path parts of letters and digits joined by ".", "_", "__" or "-"',
    ],
  ])('%s', (line, message) => {
    expect(() => run({ images: [line] })).toThrow(new Error(message));
  });
});

test('tag-pattern', () => {
  expect(() => run({ tagPattern: '^app-v(' })).toThrow(
    new Error(
      'tag-pattern: invalid regular expression "^app-v(" (Unterminated group); expected a JavaScript regular expression',
    ),
  );
});

describe('labels', () => {
  test.each<[string, string]>([
    [
      'a={{nope}}',
      'labels: unknown expression {{nope}} in "a={{nope}}"; expected one of branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, run_number, date, commit_date',
    ],
    ['=x', 'labels: no key before "=" in "=x"; expected key=value'],
  ])('%s', (line, message) => {
    expect(() => run({ labels: [line] })).toThrow(new Error(message));
  });
});

describe('annotations', () => {
  test.each<[string, string]>([
    [
      'a={{date}',
      'annotations: "{{" without a closing "}}" in "a={{date}"; expected expressions written as {{name}}',
    ],
  ])('%s', (line, message) => {
    expect(() => run({ annotations: [line] })).toThrow(new Error(message));
  });
});

test('annotation levels', () => {
  expect(() => run({}, ['foo'])).toThrow(
    new Error(
      'annotations: unknown level "foo"; expected manifest, index, manifest-descriptor or index-descriptor',
    ),
  );
});

describe('user regular expressions are bounded in time', () => {
  const longTag = contextFrom(
    { GITHUB_EVENT_NAME: 'push', GITHUB_REF: `refs/tags/v${'1'.repeat(40)}x`, GITHUB_SHA: 'abc' },
    {},
    new Date('2024-01-01T00:00:00Z'),
  );
  const meta = (over: Partial<TagInputs>) => () =>
    computeMeta(
      {
        images: ['a/b'],
        tags: ['type=sha'],
        flavor: [],
        labels: [],
        annotations: [],
        tagPattern: '',
        ...over,
      },
      longTag,
      new Date('2024-01-01T00:00:00Z'),
    );

  test.each<[string, Partial<TagInputs>, RegExp]>([
    [
      'tag-pattern',
      { tagPattern: '^v(\\d+)+$', tags: ['type=semver,pattern={{version}}'] },
      /^tag-pattern: the regular expression "\^v\(\\d\+\)\+\$" takes more than 1 s on "v1{40}x"/,
    ],
    [
      'a match rule',
      { tags: ['type=match,pattern=^v(\\d+)+$,group=1'] },
      /^tags: the regular expression .* takes more than 1 s .* in "type=match/,
    ],
  ])('%s: a backtracking expression fails within its limit', (_name, over, message) => {
    const started = Date.now();
    expect(meta(over)).toThrow(message);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
