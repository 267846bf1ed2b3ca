/**
 * Every indicator of the observatory, defined in one sentence (messages
 * `observatory_def_<key>_name` and `observatory_def_<key>_text`, French source, English
 * complete). The definitions page lists them by section; every figure on every page links to its
 * definition (`/backoffice/observatory/definitions#def-<key>`). A test checks that each key has
 * both messages in both languages.
 */
export const OBSERVATORY_SECTIONS = [
	'flows',
	'funnel',
	'profiles',
	'geography',
	'durability',
	'integration',
	'impact',
	'exports'
] as const;
export type ObservatorySectionKey = (typeof OBSERVATORY_SECTIONS)[number];

export type IndicatorDefinition = { key: string; section: ObservatorySectionKey };

export const OBSERVATORY_INDICATORS: readonly IndicatorDefinition[] = [
	// Flows
	{ key: 'contact', section: 'flows' },
	{ key: 'qualified_project', section: 'flows' },
	{ key: 'discovery_visit', section: 'flows' },
	{ key: 'installation', section: 'flows' },
	{ key: 'persons_installed', section: 'flows' },
	{ key: 'member', section: 'flows' },
	{ key: 'departure', section: 'flows' },
	{ key: 'abandonment', section: 'flows' },
	{ key: 'business_created', section: 'flows' },
	{ key: 'business_active', section: 'flows' },
	{ key: 'cumulative', section: 'flows' },
	// Funnel
	{ key: 'conversion', section: 'funnel' },
	{ key: 'cohort_of_contacts', section: 'funnel' },
	{ key: 'median_duration', section: 'funnel' },
	{ key: 'abandonment_reason', section: 'funnel' },
	{ key: 'source', section: 'funnel' },
	// Profiles
	{ key: 'status', section: 'profiles' },
	{ key: 'sector', section: 'profiles' },
	{ key: 'pcs_group', section: 'profiles' },
	{ key: 'age_band', section: 'profiles' },
	{ key: 'origin', section: 'profiles' },
	{ key: 'household_kind', section: 'profiles' },
	// Geography
	{ key: 'installations_by_commune', section: 'geography' },
	{ key: 'installation_rate', section: 'geography' },
	{ key: 'distance_to_metropole', section: 'geography' },
	{ key: 'geography_baselines', section: 'geography' },
	{ key: 'aav_category', section: 'geography' },
	{ key: 'population_class', section: 'geography' },
	{ key: 'chef_lieu', section: 'geography' },
	{ key: 'geography_test', section: 'geography' },
	{ key: 'morans_i', section: 'geography' },
	// Durability
	{ key: 'durability_residence', section: 'durability' },
	{ key: 'durability_business', section: 'durability' },
	{ key: 'durability_censoring', section: 'durability' },
	{ key: 'durability_survival_rate', section: 'durability' },
	{ key: 'durability_confidence_interval', section: 'durability' },
	{ key: 'durability_at_risk', section: 'durability' },
	{ key: 'durability_median', section: 'durability' },
	{ key: 'durability_cohort', section: 'durability' },
	{ key: 'durability_pooled_groups', section: 'durability' },
	{ key: 'durability_log_rank', section: 'durability' },
	// Integration
	{ key: 'integration_response_rate', section: 'integration' },
	{ key: 'integration_living_here', section: 'integration' },
	{ key: 'integration_business_running', section: 'integration' },
	{ key: 'integration_local_clients', section: 'integration' },
	{ key: 'integration_jobs_created', section: 'integration' },
	{ key: 'integration_associations', section: 'integration' },
	{ key: 'integration_partner_job', section: 'integration' },
	{ key: 'integration_schooling', section: 'integration' },
	{ key: 'integration_intention_to_stay', section: 'integration' },
	{ key: 'integration_satisfaction', section: 'integration' },
	{ key: 'integration_businesses', section: 'integration' },
	{ key: 'integration_attribution', section: 'integration' },
	{ key: 'integration_attribution_paired', section: 'integration' },
	// Impact
	{ key: 'impact_households_present', section: 'impact' },
	{ key: 'impact_mean_income', section: 'impact' },
	{ key: 'impact_local_spending', section: 'impact' },
	{ key: 'impact_local_activity', section: 'impact' },
	{ key: 'impact_jobs', section: 'impact' },
	// Exports
	{ key: 'rate_per_1000', section: 'exports' },
	{ key: 'research_extract', section: 'exports' },
	{ key: 'k_anonymity', section: 'exports' }
];

export const definitionHref = (key: string): string => `/backoffice/observatory/definitions#def-${key}`;
