import { API_BASE, ApiError, errorFromResponse, sessionEnded, unreachable, writeHeaders } from './client.js';
import type { Media } from './types.js';

export type MediaKind = 'panorama' | 'floor_plan' | 'image';

/**
 * POSTs one file to /media as multipart/form-data. XMLHttpRequest rather
 * than fetch: only it reports the bytes sent as they go (`upload.onprogress`).
 * Resolves with the media row (202: processing continues on the server).
 */
export function uploadMedia(file: File, kind: MediaKind, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<Media> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_BASE}/media`);
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(writeHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size, file.size);
        resolve(JSON.parse(xhr.responseText) as Media);
        return;
      }
      if (xhr.status === 401) sessionEnded();
      reject(errorFromResponse(xhr.status, xhr.getResponseHeader('content-type'), xhr.responseText));
    };
    xhr.onerror = () => reject(unreachable());
    xhr.onabort = () => reject(new ApiError(0, 'The upload was cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    // The server reads fields before the file: kind first.
    form.append('kind', kind);
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
