// The offer catalogue as the operator authors it: JSON files (one per offer family) that the
// central API validates, versions and publishes to desks. The server owns `version` (it bumps it
// when an offer's content changes), so a file never carries it.
import { z } from 'zod';
import { Offer } from '../contract/entities';

export const CatalogOffer = Offer.omit({ version: true }).strict();
export type CatalogOffer = z.infer<typeof CatalogOffer>;

export const OfferCatalogFile = z
  .object({
    /** Free-form label of this edit of the file, e.g. "2026-12 retention wave". */
    catalogVersion: z.string().min(1),
    offers: z.array(CatalogOffer).min(1),
  })
  .strict();
export type OfferCatalogFile = z.infer<typeof OfferCatalogFile>;
