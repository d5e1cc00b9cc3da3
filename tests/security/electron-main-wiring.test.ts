// tests/electron/invoke-gate.test.ts checks the window policy and the sender-checked gate as
// plain functions. This checks that electron/main/main.ts actually WIRES them: main.ts is loaded
// against a recording stand-in for the 'electron' module, then its handlers are exercised.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../desk-backend/hosting/content-security-policy';
import { IPC_INVOKE_CHANNEL } from '../../electron/common/ipc-channels';
import { ELECTRON_SQLITE_BINDING } from '../../electron/common/sqlite-binding';

type Handler = (...args: any[]) => any;

const electron = vi.hoisted(() => {
  const on = (target: Map<string, Handler[]>) => (name: string, handler: Handler) => {
    target.set(name, [...(target.get(name) ?? []), handler]);
  };
  const appHandlers = new Map<string, Handler[]>();
  const windows: { options: any; contents: Map<string, Handler[]>; openHandler?: Handler; loaded?: string }[] = [];
  const ipcHandlers = new Map<string, Handler>();
  const posted: unknown[] = [];
  const forks: { modulePath: string; args: string[] }[] = [];
  const session: { permissionHandler?: Handler; headersHandler?: Handler } = {};
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));

  class BrowserWindow {
    webContents: any;
    constructor(options: any) {
      const record: (typeof windows)[number] = { options, contents: new Map() };
      windows.push(record);
      this.webContents = {
        on: on(record.contents),
        setWindowOpenHandler: (handler: Handler) => (record.openHandler = handler),
        send: () => undefined,
      };
    }
    once() {}
    show() {}
    loadFile(file: string) {
      windows.at(-1)!.loaded = file;
      return Promise.resolve();
    }
  }

  const module = {
    app: {
      isPackaged: false,
      getAppPath: () => '/opt/clm-desk-checkout',
      setPath: () => undefined,
      getPath: () => '/tmp/clm-desk-user-data',
      enableSandbox: vi.fn(),
      whenReady: () => whenReady,
      on: on(appHandlers),
      quit: () => undefined,
    },
    BrowserWindow,
    dialog: { showErrorBox: () => undefined },
    // A keychain that "seals" by prefixing: the cache key's source is tested in tests/electron/desk-cache-key.test.ts.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(`sealed:${text}`),
      decryptString: (sealed: Buffer) => sealed.toString('utf8').replace(/^sealed:/, ''),
    },
    ipcMain: { handle: (channel: string, handler: Handler) => ipcHandlers.set(channel, handler) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Handler) => (session.permissionHandler = handler),
        webRequest: { onHeadersReceived: (handler: Handler) => (session.headersHandler = handler) },
      },
    },
    utilityProcess: {
      fork: (modulePath: string, args: string[]) => {
        forks.push({ modulePath, args });
        return { on: () => undefined, postMessage: (message: unknown) => posted.push(message) };
      },
    },
  };
  return { module, appHandlers, windows, ipcHandlers, posted, forks, session, ready };
});

vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

let rendererIndexUrl: string;

beforeAll(async () => {
  await import('../../electron/main/main');
  electron.ready();
  await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
  // The page main.ts loaded is the one it must trust (its path depends on where main.ts runs from).
  rendererIndexUrl = pathToFileURL(theWindow().loaded!).href;
});

const theWindow = () => electron.windows[0]!;
const handlersOf = (map: Map<string, Handler[]>, name: string) => map.get(name) ?? [];

describe('electron/main/main.ts wiring', () => {
  it('turns the sandbox on for every renderer', () => {
    expect(electron.module.app.enableSandbox).toHaveBeenCalled();
  });

  it('creates the window with the hardened webPreferences and the bundled preload', () => {
    const { webPreferences } = theWindow().options;
    expect(webPreferences).toEqual({
      preload: expect.any(String),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    });
    // The preload sits beside main's bundle; the page in dist/renderer next to that folder.
    expect(path.basename(webPreferences.preload)).toBe('preload.cjs');
    expect(theWindow().loaded).toBe(path.join(path.dirname(webPreferences.preload), '..', 'dist', 'renderer', 'index.html'));
  });

  it('starts the data process with the Electron build of better-sqlite3 from the checkout', () => {
    const [dataProcess] = electron.forks;
    expect(path.basename(dataProcess!.modulePath)).toBe('data-process.cjs');
    const { args } = dataProcess!;
    expect(args[args.indexOf('--sqlite-binding') + 1]).toBe(path.join('/opt/clm-desk-checkout', ELECTRON_SQLITE_BINDING));
  });

  it("hands the data process the cache's key by message before anything else, never on its command line", () => {
    const [dataProcess] = electron.forks;
    const [first] = electron.posted as { kind: string; cacheKey?: string }[];
    expect(first).toEqual({ kind: 'open', cacheKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(dataProcess!.args.join(' ')).not.toContain(first!.cacheKey);
  });

  it('prevents navigation to any other page, and allows the desk page itself', () => {
    const [willNavigate] = handlersOf(theWindow().contents, 'will-navigate');
    expect(willNavigate).toBeDefined();
    for (const url of ['https://phish.example/login', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const event = { url, preventDefault: vi.fn() };
      willNavigate!(event);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    const own = { url: rendererIndexUrl, preventDefault: vi.fn() };
    willNavigate!(own);
    expect(own.preventDefault).not.toHaveBeenCalled();
  });

  it('denies every new window', () => {
    expect(theWindow().openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('refuses <webview> in any web contents', () => {
    const contents = new Map<string, Handler[]>();
    for (const handler of handlersOf(electron.appHandlers, 'web-contents-created')) handler({}, { on: (n: string, h: Handler) => contents.set(n, [h]) });
    const event = { preventDefault: vi.fn() };
    handlersOf(contents, 'will-attach-webview')[0]?.(event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('refuses every permission request (camera, microphone, notifications, ...)', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      const callback = vi.fn();
      electron.session.permissionHandler?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
  });

  it('sets the Content-Security-Policy header on every response', () => {
    const callback = vi.fn();
    electron.session.headersHandler?.({ responseHeaders: { 'content-type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  it('answers invocations from an untrusted sender with forbidden, without reaching the data process', async () => {
    const handle = electron.ipcHandlers.get(IPC_INVOKE_CHANNEL);
    expect(handle).toBeDefined();
    const before = electron.posted.length;
    for (const senderFrame of [
      { url: 'https://evil.example/', parent: null },
      { url: rendererIndexUrl, parent: {} }, // an iframe inside the desk page
      null, // the frame is gone
    ]) {
      const result = await handle!({ senderFrame }, 'sync/status', {});
      expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('untrusted') } });
    }
    expect(electron.posted.length).toBe(before);
  });

  it('forwards a contract operation from the desk page to the data process', () => {
    const handle = electron.ipcHandlers.get(IPC_INVOKE_CHANNEL)!;
    void handle({ senderFrame: { url: rendererIndexUrl, parent: null } }, 'sync/status', {});
    expect(electron.posted.at(-1)).toMatchObject({ kind: 'invoke', operation: 'sync/status', input: {} });
  });
});
