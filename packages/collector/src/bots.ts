import { isbot } from 'isbot';
import type { BeaconEnvelope } from '@vr-tour/protocol';

/**
 * Automation is dropped, never counted: crawlers by their user agent
 * (isbot), headless browsers and WebDriver sessions by what the viewer
 * reports about itself, and requests with no user agent at all.
 */
export function isAutomated(userAgent: string | undefined, client: BeaconEnvelope['client']): boolean {
  if (!userAgent || userAgent.trim() === '') return true;
  if (client?.webdriver || client?.headless) return true;
  return isbot(userAgent);
}
