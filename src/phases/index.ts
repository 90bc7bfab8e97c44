/** The phases after the plan, in one module that main.ts loads only when the step does more than plan. */
export { buildOrReuse } from './build.js';
export { chainRoute } from './chain.js';
export { mergeGroup } from './merge.js';
export { preflight } from './preflight.js';
export { prepare } from './prepare.js';
export { promoteRoute } from './promote.js';
export { report } from './report.js';
