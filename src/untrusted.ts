// Text the action did not write (a registry's error body, cosign's output) on its way to the log
// and the job summary: one line, so that no line of it can start a workflow command
// (`::add-mask::`, `::set-output::`, `::stop-commands::`); and between `::stop-commands::` and its
// end where it is printed as lines of its own.
import { randomBytes } from 'node:crypto';

/** `text` with line breaks and other control characters as single spaces, trimmed. Pure. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim();
}

/**
 * Prints `lines` (another program's output) to the log, each indented, with workflow commands
 * stopped meanwhile: a line there that looks like one is shown, not run.
 */
export function logUntrusted(
  lines: string[],
  write: (text: string) => unknown = (text) => process.stdout.write(text),
): void {
  const shown = lines.filter((line) => line.trim() !== '');
  if (shown.length === 0) return;
  const token = randomBytes(16).toString('hex');
  write(`::stop-commands::${token}\n`);
  for (const line of shown) write(`  ${line.replace(/\r/g, '')}\n`);
  write(`::${token}::\n`);
}
