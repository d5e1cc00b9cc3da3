// The sync status shown in the status bar, and the agent's "sync now".
import type { DeskContext, HandlersFor } from './desk-context';

export function syncOperations({ stores, sessions }: DeskContext): HandlersFor<'sync/status' | 'sync/now'> {
  return {
    'sync/status': async () => sessions.current()?.runtime.engine.status() ?? stores.sync.readStatus(false),
    'sync/now': async () => sessions.require().runtime.engine.syncNow(),
  };
}
