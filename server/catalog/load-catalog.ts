// Reads the operator's offer catalogue: every *.json file of a folder (one per offer family),
// checked together by parseOfferCatalogs. Any problem throws an OfferCatalogError naming each
// file and field, before anything is published.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OfferCatalogError, parseOfferCatalogs, type CatalogOffer, type CatalogSource } from '../../shared/offers/offer-catalog';

/** The catalogue shipped with the server (server/catalog/offers). */
export const DEFAULT_CATALOG_DIR = fileURLToPath(new URL('./offers', import.meta.url));

export interface LoadedCatalog {
  offers: CatalogOffer[];
  /** The files read, in the order read (by name). */
  files: string[];
}

function catalogFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new OfferCatalogError([`folder ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  const files = names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => path.join(dir, n));
  if (files.length === 0) throw new OfferCatalogError([`folder ${dir} holds no *.json files`]);
  return files;
}

export function loadOfferCatalog(dir: string = DEFAULT_CATALOG_DIR): LoadedCatalog {
  const files = catalogFiles(dir);
  const sources: CatalogSource[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    try {
      sources.push({ json: JSON.parse(readFileSync(file, 'utf8')), source: file });
    } catch (error) {
      unreadable.push(`${file}: not valid JSON (${(error as Error).message})`);
    }
  }
  if (unreadable.length === 0) return { offers: parseOfferCatalogs(sources), files };
  // Still check the readable files, so one run lists every problem.
  try {
    parseOfferCatalogs(sources);
  } catch (error) {
    if (error instanceof OfferCatalogError) throw new OfferCatalogError([...unreadable, ...error.problems]);
    throw error;
  }
  throw new OfferCatalogError(unreadable);
}
