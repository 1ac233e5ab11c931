import type { Db } from '@vr-tour/db';
import type { Branding } from '@vr-tour/protocol';

export interface BrandingRow {
  logo_url: string | null;
  primary_color: string | null;
  accent_color: string | null;
  link_url: string | null;
  show_powered_by: boolean;
}

export const toBranding = (row: BrandingRow): Branding => ({
  logoUrl: row.logo_url,
  primaryColor: row.primary_color,
  accentColor: row.accent_color,
  linkUrl: row.link_url,
  showPoweredBy: row.show_powered_by,
});

/** The tour's branding, or undefined when none is set; `lock` holds the row for the transaction. */
export async function findBranding(sql: Db, tourId: string, lock = false): Promise<BrandingRow | undefined> {
  const [row] = await sql<BrandingRow[]>`SELECT * FROM branding WHERE tour_id = ${tourId} ${lock ? sql`FOR UPDATE` : sql``}`;
  return row;
}

/** Creates or replaces the tour's branding; colours are stored lowercase (the column's check). */
export async function saveBranding(sql: Db, tourId: string, branding: Branding): Promise<BrandingRow> {
  const [saved] = await sql<BrandingRow[]>`
    INSERT INTO branding (tour_id, logo_url, primary_color, accent_color, link_url, show_powered_by)
    VALUES (${tourId}, ${branding.logoUrl}, ${branding.primaryColor?.toLowerCase() ?? null}, ${branding.accentColor?.toLowerCase() ?? null},
            ${branding.linkUrl}, ${branding.showPoweredBy})
    ON CONFLICT (tour_id) DO UPDATE SET logo_url = EXCLUDED.logo_url, primary_color = EXCLUDED.primary_color,
      accent_color = EXCLUDED.accent_color, link_url = EXCLUDED.link_url, show_powered_by = EXCLUDED.show_powered_by
    RETURNING *`;
  return saved!;
}

export async function deleteBranding(sql: Db, tourId: string): Promise<void> {
  await sql`DELETE FROM branding WHERE tour_id = ${tourId}`;
}
