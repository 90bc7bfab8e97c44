/** The context and plan phases: the runner's environment read, the tags and the push decided. */
import * as core from '@actions/core';
import { getContext, type Context } from '../context/context.js';
import { completeContext } from '../context/sources.js';
import type { Inputs } from '../inputs/inputs.js';
import { makePlan, type Plan } from '../plan.js';
import { resolveNow } from '../tags/index.js';

/**
 * The runner's environment and the event payload; what the payload lacks (the commit date, the
 * repository data of a scheduled run) from the checkout's git and the GitHub API, bounded by
 * network-timeout (10 s at most): the plan does not wait longer for labels.
 */
export async function contextPhase(inputs: Inputs): Promise<Context> {
  const { context, notices } = await completeContext(getContext(), {
    githubToken: inputs.githubToken,
    timeoutMs: Math.min(inputs.networkTimeoutMs, 10_000),
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
  });
  for (const notice of notices) core.notice(notice);
  return context;
}

/** Version, tags, labels and the push decision, logged in the group "Plan". */
export function planPhase(inputs: Inputs, context: Context): Plan {
  const now = resolveNow(process.env, new Date());
  const plan = makePlan(inputs, context, now);
  core.startGroup('Plan');
  core.info(
    `event: ${context.eventName || '(none)'}, ref: ${context.ref || '(none)'}, sha: ${context.sha || '(none)'}`,
  );
  core.info(`version: ${plan.meta.version || '(none)'}`);
  core.info(`tags:\n${plan.meta.tags.map((t) => `  ${t}`).join('\n') || '  (none)'}`);
  core.info(`labels:\n${plan.meta.labels.map((l) => `  ${l}`).join('\n')}`);
  core.info(`push: ${plan.push ? 'yes' : 'no'} (${plan.pushReason})`);
  core.endGroup();
  for (const warning of plan.meta.warnings ?? []) core.warning(warning);
  if (plan.notice) core.notice(plan.notice);
  return plan;
}
