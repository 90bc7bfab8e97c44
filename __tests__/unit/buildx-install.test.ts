import {
  BUILDX_RELEASES,
  buildxArch,
  buildxDownload,
  buildxLatestUrl,
  compareVersions,
  parseBuildxVersion,
  parseChecksums,
  parseLatestLocation,
  requireBuildx,
} from '../../src/tools/buildx-release.js';

const AMD64 = '32ed111e941e385c2fb8261eba06a4056915718fd606f8278834ac1931d261a2';
const ARM64 = '138b587399b27bb61945a36d67866177b85dea1155101a2be63c7ab715f18a2e';

describe('buildxDownload', () => {
  test('GitHub release layout', () => {
    expect(buildxDownload('0.19.3', 'x64')).toEqual({
      assetName: 'buildx-v0.19.3.linux-amd64',
      assetUrl: `${BUILDX_RELEASES}/v0.19.3/buildx-v0.19.3.linux-amd64`,
      checksumsUrl: `${BUILDX_RELEASES}/v0.19.3/checksums.txt`,
    });
  });

  test.each([
    ['x64', 'linux', 'buildx-v0.19.3.linux-amd64'],
    ['arm64', 'linux', 'buildx-v0.19.3.linux-arm64'],
    ['arm', 'linux', 'buildx-v0.19.3.linux-arm-v7'],
    ['arm-v6', 'linux', 'buildx-v0.19.3.linux-arm-v6'],
    ['ppc64', 'linux', 'buildx-v0.19.3.linux-ppc64le'],
    ['s390x', 'linux', 'buildx-v0.19.3.linux-s390x'],
    ['riscv64', 'linux', 'buildx-v0.19.3.linux-riscv64'],
    ['arm64', 'darwin', 'buildx-v0.19.3.darwin-arm64'],
    ['x64', 'win32', 'buildx-v0.19.3.windows-amd64.exe'],
  ])('%s on %s: %s', (arch, platform, asset) => {
    expect(buildxDownload('0.19.3', arch, undefined, platform).assetName).toBe(asset);
  });

  test.each([
    ['https://mirror.example/buildx', 'https://mirror.example/buildx/v0.19.3/'],
    ['https://mirror.example/buildx/', 'https://mirror.example/buildx/v0.19.3/'],
    [
      'https://ghe.example/docker/buildx/releases/download',
      'https://ghe.example/docker/buildx/releases/download/v0.19.3/',
    ],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/v0.19.3/'],
    ['', `${BUILDX_RELEASES}/v0.19.3/`],
  ])('mirror %s', (mirror, prefix) => {
    const download = buildxDownload('v0.19.3', 'x64', mirror);
    expect(download.assetUrl).toBe(`${prefix}buildx-v0.19.3.linux-amd64`);
    expect(download.checksumsUrl).toBe(`${prefix}checksums.txt`);
  });

  test.each(['ftp://mirror.example/buildx', 'mirror.example/buildx', 'not a url'])(
    'mirror %s is refused',
    (mirror) => {
      expect(() => buildxDownload('0.19.3', 'x64', mirror)).toThrow(
        `buildx-mirror: "${mirror}" is not an https URL; expected the https base URL of a mirror laid out like ${BUILDX_RELEASES}`,
      );
    },
  );

  test.each(['http://mirror.example/buildx', 'http://10.0.0.5:8080'])(
    'plain http mirror %s is refused: the binary and its checksum would both travel unprotected',
    (mirror) => {
      expect(() => buildxDownload('0.19.3', 'x64', mirror)).toThrow(
        `buildx-mirror: "${mirror}" is plain http, where anyone on the path can replace both the binary and its checksum; expected the https base URL of a mirror laid out like ${BUILDX_RELEASES}`,
      );
    },
  );

  test.each([
    'http://127.0.0.1:8080',
    'http://localhost/buildx',
    'http://releases.e2e.localhost:9',
  ])('plain http to this machine (%s, a loopback name) is taken', (mirror) => {
    expect(buildxDownload('0.19.3', 'x64', mirror).assetUrl).toMatch(/^http:\/\//);
  });

  test('latest must be resolved first', () => {
    expect(() => buildxDownload('latest', 'x64')).toThrow(
      'buildx-version: "latest" is not a buildx release; expected a version such as 0.19.3',
    );
  });
});

describe('buildxArch', () => {
  test.each(['ia32', 'loong64', 'mips'])('%s has no buildx binary', (arch) => {
    expect(() => buildxArch(arch)).toThrow(
      `buildx-version: buildx publishes no binary for the architecture "${arch}"`,
    );
  });
});

describe('latest release', () => {
  test.each([
    [undefined, 'https://github.com/docker/buildx/releases/latest'],
    ['', 'https://github.com/docker/buildx/releases/latest'],
    [
      'https://ghe.example/docker/buildx/releases/download/',
      'https://ghe.example/docker/buildx/releases/latest',
    ],
    ['https://mirror.example/buildx', 'https://mirror.example/buildx/latest'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/latest'],
  ])('URL for mirror %s', (mirror, url) => {
    expect(buildxLatestUrl(mirror)).toBe(url);
  });

  test.each([
    ['https://github.com/docker/buildx/releases/tag/v0.19.3', '0.19.3'],
    ['/v0.13.1/', '0.13.1'],
    ['http://127.0.0.1:8080/v0.13.1', '0.13.1'],
    ['https://github.com/docker/buildx/releases/tag/v0.20.0-rc1', '0.20.0-rc1'],
    ['https://github.com/docker/buildx/releases', undefined],
    ['https://github.com/login?return_to=x', undefined],
  ])('version in redirect %s', (location, version) => {
    expect(parseLatestLocation(location)).toBe(version);
  });
});

describe('parseChecksums', () => {
  const file = [
    `${ARM64} *buildx-v0.19.3.linux-arm64`,
    `${AMD64} *buildx-v0.19.3.linux-amd64`,
    `${'0'.repeat(64)} *buildx-v0.19.3.linux-amd64.provenance.json`,
    '',
  ].join('\n');

  test('finds the asset line, binary mode', () => {
    expect(parseChecksums(file, 'buildx-v0.19.3.linux-amd64')).toBe(AMD64);
    expect(parseChecksums(file, 'buildx-v0.19.3.linux-arm64')).toBe(ARM64);
  });

  test('text mode, ./ prefix, CRLF and upper case hex', () => {
    const text = `${AMD64.toUpperCase()}  ./buildx-v0.19.3.linux-amd64\r\n`;
    expect(parseChecksums(text, 'buildx-v0.19.3.linux-amd64')).toBe(AMD64);
  });

  test.each([
    ['no line for the asset', 'buildx-v0.19.3.darwin-arm64'],
    ['a name that only starts like an asset', 'buildx-v0.19.3.linux'],
  ])('%s', (_, asset) => {
    expect(parseChecksums(file, asset)).toBeUndefined();
  });

  test('an HTML page is no checksums file', () => {
    expect(parseChecksums('<html>Not Found</html>', 'buildx-v0.19.3.linux-amd64')).toBeUndefined();
  });
});

describe('compareVersions', () => {
  test.each([
    ['0.19.3', '0.19.3', 0],
    ['v0.19.3', '0.19.3', 0],
    ['0.13.1+ds1', '0.13', 1],
    ['0.13.1', '0.14', -1],
    ['0.9.1', '0.10.0', -1],
    ['0.20.0-rc1', '0.20.0', -1],
    ['0.20.0', '0.19.3', 1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  test('not a version', () => {
    expect(() => compareVersions('unknown', '0.13')).toThrow(
      '"unknown" is not a version; expected one such as 0.19.3',
    );
  });
});

describe('parseBuildxVersion', () => {
  test.each([
    ['github.com/docker/buildx v0.19.3 48d6a39\n', '0.19.3'],
    ['github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3\n', '0.13.1+ds1'],
    ['github.com/docker/buildx v0.20.0-rc1 abcdef0', '0.20.0-rc1'],
    ['', undefined],
  ])('%j', (output, version) => {
    expect(parseBuildxVersion(output)).toBe(version);
  });
});

describe('requireBuildx', () => {
  const how = 'run docker/setup-buildx-action before this step';

  test('missing', () => {
    const fail = () => requireBuildx(undefined, undefined);
    expect(fail).toThrow(
      "docker buildx is not installed on this runner; set this action's buildx-version input (for example `buildx-version: latest`)",
    );
    expect(fail).toThrow(how);
    expect(fail).toThrow('docker-buildx-plugin');
  });

  test('missing, and a feature needs it', () => {
    expect(() => requireBuildx(undefined, { version: '0.15', feature: '--call' })).toThrow(
      'docker buildx is not installed on this runner (--call needs buildx >= 0.15); ' +
        "set this action's buildx-version input (for example `buildx-version: latest` or a release >= 0.15)",
    );
  });

  test('too old for a feature', () => {
    const fail = () => requireBuildx('0.13.1', { version: '0.14', feature: '--prefer-index' });
    expect(fail).toThrow('--prefer-index needs buildx >= 0.14, found 0.13.1; ');
    expect(fail).toThrow('`buildx-version: latest` or a release >= 0.14');
    expect(fail).toThrow(how);
  });

  test.each([
    ['0.13.1+ds1', undefined],
    ['0.13.1+ds1', { version: '0.13', feature: 'imagetools' }],
    ['0.19.3', { version: '0.19.3', feature: 'x' }],
  ])('%s is enough for %j', (found, needed) => {
    expect(requireBuildx(found, needed)).toBe(found);
  });
});
