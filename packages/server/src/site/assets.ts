import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteAssets } from './routes.js';

function packageDir(name: string): string {
  return path.dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`)));
}

/** Where `npm run build` puts the viewer bundle, the studio and the demo site. */
export function builtSiteAssets(): SiteAssets {
  return {
    viewerDir: path.join(packageDir('@vr-tour/viewer'), 'dist', 'cdn'),
    demoDir: path.join(packageDir('@vr-tour/demo'), 'dist'),
    studioDir: path.join(packageDir('@vr-tour/studio'), 'dist'),
  };
}
