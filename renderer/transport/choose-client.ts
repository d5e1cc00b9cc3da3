// Electron exposes window.clmDesk through its preload; a plain browser tab has no bridge
// and talks HTTP to the loopback host that served the page.
import type { DeskBridge } from '../../shared/contract/desk-api';
import type { DeskClient } from './desk-client';
import { createHttpDeskClient, eventsUrlFor } from './http-client';
import { createIpcDeskClient } from './ipc-client';

type WindowWithBridge = Window & { clmDesk?: DeskBridge };

export function chooseDeskClient(win: Window): DeskClient {
  const bridge = (win as WindowWithBridge).clmDesk;
  if (bridge !== undefined) return createIpcDeskClient(bridge);
  return createHttpDeskClient({ eventsUrl: eventsUrlFor(win.location) });
}
