/** Bytes of a download so far, and its size (from Content-Length). */
export type Progress = (loaded: number, total: number) => void;

/** The response's body, reporting its progress when its size is known. */
async function read(response: Response, progress?: Progress): Promise<Blob> {
  const total = Number(response.headers.get('content-length'));
  if (!progress || !total || !response.body) return response.blob();
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    parts.push(part.value);
    progress((loaded += part.value.length), total);
  }
  return new Blob(parts as BlobPart[], { type: response.headers.get('content-type') ?? '' });
}

/**
 * Fetches and decodes a panorama off the main thread (`createImageBitmap`),
 * scaled down to `maxWidth` when the GPU takes no wider texture.
 */
export async function decodeUrl(url: string, signal: AbortSignal, maxWidth: number, progress?: Progress): Promise<ImageBitmap> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${response.status} for ${url}`);
  const blob = await read(response, progress);
  // Rows stay top-down (the shader expects that). Default options: asking for no colour conversion or no
  // premultiplication made Chromium's decode of an opaque 4096x2048 JPEG ~1.7x slower (bench/viewer).
  const bitmap = await createImageBitmap(blob);
  if (bitmap.width <= maxWidth) return bitmap;
  const resized = await createImageBitmap(bitmap, { resizeWidth: maxWidth, resizeHeight: maxWidth / 2, resizeQuality: 'high' });
  bitmap.close();
  return resized;
}

/** Decodes a scene's inline preview (a data: URI). */
export async function decodeDataUri(uri: string): Promise<ImageBitmap> {
  // An <img> (img-src) rather than fetch (connect-src) keeps strict CSPs happy.
  const image = new Image();
  image.src = uri;
  await image.decode();
  return createImageBitmap(image);
}
