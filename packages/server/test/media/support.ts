import sharp from 'sharp';

/**
 * A real equirectangular-shaped image: a gradient sky over a darker floor,
 * with some shapes; `variant` moves the sun, so sources differ by content.
 */
export function panorama(width: number, height: number, format: 'jpeg' | 'png' = 'jpeg', variant = 0): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3a7bd5"/><stop offset="1" stop-color="#d6c7a1"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <rect x="${width / 4}" y="${height / 2}" width="${width / 8}" height="${height / 4}" fill="#804020"/>
    <circle cx="${(width * (3 + variant / 10)) / 4}" cy="${height / 3}" r="${height / 10}" fill="#ffee88"/></svg>`;
  const image = sharp(Buffer.from(svg));
  return (format === 'png' ? image.png() : image.jpeg({ quality: 85 })).toBuffer();
}

/** Posts `data` as the one file of a multipart upload to /api/v1/media. */
export function uploadTo(baseUrl: string, headers: Record<string, string>, data: Buffer, name: string, fields: Record<string, string> = {}, type = 'image/jpeg') {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  return fetch(`${baseUrl}/api/v1/media`, { method: 'POST', body: form, headers });
}
