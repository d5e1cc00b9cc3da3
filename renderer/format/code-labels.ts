// The one way a code (stage, tier, result, reason, segment, offer id…) becomes words on a screen
// or in an export: through the locale files, in the interface language. A code this build has
// no words for says "unknown" rather than showing itself; an absent value is a dash.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { LocalizedText } from '../../shared/contract/entities';
import { contentLanguage, type Language } from '../i18n/languages';
import { useLanguage } from './use-formatters';

/** Each coded field and the locale namespace its labels live under. */
const NAMESPACES = {
  stage: 'stage',
  valueTier: 'tier',
  warningLevel: 'warning',
  channel: 'channel',
  offerKind: 'offerKind',
  result: 'outcome.result',
  declineReason: 'outcome.declineReason',
  notPresentedReason: 'outcome.notPresentedReason',
  status: 'status',
  syncState: 'syncState',
} as const;
export type CodedField = keyof typeof NAMESPACES;

/** Offer id -> catalogue name (reports carry it; the card carries names with its offers). */
export type OfferNameLookup = Readonly<Record<string, LocalizedText>>;

export interface CodeLabels {
  /** The label of a code of a coded field; a dash for no value. */
  code(field: CodedField, code: string | null | undefined): string;
  /** A learning segment ('D/gold') as stage and tier in words; 'none' is an unrated tier. */
  segment(segment: string | null | undefined): string;
  /** Why an outcome was declined or not presented: the reason's vocabulary depends on the result. */
  reason(result: string, reason: string | null | undefined): string;
  /** An offer by its name; "no offer" for none, "withdrawn offer" for an id the catalogue no longer names. */
  offer(offerId: string | null | undefined, name?: LocalizedText | null): string;
  /** An offer name looked up by id in a report's names. */
  offerIn(names: OfferNameLookup, offerId: string | null | undefined): string;
}

const absent = (value: string | null | undefined): value is null | undefined | '' => value === null || value === undefined || value === '';

export function createCodeLabels(t: TFunction, language: Language): CodeLabels {
  const lang = contentLanguage(language);
  const unknown = () => t('code.unknown');
  const code: CodeLabels['code'] = (field, value) =>
    absent(value) ? t('value.notApplicable') : labelOrUnknown(t(`${NAMESPACES[field]}.${value}`, { defaultValue: '' }), unknown);
  const offer: CodeLabels['offer'] = (offerId, name) => {
    if (absent(offerId)) return t('code.noOffer');
    return name?.[lang] ?? t('code.withdrawnOffer');
  };
  return {
    code,
    segment: (segment) => {
      if (absent(segment)) return t('value.notApplicable');
      const [stage, tier, ...rest] = segment.split('/');
      if (stage === undefined || tier === undefined || rest.length > 0) return unknown();
      const tierLabel = tier === 'none' ? t('code.unrated') : code('valueTier', tier);
      return t('code.segment', { stage: code('stage', stage), tier: tierLabel });
    },
    reason: (result, reason) => {
      if (absent(reason)) return t('value.notApplicable');
      if (result === 'declined') return code('declineReason', reason);
      if (result === 'not_presented') return code('notPresentedReason', reason);
      return unknown();
    },
    offer,
    offerIn: (names, offerId) => offer(offerId, absent(offerId) ? null : Object.hasOwn(names, offerId) ? names[offerId] : null),
  };
}

function labelOrUnknown(label: unknown, unknown: () => string): string {
  return typeof label === 'string' && label !== '' ? label : unknown();
}

/** The labels in the current interface language (rebuilt only when it changes). */
export function useCodeLabels(): CodeLabels {
  const { t } = useTranslation();
  const language = useLanguage();
  return useMemo(() => createCodeLabels(t, language), [t, language]);
}
