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
