/**
 * The seed data model's enum values. They are the contract between the
 * database, the API and the viewer: never rename or reorder one.
 */
export const TOUR_STATUSES = ['draft', 'published', 'archived'] as const;
export type TourStatus = (typeof TOUR_STATUSES)[number];

export const TOUR_VISIBILITIES = ['private', 'unlisted', 'public'] as const;
export type TourVisibility = (typeof TOUR_VISIBILITIES)[number];

export const HOTSPOT_TYPES = ['navigation', 'info', 'audio', 'video', 'link', 'custom'] as const;
export type HotspotType = (typeof HOTSPOT_TYPES)[number];

export const AI_JOB_TYPES = ['scene_analysis', 'hotspot_generation'] as const;
export type AIJobType = (typeof AI_JOB_TYPES)[number];

export const AI_JOB_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type AIJobStatus = (typeof AI_JOB_STATUSES)[number];

export const CUSTOM_DOMAIN_VERIFICATION_STATUSES = ['pending', 'verified', 'failed'] as const;
export type CustomDomainVerificationStatus = (typeof CUSTOM_DOMAIN_VERIFICATION_STATUSES)[number];

export const CUSTOM_DOMAIN_SSL_STATUSES = ['none', 'pending', 'active', 'failed'] as const;
export type CustomDomainSSLStatus = (typeof CUSTOM_DOMAIN_SSL_STATUSES)[number];

export const ANALYTICS_EVENT_TYPES = [
  'view',
  'scene_view',
  'hotspot_click',
  'share',
  'like',
  'performance',
] as const;
export type AnalyticsEventType = (typeof ANALYTICS_EVENT_TYPES)[number];

export const USER_ROLES = ['creator', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];
