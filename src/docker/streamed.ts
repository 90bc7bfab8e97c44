/**
 * One docker command with its output streamed to the log as it comes, each line also handed to
 * the caller (the build keeps the tail for its error). The process starts when this is called,
 * before anything else the step has queued gets the event loop: a build waits for nothing.
 */
import { spawn } from 'node:child_process';

export interface StreamedOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each line of stdout and stderr, without its line break. */
  onLine: (line: string) => void;
}

/** Runs `docker <args>`; its exit code, or throws when docker cannot be started at all. */
export function streamed(args: string[], options: StreamedOptions): Promise<number> {
  process.stdout.write(`[command]docker ${args.join(' ')}\n`);
  const child = spawn('docker', args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream): (() => void) => {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      out.write(chunk);
      const text = partial + chunk.toString('utf8');
      const parts = text.split(/\r?\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) options.onLine(line);
    });
    return () => {
      if (partial) options.onLine(partial);
      partial = '';
    };
  };
  const flushOut = lines(child.stdout, process.stdout);
  const flushErr = lines(child.stderr, process.stderr);
  return new Promise((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'docker was not found on PATH: the action needs the Docker CLI with buildx'
            : `could not start docker: ${error.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      flushOut();
      flushErr();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
