// The OCI metadata on the index of a two-platform build (containerd store: the docker driver
// builds several platforms there), as well as on each platform's manifest; an `index:`
// annotation of the user overrides the default. The merge of platform jobs (both stores) is
// checked in merge.test.ts.
import { jest } from '@jest/globals';
import {
  assertNoSecrets,
  containerdStore,
  platformContext,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startRegistry,
  type ActionRun,
  type Registry,
} from './harness/index.js';

jest.setTimeout(600_000);

const user = 'annotator';
const password = 'pw-index-annotations-Hq27';
const token = 'ghs_e2eIndexAnnotationsTokenNotShown';
let registry: Registry;
const runs: ActionRun[] = [];

beforeAll(async () => {
  registry = await startRegistry({ user, password });
});

afterAll(async () => {
  await registry?.stop();
  assertNoSecrets(runs, { password, token });
  await removeTempDirs();
});

const OCI = 'org.opencontainers.image';

(containerdStore() ? test : test.skip)(
  'two platforms: the index carries description, source, licenses, revision, version and created; an index: annotation overrides',
  async () => {
    const repo = 'acme/annotated';
    const sha = '61'.repeat(20);
    const main = await runAction({
      token,
      event: pushEvent('refs/tags/v6.1.0', { sha }),
      inputs: {
        images: `${registry.url}/${repo}`,
        registry: registry.url,
        username: user,
        password,
        context: await platformContext(),
        platforms: 'linux/amd64,linux/arm64',
        annotations: `index:${OCI}.licenses=Apache-2.0`,
        'artifact-name': '',
      },
    });
    runs.push(main, await runPost(main));
    expect(main.exitCode).toBe(0);
    const index = await registry.manifest(repo, '6.1.0');
    expect(index?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const annotations = index?.body.annotations as Record<string, string>;
    expect(annotations).toMatchObject({
      [`${OCI}.description`]: 'An example app',
      [`${OCI}.source`]: 'https://github.com/acme/app',
      [`${OCI}.revision`]: sha,
      [`${OCI}.version`]: '6.1.0',
      [`${OCI}.licenses`]: 'Apache-2.0',
    });
    expect(Date.parse(annotations[`${OCI}.created`])).not.toBeNaN();
    // Each platform's manifest keeps them too (title and url there only).
    const manifests = index?.body.manifests as { digest: string; platform?: { os: string } }[];
    const image = manifests.find((m) => m.platform?.os === 'linux')!;
    const child = await registry.manifest(repo, image.digest);
    expect(child?.body.annotations).toMatchObject({
      [`${OCI}.description`]: 'An example app',
      [`${OCI}.title`]: 'app',
      [`${OCI}.version`]: '6.1.0',
    });
  },
);
