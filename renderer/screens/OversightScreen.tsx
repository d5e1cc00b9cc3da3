// Supervisors and admins move between the retention review and the models page; each page keeps
// its own data in the store, so coming back shows what was loaded.
import { useState } from 'react';
import { OversightTabs, type OversightPage } from '../supervisor/OversightTabs';
import { ModelMonitoringScreen } from './ModelMonitoringScreen';
import { SupervisorScreen } from './SupervisorScreen';

export function OversightScreen() {
  const [page, setPage] = useState<OversightPage>('retention');
  const nav = <OversightTabs page={page} onShow={setPage} />;
  return page === 'models' ? <ModelMonitoringScreen nav={nav} /> : <SupervisorScreen nav={nav} />;
}
