// The only two Electron IPC channel names the preload may use.
export const IPC_INVOKE_CHANNEL = 'clm-desk:invoke';
export const IPC_EVENT_CHANNEL = 'clm-desk:event';
