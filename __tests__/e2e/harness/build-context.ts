import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, removeTempDir } from './paths.js';

/** Where busybox-static puts its binary. */
export const busyboxPath = '/bin/busybox';

/**
 * The first lines of every test Dockerfile: an image with a shell and the
 * busybox tools, built from nothing (no registry is reachable to pull from).
 */
export const busyboxBase = [
  'FROM scratch',
  'COPY busybox /bin/busybox',
  'RUN ["/bin/busybox","--install","-s","/bin"]',
];

/** A Dockerfile of {@link busyboxBase} followed by `lines`. */
export function busyboxDockerfile(...lines: string[]): string {
  return [...busyboxBase, ...lines].join('\n') + '\n';
}

/** A build context on disk. */
export interface BuildContext {
  dir: string;
  /** Removes the directory (also done by `removeTempDirs()`). */
  remove(): Promise<void>;
}

/**
 * Writes a temporary build context: `busybox` (copied from /bin/busybox), a
 * `Dockerfile` (default: {@link busyboxDockerfile} with `CMD ["sh"]`), and
 * `files` (paths relative to the context, directories made as needed; a
 * `Dockerfile` entry replaces the default).
 */
export async function makeContext(
  files: Record<string, string | Buffer> = {},
): Promise<BuildContext> {
  await assertStaticBusybox();
  const dir = await makeTempDir('context');
  await copyFile(busyboxPath, join(dir, 'busybox'));
  const all = { Dockerfile: busyboxDockerfile('CMD ["sh"]'), ...files };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return { dir, remove: () => removeTempDir(dir) };
}

let checked = false;

async function assertStaticBusybox(): Promise<void> {
  if (checked) return;
  const missing = 'is needed for the test images: run scripts/engine.sh install (busybox-static)';
  await stat(busyboxPath).catch(() => {
    throw new Error(`${busyboxPath} ${missing}`);
  });
  // A dynamically linked busybox would not run in a FROM scratch image.
  const { stdout } = await promisify(execFile)('ldd', [busyboxPath]).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  if (/=>/.test(stdout))
    throw new Error(`${busyboxPath} is dynamically linked; a static one ${missing}`);
  checked = true;
}

/** Debian's arm64 static busybox, installed by scripts/engine.sh install. */
export const arm64BusyboxPath = join(
  process.env.ENGINE_HOME || '/opt/btp-engine',
  'arm64',
  'busybox',
);

/**
 * A context whose image prints its platform (`marker <uname -m> <TARGETARCH>` in /marker, its
 * CMD): each platform copies its own static busybox, so an arm64 build runs under QEMU. Unique
 * content per call. Returns the directory.
 */
export async function platformContext(): Promise<string> {
  const context = await makeContext({
    Dockerfile: [
      'FROM scratch',
      'ARG TARGETARCH',
      'COPY busybox-${TARGETARCH} /bin/busybox',
      'RUN ["/bin/busybox","--install","-s","/bin"]',
      'COPY id.txt /id.txt',
      'RUN echo "marker $(uname -m) $TARGETARCH" > /marker',
      'CMD ["cat", "/marker"]',
    ].join('\n'),
    'id.txt': `${randomUUID()}\n`,
  });
  await copyFile(join(context.dir, 'busybox'), join(context.dir, 'busybox-amd64'));
  await copyFile(arm64BusyboxPath, join(context.dir, 'busybox-arm64'));
  return context.dir;
}
