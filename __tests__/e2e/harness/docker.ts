import { spawn } from 'node:child_process';

/** The result of one `docker` command. */
export interface DockerResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link docker}. */
export interface DockerOptions {
  /** Written to the command's stdin (e.g. a password for `login --password-stdin`). */
  input?: string;
  /** Extra environment (e.g. a DOCKER_CONFIG of the test's own). */
  env?: Record<string, string>;
  cwd?: string;
  /** Throw when the command fails (default true). */
  check?: boolean;
}

/** Runs the docker CLI; throws with its stderr when it fails unless `check: false`. */
export async function docker(args: string[], options: DockerOptions = {}): Promise<DockerResult> {
  const child = spawn('docker', args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end(options.input ?? '');
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const result = {
    exitCode,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
  if (exitCode !== 0 && options.check !== false) {
    throw new Error(`docker ${args.join(' ')} exited ${exitCode}: ${result.stderr.trim()}`);
  }
  return result;
}

/** True when a Docker engine answers and buildx is installed. */
export async function engineReady(): Promise<boolean> {
  try {
    const [info, buildx] = await Promise.all([
      docker(['info', '--format', '{{.ServerVersion}}'], { check: false }),
      docker(['buildx', 'version'], { check: false }),
    ]);
    return info.exitCode === 0 && buildx.exitCode === 0;
  } catch {
    return false; // no docker CLI at all
  }
}
