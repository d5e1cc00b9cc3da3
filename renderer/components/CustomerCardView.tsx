// The screen pop: facts and assessment on the left, the offer and its script in the middle,
// outcome capture on the right, laid out to fit 1280x800 without scrolling.
import { useEffect } from 'react';
import { markCardCommitted } from '../perf/screen-pop';
import type { CardView } from '../state/card-view';
import { AssessmentPanels } from './AssessmentPanels';
import { CustomerFacts } from './CustomerFacts';
import { OfferColumn } from './OfferColumn';
import { OutcomePanel } from './OutcomePanel';
import { RecentOutcomes } from './RecentOutcomes';

export function CustomerCardView({ view }: { view: CardView }) {
  useEffect(() => {
    if (view.source === 'call' && view.callId !== null) markCardCommitted(view.callId);
  }, [view]);

  const { card } = view;
  return (
    <article className={`card card-${card.kind}`} data-testid="card" data-kind={card.kind}>
      <section className="card-col card-facts-col">
        <CustomerFacts card={card} />
        <AssessmentPanels card={card} />
      </section>
      <section className="card-col card-offer-col">
        <OfferColumn view={view} />
      </section>
      <section className="card-col card-outcome-col">
        <OutcomePanel view={view} />
        <RecentOutcomes card={card} />
      </section>
    </article>
  );
}
