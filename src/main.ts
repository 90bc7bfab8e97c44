/** The main step read top-down: inputs, context, plan, preflight, prepare, one route, report. */
import { getInputs } from './inputs/inputs.js';
import type { Outcome } from './report/report.js';
import type { Step } from './step.js';
import { buildOrReuse } from './phases/build.js';
import { chainPhase, chainRoute } from './phases/chain.js';
import { chainImages } from './release/chain.js';
import { mergeGroup } from './phases/merge.js';
import { contextPhase, planPhase } from './phases/plan.js';
import { preflight } from './phases/preflight.js';
import { prepare } from './phases/prepare.js';
import { promoteRoute } from './phases/promote.js';
import { report, reportPlan } from './phases/report.js';

/** The main step: every phase in order; each is one file under src/phases/. */
export async function run(): Promise<void> {
  const inputs = getInputs();
  const context = await contextPhase(inputs); // "Context": runner environment and event payload
  const chain = await chainPhase(inputs); // files, targets: the bake targets and their parents
  const plan = planPhase(chain ? { ...inputs, images: chainImages(chain) } : inputs, context);
  if (inputs.dryRun) return reportPlan(inputs, plan);

  const checked = preflight(inputs, context, plan); // fails before anything is created
  const step = await prepare(inputs, context, plan, checked, chain); // temp dir, config, logins
  const outcome = await route(step);
  await report(step, outcome); // outputs, summary, digest artifact
}

/**
 * One route per run: the merge step of a group; the promotion of an image (`promote`); otherwise a build (a platform job of a group
 * builds its one platform) or, with `reuse`, the promotion of the image of the same source.
 */
function route(step: Step): Promise<Outcome> {
  if (step.inputs.merge) return mergeGroup(step);
  if (step.chain) return chainRoute(step);
  if (step.inputs.promote) return promoteRoute(step);
  return buildOrReuse(step);
}
