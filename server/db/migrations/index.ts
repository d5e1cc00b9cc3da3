// Every migration this build knows, in order. Append only.
import { migration0001Initial } from './0001_initial';
import { migration0002RefreshTokensAndLoginFailures } from './0002_refresh_tokens_and_login_failures';
import { migration0003OfferLearningContactsFulfilmentTeams } from './0003_offer_learning_contacts_fulfilment_teams';
import { migration0004CardViewAuditAndReportIndexes } from './0004_card_view_audit_and_report_indexes';
import { migration0005ScoringBundlesAndCustomerEvents } from './0005_scoring_bundles_and_customer_events';
import { migration0006UserAdministration } from './0006_user_administration';
import { migration0007OperatorImport } from './0007_operator_import';
import { migration0008InteractionDiscards } from './0008_interaction_discards';
import { migration0009DirectorySignIn } from './0009_directory_sign_in';
import { migration0010OidcSessionChecks } from './0010_oidc_session_checks';
import { migration0011PrivacyErasures } from './0011_privacy_erasures';
import { migration0012CacheScopes } from './0012_cache_scopes';
import { migration0013ProgrammeAssignments } from './0013_programme_assignments';
import { migration0014IdpTokenSealing } from './0014_idp_token_sealing';
import { migration0015UsageWindows } from './0015_usage_windows';
import { migration0016MonthlyPartitionsAndDailySummaries } from './0016_monthly_partitions_and_daily_summaries';
import { migration0017ChangesAvailableNotify } from './0017_changes_available_notify';
import { migration0018ModelRegistry } from './0018_model_registry';
import { migration0019DeskRevocation } from './0019_desk_revocation';
import { migration0020OutcomesToLearn } from './0020_outcomes_to_learn';
import { migration0021ModelDrift } from './0021_model_drift';
import { migration0022DailySummariesInOneStatement } from './0022_daily_summaries_in_one_statement';
import { migration0023OutcomeReportColumns } from './0023_outcome_report_columns';
import { migration0024ScopeMembersByCustomer } from './0024_scope_members_by_customer';
import { migration0025ChampionPredictionsByCustomer } from './0025_champion_predictions_by_customer';
import { migration0026RecordOutcomeBatch } from './0026_record_outcome_batch';
import { migration0027OutcomeBatchItemsReadOnce } from './0027_outcome_batch_items_read_once';
import type { Migration } from './migration';

export type { Migration } from './migration';
export const MIGRATIONS: readonly Migration[] = [
  migration0001Initial,
  migration0002RefreshTokensAndLoginFailures,
  migration0003OfferLearningContactsFulfilmentTeams,
  migration0004CardViewAuditAndReportIndexes,
  migration0005ScoringBundlesAndCustomerEvents,
  migration0006UserAdministration,
  migration0007OperatorImport,
  migration0008InteractionDiscards,
  migration0009DirectorySignIn,
  migration0010OidcSessionChecks,
  migration0011PrivacyErasures,
  migration0012CacheScopes,
  migration0013ProgrammeAssignments,
  migration0014IdpTokenSealing,
  migration0015UsageWindows,
  migration0016MonthlyPartitionsAndDailySummaries,
  migration0017ChangesAvailableNotify,
  migration0018ModelRegistry,
  migration0019DeskRevocation,
  migration0020OutcomesToLearn,
  migration0021ModelDrift,
  migration0022DailySummariesInOneStatement,
  migration0023OutcomeReportColumns,
  migration0024ScopeMembersByCustomer,
  migration0025ChampionPredictionsByCustomer,
  migration0026RecordOutcomeBatch,
  migration0027OutcomeBatchItemsReadOnce,
];
