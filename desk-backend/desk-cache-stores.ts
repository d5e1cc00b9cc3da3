// Everything the desk backend reads and writes in the SQLite cache, built once on the open cache.
import type { OutcomeDraft } from '../shared/contract/outcomes';
import { OutboundQueue } from '../shared/contract/desk-api';
import { OutcomeReport, RetentionReport } from '../shared/contract/supervisor-reports';
import { ModelMonitoringReport } from '../shared/contract/model-registry';
import { createAnswerCache } from '../db/cache/answer-cache';
import { createCardQuery } from '../db/cache/card-query';
import { createCustomerEventOverlay } from '../db/cache/customer-event-overlay';
import { createCustomerSearch } from '../db/cache/customer-search';
import { createIdNumberCheck } from '../db/cache/id-number-check';
import type { CacheDb } from '../db/cache/open-cache';
import { createOpenInteractions } from '../db/cache/open-interactions';
import { createScoringBundleCache } from '../db/cache/scoring-bundle-cache';
import { createChangeApplier } from '../db/replica/apply-changes';
import { createScopeCache } from '../db/replica/scope-cache';
import { createSnapshotBootstrap } from '../db/replica/snapshot-bootstrap';
import { createSyncStateStore } from '../db/replica/sync-state';
import { createSyncStatusReader } from '../db/replica/sync-status';
import { createAuditOutbox, createDiscardOutbox } from '../db/outbox/audit-outbox';
import type { BackoffPolicy } from '../db/outbox/backoff';
import { createEventOutbox } from '../db/outbox/event-outbox';
import { createOutbox } from '../db/outbox/outbox';
import type { SyncCache } from './replication/sync-engine';

export type DeskCacheStores = ReturnType<typeof createDeskCacheStores>;

export function createDeskCacheStores(db: CacheDb, retryBackoff: BackoffPolicy | undefined) {
  const syncState = createSyncStateStore(db);
  const outbox = createOutbox(db, { backoff: retryBackoff });
  const auditOutbox = createAuditOutbox(db, { backoff: retryBackoff });
  const discardOutbox = createDiscardOutbox(db, { backoff: retryBackoff });
  const eventOutbox = createEventOutbox(db, { backoff: retryBackoff });
  const eventOverlay = createCustomerEventOverlay(db);
  const scoringBundles = createScoringBundleCache(db);
  const interactions = createOpenInteractions(db, (discard) => discardOutbox.record(discard));
  const customerExists = db.prepare<[string], number>('SELECT 1 FROM customers WHERE id = ?').pluck();
  const sync: SyncCache = {
    applyPage: createChangeApplier(db),
    outbox,
    auditOutbox,
    discardOutbox,
    eventOutbox,
    scoringBundles,
    syncState,
    readStatus: createSyncStatusReader(db, syncState, outbox, eventOutbox),
    bootstrap: createSnapshotBootstrap(db),
    scope: createScopeCache(db),
  };
  return {
    sync,
    auditOutbox,
    eventOutbox,
    eventOverlay,
    interactions,
    cardQuery: createCardQuery(db, { overlay: eventOverlay, bundles: scoringBundles }),
    customerSearch: createCustomerSearch(db),
    idNumberCheck: createIdNumberCheck(db, auditOutbox),
    customerExists: (customerId: string) => customerExists.get(customerId) !== undefined,
    retentionReports: createAnswerCache(db, 'report_cache', RetentionReport),
    outcomeReports: createAnswerCache(db, 'report_cache', OutcomeReport),
    modelReports: createAnswerCache(db, 'report_cache', ModelMonitoringReport),
    outboundQueues: createAnswerCache(db, 'outbound_cache', OutboundQueue),
    /** Queues the outcome and closes its open interaction in one transaction: neither without the other. */
    recordOutcome: db.transaction((draft: OutcomeDraft, agentId: string, interactionId: string | null, at: Date) => {
      const recorded = outbox.record(draft, agentId, at);
      if (interactionId !== null) interactions.close(agentId, interactionId);
      return recorded;
    }),
  };
}
