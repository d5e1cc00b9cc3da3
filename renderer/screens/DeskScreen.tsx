// The screen for the role signed in: hotline agent (calls, lookup, outbound queue), store
// counter (search) or supervisor (reports).
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { AgentTabs } from '../components/AgentTabs';
import { CardArea } from '../components/CardArea';
import { CustomerSearch } from '../components/CustomerSearch';
import { DeskHeader } from '../components/DeskHeader';
import { IncomingCallBanner } from '../components/IncomingCallBanner';
import { LookupBox } from '../components/LookupBox';
import { OpenInteractionsBar } from '../components/OpenInteractionsBar';
import { OutboundQueuePanel } from '../components/OutboundQueuePanel';
import { ShortcutHints } from '../components/ShortcutHints';
import { useFlushOnLeave } from '../components/use-flush-on-leave';
import { WrapUpNotice } from '../components/WrapUpNotice';
import { useDeskShortcuts } from '../keyboard/use-desk-shortcuts';
import { useDesk } from '../state/store-context';

// Charts and spreadsheet export load only for supervisors, so the agent's desk starts light.
const OversightScreen = lazy(() => import('./OversightScreen').then((m) => ({ default: m.OversightScreen })));

function FrontLineScreen({ role }: { role: 'agent' | 'store' }) {
  useDeskShortcuts();
  useFlushOnLeave();
  const tab = useDesk((s) => s.agentTab);
  const showQueue = role === 'agent' && tab === 'outbound';
  return (
    <div className={`desk desk-${role}`}>
      <DeskHeader />
      <div className="desk-toolbar">
        {role === 'store' ? <CustomerSearch /> : <LookupBox />}
        {role === 'agent' && <IncomingCallBanner />}
        {role === 'agent' && <AgentTabs />}
        <WrapUpNotice />
      </div>
      {role === 'agent' && <OpenInteractionsBar />}
      <main className="desk-main">{showQueue ? <OutboundQueuePanel /> : <CardArea />}</main>
      <footer className="desk-footer">
        <ShortcutHints />
      </footer>
    </div>
  );
}

export function DeskScreen() {
  const { t } = useTranslation();
  const role = useDesk((s) => s.session?.role);
  if (role === 'supervisor' || role === 'admin') {
    return (
      <Suspense fallback={<div className="boot">{t('report.loading')}</div>}>
        <OversightScreen />
      </Suspense>
    );
  }
  return <FrontLineScreen role={role === 'store' ? 'store' : 'agent'} />;
}
