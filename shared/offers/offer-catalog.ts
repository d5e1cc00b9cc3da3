// The offer catalogue as the operator authors it: JSON files (one per offer family) that the
// central API validates, versions and publishes to desks. The server owns `version` (it bumps it
// when an offer's content changes), so a file never carries it.
import { z } from 'zod';
import { Offer } from '../contract/entities';
import { validateRule } from './evaluate-rule';

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

export interface CatalogSource {
  /** The file's parsed JSON, unchecked. */
  json: unknown;
  /** Where it came from (a file name), for the error message. */
  source: string;
}

/** A rejected catalogue: every problem found, each with its file and path. */
export class OfferCatalogError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`offer catalogue rejected, ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OfferCatalogError';
  }
}

/** ['offers', 2, 'eligibility', 'all', 0] -> 'offers[2].eligibility.all[0]' */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('') || '(file)';
}

function rawOffers(json: unknown): unknown[] {
  const offers = typeof json === 'object' && json !== null ? (json as { offers?: unknown }).offers : undefined;
  return Array.isArray(offers) ? offers : [];
}

/** 'offers[2] (retain-data-10g)' when the offer has a readable id. */
function offerLabel(json: unknown, index: number): string {
  const id = (rawOffers(json)[index] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? `offers[${index}] (${id})` : `offers[${index}]`;
}

function located(file: CatalogSource, path: readonly PropertyKey[], message: string): string {
  const [head, index, ...rest] = path;
  const where =
    head === 'offers' && typeof index === 'number' ? `${offerLabel(file.json, index)}${rest.length > 0 ? `: ${formatPath(rest)}` : ''}` : formatPath(path);
  return `${file.source}: ${where}: ${message}`;
}

/** Meaning checks on one well-shaped offer, paths relative to the offer. */
function offerProblems(offer: CatalogOffer): { path: (string | number)[]; message: string }[] {
  const problems = validateRule(offer.eligibility, ['eligibility']);
  if (offer.validTo !== null && offer.validTo < offer.validFrom)
    problems.push({ path: ['validTo'], message: `ends (${offer.validTo}) before it starts (${offer.validFrom})` });
  if ((offer.fulfilment.action === 'plan_change') !== (offer.fulfilment.planCode !== null))
    problems.push({ path: ['fulfilment', 'planCode'], message: 'a plan_change names the planCode it moves to, and only a plan_change has one' });
  if (offer.programme != null && offer.kind !== 'retention')
    problems.push({ path: ['programme'], message: `only retention offers belong to a retention programme, this one is ${offer.kind}` });
  return problems;
}

/**
 * Parses and checks catalogue files together: shape (zod), rule meaning, dates, duplicate offer
 * ids and experiments with exactly one champion, across all files. Throws an OfferCatalogError
 * listing every problem; nothing is returned unless every file is sound.
 */
export function parseOfferCatalogs(files: readonly CatalogSource[]): CatalogOffer[] {
  const problems: string[] = [];
  const offers: CatalogOffer[] = [];
  const firstSeen = new Map<string, string>();
  const experiments = new Map<string, { champions: string[]; where: string }>();
  const programmes = new Map<string, { settings: string; where: string }>();

  for (const file of files) {
    const parsed = OfferCatalogFile.safeParse(file.json);
    if (!parsed.success) for (const issue of parsed.error.issues) problems.push(located(file, issue.path, issue.message));
    rawOffers(file.json).forEach((raw, index) => {
      const offer = CatalogOffer.safeParse(raw);
      if (!offer.success) return; // its shape problems are listed above
      const at = (path: (string | number)[], message: string) => problems.push(located(file, ['offers', index, ...path], message));
      for (const p of offerProblems(offer.data)) at(p.path, p.message);
      const where = `${file.source}: ${offerLabel(file.json, index)}`;
      const earlier = firstSeen.get(offer.data.id);
      if (earlier !== undefined) at(['id'], `duplicate offer id, first defined at ${earlier}`);
      else firstSeen.set(offer.data.id, where);
      const experiment = offer.data.experiment;
      if (experiment !== null) {
        const group = experiments.get(experiment.id) ?? { champions: [], where };
        if (experiment.arm === 'champion') group.champions.push(offer.data.id);
        experiments.set(experiment.id, group);
      }
      const programme = offer.data.programme;
      if (programme != null) {
        // Offers of one programme share one control group, so they must agree on how it is drawn.
        const settings = JSON.stringify({ ...programme, neverHoldOut: [...programme.neverHoldOut].sort() });
        const first = programmes.get(programme.id);
        if (first === undefined) programmes.set(programme.id, { settings, where });
        else if (first.settings !== settings) at(['programme'], `programme '${programme.id}' is set differently at ${first.where}`);
      }
      offers.push(offer.data);
    });
  }
  for (const [id, group] of experiments) {
    if (group.champions.length !== 1)
      problems.push(
        `${group.where}: experiment '${id}' needs exactly one champion, has ${group.champions.length}${group.champions.length > 0 ? ` (${group.champions.join(', ')})` : ''}`,
      );
  }
  if (problems.length > 0) throw new OfferCatalogError(problems);
  return offers;
}

export function parseOfferCatalog(json: unknown, source: string): CatalogOffer[] {
  return parseOfferCatalogs([{ json, source }]);
}
