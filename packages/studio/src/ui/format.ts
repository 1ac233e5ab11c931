import type { TourStatus, TourVisibility } from '../api/types.js';

const numbers = new Intl.NumberFormat(undefined, { notation: 'compact' });
const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "1 view", "12 views", "1.2K views". */
export function count(value: number, one: string, many: string): string {
  return `${numbers.format(value)} ${value === 1 ? one : many}`;
}

export function day(iso: string): string {
  return dates.format(new Date(iso));
}

export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(0)} KB`;
  return `${(value / 1024 / 1024).toFixed(1)} MB`;
}

export const STATUS_LABELS: Record<TourStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  archived: 'Archived',
};

export const VISIBILITY_LABELS: Record<TourVisibility, string> = {
  private: 'Private',
  unlisted: 'Unlisted',
  public: 'Public',
};

/** "45 s", "9 min 5 s", "10 min". */
export function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (!minutes) return `${rest} s`;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "2 minutes ago", "in 5 minutes", "tomorrow": how far `iso` is from now. */
export function fromNow(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}
