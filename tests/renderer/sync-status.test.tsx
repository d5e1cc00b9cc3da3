// @vitest-environment jsdom
// The header's sync status is the newest the desk told: a status asked at login that answers after
// the backend announced a newer sync must not put the older "last sync" back on screen.
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/contract/desk-api';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

it('keeps the newer sync a backend event announced when the status asked before it answers late', async () => {
  const stale: SyncStatus = { ...SYNC_ONLINE, lastSyncAt: '2025-06-15T00:15:00Z' };
  const fresh: SyncStatus = { ...SYNC_ONLINE, lastSyncAt: '2025-06-15T03:23:00Z' };
  let answerStatus: (status: SyncStatus) => void = () => undefined;
  const client = new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => new Promise<SyncStatus>((resolve) => (answerStatus = resolve)),
    'interaction/list': () => ({ interactions: [] }),
  });
  renderDesk(client, { language: 'en' });
  await waitFor(() => expect(client.callsTo('sync/status')).toHaveLength(1));

  act(() => client.emit({ type: 'sync', status: fresh }));
  const lastSync = () => document.querySelector('.last-sync')?.textContent ?? '';
  await waitFor(() => expect(lastSync()).toContain('03:23'));

  await act(async () => answerStatus(stale));
  expect(lastSync()).toContain('03:23');
  expect(screen.queryByText(/12:15/)).toBeNull();
});
