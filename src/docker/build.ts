import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { engineUnreachable } from './builder.js';
import { dockerEnv } from './config.js';
import { streamed } from './streamed.js';

export interface BuildOptions {
  /** The action's Docker config directory (logins, plugins). */
  dockerConfig: string;
  /** The `--metadata-file` and `--iidfile` paths given in the arguments. */
  metadataFile: string;
  iidFile: string;
  cwd?: string;
}

export interface BuildResult {
  /** `containerimage.digest`: the manifest (or index) digest; empty when buildx reports none. */
  digest: string;
  /** The image ID (config digest), from the iidfile or `containerimage.config.digest`. */
  imageId: string;
  /** buildx's metadata file, as written. */
  metadata: string;
  durationMs: number;
}

// Enough lines to hold buildx's error block (the failing step, its output and the Dockerfile excerpt).
const KEPT_LINES = 400;
const CONTEXT_LINES = 6;
const MAX_ERROR_LINES = 40;

/**
 * Runs `docker <args>` (from buildxArgs) with the action's DOCKER_CONFIG, output streamed to the
 * log. On failure the error carries buildx's own error lines. Reads the metadata file and iidfile.
 */
export async function build(args: string[], options: BuildOptions): Promise<BuildResult> {
  const start = Date.now();
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > KEPT_LINES) tail.shift();
  };
  const exitCode = await streamed(args, {
    env: dockerEnv(options.dockerConfig),
    cwd: options.cwd,
    onLine: keep,
  });
  const durationMs = Date.now() - start;
  if (exitCode !== 0) {
    // buildx is not probed before the build (a process on every run): a missing plugin shows here.
    if (tail.some(isMissingBuildx)) {
      const { requireBuildx } = await import('../tools/buildx-release.js');
      requireBuildx(undefined, undefined); // throws what to do
    }
    // Not the build's fault: the engine is away, and the error says where the action looked.
    const unreachable = engineUnreachable(tail.join('\n'), process.env.DOCKER_HOST);
    if (unreachable) throw new Error(unreachable);
    // An input this buildx or engine cannot do: the error names the input, not only the flag.
    const unsupported = unsupportedInput(tail);
    if (unsupported) throw new Error(unsupported);
    const lines = errorLines(tail);
    throw new Error(
      `docker buildx build failed (exit code ${exitCode})${lines.length > 0 ? `:\n${lines.join('\n')}` : ''}`,
    );
  }

  const metadata = readOptional(options.metadataFile);
  const parsed = parseMetadata(metadata);
  const imageId = readOptional(options.iidFile).trim() || parsed.configDigest;
  core.debug(`build metadata: ${metadata}`);
  return { digest: parsed.digest, imageId, metadata, durationMs };
}

// The inputs behind buildx flags that older buildx releases do not have.
const FLAG_INPUTS: Record<string, string> = {
  call: 'call (buildx 0.15 or later)',
  'shm-size': 'shm-size',
  ulimit: 'ulimit',
  'no-cache-filter': 'no-cache-filters',
  attest: 'attests',
  annotation: 'annotations',
  'build-context': 'build-contexts',
  'cgroup-parent': 'cgroup-parent',
  sbom: 'sbom',
  provenance: 'provenance',
  'add-host': 'add-hosts',
  allow: 'allow',
  ssh: 'ssh',
  network: 'network',
};

/**
 * The error for a build that failed because this buildx or engine cannot do what an input
 * asks (a flag it does not know, an exporter its driver lacks); undefined otherwise. Pure.
 */
export function unsupportedInput(output: string[]): string | undefined {
  const text = output.join('\n');
  const flag = /unknown flag: --([\w-]+)/.exec(text)?.[1];
  if (flag) {
    const input = FLAG_INPUTS[flag] ?? flag;
    return `${input}: the buildx of this runner does not know --${flag}; expected a newer buildx: set buildx-version: latest, or leave ${input.split(' ')[0]} out`;
  }
  const exporter = /(OCI|\w+) exporter is not supported for the docker driver/i.exec(text)?.[1];
  if (exporter) {
    return `outputs: the docker driver of this engine (the classic image store) cannot export type=${exporter.toLowerCase()}; expected the containerd image store, a docker-container builder (docker/setup-buildx-action), or type=docker,dest=FILE (a docker save tarball)`;
  }
  return undefined;
}

/** Whether a line of docker's output says that it has no buildx plugin (docker 20 to 28). Pure. */
export function isMissingBuildx(line: string): boolean {
  return /'buildx' is not a docker command|unknown command: docker buildx\b/.test(line);
}

/** The digests in buildx's metadata file (`containerimage.digest`, `containerimage.config.digest`). Pure. */
export function parseMetadata(text: string): { digest: string; configDigest: string } {
  if (!text.trim()) return { digest: '', configDigest: '' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`buildx wrote a metadata file that is not JSON: ${text.slice(0, 200)}`);
  }
  const record =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const str = (key: string): string => (typeof record[key] === 'string' ? record[key] : '');
  return {
    digest: str('containerimage.digest'),
    configDigest: str('containerimage.config.digest'),
  };
}

/**
 * buildx's own error lines from the end of its output: every `ERROR:`/`error:` line with a few
 * lines before it (the failing step and its output), not only the last line. Pure.
 */
export function errorLines(output: string[]): string[] {
  const isError = (line: string): boolean =>
    /(^|\s)(ERROR|error):/.test(line) || /^#\d+ ERROR\b/.test(line);
  const picked = new Set<number>();
  output.forEach((line, index) => {
    if (!isError(line)) return;
    for (let i = Math.max(0, index - CONTEXT_LINES); i <= index; i++) picked.add(i);
  });
  if (picked.size === 0) {
    // No marked line (an unusual failure): the last lines say the most.
    return output.filter((line) => line.trim() !== '').slice(-10);
  }
  const lines: string[] = [];
  let previous = -1;
  for (const i of [...picked].sort((a, b) => a - b)) {
    if (previous >= 0 && i > previous + 1) lines.push('...');
    previous = i;
    if (output[i].trim() !== '') lines.push(output[i]);
  }
  // The final lines hold the summary buildx prints last; keep those when there are too many.
  return lines.length > MAX_ERROR_LINES ? lines.slice(-MAX_ERROR_LINES) : lines;
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
