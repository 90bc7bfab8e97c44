/**
 * The state the main step saves for the post step (GITHUB_STATE), also kept in memory for the
 * main step's own end, which cleans up after itself (src/post.ts).
 */
import * as core from '@actions/core';
import type { State } from './names.js';

type StateName = (typeof State)[keyof typeof State];

const saved = new Map<string, string>();

/** Saves `value` for the post step, and for the end of this main step. */
export function saveState(name: StateName, value: string): void {
  saved.set(name, value);
  core.saveState(name, value);
}

/** What this main step saved last under `name`; '' when nothing. */
export function savedState(name: StateName): string {
  return saved.get(name) ?? '';
}
