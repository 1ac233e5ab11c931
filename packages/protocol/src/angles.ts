import { z } from 'zod';

/**
 * Camera angles are degrees everywhere on the wire and in the database
 * (as in Pannellum's configs): people read and write them.
 * yaw: 0 is the panorama's centre column, positive turns right.
 */
export const YAW_MIN = -180;
export const YAW_MAX = 180;
export const PITCH_MIN = -90;
export const PITCH_MAX = 90;
export const FOV_MIN = 10;
export const FOV_MAX = 120;

export const yawSchema = z.number().min(YAW_MIN).max(YAW_MAX);
export const pitchSchema = z.number().min(PITCH_MIN).max(PITCH_MAX);
export const fovSchema = z.number().min(FOV_MIN).max(FOV_MAX);

export const viewSchema = z.object({
  yaw: yawSchema,
  pitch: pitchSchema,
  fov: fovSchema,
});
export type View = z.infer<typeof viewSchema>;

/** Wraps any angle in degrees into [-180, 180). */
export function normalizeYaw(degrees: number): number {
  return ((((degrees + 180) % 360) + 360) % 360) - 180;
}
