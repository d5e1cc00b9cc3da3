// `clm catalog check [--dir DIR]`: validates the offer catalogue files the way the server does on
// start, without touching any database; exit code 2 with the file and field when one is broken.
import { OfferCatalogError } from '../../shared/offers/offer-catalog';
import { DEFAULT_CATALOG_DIR, loadOfferCatalog, type LoadedCatalog } from '../catalog/load-catalog';
import { CliUsageError } from './model-commands/cli-error';
import { parseCommandFlags } from './model-commands/command-flags';

export const CATALOG_USAGE = ['clm catalog check [--dir DIR]   (default: CLM_CATALOG_DIR, else the shipped server/catalog/offers)'];

export function runCatalogCommand(args: string[]): void {
  const [action, ...rest] = args;
  if (action !== 'check') throw new CliUsageError(`catalog: unknown action "${action ?? ''}" (expected check)`);
  const flags = parseCommandFlags('catalog check', rest, { dir: { type: 'string', default: process.env.CLM_CATALOG_DIR || DEFAULT_CATALOG_DIR } });
  const { offers, files } = checkedCatalog(flags.dir);
  console.log(`catalogue OK: ${offers.length} offers in ${files.length} files (${flags.dir})`);
}

/** A broken catalogue is bad input (exit code 2), like a bad flag. */
function checkedCatalog(dir: string): LoadedCatalog {
  try {
    return loadOfferCatalog(dir);
  } catch (error) {
    throw error instanceof OfferCatalogError ? new CliUsageError(`catalog check: ${error.message}`) : error;
  }
}
