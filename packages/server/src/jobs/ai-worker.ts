import sharp from 'sharp';
import type { Sql } from '@vr-tour/db';
import type { RawImage } from '../embeds/perspective.js';
import type { Logger } from '../logger.js';
import { keyFromUrl, type Storage } from '../storage/storage.js';
import { AbortError, type Analyzer } from './analysis/analyzer.js';
import { floorPlanLinks, matchGeometry, type LinkSuggestion, type PlacedScene } from './analysis/links.js';
import { hammingDistance, NEAR_DUPLICATE_BITS, perceptualHash } from './analysis/phash.js';
import { inferRoomType } from './analysis/room-type.js';
import { wrapDegrees } from './analysis/views.js';
import type { JobChanges } from './changes.js';
import { JobRunner, type LeasedJob, type RunnerOptions } from './runner.js';
import * as db from './sql.js';

/** The width panoramas are analysed at: detail enough for 512 px views of 90°. */
const ANALYSIS_WIDTH = 4096;
/** The width panoramas are feature-matched at (~0.7 s a pair). */
const MATCH_WIDTH = 2048;
/** Above this many scenes a tour's panoramas are matched with their neighbours in order only, not every pair. */
const ALL_PAIRS_UP_TO = 12;
/** Objects worth an info hotspot of their own, when the detector is this sure of them. */
const WORTH_A_HOTSPOT = new Set(['bed', 'couch', 'tv', 'oven', 'refrigerator', 'microwave', 'dining table', 'toilet', 'sink', 'potted plant', 'clock', 'vase', 'laptop', 'bicycle', 'piano', 'bench', 'book']);
const MIN_HOTSPOT_SCORE = 0.35;
/** An existing hotspot this close (degrees) already covers the place. */
const COVERED_DEG = 10;

class JobFailure extends Error {}

type Job = LeasedJob<db.AiJobClaim>;

/** Reports progress for a job: writes to its row, in order, while the lease holds. */
function progressWriter(sql: Sql, job: Job) {
  let last = '';
  let chain = Promise.resolve();
  return (percent: number, stage: string) => {
    const rounded = Math.max(0, Math.min(99, Math.round(percent)));
    if (`${rounded} ${stage}` === last) return;
    last = `${rounded} ${stage}`;
    chain = chain.then(async () => {
      if (job.lost) return;
      const held = await db.setProgress(sql, job.lease, rounded, stage).catch(() => true);
      if (!held) job.lose();
    });
  };
}

export type AiWorkerOptions = Omit<RunnerOptions, 'name'>;

/**
 * Runs AI jobs in the background of every server process, on the job runner
 * (as media processing does), one at a time; the inference itself runs in
 * the analyzer's worker thread. A job cancelled through the API (from any
 * process) is heard of through the change notifications and stopped at once.
 */
export class AiJobWorker {
  private readonly runner: JobRunner<db.AiJobClaim>;

  constructor(
    private readonly sql: Sql,
    private readonly storage: Storage,
    private readonly changes: JobChanges,
    private readonly analyzer: Analyzer,
    private readonly options: AiWorkerOptions = {},
  ) {
    this.runner = new JobRunner(
      sql,
      db.AI_JOBS_QUEUE,
      {
        process: (job) => this.process(job),
        exhausted: async (job, reason) => void (await db.markFailed(sql, job.lease, reason)),
      },
      { ...options, name: 'AI job' },
    );
  }

  start(): this {
    this.runner.start();
    return this;
  }

  async stop(graceMs = 0): Promise<void> {
    await this.runner.stop(graceMs);
  }

  private async process(job: Job): Promise<void> {
    const unfollow = this.changes.follow(job.claim.id, (change) => {
      if (change.status === 'cancelled') job.lose();
    });
    const progress = progressWriter(this.sql, job);
    try {
      const { result, suggestions } =
        job.claim.type === 'scene_analysis' ? await this.analyzeScene(job, progress) : await this.generateLinks(job, progress);
      if (job.lost) return;
      await db.markCompleted(this.sql, job.lease, result, suggestions);
    } catch (error) {
      if (job.lost || error instanceof AbortError) return;
      if (!(error instanceof JobFailure)) this.options.logger?.warn({ err: error, jobId: job.claim.id }, 'AI job failed');
      await db.markFailed(this.sql, job.lease, error instanceof Error ? error.message : 'the job failed');
    } finally {
      unfollow();
    }
  }

  /** A panorama's pixels from its stored level closest to `width` (never wider than needed when avoidable). */
  private async panorama(scene: db.SceneInput, width: number, channels: 1 | 3): Promise<RawImage> {
    const levels = [...(scene.variants?.levels ?? [])].sort((a, b) => a.width - b.width || Number(b.format === 'jpeg') - Number(a.format === 'jpeg'));
    const level = levels.find((candidate) => candidate.width >= width) ?? levels.at(-1);
    const key = level && keyFromUrl(this.storage, level.url);
    const file = key && (await this.storage.get(key));
    if (!file) throw new JobFailure(`the panorama of scene “${scene.title}” is not stored; upload it again`);
    let image = sharp(file).resize({ width: Math.min(width, level.width), height: Math.min(width, level.width) / 2, fit: 'fill' }).removeAlpha();
    if (channels === 1) image = image.greyscale();
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels };
  }

  private async previewHash(scene: db.SceneInput): Promise<string | undefined> {
    const url = scene.variants?.previewUrl ?? scene.variants?.levels?.[0]?.url;
    const key = url && keyFromUrl(this.storage, url);
    const file = key && (await this.storage.get(key));
    return file ? perceptualHash(file) : undefined;
  }

  private async analyzeScene(job: Job, progress: (percent: number, stage: string) => void) {
    progress(2, 'loading the panorama');
    const scenes = await db.sceneInputs(this.sql, job.claim.tour_id);
    const scene = scenes.find((candidate) => candidate.id === job.claim.scene_id);
    if (!scene?.variants) throw new JobFailure('the scene has no processed panorama any more');
    const panorama = await this.panorama(scene, ANALYSIS_WIDTH, 3);
    const findings = await this.analyzer.analyzeScene(panorama, (percent, stage) => progress(5 + percent * 0.8, stage), job.signal);

    progress(88, 'comparing with the tour’s other scenes');
    const own = await this.previewHash(scene);
    const duplicates = [];
    for (const other of scenes) {
      if (other.id === scene.id || !other.variants || !own) continue;
      const hash = await this.previewHash(other);
      const distance = hash === undefined ? 64 : hammingDistance(own, hash);
      if (distance <= NEAR_DUPLICATE_BITS) duplicates.push({ sceneId: other.id, title: other.title, differingBits: distance });
    }
    const room = inferRoomType(findings.objects);
    const covered = (yaw: number, pitch: number) => scene.hotspots.some((h) => db.angularDistance(h, { yaw, pitch }) < COVERED_DEG);
    const suggestions: db.NewSuggestion[] = findings.objects
      .filter((object) => WORTH_A_HOTSPOT.has(object.label) && object.score >= MIN_HOTSPOT_SCORE && !covered(object.yaw, object.pitch))
      .map((object) => ({
        sceneId: scene.id,
        type: 'info',
        targetSceneId: null,
        yaw: object.yaw,
        pitch: object.pitch,
        title: object.label[0]!.toUpperCase() + object.label.slice(1),
        label: object.label,
        confidence: object.score,
        evidence: { source: 'object detection', detector: 'CenterNet (COCO)', score: object.score, views: object.views, widthDeg: object.width, heightDeg: object.height },
      }));
    progress(95, 'saving');
    return {
      result: { objects: findings.objects, room, quality: findings.quality, duplicates, perceptualHash: own ?? null },
      suggestions,
    };
  }

  private async generateLinks(job: Job, progress: (percent: number, stage: string) => void) {
    progress(2, 'reading the tour');
    const scenes = await db.sceneInputs(this.sql, job.claim.tour_id);
    const placed: PlacedScene[] = scenes.map((scene) => ({
      id: scene.id,
      title: scene.title,
      northOffset: scene.north_offset,
      plan:
        scene.floor_plan_id === null
          ? null
          : { id: scene.floor_plan_id, x: scene.floor_plan_x!, y: scene.floor_plan_y!, width: scene.plan_width!, height: scene.plan_height! },
    }));
    const links = new Map<string, LinkSuggestion>();
    for (const link of floorPlanLinks(placed)) links.set(`${link.from}>${link.to}`, link);

    const withPanorama = scenes.filter((scene) => scene.variants?.levels?.length);
    const pairs: [db.SceneInput, db.SceneInput][] = [];
    for (let i = 0; i < withPanorama.length; i += 1) {
      for (let j = i + 1; j < withPanorama.length; j += 1) {
        const [a, b] = [withPanorama[i]!, withPanorama[j]!];
        if (withPanorama.length <= ALL_PAIRS_UP_TO || j === i + 1 || links.has(`${a.id}>${b.id}`)) pairs.push([a, b]);
      }
    }
    const grey = new Map<string, RawImage>();
    const load = async (scene: db.SceneInput) => grey.get(scene.id) ?? grey.set(scene.id, await this.panorama(scene, MATCH_WIDTH, 1)).get(scene.id)!;
    const matched = [];
    for (const [index, [a, b]] of pairs.entries()) {
      progress(5 + (index / pairs.length) * 85, `matching features (pair ${index + 1} of ${pairs.length})`);
      const geometry = matchGeometry(await this.analyzer.matchFeatures(await load(a), await load(b), job.signal));
      if (!geometry) continue;
      matched.push({ a: a.id, b: b.id, ...geometry });
      const confidence = Math.min(0.9, geometry.inliers / 200);
      const directions: [string, string, number | null, number][] = [
        // From A, B lies at φ; arriving in B, keep facing the same way: φ turned by the rotation.
        [a.id, b.id, geometry.direction, geometry.rotation],
        [b.id, a.id, geometry.direction === null ? null : wrapDegrees(geometry.direction + 180 + geometry.rotation), -geometry.rotation],
      ];
      for (const [from, to, yaw, rotation] of directions) {
        const evidence = { featureMatches: geometry.inliers, rotationDeg: rotation };
        const known = links.get(`${from}>${to}`);
        if (known) {
          known.confidence = Math.min(1, Math.round((known.confidence + confidence * 0.5) * 100) / 100);
          known.evidence = { ...known.evidence, ...evidence, arrivalYaw: wrapDegrees(known.yaw + rotation) };
        } else if (yaw !== null) {
          links.set(`${from}>${to}`, { from, to, yaw, pitch: -10, confidence, evidence: { source: 'feature matches', ...evidence, arrivalYaw: wrapDegrees(yaw + rotation) } });
        }
      }
    }
    const existing = new Set(scenes.flatMap((scene) => scene.hotspots.filter((h) => h.target_scene_id).map((h) => `${scene.id}>${h.target_scene_id}`)));
    const titles = new Map(scenes.map((scene) => [scene.id, scene.title]));
    const suggestions: db.NewSuggestion[] = [...links.values()]
      .filter((link) => !existing.has(`${link.from}>${link.to}`))
      .map((link) => ({
        sceneId: link.from,
        type: 'navigation',
        targetSceneId: link.to,
        yaw: link.yaw,
        pitch: link.pitch,
        title: `To ${titles.get(link.to)}`.slice(0, 200),
        label: 'link',
        confidence: link.confidence,
        evidence: link.evidence,
      }));
    progress(95, 'saving');
    return { result: { scenes: scenes.length, pairsMatched: pairs.length, matches: matched, links: suggestions.length }, suggestions };
  }
}
