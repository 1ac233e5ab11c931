/** 16-bit PCM WAV, written by hand: the format is a 44-byte header and the samples. */

export interface WavOptions {
  sampleRate: number;
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
}

export function encodeWav({ sampleRate, samples }: WavOptions): Buffer {
  const bytesPerSample = 2;
  const dataBytes = samples.length * bytesPerSample;
  const buffer = Buffer.alloc(44 + dataBytes);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + dataBytes, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * bytesPerSample, 28);
  buffer.writeUInt16LE(bytesPerSample, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(dataBytes, 40);
  samples.forEach((sample, index) => {
    const clamped = Math.max(-1, Math.min(1, sample));
    buffer.writeInt16LE(Math.round(clamped * 32767), 44 + index * bytesPerSample);
  });
  return buffer;
}

/**
 * A struck chime: a few partials of one note, each decaying, with a short
 * attack so the start does not click and a fade so the end does not either.
 */
export function chimeSamples(sampleRate: number, seconds: number, frequency: number): Float32Array {
  const partials = [
    { ratio: 1, gain: 0.5, decay: 3 },
    { ratio: 2.76, gain: 0.25, decay: 5 },
    { ratio: 5.4, gain: 0.12, decay: 8 },
  ];
  const count = Math.round(sampleRate * seconds);
  const attack = Math.round(sampleRate * 0.005);
  const fade = Math.round(sampleRate * 0.05);
  const samples = new Float32Array(count);
  for (let index = 0; index < count; index += 1) {
    const time = index / sampleRate;
    let value = 0;
    for (const { ratio, gain, decay } of partials) {
      value += gain * Math.exp(-decay * time) * Math.sin(2 * Math.PI * frequency * ratio * time);
    }
    const envelope = Math.min(1, index / attack, (count - index) / fade);
    samples[index] = value * envelope;
  }
  return samples;
}
