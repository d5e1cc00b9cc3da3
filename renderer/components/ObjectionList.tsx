// Objection answers as expandable branches: Tab or the arrow keys move between them,
// Enter/Space open one, Alt+O steps through them. The ones the churn reasons predict come first, marked.
import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RenderedScript } from '../../shared/contract/desk-api';
import { OBJECTION_SHORTCUT } from '../keyboard/shortcuts';
import { objectionIndexOf } from '../state/script-steps';
import { useDesk, useDeskActions } from '../state/store-context';

export function ObjectionList({ objections }: { objections: RenderedScript['objections'] }) {
  const { t } = useTranslation();
  const openIndex = useDesk((s) => objectionIndexOf(s.scriptStep));
  const { openObjection } = useDeskActions();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  if (objections.length === 0) return <p className="hint">{t('offer.noObjections')}</p>;

  const moveFocus = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    buttons.current[(index + step + objections.length) % objections.length]?.focus();
  };

  return (
    <div className="objections">
      <h4 title={OBJECTION_SHORTCUT}>
        {t('section.objections')} <kbd>{OBJECTION_SHORTCUT}</kbd>
      </h4>
      <ul>
        {objections.map((objection, i) => {
          const open = openIndex === i;
          const answerId = `objection-answer-${i}`;
          return (
            <li key={`${objection.kind}-${i}`} className={open ? 'script-step current open' : 'script-step'} data-likely={objection.likely}>
              <button
                type="button"
                ref={(el) => {
                  buttons.current[i] = el;
                }}
                data-testid={`objection-${objection.kind}`}
                aria-expanded={open}
                aria-controls={answerId}
                title={OBJECTION_SHORTCUT}
                onClick={() => openObjection(open ? null : i)}
                onKeyDown={(e) => moveFocus(e, i)}
              >
                <span className="chevron" aria-hidden="true" />
                {t(`objectionKind.${objection.kind}`)}
                {objection.likely && (
                  <span className="likely-badge" data-testid={`objection-${objection.kind}-likely`}>
                    {t('offer.likely')}
                  </span>
                )}
              </button>
              {open && (
                <p id={answerId} className="objection-answer" data-testid={`objection-${objection.kind}-answer`}>
                  {objection.answer}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
