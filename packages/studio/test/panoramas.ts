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
