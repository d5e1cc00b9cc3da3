import { useTranslation } from 'react-i18next';
import { maskPhone } from '../../shared/domain/masking';
import { normalizeMobile } from '../../shared/domain/phone';
import { useDesk } from '../state/store-context';

export function IncomingCallBanner() {
  const { t } = useTranslation();
  const call = useDesk((s) => s.call);
  if (call === null) return null;
  const caller = call.ani.trim() === '' ? t('call.withheld') : maskPhone(normalizeMobile(call.ani) ?? call.ani);
  return (
    <div className={`incoming-call call-${call.state}`} data-testid="incoming-call" data-state={call.state} role="status">
      <span className="call-icon" aria-hidden="true" />
      <span className="caller">{t('call.incoming', { phone: caller })}</span>
      <span className="call-state">{t(`call.state.${call.state}`)}</span>
    </div>
  );
}
