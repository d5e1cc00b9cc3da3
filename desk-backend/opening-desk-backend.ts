// How both hosts open a desk on an encrypted cache: the plain cache of a desk installed before the
// encryption is first checked and rekeyed on a worker thread (encryptPlainCache), seconds at
// 50,000 customers, while the host's thread goes on answering (the web host serves the other
// users' desks and its pages; Electron's data process its window); then createDeskBackend opens it
// with the key. Requests wait for the opening; a cache that cannot be used fails them as
// createDeskBackend's own refusal would, the file untouched.
import { encryptPlainCache } from '../db/cache/open-cache';
import type { PlainCacheEncryptionOptions } from '../db/cache/plain-cache-encryption';
import { createDeskBackend, type DeskBackend, type DeskBackendOptions } from './desk-backend';
import { toDeskFailure } from './desk-failure';

export interface OpeningDeskBackend extends DeskBackend {
  /** Resolves once the backend is open; rejects (CacheUnavailableError) when its cache could not be encrypted or opened. */
  opened: Promise<void>;
}

/** Tests hold the encryption under way through its latch (plain-cache-encryption.ts). */
export type EncryptPlainCache = (path: string, options: PlainCacheEncryptionOptions) => Promise<void>;

export function openDeskBackend(options: DeskBackendOptions, encrypt: EncryptPlainCache = encryptPlainCache): OpeningDeskBackend {
  const key = options.cacheKey;
  const encrypted = key === undefined ? Promise.resolve() : encrypt(options.cachePath, { key, nativeBinding: options.sqliteBinding });
  const backend = encrypted.then(() => createDeskBackend(options));
  const opened = backend.then(() => undefined);
  const cacheChecked = backend.then((desk) => desk.cacheChecked);
  // Whoever closes before awaiting these must not see an unhandled rejection.
  opened.catch(() => undefined);
  cacheChecked.catch(() => undefined);
  /** The open backend; null when it could not be opened (the refusal is in `opened`). */
  const openBackend = () => backend.catch(() => null);

  return {
    opened,
    cacheChecked,
    async revocationSettled() {
      await (await openBackend())?.revocationSettled();
    },
    async invoke(operation, input) {
      let desk: DeskBackend;
      try {
        desk = await backend;
      } catch (error) {
        return { ok: false, error: toDeskFailure(error) };
      }
      return desk.invoke(operation, input);
    },
    onEvent(listener) {
      let unsubscribe: (() => void) | undefined;
      let stopped = false;
      void openBackend().then((desk) => {
        if (desk !== null && !stopped) unsubscribe = desk.onEvent(listener);
      });
      return () => {
        stopped = true;
        unsubscribe?.();
      };
    },
    async close() {
      // An encryption under way finishes first: stopped part-way it would leave a journal to roll back.
      await (await openBackend())?.close();
    },
  };
}
