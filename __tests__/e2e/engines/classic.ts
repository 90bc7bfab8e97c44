// jest setupFiles of the `e2e` project: every e2e file runs on the classic-store engine.
import { useEngine } from '../harness/engine.js';

useEngine('classic');
