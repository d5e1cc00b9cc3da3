import { useTranslation } from 'react-i18next';
import { useFormatters } from '../format/use-formatters';
import { useDesk, useDeskActions } from '../state/store-context';

export function SyncStatusIndicator() {
  const { t } = useTranslation();
  const f = useFormatters();
  const sync = useDesk((s) => s.sync);
  const { syncNow } = useDeskActions();

  if (sync === null) {
    return (
      <div className="sync-status" data-testid="sync-status">
        <span className="dot unknown" data-testid="sync-online" data-online="unknown" />
        {t('sync.unknown')}
      </div>
    );
  }
  return (
    <div className="sync-status" data-testid="sync-status" title={sync.lastError ?? undefined}>
      <span className={`dot ${sync.online ? 'online' : 'offline'}`} data-testid="sync-online" data-online={String(sync.online)} />
      <span>{sync.online ? t('sync.online') : t('sync.offline')}</span>
      <span className={sync.outboxPending > 0 ? 'pending has-pending' : 'pending'} data-testid="outbox-pending" data-count={sync.outboxPending}>
        {t('sync.pending', { count: sync.outboxPending })}
      </span>
      {sync.outboxDead > 0 && (
        <span className="dead" data-testid="outbox-dead">
          {t('sync.dead', { count: sync.outboxDead })}
        </span>
      )}
      <span className="last-sync">{sync.lastSyncAt === null ? t('sync.never') : t('sync.lastSync', { time: f.dateTime(sync.lastSyncAt) })}</span>
      <button type="button" className="link" onClick={() => void syncNow()}>
        {t('sync.now')}
      </button>
    </div>
  );
}
