import { encodeImage } from './encode.js';
import { stampText } from './glyphs.js';
import type { RawImage } from './panorama.js';
import { chimeSamples, encodeWav } from './wav.js';
import { muxVp8Webm, vp8FrameFromWebp } from './webm.js';

/** The media behind the demo's audio and video hotspots, generated so the repository holds no binaries. */

export const DEMO_AUDIO = { sampleRate: 22_050, seconds: 1, frequency: 660 } as const;
export const DEMO_VIDEO = { width: 320, height: 180, framesPerSecond: 10, seconds: 2, quality: 70 } as const;

export function demoChimeWav(): Buffer {
  const { sampleRate, seconds, frequency } = DEMO_AUDIO;
  return encodeWav({ sampleRate, samples: chimeSamples(sampleRate, seconds, frequency) });
}

const BALL_RADIUS = 18;

/** One frame: a backdrop that shifts hue, a ball crossing it, and the frame number, so motion is obvious. */
function renderVideoFrame(index: number): RawImage {
  const { width, height, framesPerSecond, seconds } = DEMO_VIDEO;
  const progress = index / (framesPerSecond * seconds);
  const data = new Uint8Array(width * height * 3);
  const ballX = BALL_RADIUS + progress * (width - 2 * BALL_RADIUS);
  const ballY = height * 0.62;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 3;
      const inBall = (x - ballX) ** 2 + (y - ballY) ** 2 < BALL_RADIUS ** 2;
      data[offset] = inBall ? 255 : 30 + 120 * progress;
      data[offset + 1] = inBall ? 255 : 40 + (y / height) * 60;
      data[offset + 2] = inBall ? 255 : 150 - 100 * progress;
    }
  }
  const image: RawImage = { data, width, height, channels: 3 };
  stampText(image, 'VR TOUR', 16, 16, 4, [255, 255, 255]);
  stampText(image, String(index + 1).padStart(2, '0'), width - 16 - 11 * 4, 16, 4, [255, 220, 0]);
  return image;
}

export interface DemoVideo {
  webm: Buffer;
  /** The first frame as a JPEG, for the hotspot's poster. */
  poster: Buffer;
}

export async function demoVideo(): Promise<DemoVideo> {
  const { width, height, framesPerSecond, seconds, quality } = DEMO_VIDEO;
  const images = Array.from({ length: framesPerSecond * seconds }, (_, index) => renderVideoFrame(index));
  const webps = await Promise.all(images.map((image) => encodeImage(image, { format: 'webp', quality })));
  const webm = muxVp8Webm({ width, height, framesPerSecond, frames: webps.map(vp8FrameFromWebp) });
  const poster = await encodeImage(images[0]!, { format: 'jpeg', quality: 82 });
  return { webm, poster };
}
