// The whole bridge between the sandboxed renderer and main: one invoke channel and one
// event channel, nothing else. Which desk operations exist is checked in main (invoke-gate).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DeskBridge, DeskEvent, DeskResult } from '../../shared/contract/desk-api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../common/ipc-channels';

const bridge = {
  invoke: (operation, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, operation, input) as Promise<DeskResult<unknown>>,
  onEvent(listener) {
    const relay = (_event: IpcRendererEvent, deskEvent: DeskEvent) => listener(deskEvent);
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
    };
  },
} satisfies DeskBridge;

contextBridge.exposeInMainWorld('clmDesk', bridge);
