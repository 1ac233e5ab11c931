import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_TOUR_ID, demoTourDocument, filesOf, generateDemoAssets } from '@vr-tour/demo';
import type { PanoramaOriginal, SeedContext } from '@vr-tour/server';

export { DEMO_TOUR_ID };

/** The account that owns the demo tour. It has no password: nobody logs in as it. */
export const DEMO_OWNER = { email: 'demo@vr-tour.invalid', displayName: 'vr-tour demo' };

/**
 * Seeds the demo tour on first start, unless DEMO=off: renders its panoramas
 * (kept in DATA_DIR/demo-assets, they take seconds to render), stores them as
 * media, and writes the tour as a published, public, featured tour with fixed
 * ids. Once the tour exists it does nothing, so a creator's later edits to it
 * are kept.
 */
export async function seedDemoTour({ config, logger, tours }: SeedContext): Promise<void> {
  if (!config.demo || (await tours.exists(DEMO_TOUR_ID))) return;
  const started = performance.now();
  const cacheDir = path.join(config.dataDir, 'demo-assets');
  const assets = await generateDemoAssets(cacheDir);
  const urls = new Map<string, string>();
  for (const file of filesOf(assets)) {
    urls.set(file.path, await tours.storeFile(await readFile(path.join(cacheDir, file.path)), file.contentType));
  }
  const mediaUrl = (file: string) => urls.get(file) ?? `/media/${file}`;
  const document = demoTourDocument(assets, { mediaUrl });
  const sceneAssets = Object.values(assets.scenes);
  const panoramas = new Map(
    document.scenes.map((scene, index) => {
      const { levels, thumbnail } = sceneAssets[index]!;
      // The largest level stands for the upload the panorama was made from.
      const source = levels.at(-1)!;
      const original: PanoramaOriginal = {
        name: source.path,
        contentType: source.contentType,
        bytes: source.bytes,
        width: source.width,
        height: source.height,
        sha256: source.sha256,
      };
      return [scene.id, { original, thumbnailUrl: mediaUrl(thumbnail.path) }];
    }),
  );
  const seeded = await tours.storeDocument({ document, owner: DEMO_OWNER, visibility: 'public', featured: true, panoramas });
  if (seeded) logger.info({ tourId: DEMO_TOUR_ID, ms: Math.round(performance.now() - started) }, 'demo tour seeded');
}
