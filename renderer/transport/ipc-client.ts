// Electron mode: the preload bridge (window.clmDesk) carries the contract over IPC.
import type { DeskBridge, DeskEvent } from '../../shared/contract/desk-api';
import { DeskClientError, type DeskClient } from './desk-client';
import { parseDeskEvent, unwrapDeskResult } from './desk-result';

export function createIpcDeskClient(bridge: DeskBridge): DeskClient {
  return {
    async call(operation, input) {
      let raw: unknown;
      try {
        raw = await bridge.invoke(operation, input);
      } catch (error) {
        // The bridge returns failures as values; a rejection means main itself failed.
        throw new DeskClientError('internal', error instanceof Error ? error.message : String(error));
      }
      return unwrapDeskResult(operation, raw);
    },
    onEvent(listener: (event: DeskEvent) => void) {
      return bridge.onEvent((raw: unknown) => {
        const event = parseDeskEvent(raw);
        if (event !== null) listener(event);
      });
    },
  };
}
