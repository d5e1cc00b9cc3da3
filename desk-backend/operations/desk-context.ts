// What every group of desk operations is built from, and the shape of the handlers they return.
import type { z } from 'zod';
import type { CustomerCard, DeskContract, DeskEvent, DeskOperation, DeskOutput } from '../../shared/contract/desk-api';
import type { CardPurpose } from '../../shared/contract/card-view-audit';
import type { CardContext } from '../../db/cache/card-query';
import type { CentralApiClient } from '../central-api/central-api-client';
import type { DeskBackendOptions } from '../desk-backend';
import type { DeskCacheStores } from '../desk-cache-stores';
import type { SessionHolder } from '../session-holder';

export type Handlers = {
  [C in DeskOperation]: (input: z.output<DeskContract[C]['input']>) => Promise<DeskOutput<C>>;
};

/** The handlers of some operations; the backend merges the groups into one complete `Handlers`. */
export type HandlersFor<C extends DeskOperation> = Pick<Handlers, C>;

/**
 * A write that belongs with a card's audit row (a ringing call's open interaction): committed in the
 * same transaction, or, when it throws, undone alone while the audit row is still recorded.
 */
export interface CardCompanion {
  write(card: CustomerCard): void;
  failed(error: unknown): void;
}

/** Opens a card for the logged-in user and queues its audit row, with the companion's write if given (see operations/open-card.ts). */
export type OpenCard = (
  purpose: CardPurpose,
  callId: string | null,
  build: (view: CardContext, at: Date) => CustomerCard | null,
  companion?: CardCompanion,
) => CustomerCard;

export interface DeskContext {
  options: DeskBackendOptions;
  now: () => Date;
  warn: (message: string) => void;
  api: CentralApiClient;
  stores: DeskCacheStores;
  sessions: SessionHolder;
  emit: (event: DeskEvent) => void;
  openCard: OpenCard;
}
