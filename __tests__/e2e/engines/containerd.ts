// jest setupFiles of the `e2e-containerd` project: every e2e file runs on the containerd-store engine.
import { useEngine } from '../harness/engine.js';

useEngine('containerd');
