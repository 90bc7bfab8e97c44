// When a registry operation is tried again, and after how long. Classification and delays are
// pure; withRetry is the one loop that sleeps, and takes its clock and sleep from the caller.

/** What a failure means for a retry. */
export type FailureKind = 'transient' | 'auth' | 'permanent';

export interface Failure {
  kind: FailureKind;
  /** One line, for the log: why it failed. */
  reason: string;
  /** How long the registry asked to wait (Retry-After), when it did. */
  retryAfterMs?: number;
}

export interface RetryPolicy {
  /** Retries after the first attempt; 0 turns retrying off. */
  retries: number;
  /** Wait before the first retry; doubled before each next one. */
  baseDelayMs: number;
  /** The longest single wait, Retry-After included: a registry asking for more is not waited for. */
  maxDelayMs: number;
  /** No retry starts later than this after the first failure of an operation. */
  budgetMs: number;
}

/** 3 retries after 1 s, 2 s and 4 s; Retry-After up to 30 s; nothing starts 60 s after the first failure. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  budgetMs: 60_000,
};

export const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retries: 0 };

/** The default policy with `retries` retries (the `retries` input). */
export function retryPolicy(retries: number): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, retries };
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * An HTTP status of a registry answer. 401/403 are auth failures (never retried: the same
 * credentials get the same answer); 408, 429 and 5xx other than 501/505 are transient. Pure.
 */
export function classifyStatus(
  status: number,
  retryAfter?: string | null,
  now: number = Date.now(),
): Failure {
  const reason = `HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
  if (status === 401 || status === 403) return { kind: 'auth', reason };
  const transient =
    status === 408 ||
    status === 429 ||
    (status >= 500 && status <= 599 && ![501, 505].includes(status));
  if (!transient) return { kind: 'permanent', reason };
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  return retryAfterMs === undefined
    ? { kind: 'transient', reason }
    : { kind: 'transient', reason: `${reason}, Retry-After ${retryAfter?.trim()}`, retryAfterMs };
}

/** `Retry-After: 5` or `Retry-After: <HTTP date>`, in ms from `now`; undefined when absent or unreadable. Pure. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Otherwise an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`), which has a month name.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// Error codes of Node's network stack and undici that a second attempt may not see.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * An exception of `fetch`: a timeout or a connection error (its `cause.code`) is transient,
 * anything else (a bad URL, a TLS certificate problem) is not. Pure.
 */
export function classifyNetworkError(error: unknown): Failure {
  const { name, message, cause } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { code?: unknown; message?: unknown };
  };
  if (name === 'TimeoutError') return { kind: 'transient', reason: 'no answer in time' };
  const code = typeof cause?.code === 'string' ? cause.code : '';
  const text =
    typeof cause?.message === 'string'
      ? cause.message
      : typeof message === 'string'
        ? message
        : 'unknown network error';
  if (TRANSIENT_CODES.has(code)) return { kind: 'transient', reason: text };
  return classifyText(text);
}

const AUTH_TEXT =
  /\b40[13] (Unauthorized|Forbidden)\b|\bunauthorized\b|\bforbidden\b|\bdenied\b|no basic auth credentials|authentication required|insufficient_scope|incorrect username or password|failed to authorize/i;
const TRANSIENT_TEXT = [
  /\b(500|502|503|504) (Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)\b/i,
  /\b(status(?: code)?:?|HTTP status:?)\s*(408|429|500|502|503|504)\b/i,
  /\b429 Too Many Requests\b|\btoomanyrequests\b/i,
  /connection refused|connection reset|broken pipe|i\/o timeout|TLS handshake timeout|timeout awaiting response headers|Client\.Timeout exceeded|unexpected EOF|: EOF\b|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|other side closed/i,
];

/**
 * Error text of docker (`docker login`, a registry error buildx passes on): the line that says
 * why, and whether it is an auth failure, a transient one or neither. Pure.
 */
export function classifyText(text: string): Failure {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const reasonOf = (pattern: RegExp): string =>
    shorten(lines.find((line) => pattern.test(line)) ?? lines.at(-1) ?? text.trim());
  if (AUTH_TEXT.test(text)) return { kind: 'auth', reason: reasonOf(AUTH_TEXT) };
  const transient = TRANSIENT_TEXT.find((pattern) => pattern.test(text));
  if (transient) return { kind: 'transient', reason: reasonOf(transient) };
  return { kind: 'permanent', reason: shorten(lines.at(-1) ?? '') };
}

/** buildx's own error lines (`ERROR: ...`, `#12 ERROR: ...`), not the output of the build's steps. */
const BUILDX_ERROR = /^(#\d+\s+)?(ERROR|error):?\s/;
/** A RUN step that ran and failed (docker driver, BuildKit): its output may say anything. */
const STEP_FAILED = /executor failed running|did not complete successfully/;

/**
 * The error of a failed `docker buildx build --push`: transient only when buildx itself reports
 * a registry or network failure (a push or a base image pull) and no build step failed, so a
 * rerun, from the cache, can succeed. A failed RUN step is never retried, whatever it printed. Pure.
 */
export function classifyBuildError(text: string): Failure {
  const errors = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => BUILDX_ERROR.test(line))
    .map((line) => line.replace(/^#\d+\s+/, ''));
  if (errors.length === 0) {
    // Not buildx's error block: a push by other means (docker push of a tested image).
    if (/buildx build failed/.test(text) || STEP_FAILED.test(text)) {
      return { kind: 'permanent', reason: shorten(lastLine(text)) };
    }
    return classifyText(text);
  }
  if (errors.some((line) => STEP_FAILED.test(line))) {
    return { kind: 'permanent', reason: shorten(errors.at(-1) ?? '') };
  }
  return classifyText(errors.join('\n'));
}

/**
 * The registries (`host[:port]`) a buildx error is about: the image it was pushing
 * (` > pushing HOST/repo:tag with docker:`, `failed to push HOST/...`) and the registry URLs
 * in its error lines. Pure.
 */
export function registriesInBuildError(text: string): string[] {
  const found: string[] = [];
  const add = (host: string | undefined): void => {
    if (host && !found.includes(host)) found.push(host);
  };
  for (const match of text.matchAll(/>\s*pushing ([^\s/]+)\/\S+ with docker/g)) add(match[1]);
  for (const match of text.matchAll(/failed to push ([^\s/]+)\/\S+/g)) add(match[1]);
  for (const line of text.split('\n').filter((l) => BUILDX_ERROR.test(l.trim()))) {
    for (const match of line.matchAll(/https?:\/\/([^/"\s]+)\/v2\//g)) add(match[1]);
  }
  return found;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: string };

/**
 * Whether retry number `retry` (1 for the first retry) may start after `failure`, and after
 * what wait: exponential backoff, at least the registry's Retry-After, within the policy's
 * count, single-wait limit and budget (`sinceFirstFailureMs`). `why` is '' when the count is
 * used up. Pure.
 */
export function retryDecision(
  policy: RetryPolicy,
  retry: number,
  failure: Failure,
  sinceFirstFailureMs: number,
): RetryDecision {
  if (failure.kind !== 'transient') {
    return { retry: false, why: failure.kind === 'auth' ? 'refused' : 'not a transient failure' };
  }
  if (retry > policy.retries) return { retry: false, why: '' };
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxDelayMs) {
    return {
      retry: false,
      why: `the registry asked to wait ${seconds(failure.retryAfterMs)}, longer than ${seconds(policy.maxDelayMs)}`,
    };
  }
  const backoff = Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
  const delayMs = Math.max(backoff, failure.retryAfterMs ?? 0);
  if (sinceFirstFailureMs + delayMs > policy.budgetMs) {
    return {
      retry: false,
      why: `no retry starts more than ${seconds(policy.budgetMs)} after the first failure`,
    };
  }
  return { retry: true, delayMs };
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** What is being done, for the log line (`login to ghcr.io as bot`). */
  what: string;
  classify: (error: unknown) => Failure;
  /** Where the one-line reason of each retry goes (core.info in the action). */
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Runs `attempt` until it succeeds, or fails in a way or a number of times the policy does not
 * retry. Each retry is logged with its reason. The last error is rethrown; when there were
 * retries, its first line says how many.
 */
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  let firstFailure: number | undefined;
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = options.classify(error);
      firstFailure ??= now();
      const decision = retryDecision(options.policy, retry, failure, now() - firstFailure);
      if (!decision.retry) {
        const note = giveUpNote(options.policy, retry - 1, failure, decision.why);
        throw note ? withNote(error, note) : error;
      }
      options.log(
        `${options.what}: ${failure.reason}; retry ${retry}/${options.policy.retries} in ${seconds(decision.delayMs)}`,
      );
      await sleep(decision.delayMs);
    }
  }
}

/** What the error message says about the retries before it; '' when there is nothing to say. */
function giveUpNote(policy: RetryPolicy, retries: number, failure: Failure, why: string): string {
  if (policy.retries === 0) return '';
  const count = plural(retries, 'retry', 'retries');
  if (failure.kind !== 'transient') return retries > 0 ? `after ${count}` : '';
  if (retries === 0) return why ? `not retried: ${why}` : '';
  return `gave up after ${count}${why ? `: ${why}` : ''}`;
}

/**
 * The error, its first line ending with a note on the retries (the rest, buildx's lines, kept).
 * The same object when it is an Error, so its class and fields stay; the note is also in
 * `retryNote`.
 */
function withNote(error: unknown, note: string): Error {
  const result = error instanceof Error ? error : new Error(String(error));
  const message = result.message;
  const newline = message.indexOf('\n');
  const first = newline < 0 ? message : message.slice(0, newline);
  const rest = newline < 0 ? '' : message.slice(newline);
  const colon = first.endsWith(':');
  const head = colon ? first.slice(0, -1) : first;
  // `failed (exit code 1):` becomes `failed (exit code 1; gave up after 3 retries):`.
  const noted = head.endsWith(')') ? `${head.slice(0, -1)}; ${note})` : `${head} (${note})`;
  result.message = `${noted}${colon ? ':' : ''}${rest}`;
  return Object.assign(result, { retryNote: note });
}

/** The note withRetry added to an error it gave up on, or ''. */
export function retryNoteOf(error: unknown): string {
  const note = (error as { retryNote?: unknown } | undefined)?.retryNote;
  return typeof note === 'string' ? note : '';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

function shorten(line: string): string {
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
