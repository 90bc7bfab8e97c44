/** The post step's re-check of the moving tags a run moved while another run may have raced it. */
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userDockerConfigDir } from '../docker/config.js';
import { RegistryCredentials } from '../docker/registry-credentials.js';
import { isAncestor } from '../git/ancestry.js';
import { parseReference } from '../oci/reference.js';
import { RegistryClient } from '../registry/client.js';
import { pushedAncestry } from '../release/forward.js';
import {
  parseMovedRecord,
  recheckLine,
  recheckMoved,
  type MovedRecord,
} from '../release/recheck.js';
import { retryPolicy } from '../retry.js';

/** The record, with the main step's network-timeout and retries for the re-check's requests. */
export interface PostRecord extends MovedRecord {
  timeoutMs: number;
  retries: number;
}

/**
 * Reads the record the release phase left in `tempDir` (none: nothing to do) and re-checks each
 * tag with the action's Docker config, before the post step removes it. Returns warnings.
 */
export async function recheckMovingTags(
  tempDir: string,
  dockerConfig: string,
  recordFile: string,
): Promise<string[]> {
  let text: string;
  try {
    text = readFileSync(join(tempDir, recordFile), 'utf8');
  } catch {
    return [];
  }
  const record = parseMovedRecord(text);
  if (!record) return [`${recordFile} in ${tempDir} is not a record of moved tags`];
  const saved = JSON.parse(text) as Partial<PostRecord>;
  const timeoutMs = typeof saved.timeoutMs === 'number' ? saved.timeoutMs : 30_000;
  const retries = typeof saved.retries === 'number' ? saved.retries : 0;
  const credentials = new RegistryCredentials(dockerConfig, userDockerConfigDir(), timeoutMs);
  await credentials.prepare(record.refs.map((r) => parseReference(r.image).registry));
  const registry = new RegistryClient({
    credentials: credentials.lookup,
    retry: retryPolicy(retries),
    timeoutMs,
  });
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const payload = eventPayload();
  const outcomes = await recheckMoved(record, registry, async (older, newer) => {
    const found = await isAncestor(workspace, older, newer, timeoutMs);
    return found === 'unknown' ? pushedAncestry(payload, older, newer) : found;
  });
  const warnings: string[] = [];
  core.info('moving tags read once more (another run of the workflow may have raced this one):');
  for (const outcome of outcomes) {
    const line = recheckLine(outcome);
    if (line.warning) warnings.push(line.text);
    else core.info(line.text);
  }
  return warnings;
}

function eventPayload(): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH ?? '', 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
