/*
 * A programme's pipeline configuration (stored in `programmes.pipeline`) and the milestones the
 * observatory counts. No table here: `programmes.ts` imports these types without importing
 * `cases.ts`, which itself imports `programmes.ts`.
 */

/**
 * A programme's own pipeline: its ordered stages (which must include 'installed'),
 * and optional labels for stages that are not default ones. The exits 'abandoned' and
 * 'left_territory' always exist and are not listed. Validated by case.rules.ts.
 */
export type PipelineConfig = {
	stages: string[];
	labels?: Record<string, { fr?: string; en?: string }>;
	/**
	 * The milestone the observatory counts for each stage (stage key → milestone). A default
	 * stage key without an entry keeps its own milestone (see DEFAULT_STAGE_MILESTONES).
	 */
	milestones?: Record<string, PipelineMilestone>;
};

/** What the observatory counts: every stage of a pipeline is mapped to one of these. */
export const PIPELINE_MILESTONES = [
	'contact',
	'qualified',
	'discovery',
	'installing',
	'installed',
	'integrated',
	'left',
	'abandoned'
] as const;
export type PipelineMilestone = (typeof PIPELINE_MILESTONES)[number];

/** The milestone of each default stage and exit (the observatory reads these keys). */
export const DEFAULT_STAGE_MILESTONES: Record<string, PipelineMilestone> = {
	contact: 'contact',
	qualified: 'qualified',
	discovery_visit: 'discovery',
	installing: 'installing',
	installed: 'installed',
	integrated: 'integrated',
	left_territory: 'left',
	abandoned: 'abandoned'
};
