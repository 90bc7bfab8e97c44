import {
  checkNotMixed,
  normalizeAuthRegistry,
  parseRegistryAuth,
  type RegistryAuth,
} from '../../src/inputs/registry-auth.js';

/** Parses and returns what was masked, in order. */
function parse(text: string): { logins: RegistryAuth[]; masked: string[] } {
  const masked: string[] = [];
  return { logins: parseRegistryAuth(text, (s) => masked.push(s)), masked };
}

/** The error of a parse, and what was masked before it. */
function failure(text: string): { message: string; masked: string[] } {
  const masked: string[] = [];
  try {
    parseRegistryAuth(text, (s) => masked.push(s));
  } catch (error) {
    return { message: (error as Error).message, masked };
  }
  throw new Error('expected the parse to fail');
}

describe('parseRegistryAuth', () => {
  test('empty: no logins', () => {
    expect(parse('')).toEqual({ logins: [], masked: [] });
    expect(parse('  \n')).toEqual({ logins: [], masked: [] });
  });

  test('Docker Hub and GHCR, block style; every password masked', () => {
    const { logins, masked } = parse(`
- registry: docker.io
  username: acme
  password: dckr_pat_abc
- registry: https://ghcr.io/
  username: octocat
  password: ghp_xyz
`);
    expect(logins).toEqual([
      { registry: 'docker.io', username: 'acme', password: 'dckr_pat_abc' },
      { registry: 'ghcr.io', username: 'octocat', password: 'ghp_xyz' },
    ]);
    expect(masked).toContain('dckr_pat_abc');
    expect(masked).toContain('ghp_xyz');
  });

  test('flow style, and scalars stay as written (failsafe schema)', () => {
    const { logins } = parse(
      `[{registry: "127.0.0.1:5000", username: 007, password: 0123}, {registry: quay.io, username: "true", password: yes}]`,
    );
    expect(logins).toEqual([
      { registry: '127.0.0.1:5000', username: '007', password: '0123' },
      { registry: 'quay.io', username: 'true', password: 'yes' },
    ]);
  });

  test('a password written with toJSON(secrets.X) (a JSON string) is read back exactly', () => {
    const secret = "a\"b: #c\\d\u00e9 'q'";
    const { logins, masked } = parse(
      `- registry: quay.io\n  username: u\n  password: ${JSON.stringify(secret)}\n`,
    );
    expect(logins[0].password).toBe(secret);
    expect(masked).toContain(secret);
  });

  test('an entry without registry is Docker Hub, as in docker/login-action', () => {
    expect(parse('- username: u\n  password: p4ss').logins).toEqual([
      { registry: 'docker.io', username: 'u', password: 'p4ss' },
    ]);
  });

  test('ghcr.io may leave username and password to the actor and github-token', () => {
    expect(parse('- registry: ghcr.io').logins).toEqual([
      { registry: 'ghcr.io', username: '', password: '' },
    ]);
  });

  test.each([
    ['index.docker.io', 'docker.io'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['HTTPS://GHCR.IO/', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
  ])('normalizeAuthRegistry(%j) is %j', (value, expected) => {
    expect(normalizeAuthRegistry(value)).toBe(expected);
  });

  const SECRET = 'S3cr3t-never-shown';
  test.each<[string, string, string]>([
    [
      'not YAML',
      `- registry: quay.io\n  password: ${SECRET}\n   username: [oops`,
      'registry-auth: invalid YAML at line 2, column 13; expected a YAML list of logins',
    ],
    [
      'a key given twice',
      `- registry: quay.io\n  password: ${SECRET}\n  password: ${SECRET}2`,
      'registry-auth: a key given twice at line 3, column 3; expected a YAML list of logins',
    ],
    [
      'a mapping, not a list',
      `registry: quay.io\nusername: u\npassword: ${SECRET}`,
      'registry-auth: not a list; expected a YAML list of logins, each with registry, username and password keys: "- registry: ghcr.io" then "  username: ..." and "  password: ..." lines',
    ],
    ['a plain string', SECRET, 'registry-auth: not a list; expected'],
    [
      'an entry that is not a mapping',
      `- registry: quay.io\n  username: u\n  password: p\n- ${SECRET}`,
      'registry-auth: entry 2 is not a mapping; expected registry, username and password keys',
    ],
    [
      'an unknown key',
      `- registry: quay.io\n  username: u\n  passwd: ${SECRET}`,
      'registry-auth: entry 1 has an unknown key "passwd"; expected registry, username and password',
    ],
    [
      'a password that is a list',
      `- registry: quay.io\n  username: u\n  password: [${SECRET}]`,
      'registry-auth: entry 1: password is not a single value; expected a string',
    ],
    [
      'a registry with a path',
      `- registry: quay.io/acme/app\n  username: u\n  password: ${SECRET}`,
      'registry-auth: entry 1: registry "quay.io/acme/app" is not a registry host; expected a host such as ghcr.io, docker.io or host:port, without a path',
    ],
    [
      'no password',
      `- registry: ghcr.io\n- registry: quay.io\n  username: u`,
      'registry-auth: entry 2 (quay.io) has no password; expected registry, username and password (only ghcr.io defaults them to the actor and github-token)',
    ],
    [
      'an empty password',
      `- registry: quay.io\n  username: u\n  password: ""`,
      'registry-auth: entry 1 (quay.io) has no password',
    ],
    [
      'no username',
      `- registry: docker.io\n  password: ${SECRET}`,
      'registry-auth: entry 1 (docker.io) has no username',
    ],
    [
      'one registry twice',
      `- {registry: quay.io, username: a, password: ${SECRET}}\n- {registry: "https://quay.io", username: b, password: c}`,
      'registry-auth: entry 2 repeats registry quay.io (entry 1); give each registry once',
    ],
    ['an empty list', '[]', 'registry-auth: the list is empty'],
  ])('%s: a clear error naming the entry, never the password', (_name, text, message) => {
    const { message: actual, masked } = failure(text);
    expect(actual).toContain(message);
    expect(actual).not.toContain(SECRET);
    // Whatever password could be read was masked before the error.
    if (text.includes(`password: ${SECRET}`) && !text.includes('password: [')) {
      expect(masked).toContain(SECRET);
    }
  });

  test('a multi-line password is masked whole and line by line', () => {
    const { masked } = parse(
      '- registry: quay.io\n  username: u\n  password: |\n    line-one\n    line-two\n',
    );
    expect(masked).toEqual(['line-one\nline-two', 'line-one', 'line-two']);
  });
});

describe('checkNotMixed', () => {
  const auth = [{ registry: 'quay.io', username: 'u', password: 'p' }];
  const none = { registry: '', username: '', password: '' };
  test('registry-auth alone, or the single login alone, is fine', () => {
    expect(() => checkNotMixed(auth, none)).not.toThrow();
    expect(() =>
      checkNotMixed([], { registry: 'ghcr.io', username: 'a', password: 'b' }),
    ).not.toThrow();
  });
  test('both: an error naming the inputs that are set, no value', () => {
    expect(() =>
      checkNotMixed(auth, { registry: 'ghcr.io', username: '', password: 'hunter2' }),
    ).toThrow(
      /^registry-auth: cannot be combined with registry, password; move that login into registry-auth as one more entry, or use registry, username and password alone$/,
    );
  });
});
