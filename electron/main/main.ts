// Electron main: starts the data process, opens one hardened window and brokers messages
// between them. All logic it uses lives in plain modules tested in Node.
import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../desk-backend/hosting/content-security-policy';
import { FromDataProcess } from '../common/data-process-protocol';
import { resolveDeskConfig } from '../../desk-backend/hosting/desk-config';
import { ELECTRON_SQLITE_BINDING, PACKAGED_SQLITE_BINDING } from '../common/sqlite-binding';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../common/ipc-channels';
import { createRequestCorrelator } from '../common/request-correlator';
import { createSystemBrowserSignIn } from './company-sign-in';
import { createInvokeGate } from './invoke-gate';
import { isNavigationAllowed } from './window-policy';

// Bundled to dist-electron/main.cjs; the renderer build sits in dist/renderer.
const rendererIndexPath = path.join(__dirname, '..', 'dist', 'renderer', 'index.html');
const rendererIndexUrl = pathToFileURL(rendererIndexPath).href;

if (process.env.CLM_DESK_DATA_DIR) app.setPath('userData', process.env.CLM_DESK_DATA_DIR);
app.enableSandbox();

/** better-sqlite3 built for Electron: beside the Node build in a checkout, an extra resource when packaged. */
const sqliteBindingPath = () =>
  app.isPackaged ? path.join(process.resourcesPath, PACKAGED_SQLITE_BINDING) : path.join(app.getAppPath(), ELECTRON_SQLITE_BINDING);

function startDataProcess(onEvent: (event: unknown) => void) {
  const config = resolveDeskConfig(process.env, app.getPath('userData'));
  const child: UtilityProcess = utilityProcess.fork(
    path.join(__dirname, 'data-process.cjs'),
    ['--cache', config.cachePath, '--api', config.apiUrl, '--sqlite-binding', sqliteBindingPath()],
    { serviceName: 'CLM Desk data' },
  );
  const requests = createRequestCorrelator((message) => child.postMessage(message));
  child.on('message', (raw) => {
    const message = FromDataProcess.safeParse(raw);
    if (!message.success) return;
    const data = message.data;
    if (data.kind === 'result') requests.settle(data.id, data.result);
    else if (data.kind === 'event') onEvent(data.event);
    else if (data.kind === 'fatal') {
      dialog.showErrorBox('CLM Desk: 本地缓存无法打开 / local cache unavailable', `${data.message}\n\n${config.cachePath}`);
      app.quit();
    }
  });
  child.on('exit', (code) => {
    requests.failAll({ code: 'cache_unavailable', message: `the data process exited (code ${code})` });
  });
  return { requests, child, apiUrl: config.apiUrl };
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: 'CLM Desk',
    show: false,
    // The hardening is written out where the window is made, so a reader and a scanner
    // (tests/security/electronegativity.test.ts) both see it: isolation, sandbox, no Node.
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // A middle click on a link asks for a new window; the desk opens none, so the page never sees auxclick.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.webContents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url, rendererIndexUrl)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.once('ready-to-show', () => window.show());
  void window.loadFile(rendererIndexPath);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  let window: BrowserWindow | null = null;
  const data = startDataProcess((event) => window?.webContents.send(IPC_EVENT_CHANNEL, event));
  // Company sign-in needs the system browser, which only main can open; the data process then logs in with its code.
  const companySignIn = createSystemBrowserSignIn({
    apiUrl: data.apiUrl,
    openBrowser: (url) => shell.openExternal(url),
    logIn: (input) => data.requests.invoke('session/login', input),
  });
  const gate = createInvokeGate({
    rendererIndexUrl,
    forward: (operation, input) => (operation === 'session/companySignIn' ? companySignIn() : data.requests.invoke(operation, input)),
  });
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, operation: unknown, input: unknown) =>
    gate({ frameUrl: event.senderFrame?.url ?? null, isTopLevelFrame: event.senderFrame?.parent === null }, operation, input),
  );
  window = createWindow();

  app.on('before-quit', () => data.child.postMessage({ kind: 'shutdown' }));
});

app.on('window-all-closed', () => app.quit());
