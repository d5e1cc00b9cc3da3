// The shipped offer catalogue (server/catalog/offers) as synced Offer documents at version 1, for
// benchmarks and fixtures that need the demo offers without a database. The server itself
// publishes the catalogue on start (server/catalog/publish-catalog.ts).
import type { Offer } from '../../shared/contract/entities';
import { loadOfferCatalog } from '../catalog/load-catalog';

export const DEMO_OFFERS: readonly Offer[] = loadOfferCatalog().offers.map((offer) => ({ ...offer, version: 1 }));
