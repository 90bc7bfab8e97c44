// `docker buildx bake`: the definition read (`--print`), and the targets of a chain built in one
// run, each child FROM its parent of the same build (bake's `target:` contexts).
import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { streamed } from './streamed.js';
import { readFileSync } from 'node:fs';
import { engineUnreachable } from './builder.js';
import { errorLines, parseMetadata } from './build.js';
import { dockerEnv } from './config.js';

export interface BakeOptions {
  dockerConfig: string;
  /** bake definition files (`files`); bake's defaults when empty. */
  files: string[];
  cwd?: string;
}

/** What bake built for one target. */
export interface BakeResult {
  /** `containerimage.digest`: the manifest (or index) digest. */
  digest: string;
  /** `containerimage.config.digest`. */
  configDigest: string;
  /** This target's part of the metadata file, as JSON. */
  metadata: string;
}

/**
 * The bake definition of `targets` (`docker buildx bake --print`), as JSON text: bake itself
 * reads the files, resolves variables, groups and inheritance, and refuses a missing file, an
 * unknown target or a cycle; its error is given with the input it concerns.
 */
export async function bakeDefinition(targets: string[], options: BakeOptions): Promise<string> {
  const args = ['buildx', 'bake', '--print', ...fileArgs(options.files), ...targets];
  const result = await exec.getExecOutput('docker', args, {
    env: dockerEnv(options.dockerConfig),
    cwd: options.cwd,
    ignoreReturnCode: true,
    silent: true,
  });
  if (result.exitCode !== 0) {
    const text = `${result.stderr}\n${result.stdout}`;
    throw new Error(bakeInputError(text, options.files, targets));
  }
  return result.stdout;
}

/**
 * The error of a failed `bake --print`, naming the input it concerns: a file that cannot be
 * read (`files`), a target that is not defined or a cycle (`targets`). Pure.
 */
export function bakeInputError(output: string, files: string[], targets: string[]): string {
  const error =
    output
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^ERROR:/.test(line))
      .pop()
      ?.replace(/^ERROR:\s*/, '') ??
    output.trim().split('\n').pop() ??
    '';
  if (/no such file|couldn't find|could not find|not found in/.test(error)) {
    return `files: ${error}; expected bake definition files that exist (given: ${files.join(', ') || "bake's defaults, such as docker-bake.hcl"})`;
  }
  if (/failed to find target|not found/.test(error)) {
    return `targets: ${error}; expected targets or groups of the bake definition (given: ${targets.join(', ') || 'default'})`;
  }
  if (/infinite loop|cycle/.test(error)) {
    return `targets: the bake targets are built FROM each other in a cycle (${error}); a chain must end at a target with no target: context`;
  }
  return `files: docker buildx bake could not read the definition: ${error}`;
}

/**
 * Builds `targets` in one bake run with the extra `--set` overrides and the flags given,
 * output streamed to the log; the metadata of each target. The error carries bake's own lines.
 */
export async function bake(
  targets: string[],
  flags: string[],
  metadataFile: string,
  options: BakeOptions,
): Promise<Map<string, BakeResult>> {
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > 400) tail.shift();
  };
  const args = [
    'buildx',
    'bake',
    ...fileArgs(options.files),
    '--metadata-file',
    metadataFile,
    ...flags,
    ...targets,
  ];
  const exitCode = await streamed(args, {
    env: dockerEnv(options.dockerConfig),
    cwd: options.cwd,
    onLine: keep,
  });
  if (exitCode !== 0) {
    const unreachable = engineUnreachable(tail.join('\n'), process.env.DOCKER_HOST);
    if (unreachable) throw new Error(unreachable);
    if (tail.some((line) => line.includes('moby.buildkit.frontend.contexts'))) {
      throw new Error(namedContextsError());
    }
    const asked = tail.join('\n').match(/--allow=(\S+)/g);
    if (tail.some((line) => line.includes('additional privileges requested')) && asked) {
      throw new Error(
        `allow: the bake definition reads outside the working directory and bake asks for ${asked.map((a) => a.slice('--allow='.length)).join(', ')}; add each to allow (one per line), or keep the contexts inside the repository`,
      );
    }
    const lines = errorLines(tail);
    throw new Error(
      `docker buildx bake failed (exit code ${exitCode})${lines.length > 0 ? `:\n${lines.join('\n')}` : ''}`,
    );
  }
  const text = readFileSync(metadataFile, 'utf8');
  core.debug(`bake metadata: ${text}`);
  return parseBakeMetadata(text);
}

/** Each target's digests in bake's metadata file (one object per target). Pure. */
export function parseBakeMetadata(text: string): Map<string, BakeResult> {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const results = new Map<string, BakeResult>();
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'object' || value === null || name.startsWith('buildx.')) continue;
    const metadata = JSON.stringify(value);
    const { digest, configDigest } = parseMetadata(metadata);
    results.set(name, { digest, configDigest, metadata });
  }
  return results;
}

/** The error for a chain on a BuildKit without named contexts (the classic engine's 0.8). */
export function namedContextsError(version = ''): string {
  return `targets: the builder's BuildKit${version ? ` ${version}` : ''} cannot read named contexts (target: contexts need BuildKit 0.10 or later); expected the containerd image store (Docker 29, ubuntu-latest), a newer Docker engine, or a docker-container or remote builder (docker/setup-buildx-action, then builder:)`;
}

/** Whether a BuildKit version (`docker buildx inspect`'s, such as v0.8+unknown) lacks named contexts. Pure. */
export function lacksNamedContexts(version: string): boolean {
  const match = /^v?0\.(\d+)/.exec(version.trim());
  return match !== null && Number(match[1]) > 0 && Number(match[1]) < 10;
}

/** The BuildKit version of a builder (`docker buildx inspect`), such as v0.8+unknown; '' if not shown. */
export async function builderBuildkit(dockerConfig: string, builder: string): Promise<string> {
  const result = await exec.getExecOutput(
    'docker',
    ['buildx', 'inspect', ...(builder ? [builder] : [])],
    { env: dockerEnv(dockerConfig), silent: true, ignoreReturnCode: true },
  );
  return /^\s*Buildkit(?: version)?:\s*(\S+)/im.exec(result.stdout)?.[1] ?? '';
}

function fileArgs(files: string[]): string[] {
  return files.flatMap((file) => ['--file', file]);
}
