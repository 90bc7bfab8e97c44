/** The test gate as a phase: the image built and tested before anything is pushed; its reports. */
import type { BuildResult } from '../docker/build.js';
import { buildAndTest, TestError, type BuildOverrides, type Tested } from '../gate/run.js';
import type { Inputs } from '../inputs/inputs.js';
import { State } from '../names.js';
import { saveState } from '../state.js';
import type { Plan } from '../plan.js';
import { setTestOutputs } from '../report/outputs.js';
import { failedTestMarkdown, writeSummary } from '../report/summary.js';
import type { Step } from '../step.js';

/** Runs one build with the step's build arguments and the overrides given. */
export type BuildWith = (overrides: BuildOverrides, title: string) => Promise<BuildResult>;

/**
 * The test gate: builds and tests the image (and the test-target stage) before anything is
 * pushed. A failed test sets the test outputs and the summary, then fails the step.
 */
export async function testPhase(
  step: Step,
  tags: string[],
  build: BuildWith,
  /** A platform job's platform (merge-group). */
  platform?: string,
  /** Drivers other than docker: the repository the tested image is pushed to first, untagged. */
  pushTo?: string,
): Promise<Tested> {
  const { inputs, plan, driver, dockerConfig } = step;
  return reportingTests(inputs, plan, (onContainer) =>
    buildAndTest(inputs, { driver, dockerConfig, build, tags, onContainer, platform, pushTo }),
  );
}

/**
 * Runs tests with their container saved for the post step (which removes it if the job is
 * cancelled meanwhile); a failed test sets the test outputs and the summary, then fails the step.
 */
export async function reportingTests<T>(
  inputs: Inputs,
  plan: Plan,
  run: (onContainer: (name: string) => void) => Promise<T>,
): Promise<T> {
  try {
    return await run((name) => saveState(State.testContainer, name));
  } catch (error) {
    if (error instanceof TestError) {
      setTestOutputs(error.report);
      if (inputs.summary) await writeSummary(failedTestMarkdown(plan, error.report));
    }
    throw error;
  } finally {
    // Every test container is gone by now (--rm, or removed at the timeout).
    saveState(State.testContainer, '');
  }
}
