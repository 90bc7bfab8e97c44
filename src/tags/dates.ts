import dayjs from 'dayjs';
import advancedFormat from 'dayjs/plugin/advancedFormat.js';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(advancedFormat);

/** True when `tz` is an IANA time zone name the runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Renders a date with a moment-style format (`YYYYMMDD-HHmmss`, `[literal]` escapes) in a time
 * zone (UTC by default). Without a format it renders ISO 8601 to the second, as moment does.
 */
export function formatDate(date: Date, format: string | undefined, tz = 'UTC'): string {
  const isUtc = tz.toUpperCase() === 'UTC';
  const d = isUtc ? dayjs(date).utc() : dayjs(date).tz(tz);
  return d.format(format ?? (isUtc ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ'));
}
