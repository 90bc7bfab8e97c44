/** The main step read top-down: inputs, context, plan, preflight, prepare, one route, report. */
import { getInputs } from './inputs/inputs.js';
import type { Outcome } from './report/outcome.js';
import type { Step } from './step.js';
import { chainPhase } from './phases/chain-plan.js';
import { contextPhase, planPhase } from './phases/plan.js';
import { reportPlan } from './phases/report.js';
import { chainImages } from './release/chain.js';

/** The main step: every phase in order; each is one file under src/phases/. */
export async function run(): Promise<void> {
  const inputs = await getInputs();
  const context = await contextPhase(inputs); // "Context": runner environment and event payload
  const chain = await chainPhase(inputs); // files, targets: the bake targets and their parents
  const plan = planPhase(chain ? { ...inputs, images: chainImages(chain) } : inputs, context);
  if (inputs.dryRun) return reportPlan(inputs, plan);

  // Loaded here, not at the top: a dry run starts without the build, release and registry code.
  const phases = await import('./phases/index.js');
  const checked = phases.preflight(inputs, context, plan); // fails before anything is created
  const step = await phases.prepare(inputs, context, plan, checked, chain); // temp dir, config, logins
  const outcome = await route(phases, step);
  await phases.report(step, outcome); // outputs, summary, digest artifact
}

/**
 * One route per run: the merge step of a group; a chain of bake targets (`files`, `targets`);
 * the promotion of an image (`promote`); otherwise a build (a platform job of a group builds its
 * one platform) or, with `reuse`, the promotion of the image of the same source.
 */
function route(phases: typeof import('./phases/index.js'), step: Step): Promise<Outcome> {
  if (step.inputs.merge) return phases.mergeGroup(step);
  if (step.chain) return phases.chainRoute(step);
  if (step.inputs.promote) return phases.promoteRoute(step);
  return phases.buildOrReuse(step);
}
