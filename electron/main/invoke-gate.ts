// The checks main makes on every renderer invocation before forwarding it (VS Code's
// ipcMain validation): the sender must be our own top-level frame, the operation must be in
// the contract. Input validation happens again in the data process against the zod schema.
import { isDeskOperation, type DeskResult } from '../../shared/contract/desk-api';

export interface SenderInfo {
  /** URL of the frame that sent the message, null when the frame is gone. */
  frameUrl: string | null;
  isTopLevelFrame: boolean;
}

export function isTrustedRendererUrl(frameUrl: string | null, rendererIndexUrl: string): boolean {
  if (frameUrl === null) return false;
  try {
    const url = new URL(frameUrl);
    const expected = new URL(rendererIndexUrl);
    return url.protocol === expected.protocol && url.host === expected.host && url.pathname === expected.pathname;
  } catch {
    return false;
  }
}

export function createInvokeGate(options: { rendererIndexUrl: string; forward: (operation: string, input: unknown) => Promise<DeskResult<unknown>> }) {
  return async (sender: SenderInfo, operation: unknown, input: unknown): Promise<DeskResult<unknown>> => {
    if (!sender.isTopLevelFrame || !isTrustedRendererUrl(sender.frameUrl, options.rendererIndexUrl)) {
      return { ok: false, error: { code: 'forbidden', message: 'invocation from an untrusted frame refused' } };
    }
    if (!isDeskOperation(operation)) {
      return { ok: false, error: { code: 'bad_request', message: `unknown operation: ${String(operation).slice(0, 64)}` } };
    }
    return options.forward(operation, input);
  };
}
