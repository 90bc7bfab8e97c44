/** errorText: what a caught value says, for a log line or an error of our own. */

/** The message of an Error, else the value as text. Pure. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
