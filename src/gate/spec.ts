// The test gate's pure parts: input parsing, the `docker run` argument list, platform and
// manifest checks, and the report text. The processes are in src/docker/test-run.ts and
// src/gate/run.ts.

/** One `test-env` entry. The value is passed through the docker CLI's environment. */
export interface TestEnvVar {
  name: string;
  value: string;
}

/** One test run: the `test-target` stage with its own CMD, or the `test` command in the image. */
export interface TestRun {
  kind: 'target' | 'command';
  /** The stage name (`target`) or the shell command (`command`). */
  what: string;
  /** The image ID the container ran. */
  image: string;
  /** The container's exit code; null when it was stopped at the timeout or never started. */
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
}

export type TestResult = 'passed' | 'failed' | 'skipped';

/** What the test gate did, for the outputs and the job summary. */
export interface TestReport {
  result: TestResult;
  runs: TestRun[];
  /**
   * Config digest of the tested image (the one that is pushed), or on the containerd image store
   * its manifest or index digest (`identity: 'image'`); '' when nothing was tested.
   */
  configDigest: string;
  identity?: 'config' | 'image';
  /** Why the gate failed, in one line; '' when it passed. */
  failure: string;
}

export const SKIPPED: TestReport = { result: 'skipped', runs: [], configDigest: '', failure: '' };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// setTimeout's limit (about 24.8 days); a longer timeout would fire at once.
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * A duration in milliseconds: a number of seconds (`90`, `2.5`), or number-unit pairs with the
 * units `ms`, `s`, `m`, `h` (`90s`, `10m`, `1h`, `1h30m`). Zero, negative and unparsable values
 * are errors naming the input and the value. Pure.
 */
export function parseDuration(input: string, value: string): number {
  const text = value.trim();
  const expected = `expected a number of seconds or a duration such as 90s, 10m or 1h`;
  let ms: number | undefined;
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000;
  } else if (/^[+-]?(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    const sign = text.startsWith('-') ? -1 : 1;
    ms = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
      ms += Number(amount) * UNITS[unit];
    }
    ms *= sign;
  }
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new Error(`${input}: "${value}" is not a duration; ${expected}`);
  }
  if (ms <= 0) throw new Error(`${input}: "${value}" is not a positive duration; ${expected}`);
  if (ms > MAX_TIMEOUT_MS) {
    throw new Error(`${input}: "${value}" is longer than 24 days; ${expected}`);
  }
  return Math.round(ms);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `NAME=value` lines of `test-env`. Values are never echoed in an error (they may be secrets).
 * Names the docker CLI reads itself (`DOCKER_*`) are refused: the value reaches the container
 * through the CLI's own environment, where DOCKER_HOST or DOCKER_CONFIG would redirect the CLI. Pure.
 */
export function parseTestEnv(entries: string[]): TestEnvVar[] {
  const seen = new Set<string>();
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (!name) {
      throw new Error(
        `test-env: an entry (value hidden) has no NAME=; expected NAME=value, one per line`,
      );
    }
    if (!ENV_NAME.test(name)) {
      throw new Error(
        `test-env: "${name}" is not a variable name; expected letters, digits and _, not starting with a digit`,
      );
    }
    if (/^DOCKER_/i.test(name)) {
      throw new Error(
        `test-env: ${name} is read by the docker CLI that starts the test; use another name`,
      );
    }
    if (seen.has(name)) throw new Error(`test-env: ${name} is given twice; give each name once`);
    seen.add(name);
    return { name, value: entry.slice(eq + 1) };
  });
}

/** A container name of the action's own (`docker rm -f` needs one to stop a test that hangs). Pure. */
export function testContainerName(random: string): string {
  return `build-tag-push-test-${random}`;
}

/** What to run: the `test` command through `sh -c`, or the image's own entrypoint and CMD. */
export interface TestRunSpec {
  name: string;
  image: string;
  /** A shell command; absent: the image's own entrypoint and CMD (a `test-target` stage). */
  command?: string;
  /** Names of the variables passed with `--env NAME` (values come from the CLI's environment). */
  envNames: string[];
  /** `--platform`, for an image of another platform than the engine's (emulated). */
  platform?: string;
}

/**
 * The arguments of `docker` for one test run. The rule: `docker run --rm --name NAME
 * --pull never [--platform P] [--env NAME...] --entrypoint sh IMAGE -c COMMAND`, so the image needs a `sh`;
 * without a command the image runs as built. Values of `test-env` are never in the list. Pure.
 */
export function testRunArgs(spec: TestRunSpec): string[] {
  const args = ['run', '--rm', '--name', spec.name, '--pull', 'never'];
  if (spec.platform) args.push('--platform', spec.platform);
  for (const name of spec.envNames) args.push('--env', name);
  if (spec.command === undefined) return [...args, spec.image];
  return [...args, '--entrypoint', 'sh', spec.image, '-c', spec.command];
}

interface Platform {
  os: string;
  arch: string;
  variant: string;
}

function splitPlatform(value: string): Platform {
  const [os = '', arch = '', variant = ''] = value.toLowerCase().split('/');
  // arm64 is arm64/v8 unless said otherwise, as containerd normalizes it.
  return { os, arch, variant: variant || (arch === 'arm64' ? 'v8' : '') };
}

/** True when `platform` (`linux/arm64/v8`) is the `native` one (`linux/arm64`). Pure. */
export function samePlatform(platform: string, native: string): boolean {
  const a = splitPlatform(platform);
  const b = splitPlatform(native);
  return (
    a.os === b.os && a.arch === b.arch && (!a.variant || !b.variant || a.variant === b.variant)
  );
}

/**
 * The platform the test runs on: the runner's. With `platforms` set it must be one of them; the
 * returned entry is the one to build for the test (undefined: buildx's default, the native one).
 * Pure.
 */
export function testPlatform(platforms: string[], native: string): string | undefined {
  if (platforms.length === 0) return undefined;
  const found = platforms.find((p) => samePlatform(p, native));
  if (!found) {
    throw new Error(
      `platforms: the test runs the image on the runner's platform ${native}, which is not among ${platforms.join(', ')}; add ${native}, or remove test and test-target`,
    );
  }
  return found;
}

/**
 * For a manifest as the registry serves it: the config digest of an image manifest, or, for an
 * index, the digest of the manifest of the native platform (to be read next). Pure.
 */
export function manifestConfig(
  body: Buffer | string,
  native: string,
): { config: string } | { manifest: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch {
    throw new Error('the registry answered with a manifest that is not JSON');
  }
  const doc = (parsed ?? {}) as {
    config?: { digest?: unknown };
    manifests?: {
      digest?: unknown;
      platform?: { os?: unknown; architecture?: unknown; variant?: unknown };
    }[];
  };
  if (typeof doc.config?.digest === 'string') return { config: doc.config.digest };
  if (Array.isArray(doc.manifests)) {
    const entry = doc.manifests.find((m) => {
      const p = m.platform;
      if (typeof p?.os !== 'string' || typeof p.architecture !== 'string') return false;
      const name = [p.os, p.architecture, typeof p.variant === 'string' ? p.variant : '']
        .filter(Boolean)
        .join('/');
      return samePlatform(name, native);
    });
    if (entry && typeof entry.digest === 'string') return { manifest: entry.digest };
    throw new Error(`the pushed index has no manifest for the tested platform ${native}`);
  }
  throw new Error('the pushed manifest has neither a config nor a list of manifests');
}

/** The manifest digest `docker push` printed (`TAG: digest: sha256:... size: N`); '' when none. Pure. */
export function pushedDigest(output: string): string {
  return /\bdigest: (sha256:[0-9a-f]{64})\b/.exec(output)?.[1] ?? '';
}

/**
 * buildx's `--output` that pushes the image to every name by digest only, without a tag: the
 * tags are added by manifest copy once the pushed config digest is checked. Pure.
 */
export function digestOutput(images: string[]): string {
  // The names hold commas between them: the CSV field is quoted as a whole.
  return `type=image,"name=${images.join(',')}",push-by-digest=true,name-canonical=true,push=true`;
}

/** The error of a failed test run, in one line. Pure. */
export function testFailure(run: TestRun, timeout: string): string {
  const what = run.kind === 'target' ? `test-target: stage "${run.what}"` : 'test';
  if (run.timedOut) {
    return `${what} did not finish within ${timeout} (test-timeout); its container was killed and removed`;
  }
  const hint =
    run.exitCode === 125
      ? ' (docker could not start the container'.concat(
          run.kind === 'target' ? '; does the stage have a CMD or ENTRYPOINT?)' : ')',
        )
      : run.exitCode === 126 || run.exitCode === 127
        ? run.kind === 'command'
          ? ' (the test runs `sh -c COMMAND` in the image: it needs a sh, and the command must exist in it)'
          : " (the stage's command could not be run)"
        : '';
  return `${what} failed with exit code ${run.exitCode ?? 'none'}${hint}`;
}

/** A duration for people: `0.4 s`, `12.0 s`, `2 min 5 s`. Pure. */
export function formatDuration(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

/** The job summary's test section (empty when no test ran). Pure. */
export function testMarkdown(report: TestReport): string[] {
  if (report.result === 'skipped') return [];
  const out = ['', `### Test ${report.result}`, '', '| test | exit code | duration |'];
  out.push('| --- | --- | --- |');
  for (const run of report.runs) {
    const what = run.kind === 'target' ? `stage ${code(run.what)} (its CMD)` : code(run.what);
    const exit = run.timedOut ? 'timed out' : String(run.exitCode ?? 'none');
    out.push(`| ${what.replace(/\|/g, '\\|')} | ${exit} | ${formatDuration(run.durationMs)} |`);
  }
  if (report.configDigest) {
    const what = report.identity === 'image' ? 'tested image' : 'tested image config';
    out.push('', `- ${what}: ${code(report.configDigest)}`);
  }
  if (report.failure) out.push(...failureMarkdown(report.failure));
  return out;
}

/**
 * A failure for the summary: its first line as text with HTML and Markdown neutralised, the
 * rest (build output: any text, HTML and links included) in a fenced block, never rendered. Pure.
 */
export function failureMarkdown(failure: string): string[] {
  const [first, ...rest] = failure.split(/\r?\n/);
  const out = ['', escapeMarkdown(first)];
  if (rest.length > 0) {
    out.push('', '<details><summary>Output</summary>', '', '```text');
    out.push(...rest.map((line) => line.replace(/`{3,}/g, "'''")), '```', '', '</details>');
  }
  return out;
}

/** Text shown as text: `<`, `>`, `&` as entities; Markdown's link and emphasis marks escaped. Pure. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]()!|#])/g, '\\$1');
}

/** The test outputs: result, exit code of the last run, total duration in seconds. Pure. */
export function testOutputs(report: TestReport): {
  result: TestResult;
  exitCode: string;
  duration: string;
} {
  const last = report.runs.at(-1);
  const total = report.runs.reduce((sum, run) => sum + run.durationMs, 0);
  return {
    result: report.result,
    exitCode: last?.exitCode === null || last === undefined ? '' : String(last.exitCode),
    duration: report.runs.length > 0 ? (total / 1000).toFixed(1) : '',
  };
}
