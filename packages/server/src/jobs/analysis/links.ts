import type { FeatureMatches } from './analyzer.js';
import { wrapDegrees } from './views.js';

/** A scene as link-finding sees it. */
export interface PlacedScene {
  id: string;
  title: string;
  /** Yaw of true north in its panorama, degrees. */
  northOffset: number;
  /** Where it sits on a floor plan (0–1 of the plan's width and height; the plan is drawn with north up), if it does. */
  plan: { id: string; x: number; y: number; width: number; height: number } | null;
}

/** A suggested navigation link from one scene to another. */
export interface LinkSuggestion {
  from: string;
  to: string;
  yaw: number;
  pitch: number;
  confidence: number;
  evidence: Record<string, unknown>;
}

/** Where a door-height hotspot sits: a little below the horizon, as the studio places them by hand. */
const LINK_PITCH = -10;

/** The compass bearing (degrees clockwise from north) from `a` to `b` on their plan, and the distance in plan pixels. */
function planBearing(a: NonNullable<PlacedScene['plan']>, b: NonNullable<PlacedScene['plan']>): { bearing: number; distance: number } {
  const dx = (b.x - a.x) * a.width;
  const dy = (b.y - a.y) * a.height;
  return { bearing: (Math.atan2(dx, -dy) * 180) / Math.PI, distance: Math.hypot(dx, dy) };
}

/**
 * Links between scenes placed on the same floor plan: each scene to its
 * nearest neighbours (the two nearest, and any within 1.5x the nearest
 * distance), both directions, at the bearing the plan gives, turned into
 * each panorama by its north offset.
 */
export function floorPlanLinks(scenes: PlacedScene[]): LinkSuggestion[] {
  const links: LinkSuggestion[] = [];
  for (const scene of scenes) {
    const plan = scene.plan;
    if (!plan) continue;
    const others = scenes
      .filter((other) => other.id !== scene.id && other.plan?.id === plan.id)
      .map((other) => ({ other, ...planBearing(plan, other.plan!) }))
      .sort((a, b) => a.distance - b.distance);
    const nearest = others[0]?.distance ?? 0;
    others.forEach(({ other, bearing, distance }, rank) => {
      if (rank >= 2 && distance > nearest * 1.5) return;
      links.push({
        from: scene.id,
        to: other.id,
        yaw: round(wrapDegrees(scene.northOffset + bearing)),
        pitch: LINK_PITCH,
        confidence: round(Math.max(0.2, 0.8 - 0.15 * rank) * (nearest > 0 ? Math.min(1, (1.5 * nearest) / Math.max(distance, 1e-9)) : 1)),
        evidence: { source: 'floor plan', floorPlanId: plan.id, bearingFromNorth: round(bearing), planDistancePx: round(distance), neighbourRank: rank + 1 },
      });
    });
  }
  return links;
}

/** Matched features are relied on from this many up (for the turn between two panoramas). */
export const MIN_MATCHES = 25;
/** ... and from this many up for the direction of one camera from the other. */
const MIN_MATCHES_FOR_DIRECTION = 60;

/** What feature matches say about two panoramas. */
export interface MatchGeometry {
  /** Matches consistent with the model. */
  inliers: number;
  /** B's yaw minus A's for the same direction in the world, degrees. */
  rotation: number;
  /** The direction of B's camera from A's, in A's yaw, when the matches show parallax; null for (nearly) the same spot. */
  direction: number | null;
}

/**
 * The relative turn of two panoramas from their matched features: the mode
 * of the yaw differences (distant features and those along the line between
 * the cameras agree on it), then, among the matches near that mode, the
 * direction of travel that best explains the remaining differences (a
 * feature at bearing θ moves away from the direction of travel φ by an
 * amount proportional to sin(θ − φ)).
 */
export function matchGeometry(matches: FeatureMatches): MatchGeometry | null {
  const differences = matches.pairs.filter(([, pitchA, , pitchB]) => Math.abs(pitchA - pitchB) < 10).map(([yawA, , yawB]) => ({ yaw: yawA, delta: wrapDegrees(yawB - yawA) }));
  if (differences.length < MIN_MATCHES) return null;
  const bins = new Array<number>(180).fill(0);
  for (const { delta } of differences) bins[Math.floor((delta + 180) / 2) % 180]! += 1;
  const peak = bins.indexOf(Math.max(...bins));
  const near = differences.filter(({ delta }) => Math.abs(wrapDegrees(delta - (peak * 2 - 179))) <= 4);
  const rotation = wrapDegrees(peak * 2 - 179 + mean(near.map(({ delta }) => wrapDegrees(delta - (peak * 2 - 179)))));
  const inliers = differences.filter(({ delta }) => Math.abs(wrapDegrees(delta - rotation)) <= 15);
  if (inliers.length < MIN_MATCHES) return null;
  const residuals = inliers.map(({ yaw, delta }) => ({ yaw, r: wrapDegrees(delta - rotation) }));
  const spread = Math.sqrt(mean(residuals.map(({ r }) => r * r)));
  // Under a degree of parallax: the same spot, turned; no direction to tell.
  if (spread < 1) return { inliers: inliers.length, rotation: round(rotation), direction: null };
  let best = { phi: 0, error: Infinity };
  for (let phi = -180; phi < 180; phi += 2) {
    const s = residuals.map(({ yaw }) => Math.sin(((yaw - phi) * Math.PI) / 180));
    const k = Math.max(0, residuals.reduce((sum, { r }, index) => sum + r * s[index]!, 0) / s.reduce((sum, value) => sum + value * value, 0));
    const error = residuals.reduce((sum, { r }, index) => sum + (r - k * s[index]!) ** 2, 0);
    if (error < best.error) best = { phi, error };
  }
  const explained = 1 - best.error / residuals.reduce((sum, { r }) => sum + r * r, 0);
  // Repeated textures match by chance too; a direction is claimed only when many matches fit the travel model closely.
  const direction = inliers.length >= MIN_MATCHES_FOR_DIRECTION && explained >= 0.8 ? best.phi : null;
  return { inliers: inliers.length, rotation: round(rotation), direction };
}

const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0);
const round = (value: number) => Math.round(value * 100) / 100;
