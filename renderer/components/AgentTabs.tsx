import { useTranslation } from 'react-i18next';
import { keysFor } from '../keyboard/shortcuts';
import type { AgentTab } from '../state/desk-store';
import { useDesk, useDeskActions } from '../state/store-context';

const TABS: readonly AgentTab[] = ['card', 'outbound'];

export function AgentTabs() {
  const { t } = useTranslation();
  const tab = useDesk((s) => s.agentTab);
  const { showTab } = useDeskActions();
  return (
    <div className="agent-tabs" role="tablist">
      {TABS.map((name) => (
        <button
          key={name}
          type="button"
          role="tab"
          data-testid={`tab-${name}`}
          aria-selected={tab === name}
          title={keysFor('toggleQueue')}
          onClick={() => showTab(name)}
        >
          {t(`tab.${name}`)}
        </button>
      ))}
    </div>
  );
}
