import type { Db, Sql } from '@vr-tour/db';
import type { AIJobStatus, AIJobType } from '@vr-tour/protocol';
import type { AuthUser } from '../auth/context.js';
import { ownsTour } from '../tours/ownership.js';
import type { Lease } from './lease-sql.js';
import type { JobQueue } from './runner.js';

/** Notified (with the job id) when a row becomes due, so idle runners claim it at once. */
export const AI_JOBS_CHANNEL = 'ai_jobs';
/** Notified by the table's trigger on every visible change: `{id, revision, status, progress, stage}`. */
export const AI_JOB_CHANGES_CHANNEL = 'ai_job_changes';

export interface AiJobClaim {
  id: string;
  type: AIJobType;
  tour_id: string;
  scene_id: string | null;
  attempts: number;
}

/** The AI jobs rows as a queue for the job runner. */
export const AI_JOBS_QUEUE: JobQueue = {
  table: 'ai_jobs',
  channel: AI_JOBS_CHANNEL,
  returning: 'j.id, j.type, j.tour_id, j.scene_id, j.attempts',
  onClaim: ", started_at = coalesce(j.started_at, now()), stage = 'starting'",
  onHandBack: ', stage = NULL',
};

export interface AiJobRow {
  id: string;
  user_id: string;
  tour_id: string;
  scene_id: string | null;
  type: AIJobType;
  status: AIJobStatus;
  progress: number;
  stage: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
  revision: number;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

export const FINAL_STATUSES: ReadonlySet<AIJobStatus> = new Set(['completed', 'failed', 'cancelled']);

export const toJob = (row: AiJobRow) => ({
  id: row.id,
  type: row.type,
  status: row.status,
  tourId: row.tour_id,
  sceneId: row.scene_id,
  progress: { percent: row.progress, stage: row.stage },
  result: row.result,
  error: row.error,
  attempts: row.attempts,
  revision: row.revision,
  createdAt: row.created_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  completedAt: row.completed_at?.toISOString() ?? null,
});

const JOB_COLUMNS = 'j.id, j.user_id, j.tour_id, j.scene_id, j.type, j.status, j.progress, j.stage, j.result, j.error, j.attempts, j.revision, j.created_at, j.started_at, j.completed_at';

/** Inserts a pending job; the runners of every server process are notified at commit. */
export async function insertJob(sql: Sql, job: { userId: string; tourId: string; sceneId: string | null; type: AIJobType }): Promise<AiJobRow> {
  return sql.begin(async (tx) => {
    const [row] = await tx<AiJobRow[]>`
      INSERT INTO ai_jobs AS j (user_id, tour_id, scene_id, type) VALUES (${job.userId}, ${job.tourId}, ${job.sceneId}, ${job.type})
      RETURNING ${tx.unsafe(JOB_COLUMNS)}`;
    await tx`SELECT pg_notify(${AI_JOBS_CHANNEL}, ${row!.id})`;
    return row!;
  });
}

/** A job of a tour the caller may edit (the owner, or an admin). */
export async function findJob(sql: Db, caller: AuthUser, id: string): Promise<AiJobRow | undefined> {
  const [row] = await sql<AiJobRow[]>`
    SELECT ${sql.unsafe(JOB_COLUMNS)} FROM ai_jobs j JOIN tours t ON t.id = j.tour_id WHERE j.id = ${id} AND ${ownsTour(sql, caller)}`;
  return row;
}

/** A job by id, for whoever already holds the right to see it (a socket authorised at its upgrade). */
export async function readJob(sql: Db, id: string): Promise<AiJobRow | undefined> {
  const [row] = await sql<AiJobRow[]>`SELECT ${sql.unsafe(JOB_COLUMNS)} FROM ai_jobs j WHERE j.id = ${id}`;
  return row;
}

/** The latest jobs of a tour, newest first. */
export async function listJobs(sql: Db, tourId: string, limit = 50): Promise<AiJobRow[]> {
  return sql<AiJobRow[]>`
    SELECT ${sql.unsafe(JOB_COLUMNS)} FROM ai_jobs j WHERE j.tour_id = ${tourId} ORDER BY j.created_at DESC, j.id LIMIT ${limit}`;
}

/**
 * Ends a pending or processing job `cancelled` and releases its lease, so
 * the runner working on it can write nothing more (it learns of it from the
 * change notification). Undefined when the job had already ended.
 */
export async function cancelJob(sql: Db, id: string): Promise<AiJobRow | undefined> {
  const [row] = await sql<AiJobRow[]>`
    UPDATE ai_jobs j SET status = 'cancelled', stage = NULL, lease_owner = NULL, lease_expires_at = NULL, completed_at = now()
    WHERE j.id = ${id} AND j.status IN ('pending', 'processing')
    RETURNING ${sql.unsafe(JOB_COLUMNS)}`;
  return row;
}

/** Writes progress while the lease is held; false when it is not (cancelled, taken over). */
export async function setProgress(sql: Sql, lease: Lease, percent: number, stage: string): Promise<boolean> {
  const held = await sql`
    UPDATE ai_jobs SET progress = ${percent}, stage = ${stage} WHERE id = ${lease.id} AND lease_owner = ${lease.owner} RETURNING id`;
  return held.length > 0;
}

/** Ends the leased job failed with `reason`; false when it is no longer held. */
export async function markFailed(sql: Sql, lease: Lease, reason: string): Promise<boolean> {
  const failed = await sql`
    UPDATE ai_jobs SET status = 'failed', error = ${reason.slice(0, 1000)}, stage = NULL, lease_owner = NULL, lease_expires_at = NULL,
      completed_at = now()
    WHERE id = ${lease.id} AND lease_owner = ${lease.owner} RETURNING id`;
  return failed.length > 0;
}

/** A suggested hotspot, as a job finds it: what the API shows of one, but what deciding on it adds. */
export type NewSuggestion = Omit<ReturnType<typeof toSuggestion>, 'id' | 'jobId' | 'status' | 'hotspotId'>;

/** A rejected suggestion this close (degrees on the sphere) to a new one of the same kind hides it. */
const REJECTION_RADIUS_DEG = 20;

/**
 * Ends the leased job completed with `result`, and stores its suggestions,
 * all in one transaction, leaving out those that match one the creator
 * rejected (same scene, kind and object or target, nearby). Resolves to the
 * number stored, or undefined when the job is no longer held.
 */
export async function markCompleted(sql: Sql, lease: Lease, result: Record<string, unknown>, suggestions: NewSuggestion[]): Promise<number | undefined> {
  return sql.begin(async (tx) => {
    const [held] = await tx`SELECT id FROM ai_jobs WHERE id = ${lease.id} AND lease_owner = ${lease.owner} FOR UPDATE`;
    if (!held) return undefined;
    const sceneIds = [...new Set(suggestions.map((suggestion) => suggestion.sceneId))];
    const rejected = await tx<{ scene_id: string; type: string; label: string; target_scene_id: string | null; yaw: number; pitch: number }[]>`
      SELECT scene_id, type, label, target_scene_id, yaw, pitch FROM ai_suggestions
      WHERE status = 'rejected' AND scene_id = ANY(${sceneIds}::uuid[])`;
    const kept = suggestions.filter(
      (suggestion) =>
        !rejected.some(
          (old) =>
            old.scene_id === suggestion.sceneId &&
            old.type === suggestion.type &&
            old.label === suggestion.label &&
            old.target_scene_id === suggestion.targetSceneId &&
            angularDistance(old, suggestion) <= REJECTION_RADIUS_DEG,
        ),
    );
    for (const suggestion of kept) {
      await tx`
        INSERT INTO ai_suggestions (job_id, scene_id, type, target_scene_id, yaw, pitch, title, label, confidence, evidence)
        VALUES (${lease.id}, ${suggestion.sceneId}, ${suggestion.type}, ${suggestion.targetSceneId}, ${suggestion.yaw}, ${suggestion.pitch},
                ${suggestion.title}, ${suggestion.label}, ${suggestion.confidence}, ${tx.json(suggestion.evidence as never)})`;
    }
    await tx`
      UPDATE ai_jobs SET status = 'completed', progress = 100, stage = NULL, error = NULL,
        result = ${tx.json({ ...result, suggestions: kept.length, suppressedByRejections: suggestions.length - kept.length } as never)},
        lease_owner = NULL, lease_expires_at = NULL, completed_at = now()
      WHERE id = ${lease.id}`;
    return kept.length;
  });
}

/** Great-circle distance in degrees between two directions given as yaw and pitch. */
export function angularDistance(a: { yaw: number; pitch: number }, b: { yaw: number; pitch: number }): number {
  const rad = Math.PI / 180;
  const cos =
    Math.sin(a.pitch * rad) * Math.sin(b.pitch * rad) + Math.cos(a.pitch * rad) * Math.cos(b.pitch * rad) * Math.cos((a.yaw - b.yaw) * rad);
  return Math.acos(Math.min(1, Math.max(-1, cos))) / rad;
}

export interface SuggestionRow {
  id: string;
  job_id: string;
  scene_id: string;
  tour_id: string;
  type: 'info' | 'navigation';
  target_scene_id: string | null;
  yaw: number;
  pitch: number;
  title: string;
  label: string;
  confidence: number;
  evidence: Record<string, unknown>;
  status: 'open' | 'accepted' | 'rejected';
  hotspot_id: string | null;
}

export const toSuggestion = (row: SuggestionRow) => ({
  id: row.id,
  jobId: row.job_id,
  sceneId: row.scene_id,
  type: row.type,
  targetSceneId: row.target_scene_id,
  yaw: row.yaw,
  pitch: row.pitch,
  title: row.title,
  label: row.label,
  confidence: row.confidence,
  evidence: row.evidence,
  status: row.status,
  hotspotId: row.hotspot_id,
});

export async function listSuggestions(sql: Db, jobId: string): Promise<SuggestionRow[]> {
  return sql<SuggestionRow[]>`
    SELECT s.*, j.tour_id FROM ai_suggestions s JOIN ai_jobs j ON j.id = s.job_id
    WHERE s.job_id = ${jobId} ORDER BY s.confidence DESC, s.id`;
}

/** A suggestion of a tour the caller may edit; locked when `forUpdate`, so two decisions take turns. */
export async function findSuggestion(sql: Db, caller: AuthUser, id: string, forUpdate = false): Promise<SuggestionRow | undefined> {
  const [row] = await sql<SuggestionRow[]>`
    SELECT s.*, j.tour_id FROM ai_suggestions s JOIN ai_jobs j ON j.id = s.job_id JOIN tours t ON t.id = j.tour_id
    WHERE s.id = ${id} AND ${ownsTour(sql, caller)} ${forUpdate ? sql`FOR UPDATE OF s` : sql``}`;
  return row;
}

export async function decideSuggestion(sql: Db, id: string, status: 'accepted' | 'rejected', hotspotId: string | null): Promise<void> {
  await sql`UPDATE ai_suggestions SET status = ${status}, hotspot_id = ${hotspotId}, decided_at = now() WHERE id = ${id}`;
}

/** A scene of the tour as the jobs read it: its panorama's files, its floor-plan place, its hotspots. */
export interface SceneInput {
  id: string;
  title: string;
  north_offset: number;
  /** The panorama's outputs (levels, preview), when it is processed. */
  variants: { levels?: { width: number; url: string; format: string }[]; previewUrl?: string } | null;
  floor_plan_id: string | null;
  floor_plan_x: number | null;
  floor_plan_y: number | null;
  plan_width: number | null;
  plan_height: number | null;
  hotspots: { type: string; yaw: number; pitch: number; target_scene_id: string | null }[];
}

export async function sceneInputs(sql: Db, tourId: string): Promise<SceneInput[]> {
  return sql<SceneInput[]>`
    SELECT s.id, s.title, s.north_offset, CASE WHEN m.status = 'ready' THEN m.variants END AS variants,
           s.floor_plan_id, s.floor_plan_x, s.floor_plan_y, f.width AS plan_width, f.height AS plan_height,
           coalesce((SELECT json_agg(json_build_object('type', h.type, 'yaw', h.yaw, 'pitch', h.pitch, 'target_scene_id', h.target_scene_id))
                     FROM hotspots h WHERE h.scene_id = s.id), '[]') AS hotspots
    FROM scenes s LEFT JOIN media m ON m.id = s.media_id LEFT JOIN floor_plans f ON f.id = s.floor_plan_id
    WHERE s.tour_id = ${tourId} ORDER BY s.sort_order, s.created_at`;
}
