// cosign 3 for the signing tests: the binary scripts/engine.sh install extracts beside the
// containerd-store engine, a key pair made with it, and the checks a consumer runs.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from './paths.js';

const run = promisify(execFile);

/** cosign 3.1.1 from Debian unstable (ENGINE.md "Signing"). */
export const COSIGN = join(
  process.env.ENGINE_HOME || '/opt/btp-engine',
  'containerd',
  'root',
  'usr',
  'bin',
  'cosign',
);

/** A cosign key pair in a temp directory of its own. */
export interface KeyPair {
  dir: string;
  /** The PEM text of `cosign.key`, as a user puts it in a secret. */
  privateKey: string;
  privateKeyFile: string;
  publicKeyFile: string;
}

/** `cosign generate-key-pair` with `password`, in a new temp directory named after `label`. */
export async function generateKeyPair(password: string, label: string): Promise<KeyPair> {
  const dir = await makeTempDir(label);
  await run(COSIGN, ['generate-key-pair'], {
    cwd: dir,
    env: { ...process.env, COSIGN_PASSWORD: password },
  });
  const privateKeyFile = join(dir, 'cosign.key');
  return {
    dir,
    privateKey: await readFile(privateKeyFile, 'utf8'),
    privateKeyFile,
    publicKeyFile: join(dir, 'cosign.pub'),
  };
}

/** Runs cosign with `env` over the test's own; the exit code and all it printed. */
export async function runCosign(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(COSIGN, args, { env: { ...process.env, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/**
 * `cosign verify --key` of `ref` (`image@digest`) with no transparency log, as the action's
 * verify command for a `sign-key` reads, logged in through `dockerConfig`.
 */
export function verifyWithKey(
  ref: string,
  publicKeyFile: string,
  dockerConfig: string,
): Promise<{ code: number; out: string }> {
  return runCosign(
    [
      'verify',
      '--key',
      publicKeyFile,
      '--insecure-ignore-tlog=true',
      '--allow-http-registry',
      '--allow-insecure-registry',
      ref,
    ],
    { DOCKER_CONFIG: dockerConfig },
  );
}
