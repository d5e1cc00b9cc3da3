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
