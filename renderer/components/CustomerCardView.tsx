// The screen pop: the decision on top, beside it the complaint and network-fault buttons (they
// re-score the card); facts and assessment on the left, the offer and its script in the middle,
// outcome capture and the other offers on the right, laid out to fit 1280x800. Nothing is pinned
// over a scrolling column, so no text can end up hidden behind a control.
import { useEffect } from 'react';
import { markCardCommitted } from '../perf/screen-pop';
import type { ShownCard } from '../state/shown-card';
import { AssessmentPanels } from './AssessmentPanels';
import { CustomerEventButtons } from './CustomerEventButtons';
import { CustomerFacts } from './CustomerFacts';
import { DecisionBanner } from './DecisionBanner';
import { OfferColumn, OtherOffers } from './OfferColumn';
import { OutcomePanel } from './OutcomePanel';
import { RecentOutcomes } from './RecentOutcomes';

export function CustomerCardView({ view }: { view: ShownCard }) {
  useEffect(() => {
    const { request } = view;
    if (request.source === 'call' && request.callId !== null) markCardCommitted(request.callId);
  }, [view]);

  const { card } = view;
  return (
    <article className={`card card-${card.kind}`} data-testid="card" data-kind={card.kind}>
      <div className="card-head">
        <DecisionBanner decision={card.decision} />
        {card.kind === 'known' && <CustomerEventButtons />}
      </div>
      <section className="card-col card-facts-col">
        <CustomerFacts card={card} />
        <AssessmentPanels card={card} />
      </section>
      <section className="card-col card-offer-col">
        <OfferColumn view={view} />
      </section>
      <section className="card-col card-outcome-col">
        <OutcomePanel view={view} />
        <OtherOffers view={view} />
        <RecentOutcomes card={card} />
      </section>
    </article>
  );
}
