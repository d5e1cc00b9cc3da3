// What a store clerk does at the counter to carry out an offer, in order: the counter's
// counterpart of the phone script's opening and pitch (a customer at the counter needs no
// greeting for calling, but their ID checked, the terms handed over and a signature).
// The steps are codes; the renderer words them in the interface language.
import type { OfferKind } from '../contract/entities';

export const COUNTER_ACTIONS = [
  'check_id',
  'present_offer',
  'explain_care',
  'add_to_account',
  'change_plan',
  'add_bundle',
  'restore_number',
  'open_line',
  'get_signature',
] as const;
export type CounterAction = (typeof COUNTER_ACTIONS)[number];

const ACTIONS_BY_KIND: Record<OfferKind, readonly CounterAction[]> = {
  retention: ['check_id', 'present_offer', 'add_to_account', 'get_signature'],
  upsell: ['check_id', 'present_offer', 'change_plan', 'get_signature'],
  crosssell: ['check_id', 'present_offer', 'add_bundle', 'get_signature'],
  winback: ['check_id', 'present_offer', 'restore_number', 'change_plan', 'get_signature'],
  // A care gesture is a gift: nothing to sign.
  care: ['check_id', 'explain_care', 'add_to_account'],
  acquisition: ['check_id', 'present_offer', 'open_line', 'get_signature'],
};

/** The counter steps for an offer of this kind, the ID check first. */
export function counterActionsFor(kind: OfferKind): readonly CounterAction[] {
  return ACTIONS_BY_KIND[kind];
}
