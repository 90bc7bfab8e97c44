// docker-credential-build-tag-push: the credential helper the action's own Docker config names
// for the registries whose login an earlier step left in the user's Docker config (docker
// login, docker/login-action, a credential helper or store). docker and buildx run it as
// `<helper> get` with the registry on stdin; it answers from the action's own logins, else from
// the user's config as docker would (auths, credHelpers, credsStore), so no secret of the
// user's is ever copied to a file. Arguments: the user's config dir, the action's config dir,
// the action. It only reads: `store` and `erase` do nothing.
import { credentialsFromConfig, keyHost, storedLogin } from './docker/credentials.js';
import { errorText } from './error-text.js';

async function main(): Promise<number> {
  const [userDir = '', ownDir = '', action = ''] = process.argv.slice(2);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const input = Buffer.concat(chunks).toString('utf8').trim();
  if (action === 'list') {
    process.stdout.write('{}\n');
    return 0;
  }
  if (action !== 'get') return 0;
  const registry = keyHost(input);
  const own = credentialsFromConfig(ownDir)(registry);
  const found = own ?? (await storedLogin(userDir, registry))?.credentials;
  if (!found) {
    // docker-credential-helpers' answer for "nothing stored": docker then goes anonymous.
    process.stdout.write('credentials not found in native keychain\n');
    return 1;
  }
  const answer = found.identityToken
    ? { ServerURL: input, Username: '<token>', Secret: found.identityToken }
    : { ServerURL: input, Username: found.username, Secret: found.password };
  process.stdout.write(JSON.stringify(answer) + '\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`docker-credential-build-tag-push: ${errorText(error)}\n`);
    process.exit(1);
  },
);
