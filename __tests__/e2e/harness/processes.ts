import { readdir, readFile } from 'node:fs/promises';

/** What {@link processListWhile} saw. */
export interface ProcessSample<T> {
  /** What `fn` returned. */
  result: T;
  /** Every distinct command line seen while `fn` ran (arguments joined by spaces). */
  commandLines: string[];
  /** How many snapshots of the process table were taken. */
  samples: number;
}

/**
 * Runs `fn` while taking snapshots of every process's command line (what
 * `ps -eo args` shows, read from /proc) every `intervalMs`, to check that no
 * secret ever appears on a command line. Sampling can miss a process that
 * lives less than one interval; short intervals make that unlikely.
 */
export async function processListWhile<T>(
  fn: () => Promise<T>,
  intervalMs = 20,
): Promise<ProcessSample<T>> {
  const seen = new Set<string>();
  let samples = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      for (const line of await commandLines()) seen.add(line);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  try {
    const result = await fn();
    return { result, commandLines: [...seen], samples };
  } finally {
    running = false;
    await sampler;
  }
}

/** The command lines of all processes now running. */
export async function commandLines(): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const lines = await Promise.all(
    pids.map(async (pid) => {
      try {
        const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
        return raw
          .split('\0')
          .filter((arg) => arg !== '')
          .join(' ');
      } catch {
        return ''; // the process ended between readdir and readFile
      }
    }),
  );
  return lines.filter((line) => line !== '');
}
