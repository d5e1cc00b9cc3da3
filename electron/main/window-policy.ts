// Navigation policy for the desk window, kept apart from Electron so a Node test can check it.
// (The window's webPreferences are literal in main.ts, where the scanner can read them.)
import { isTrustedRendererUrl } from './invoke-gate';

/** The desk is a single page: any navigation away from it is refused. */
export function isNavigationAllowed(targetUrl: string, rendererIndexUrl: string): boolean {
  return isTrustedRendererUrl(targetUrl, rendererIndexUrl);
}
