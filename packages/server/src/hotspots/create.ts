import type { Db } from '@vr-tour/db';
import { fieldProblem } from '../http/field-problem.js';
import { isSceneOfTour } from '../scenes/sql.js';
import { requireRoom } from '../tours/limits.js';
import type { HotspotFields } from './schemas.js';
import * as db from './sql.js';

/** A navigation hotspot leads to another scene of its own tour (the database re-checks in a trigger). */
export async function checkTarget(sql: Db, fields: HotspotFields, sceneId: string, tourId: string): Promise<void> {
  if (fields.type !== 'navigation') return;
  if (fields.targetSceneId === sceneId) throw fieldProblem('targetSceneId', 'must be another scene than the hotspot’s own');
  if (!(await isSceneOfTour(sql, fields.targetSceneId, tourId))) {
    throw fieldProblem('targetSceneId', 'is not a scene of the same tour');
  }
}

/**
 * Adds a hotspot at the end of a scene of `tourId` (the caller checked that
 * it may edit it), within the scene's limit; call it in a transaction, which
 * the limit's lock lasts for. Resolves to the new hotspot's id.
 */
export async function createHotspot(tx: Db, sceneId: string, tourId: string, fields: HotspotFields): Promise<string> {
  await checkTarget(tx, fields, sceneId, tourId);
  await requireRoom(tx, 'hotspots', sceneId);
  return db.insertHotspot(tx, sceneId, db.toColumns(fields));
}
