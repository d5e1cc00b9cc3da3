// Hardening settings for the desk window, kept apart from Electron so a Node test can
// check them: isolation, sandbox, no Node in the renderer, no navigation, no new windows.
import { isTrustedRendererUrl } from './invoke-gate';

export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

/** The desk is a single page: any navigation away from it is refused. */
export function isNavigationAllowed(targetUrl: string, rendererIndexUrl: string): boolean {
  return isTrustedRendererUrl(targetUrl, rendererIndexUrl);
}

/** Content-Security-Policy sent with every response the window loads (the page also carries it in a meta tag). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
