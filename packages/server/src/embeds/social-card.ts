import sharp from 'sharp';
import type { PanoramaLevel, Scene } from '@vr-tour/protocol';
import type { Sql } from '@vr-tour/db';
import type { Logger } from '../logger.js';
import { contentKey, keyFromUrl, type Storage } from '../storage/storage.js';
import { perspectiveView } from './perspective.js';
import { findSocialCard, saveSocialCard } from './sql.js';

/** The size link previews ask for (Facebook, LinkedIn, X's large card): 1.91:1. */
export const SOCIAL_CARD = { width: 1200, height: 630 } as const;

/** A 4096-wide level decodes to 25 MB of pixels; wider ones would cost a page view hundreds. */
const SOURCE_MAX_WIDTH = 4096;

/** Part of every card's source: raising it makes every card again (a new look, a fixed projection). */
const CARD_VERSION = 1;

/**
 * The level to project from: the narrowest one that still has a source pixel
 * per card pixel at this fov, else the widest affordable one. JPEG before
 * the modern format of the same width: it decodes fastest.
 */
export function cardSourceLevel(levels: PanoramaLevel[], fov: number): PanoramaLevel | undefined {
  const needed = (SOCIAL_CARD.width * 360) / fov;
  const ordered = [...levels].sort((a, b) => a.width - b.width || Number(b.format === 'jpeg') - Number(a.format === 'jpeg'));
  const affordable = ordered.filter((level) => level.width <= SOURCE_MAX_WIDTH);
  const widest = affordable.at(-1)?.width;
  return affordable.find((level) => level.width >= needed) ?? affordable.find((level) => level.width === widest) ?? ordered[0];
}

/** The JPEG of a scene's start view at the card's size, from the panorama's pixels. */
async function renderSocialCard(panorama: Buffer, scene: Pick<Scene, 'initialView'>): Promise<Buffer> {
  const { data, info } = await sharp(panorama).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const view = perspectiveView({ data, width: info.width, height: info.height, channels: info.channels }, scene.initialView, SOCIAL_CARD.width, SOCIAL_CARD.height);
  return sharp(view.data, { raw: { width: view.width, height: view.height, channels: view.channels as 3 } })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
}

/**
 * Social cards, made once per start view and kept in the media storage.
 * A card is looked up by what it shows; when the tour's start scene, its
 * panorama or its initial view changed, the next page that needs the card
 * makes it again (about a tenth of a second) and records the new one.
 */
export class SocialCards {
  /** Cards being made in this process, by source: a burst of link-preview fetches makes one. */
  private readonly making = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly sql: Sql,
    private readonly storage: Storage,
    private readonly logger: Logger,
  ) {}

  /**
   * The storage URL of the card of `scene`'s start view (the tour's first
   * scene), or undefined when its panorama is not a file of this storage or
   * cannot be read: the page then goes without an image rather than fail.
   */
  async url(tourId: string, scene: Scene): Promise<string | undefined> {
    const level = cardSourceLevel(scene.panorama.levels, scene.initialView.fov);
    const key = level && keyFromUrl(this.storage, level.url);
    if (!level || !key) return undefined;
    const { yaw, pitch, fov } = scene.initialView;
    const source = `v${CARD_VERSION} ${scene.id} ${level.url} ${yaw} ${pitch} ${fov}`;
    const saved = await findSocialCard(this.sql, tourId);
    if (saved?.source === source) return this.storage.url(saved.image_key);
    const pending = this.making.get(source) ?? this.make(tourId, source, key, scene);
    this.making.set(source, pending);
    try {
      return await pending;
    } finally {
      this.making.delete(source);
    }
  }

  private async make(tourId: string, source: string, panoramaKey: string, scene: Scene): Promise<string | undefined> {
    try {
      const panorama = await this.storage.get(panoramaKey);
      if (!panorama) {
        this.logger.warn({ tourId, panoramaKey }, 'social card: the start scene’s panorama is missing from storage');
        return undefined;
      }
      const card = await renderSocialCard(panorama, scene);
      const imageKey = contentKey(card, 'image/jpeg');
      await this.storage.put(imageKey, card, 'image/jpeg');
      await saveSocialCard(this.sql, tourId, source, imageKey);
      return this.storage.url(imageKey);
    } catch (error) {
      this.logger.warn({ err: error, tourId }, 'social card could not be made');
      return undefined;
    }
  }
}
