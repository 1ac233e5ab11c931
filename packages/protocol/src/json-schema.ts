import { z } from 'zod';
import { beaconBatchSchema } from './beacon.js';
import { tourDocumentSchema } from './tour-document.js';

/** JSON Schema (draft 2020-12) of the wire formats, for other languages and for docs. */
export function wireJsonSchemas(): Record<'tour-document' | 'beacon-batch', object> {
  return {
    'tour-document': z.toJSONSchema(tourDocumentSchema, { io: 'output', unrepresentable: 'any' }),
    'beacon-batch': z.toJSONSchema(beaconBatchSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
