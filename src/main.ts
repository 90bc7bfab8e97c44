import * as core from '@actions/core';
import { getContext, type Context } from './context.js';
import { getInputs, type Inputs } from './inputs.js';
import { makePlan, type Plan } from './plan.js';
import { setOutputs, summaryMarkdown, writeSummary } from './report.js';
import { resolveNow } from './tags/index.js';

/** The main step: inputs, context, plan, then (unless dry-run) login, build, push, verify, report. */
export async function run(): Promise<void> {
  const inputs = getInputs();
  const context = getContext();
  const plan = planPhase(inputs, context);
  if (inputs.dryRun) {
    core.info('dry-run is true: no login, build or push');
    setOutputs(plan, inputs, undefined);
    if (inputs.summary) await writeSummary(summaryMarkdown(plan, undefined));
    return;
  }
  throw new Error('dry-run: building and pushing are not available in this version; set dry-run: true');
}

function planPhase(inputs: Inputs, context: Context): Plan {
  const now = resolveNow(process.env, new Date());
  const plan = makePlan(inputs, context, now);
  core.startGroup('Plan');
  core.info(`event: ${context.eventName || '(none)'}, ref: ${context.ref || '(none)'}, sha: ${context.sha || '(none)'}`);
  core.info(`version: ${plan.meta.version || '(none)'}`);
  core.info(`tags:\n${plan.meta.tags.map((t) => `  ${t}`).join('\n') || '  (none)'}`);
  core.info(`labels:\n${plan.meta.labels.map((l) => `  ${l}`).join('\n')}`);
  core.info(`push: ${plan.push ? 'yes' : 'no'} (${plan.pushReason})`);
  core.endGroup();
  return plan;
}
