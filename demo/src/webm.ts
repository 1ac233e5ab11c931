/**
 * A WebM writer for VP8 video made of key frames only. There is no ffmpeg on
 * these machines, but sharp's lossy WebP output *is* a VP8 key frame inside a
 * RIFF wrapper: we take those frames out and put them in a Matroska container.
 */

const ID = {
  EBML: 0x1a45dfa3,
  EBMLVersion: 0x4286,
  EBMLReadVersion: 0x42f7,
  EBMLMaxIDLength: 0x42f2,
  EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282,
  DocTypeVersion: 0x4287,
  DocTypeReadVersion: 0x4285,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  FlagLacing: 0x9c,
  DefaultDuration: 0x23e383,
  CodecID: 0x86,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
} as const;

/** Element ids already carry their length marker, so they are written as their bytes. */
function idBytes(id: number): Buffer {
  const bytes: number[] = [];
  for (let rest = id; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from(bytes);
}

/** EBML variable-length size: the count of leading zero bits tells how many bytes follow. */
function sizeBytes(size: number): Buffer {
  for (let length = 1; length <= 8; length += 1) {
    // All ones in the value bits means "unknown size", so it is not usable as a size.
    if (size < 2 ** (7 * length) - 1) {
      const bytes = Buffer.alloc(length);
      let rest = size;
      for (let index = length - 1; index >= 0; index -= 1) {
        bytes[index] = rest % 256;
        rest = Math.floor(rest / 256);
      }
      bytes[0]! |= 0x80 >> (length - 1);
      return bytes;
    }
  }
  throw new RangeError(`EBML element too large: ${size} bytes`);
}

function element(id: number, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  return Buffer.concat([idBytes(id), sizeBytes(body.length), body]);
}

function uint(id: number, value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0 || bytes.length === 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return element(id, Buffer.from(bytes));
}

function float(id: number, value: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeDoubleBE(value);
  return element(id, body);
}

function text(id: number, value: string): Buffer {
  return element(id, Buffer.from(value, 'ascii'));
}

/** The VP8 key frame inside a simple lossy WebP file (RIFF "WEBP" with a "VP8 " chunk). */
export function vp8FrameFromWebp(webp: Buffer): Buffer {
  if (webp.toString('ascii', 0, 4) !== 'RIFF' || webp.toString('ascii', 8, 12) !== 'WEBP') {
    throw new Error('not a WebP file');
  }
  let offset = 12;
  while (offset + 8 <= webp.length) {
    const fourcc = webp.toString('ascii', offset, offset + 4);
    const size = webp.readUInt32LE(offset + 4);
    if (fourcc === 'VP8 ') return webp.subarray(offset + 8, offset + 8 + size);
    offset += 8 + size + (size & 1);
  }
  throw new Error('the WebP file has no lossy VP8 frame (was it encoded lossless?)');
}

export interface WebmVideo {
  width: number;
  height: number;
  framesPerSecond: number;
  /** VP8 key frames, in display order. */
  frames: Buffer[];
}

/** Muxes key frames into a single-cluster WebM (block timecodes are 16-bit: keep it under 32 s). */
export function muxVp8Webm({ width, height, framesPerSecond, frames }: WebmVideo): Buffer {
  const frameMs = 1000 / framesPerSecond;
  const durationMs = frames.length * frameMs;
  if (durationMs > 32_000) throw new RangeError('a single-cluster WebM holds at most 32 seconds');
  const header = element(
    ID.EBML,
    uint(ID.EBMLVersion, 1),
    uint(ID.EBMLReadVersion, 1),
    uint(ID.EBMLMaxIDLength, 4),
    uint(ID.EBMLMaxSizeLength, 8),
    text(ID.DocType, 'webm'),
    uint(ID.DocTypeVersion, 2),
    uint(ID.DocTypeReadVersion, 2),
  );
  const info = element(
    ID.Info,
    uint(ID.TimecodeScale, 1_000_000),
    float(ID.Duration, durationMs),
    text(ID.MuxingApp, '@vr-tour/demo'),
    text(ID.WritingApp, '@vr-tour/demo'),
  );
  const tracks = element(
    ID.Tracks,
    element(
      ID.TrackEntry,
      uint(ID.TrackNumber, 1),
      uint(ID.TrackUID, 1),
      uint(ID.TrackType, 1),
      uint(ID.FlagLacing, 0),
      uint(ID.DefaultDuration, Math.round(frameMs * 1_000_000)),
      text(ID.CodecID, 'V_VP8'),
      element(ID.Video, uint(ID.PixelWidth, width), uint(ID.PixelHeight, height)),
    ),
  );
  const blocks = frames.map((frame, index) => {
    const blockHeader = Buffer.alloc(4);
    blockHeader[0] = 0x81; // track 1 as a one-byte vint
    blockHeader.writeInt16BE(Math.round(index * frameMs), 1);
    blockHeader[3] = 0x80; // key frame
    return element(ID.SimpleBlock, blockHeader, frame);
  });
  const cluster = element(ID.Cluster, uint(ID.Timecode, 0), ...blocks);
  return Buffer.concat([header, element(ID.Segment, info, tracks, cluster)]);
}
