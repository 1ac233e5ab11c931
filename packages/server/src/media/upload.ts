import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { findJsonInputIssue } from '@vr-tour/protocol';
import { inputProblem } from '../http/input-guard.js';
import { HttpProblem, badRequest } from '../http/problem.js';

export interface ReceivedFile {
  /** A temporary copy; the caller removes it with `discard`. */
  path: string;
  originalName: string;
  byteSize: number;
  sha256: string;
  fields: Record<string, string>;
  discard(): Promise<void>;
}

/**
 * Streams the one file of a multipart/form-data request to a temporary file,
 * hashing and counting as it goes; never buffers the body. Refuses a body
 * over `maxBytes` (413) as soon as it crosses the limit, and more than one file.
 */
export async function receiveUpload(req: Request, maxBytes: number): Promise<ReceivedFile> {
  if (!req.is('multipart/form-data')) {
    throw new HttpProblem(415, 'Unsupported Media Type', 'send the file as multipart/form-data, in a field named "file"');
  }
  const folder = await mkdtemp(path.join(tmpdir(), 'vr-tour-upload-'));
  const discard = () => rm(folder, { recursive: true, force: true });
  try {
    return await new Promise<ReceivedFile>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 1024, parts: 12 },
        });
      } catch (error) {
        // A Content-Type without a usable boundary.
        req.resume();
        return reject(badRequest(`the multipart body is malformed: ${(error as Error).message}`));
      }
      const fields: Record<string, string> = {};
      let received: Promise<Omit<ReceivedFile, 'fields'>> | undefined;
      let failure: Error | undefined;
      const fail = (error: Error) => {
        failure ??= error;
        req.unpipe(parser);
        // Drain the rest so the client sees our answer instead of a reset connection.
        req.resume();
        reject(failure);
      };
      parser.on('field', (name, value) => {
        fields[name] = value;
      });
      parser.on('file', (name, stream, info) => {
        if (name !== 'file' || received) {
          stream.resume();
          return fail(badRequest('send exactly one file, in a field named "file"', { errors: [{ path: 'file', message: 'exactly one file' }] }));
        }
        // The name is stored as text: a NUL (from filename*=utf-8''%00) would fail the insert.
        const nameIssue = info.filename === undefined ? undefined : findJsonInputIssue(info.filename);
        if (nameIssue) {
          stream.resume();
          return fail(inputProblem(nameIssue, 'file.filename'));
        }
        const target = path.join(folder, 'source');
        const hash = createHash('sha256');
        let byteSize = 0;
        stream.on('limit', () =>
          fail(new HttpProblem(413, 'Content Too Large', `the file is larger than the limit of ${maxBytes} bytes`)),
        );
        const meter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            byteSize += chunk.length;
            callback(null, chunk);
          },
        });
        received = pipeline(stream, meter, createWriteStream(target)).then(() => ({
          path: target,
          originalName: path.basename(info.filename ?? 'upload').slice(0, 255),
          byteSize,
          sha256: hash.digest('hex'),
          discard,
        }));
        received.catch(fail);
      });
      parser.on('filesLimit', () => fail(badRequest('send exactly one file per request')));
      parser.on('partsLimit', () => fail(badRequest('too many form fields')));
      parser.on('error', (error: Error) => fail(badRequest(`the multipart body is malformed: ${error.message}`)));
      parser.on('close', async () => {
        if (failure) return;
        if (!received) return fail(badRequest('the form has no file; send it in a field named "file"', { errors: [{ path: 'file', message: 'is required' }] }));
        try {
          const file = await received;
          if (!failure) resolve({ ...file, fields });
        } catch (error) {
          fail(error as Error);
        }
      });
      req.pipe(parser);
    });
  } catch (error) {
    await discard();
    throw error;
  }
}
