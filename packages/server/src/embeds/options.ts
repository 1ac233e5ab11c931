import { z } from 'zod';
import { fovSchema, pitchSchema, yawSchema } from '@vr-tour/protocol';

const ON = new Set(['', '1', 'true', 'on', 'yes']);
const OFF = new Set(['0', 'false', 'off', 'no']);

const decimal = z.string().trim().regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, 'must be a number').transform(Number);

/** An option that is ignored (left to the tour) when it is missing or not understood. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/**
 * `autorotate`: on at the tour's speed (`1`, `true`, `on`, `yes` or bare),
 * off (`0`, `false`, `off`, `no`), or degrees per second (any other number
 * in -30..30, negative turns left). The value is the `<vr-tour autorotate>`
 * attribute to write, or null for none.
 */
const autorotate = z.string().transform((value, context) => {
  const word = value.trim().toLowerCase();
  if (ON.has(word)) return '';
  if (OFF.has(word)) return null;
  const speed = decimal.pipe(z.number().min(-30).max(30)).safeParse(word);
  if (speed.success) return String(speed.data);
  context.addIssue({ code: 'custom', message: 'must be on, off or degrees per second (-30..30)' });
  return z.NEVER;
});

const flag = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .refine((word) => ON.has(word) || OFF.has(word), 'must be 1 or 0')
  .transform((word) => ON.has(word));

/** Branding stays only when it is not asked about, or asked for by name: a bare or misspelt `branding` removes it. */
function brandingOf(value: unknown): 'on' | 'off' {
  if (value === undefined) return 'on';
  return typeof value === 'string' && ['1', 'true', 'on', 'yes'].includes(value.trim().toLowerCase()) ? 'on' : 'off';
}

/**
 * The view options of the share and iframe pages' query, as `<vr-tour>`
 * attributes: `scene` (a scene id), `yaw`, `pitch`, `fov` (degrees),
 * `autorotate`, `controls` (1 or 0) and `branding=off`.
 *
 * A value that is not understood is ignored, the tour's own setting applies,
 * and the tour still plays: an iframe is pasted once into a page its author
 * may never look at again, and an error page there would greet every visitor
 * of that listing for a typo like `yaw=90deg` (video players' embed
 * parameters behave the same way). `branding` is the exception that fails
 * closed: anything but on/1/true/yes (or no `branding` at all) removes it,
 * since a listing site that asked for no branding must never show any.
 */
export const viewOptionsSchema = z.object({
  scene: lenient(z.uuid()),
  yaw: lenient(decimal.pipe(yawSchema)),
  pitch: lenient(decimal.pipe(pitchSchema)),
  fov: lenient(decimal.pipe(fovSchema)),
  autorotate: lenient(autorotate),
  controls: lenient(flag),
  branding: z.preprocess(brandingOf, z.enum(['on', 'off'])),
});
export type ViewOptions = z.infer<typeof viewOptionsSchema>;

/** The options again as a query string (without `?`), for links that should keep them. */
export function viewQuery(options: Partial<ViewOptions>): string {
  const query = new URLSearchParams();
  for (const key of ['scene', 'yaw', 'pitch', 'fov'] as const) {
    if (options[key] !== undefined) query.set(key, String(options[key]));
  }
  if (options.autorotate !== undefined) query.set('autorotate', options.autorotate === null ? '0' : options.autorotate || '1');
  if (options.controls !== undefined) query.set('controls', options.controls ? '1' : '0');
  if (options.branding === 'off') query.set('branding', 'off');
  return query.toString();
}
