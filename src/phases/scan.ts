/** The scan gate as a phase: the release's build step staged by digest, scanned per platform, then tagged. */
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { stagingTag } from '../release/order.js';
import { scannedBuild } from '../release/scan.js';
import { runScan } from '../scan/run.js';
import { scanTargets } from '../scan/targets.js';
import type { Step } from '../step.js';

type Build = (refs: string[]) => Promise<string>;

/** `build` as it is without `scan`; with it, staged under a staging tag, scanned, then tagged. */
export function withScan(step: Step, build: Build): Build {
  const { inputs, context } = step;
  if (!inputs.scan) return build;
  const staging = `${stagingTag(context.runId, context.runAttempt, new Date(), randomBytes(4).toString('hex'))}-scan`;
  return scannedBuild(build, (digest) => scan(step, digest), step.registry, staging);
}

/**
 * Runs `scan` on `digest` in the first repository of `images` (every repository holds the same
 * bytes, checked by digest): once, or once per platform of an index of several.
 */
async function scan(step: Step, digest: string): Promise<void> {
  const { inputs, plan, registry, dockerConfig } = step;
  const image = plan.meta.images[0];
  const manifest = await registry.getManifest(image, digest);
  const targets = scanTargets(manifest.body, digest);
  for (const target of targets) {
    const shown = `${image}@${digest}${target.platform ? ` (${target.platform})` : ''}`;
    const result = await core.group(`Scan ${shown}`, () =>
      runScan({
        script: inputs.scan,
        env: {
          IMAGE: `${image}@${digest}`,
          PLATFORM: target.platform,
          PLATFORM_IMAGE: `${image}@${target.digest}`,
          DOCKER_CONFIG: dockerConfig,
        },
        timeoutMs: inputs.scanTimeoutMs,
        timeout: inputs.scanTimeout,
        cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
      }),
    );
    if (result.exitCode === 0 && !result.timedOut) {
      core.info(`scan passed: ${shown}`);
      continue;
    }
    const why = result.timedOut
      ? `did not finish within scan-timeout ${inputs.scanTimeout} and was stopped`
      : `exited with code ${result.exitCode}`;
    throw new Error(
      [
        `scan: the scan of ${shown} ${why}; nothing was released, no tag was written, and the staging tags were removed where the registry allows`,
        ...(result.tail.length > 0 ? ['its last lines:', ...result.tail] : []),
      ].join('\n'),
    );
  }
}
