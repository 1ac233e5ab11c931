import type { Sql } from '@vr-tour/db';
import type { TourVisibility } from '@vr-tour/protocol';
import { PUBLICLY_VISIBLE } from '../public/sql.js';

export interface SocialCardRow {
  source: string;
  image_key: string;
}

export async function findSocialCard(sql: Sql, tourId: string): Promise<SocialCardRow | undefined> {
  const [row] = await sql<SocialCardRow[]>`SELECT source, image_key FROM tour_social_cards WHERE tour_id = ${tourId}`;
  return row;
}

/** The tour's card is now `imageKey`, made from `source`; the last writer wins (both made the same picture). */
export async function saveSocialCard(sql: Sql, tourId: string, source: string, imageKey: string): Promise<void> {
  await sql`
    INSERT INTO tour_social_cards (tour_id, source, image_key) VALUES (${tourId}, ${source}, ${imageKey})
    ON CONFLICT (tour_id) DO UPDATE SET source = EXCLUDED.source, image_key = EXCLUDED.image_key, created_at = now()`;
}

/** Whether search engines may list the tour: unlisted ones are reachable by link only. Undefined when it is not public at all. */
export async function publicVisibility(sql: Sql, tourId: string): Promise<TourVisibility | undefined> {
  const [row] = await sql<{ visibility: TourVisibility }[]>`
    SELECT t.visibility FROM tours t WHERE t.id = ${tourId} AND ${sql.unsafe(PUBLICLY_VISIBLE)}`;
  return row?.visibility;
}
