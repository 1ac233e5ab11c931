import sharp from 'sharp';
import { demoRoom, encodePanorama, renderRoom, type DemoRoomId } from '@vr-tour/demo';

/** A demo room as a 2:1 JPEG, as a creator's camera would give it. */
export function demoPanorama(room: DemoRoomId, width = 2048): Promise<Buffer> {
  return encodePanorama(renderRoom(demoRoom(room), width), width);
}

/** A real photo-sized JPEG that is not a panorama: 5:4, not 2:1. */
export function notPanorama(): Promise<Buffer> {
  return sharp({ create: { width: 1000, height: 800, channels: 3, background: { r: 90, g: 140, b: 200 } } })
    .jpeg()
    .toBuffer();
}

/** A drawn floor plan: two rooms and a corridor, 800x500 PNG. */
export function floorPlanImage(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500">
    <rect width="800" height="500" fill="#ffffff"/>
    <g fill="none" stroke="#1f2937" stroke-width="8">
      <rect x="20" y="20" width="360" height="300"/><rect x="420" y="20" width="360" height="300"/><rect x="20" y="360" width="760" height="120"/>
    </g>
    <g font-family="sans-serif" font-size="28" fill="#4b5563"><text x="140" y="180">Lobby</text><text x="530" y="180">Garden room</text><text x="340" y="430">Hall</text></g></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A small logo, 240x80 PNG. */
export function logoImage(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80">
    <rect width="240" height="80" rx="16" fill="#0f766e"/>
    <text x="120" y="54" font-family="sans-serif" font-size="40" font-weight="700" fill="#ffffff" text-anchor="middle">ACME</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
