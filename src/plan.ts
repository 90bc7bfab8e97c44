import { evaluatesOnly } from './inputs/buildx.js';
import type { Context } from './context/context.js';
import type { Inputs, PushMode } from './inputs/inputs.js';
import { computeMeta, DEFAULT_TAG_RULES, type Meta } from './tags/index.js';

/** What the action is going to do, decided before anything touches a registry. */
export interface Plan {
  meta: Meta;
  push: boolean;
  /** One sentence saying why the image is or is not pushed. */
  pushReason: string;
  /** Something the user should see although nothing failed (a push: auto that does not push). */
  notice?: string;
  /** Export metadata-action's DOCKER_METADATA_OUTPUT_* variables (DOCKER_METADATA_SET_OUTPUT_ENV). */
  outputEnv: boolean;
}

const PUSH_EVENTS = new Set(['push', 'schedule', 'release', 'workflow_dispatch']);

/** Decides whether to push, from the `push` input and the event. */
export function pushDecision(mode: PushMode, context: Context): { push: boolean; reason: string } {
  const event = context.eventName || 'no event';
  if (mode === 'false') return { push: false, reason: 'push is false' };
  if (context.pullRequest?.fromFork && context.eventName.startsWith('pull_request')) {
    // A fork's code must never get the base repository's registry credentials.
    return {
      push: false,
      reason: `pull request #${context.pullRequest.number} comes from a fork; images from forks are never pushed`,
    };
  }
  if (mode === 'true') return { push: true, reason: 'push is true' };
  if (PUSH_EVENTS.has(context.eventName))
    return { push: true, reason: `push is auto and the event is ${event}` };
  return {
    push: false,
    reason: `push is auto and the event is ${event}; auto pushes on push, schedule, release and workflow_dispatch (set push: true to push)`,
  };
}

/** The whole plan: tags, labels, annotations and the push decision. Pure. */
export function makePlan(inputs: Inputs, context: Context, now: Date): Plan {
  const meta = computeMeta(
    {
      images: inputs.images,
      tags: inputs.tags.length > 0 ? inputs.tags : DEFAULT_TAG_RULES,
      flavor: inputs.flavor,
      labels: inputs.labels,
      annotations: inputs.annotations,
      tagPattern: inputs.tagPattern,
    },
    context,
    now,
    { annotationLevels: context.annotationLevels },
  );
  if (evaluatesOnly(inputs.call)) {
    return {
      meta,
      push: false,
      pushReason: `call is ${inputs.call}: buildx evaluates the build and makes no image`,
      outputEnv: context.setOutputEnv,
    };
  }
  const { push, reason } = pushDecision(inputs.push, context);
  if (inputs.scan && inputs.push === 'false') {
    throw new Error(
      'scan: given with push: false, so no image reaches a registry and there is nothing to scan; expected push: auto or true (the scan runs on the staged digest before any tag), or no scan',
    );
  }
  if (push && meta.images.length === 0) {
    if (inputs.push === 'true') {
      throw new Error(
        'images: no image name given, but push is true; expected at least one name such as ghcr.io/acme/app, or push: false to build (or dry-run: true to plan) the bare tags without pushing',
      );
    }
    // As with no tag: push: auto builds (and tests) what it cannot push.
    const pushReason = 'push is auto, but images is empty: there is no repository to push to';
    return {
      meta,
      push: false,
      pushReason,
      notice: `${pushReason}; the image is built, not pushed, and the tags are planned bare (${meta.tagNames.join(', ') || 'none'}). Name the image in images to push it`,
      outputEnv: context.setOutputEnv,
    };
  }
  if (push && meta.tagNames.length === 0) {
    const none = `no tag rule gives a tag for ${context.ref || 'this ref'} (event ${context.eventName || 'none'})`;
    if (inputs.push === 'true') {
      throw new Error(
        `push: true, but ${none}, so there is nothing to push; expected a rule in tags that applies here (for example type=sha), or push: auto, which then builds without pushing`,
      );
    }
    // As metadata-action, which then outputs no tag: the image is built (and tested), not pushed.
    const pushReason = `push is auto, but ${none}`;
    return {
      meta,
      push: false,
      pushReason,
      notice: `${pushReason}: the image is built${inputs.test || inputs.testTarget ? ' and tested' : ''}, not pushed. Add a rule to tags that applies to this ref (for example type=sha) to push it`,
      outputEnv: context.setOutputEnv,
    };
  }
  return { meta, push, pushReason: reason, outputEnv: context.setOutputEnv };
}

/**
 * The warning for a pull request from a fork that is given secret values (`secrets`,
 * `secret-files`, `secret-envs` whose variable is set, `ssh`, `test-env`): no login is made and nothing is pushed, but the fork's Dockerfile
 * and test read what they are given. On `pull_request` GitHub gives a fork empty secrets, so
 * empty values do not count; on `pull_request_target` it gives the repository's. Pure.
 */
export function forkSecretsWarning(
  inputs: Pick<Inputs, 'secrets' | 'secretFiles' | 'testEnv'> &
    Partial<Pick<Inputs, 'secretEnvs' | 'ssh'>>,
  context: Context,
  /** The step's environment, where `secret-envs` values are read from. */
  env: Record<string, string | undefined> = {},
): string | undefined {
  const pr = context.pullRequest;
  if (!pr?.fromFork || !context.eventName.startsWith('pull_request')) return undefined;
  const given = [
    inputs.secrets.some((s) => s.value !== '') ? 'secrets' : '',
    inputs.secretFiles.length > 0 ? 'secret-files' : '',
    (inputs.secretEnvs ?? []).some((s) => (env[s.env] ?? '') !== '') ? 'secret-envs' : '',
    // The agent or keys a `RUN --mount=type=ssh` of the fork's Dockerfile can use.
    (inputs.ssh ?? []).length > 0 ? 'ssh' : '',
    inputs.testEnv.some((v) => v.value !== '') ? 'test-env' : '',
  ].filter(Boolean);
  if (given.length === 0) return undefined;
  return `${given.join(', ')}: pull request #${pr.number} comes from a fork, and its Dockerfile and test can read these values; on ${context.eventName} events from forks, pass none`;
}
