/**
 * "Now" for the plan: SOURCE_DATE_EPOCH (whole seconds since the Unix epoch) when set, for
 * reproducible `created` labels and `{{date}}` tags; otherwise `fallback`.
 */
export function resolveNow(env: Record<string, string | undefined>, fallback: Date): Date {
  const value = env.SOURCE_DATE_EPOCH;
  if (value === undefined || value.trim() === '') return fallback;
  const text = value.trim();
  const date = /^\d{1,15}$/.test(text) ? new Date(Number(text) * 1000) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new Error(
      `SOURCE_DATE_EPOCH: invalid value "${value}"; expected whole seconds since 1970-01-01T00:00:00Z, such as 1578616200`,
    );
  }
  return date;
}
