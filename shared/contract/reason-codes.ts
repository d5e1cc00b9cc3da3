// Every reason code the shared rules, the card builder and the analytics emit. The renderer
// translates each as `reason.<code>` (a test checks both languages); a code missing here and
// there still renders as "other reason (code)".
export const REASON_CODES = [
  'arpu_trend_3m',
  'arpu_trend_6m',
  'usage_trend_3m',
  'voice_trend_3m',
  'complaints_30d',
  'complaints_90d',
  'network_issues_90d',
  'contract_ends_in_days',
  'contract_ended_days_ago',
  'no_contract',
  'churned_on',
  'churn_risk',
  'tenure_months',
  'below_maturity_tenure',
  'stable_spend',
  'arpu_3m',
  'monthly_fee',
  'not_a_subscriber',
  'feature_contribution',
  // Next-best-offer (shared/offers): why an offer is eligible, what it is worth, the card's decision.
  'eligible_because',
  'value_at_risk',
  'customer_value_unknown',
  'retention_pays',
  'retention_does_not_pay',
  'no_retention_offer',
  'best_offer',
  'care_action',
  // Why the first offer is first when another shown offer is worth more on average (issue 14).
  'first_care',
  'first_care_let_go',
  'first_retention',
  'first_exploring',
  'tried_at_expected_loss',
  'no_eligible_offer',
  // Contact policy (shared/offers/contact-policy.ts): why an eligible offer is held back.
  'do_not_disturb',
  'no_marketing_consent',
  'offer_already_accepted',
  'contact_cooldown',
  // Uplift targeting (issue 20 §3): a retention offer valued by its programme's uplift model, or held back as harmful.
  'value_by_uplift',
  'contact_harms',
  'retention_call_harms',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
