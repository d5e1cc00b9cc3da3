// Electron main: starts the data process, opens one hardened window and brokers messages
// between them. All logic it uses lives in plain modules tested in Node.
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../desk-backend/hosting/content-security-policy';
import { FromDataProcess, type ToDataProcess } from '../common/data-process-protocol';
import { CacheKeyError } from '../../desk-backend/cache-key';
import { resolveDeskConfig, type DeskConfig } from '../../desk-backend/hosting/desk-config';
import { ELECTRON_SQLITE_BINDING, PACKAGED_SQLITE_BINDING } from '../common/sqlite-binding';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../common/ipc-channels';
import { createRequestCorrelator } from '../common/request-correlator';
import { createSystemBrowserSignIn } from './company-sign-in';
import { deskCacheKey } from './desk-cache-key';
import { createInvokeGate } from './invoke-gate';
import { isNavigationAllowed } from './window-policy';

// Bundled to dist-electron/main.cjs; the renderer build sits in dist/renderer.
const rendererIndexPath = path.join(__dirname, '..', 'dist', 'renderer', 'index.html');
const rendererIndexUrl = pathToFileURL(rendererIndexPath).href;

if (process.env.CLM_DESK_DATA_DIR) app.setPath('userData', process.env.CLM_DESK_DATA_DIR);
app.enableSandbox();

/** The desk's SQLite module (better-sqlite3-multiple-ciphers) built for Electron: beside the Node build in a checkout, an extra resource when packaged. */
const sqliteBindingPath = () =>
  app.isPackaged ? path.join(process.resourcesPath, PACKAGED_SQLITE_BINDING) : path.join(app.getAppPath(), ELECTRON_SQLITE_BINDING);

const CACHE_UNAVAILABLE_TITLE = 'CLM Desk: 本地缓存无法打开 / local cache unavailable';

/** The cache's key from the OS keychain (safeStorage works only once the app is ready); null, after saying why, when there is none to be had. */
function cacheKeyOrRefusal(config: DeskConfig): string | null {
  try {
    return deskCacheKey(config.cachePath, safeStorage, { packaged: app.isPackaged, warn: (message) => console.warn(message) });
  } catch (error) {
    if (!(error instanceof CacheKeyError)) throw error;
    dialog.showErrorBox(CACHE_UNAVAILABLE_TITLE, `${error.message}\n\n${config.cachePath}`);
    app.quit();
    return null;
  }
}

function startDataProcess(config: DeskConfig, cacheKey: string, onEvent: (event: unknown) => void) {
  const child: UtilityProcess = utilityProcess.fork(
    path.join(__dirname, 'data-process.cjs'),
    ['--cache', config.cachePath, '--api', config.apiUrl, '--sqlite-binding', sqliteBindingPath()],
    { serviceName: 'CLM Desk data' },
  );
  // By message, not on the command line, where every account on the machine could read it.
  child.postMessage({ kind: 'open', cacheKey } satisfies ToDataProcess);
  const requests = createRequestCorrelator((message) => child.postMessage(message));
  child.on('message', (raw) => {
    const message = FromDataProcess.safeParse(raw);
    if (!message.success) return;
    const data = message.data;
    if (data.kind === 'result') requests.settle(data.id, data.result);
    else if (data.kind === 'event') onEvent(data.event);
    else if (data.kind === 'fatal') {
      dialog.showErrorBox(CACHE_UNAVAILABLE_TITLE, `${data.message}\n\n${config.cachePath}`);
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

  const config = resolveDeskConfig(process.env, app.getPath('userData'));
  const cacheKey = cacheKeyOrRefusal(config);
  if (cacheKey === null) return;
  let window: BrowserWindow | null = null;
  const data = startDataProcess(config, cacheKey, (event) => window?.webContents.send(IPC_EVENT_CHANNEL, event));
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
