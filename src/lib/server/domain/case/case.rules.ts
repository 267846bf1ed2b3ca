import * as v from 'valibot';
import {
	CASE_EXIT_STAGES,
	DEFAULT_CASE_STAGES,
	DEFAULT_STAGE_MILESTONES,
	type CaseStage,
	type PipelineConfig,
	type PipelineMilestone
} from '../../db/schema/index.ts';
import { ValidationError, type FieldIssue } from '../../validation.ts';
import {
	caseIllegalTransition,
	caseInvalidPipeline,
	caseSameStage,
	caseUnknownStage
} from './case.errors.ts';
import { pipelineConfigSchema, STAGE_KEY_PATTERN } from './case.schemas.ts';

/** The stage every new case starts in, whatever the pipeline (its first stage). */
export const ABANDONED = 'abandoned';
export const LEFT_TERRITORY = 'left_territory';
/** The milestone every pipeline has: installation records the commune and the date. */
export const INSTALLED = 'installed';

/** A resolved pipeline: ordered stages, then the two exits. */
export type Pipeline = {
	stages: readonly CaseStage[];
	exits: readonly CaseStage[];
	/**
	 * Index of the first stage mapped to the `installed` milestone (the stage keyed 'installed'
	 * by default): stages before it are "open", from it on "installed".
	 */
	installedIndex: number;
	labels: PipelineConfig['labels'];
	/** The milestone of every stage and exit that has one (what the observatory counts). */
	milestones: Record<string, PipelineMilestone>;
};

export const DEFAULT_PIPELINE: Pipeline = {
	stages: DEFAULT_CASE_STAGES,
	exits: CASE_EXIT_STAGES,
	installedIndex: DEFAULT_CASE_STAGES.indexOf('installed'),
	labels: undefined,
	milestones: DEFAULT_STAGE_MILESTONES
};

/** The milestone of a stage of a configured pipeline: its mapping, else the default stage's own. */
export function stageMilestone(
	config: Pick<PipelineConfig, 'milestones'>,
	stage: string
): PipelineMilestone | undefined {
	return config.milestones?.[stage] ?? DEFAULT_STAGE_MILESTONES[stage];
}

/**
 * Problems with a configured pipeline, as error codes (empty when valid): between 2 and
 * 12 stages, snake_case keys, no duplicates, no exit names, no stage mapped to an exit's
 * milestone (left, abandoned), and a stage mapped to 'installed' present and not first
 * (a case must start before installation).
 */
export function checkPipelineConfig(config: unknown): string[] {
	const parsed = v.safeParse(pipelineConfigSchema, config);
	if (!parsed.success) return ['case.pipeline_malformed'];
	const { stages } = parsed.output;
	const issues = new Set<string>();
	if (stages.length < 2 || stages.length > 12) issues.add('case.pipeline_stage_count');
	if (stages.some((stage) => !STAGE_KEY_PATTERN.test(stage))) issues.add('case.pipeline_invalid_stage_key');
	if (new Set(stages).size !== stages.length) issues.add('case.pipeline_duplicate_stage');
	if (stages.some((stage) => (CASE_EXIT_STAGES as readonly string[]).includes(stage))) {
		issues.add('case.pipeline_exit_listed');
	}
	const milestones = stages.map((stage) => stageMilestone(parsed.output, stage));
	if (milestones.some((milestone) => milestone === 'left' || milestone === 'abandoned')) {
		issues.add('case.pipeline_exit_listed');
	}
	const installedIndex = milestones.indexOf(INSTALLED);
	if (installedIndex === -1) issues.add('case.pipeline_installed_missing');
	else if (installedIndex === 0) issues.add('case.pipeline_installed_first');
	return [...issues];
}

/** The pipeline of a programme: its configuration when set (and valid), else the default one. */
export function resolvePipeline(config: PipelineConfig | null | undefined): Pipeline {
	if (!config) return DEFAULT_PIPELINE;
	const issues = checkPipelineConfig(config);
	if (issues.length) throw caseInvalidPipeline({ issues });
	const milestones: Record<string, PipelineMilestone> = {};
	for (const stage of [...config.stages, ...CASE_EXIT_STAGES]) {
		const milestone = stageMilestone(config, stage);
		if (milestone) milestones[stage] = milestone;
	}
	return {
		stages: config.stages,
		exits: CASE_EXIT_STAGES,
		installedIndex: config.stages.findIndex((stage) => milestones[stage] === INSTALLED),
		labels: config.labels,
		milestones
	};
}

export function firstStage(pipeline: Pipeline): CaseStage {
	return pipeline.stages[0];
}

export function isKnownStage(pipeline: Pipeline, stage: string): boolean {
	return pipeline.stages.includes(stage) || pipeline.exits.includes(stage);
}

/** Open: before installation (may still be abandoned). */
export function isOpenStage(pipeline: Pipeline, stage: string): boolean {
	const index = pipeline.stages.indexOf(stage);
	return index !== -1 && index < pipeline.installedIndex;
}

/** Installed or beyond (may leave the territory). */
export function isInstalledStage(pipeline: Pipeline, stage: string): boolean {
	return pipeline.stages.indexOf(stage) >= pipeline.installedIndex;
}

export type TransitionKind = 'forward' | 'back' | 'abandon' | 'leave' | 'reopen';

export type TransitionRequest = {
	from: CaseStage;
	to: CaseStage;
	reason?: string | null;
	installedCommuneCode?: string | null;
	installedOn?: string | null;
	leftOn?: string | null;
	/** What the case already records: a move past 'installed' needs them, given now or before. */
	current?: { installedCommuneCode: string | null; installedOn: string | null };
};

/**
 * Checks a stage change against the pipeline and returns its kind:
 * - forward by one or more steps (reaching or passing 'installed' needs the commune and date);
 * - back by exactly one step, with a reason;
 * - any open stage → abandoned, with a reason;
 * - installed or later → left_territory, with the date and a reason;
 * - abandoned → the first stage, with a reason (a lead that comes back).
 * Illegal moves throw case.illegal_transition; missing data throws a ValidationError
 * naming each field to fill in.
 */
export function checkStageTransition(pipeline: Pipeline, request: TransitionRequest): TransitionKind {
	const { from, to } = request;
	if (!isKnownStage(pipeline, to)) throw caseUnknownStage({ stage: to });
	if (from === to) throw caseSameStage({ stage: to });
	const issues: FieldIssue[] = [];
	const requireReason = () => {
		if (!request.reason?.trim()) issues.push({ field: 'reason', code: 'case.reason_required' });
	};
	const fromIndex = pipeline.stages.indexOf(from);
	const toIndex = pipeline.stages.indexOf(to);
	let kind: TransitionKind;

	if (to === ABANDONED) {
		if (!isOpenStage(pipeline, from)) throw caseIllegalTransition({ from, to });
		requireReason();
		kind = 'abandon';
	} else if (to === LEFT_TERRITORY) {
		if (fromIndex === -1 || !isInstalledStage(pipeline, from)) throw caseIllegalTransition({ from, to });
		if (!request.leftOn) issues.push({ field: 'leftOn', code: 'case.left_on_required' });
		requireReason();
		const installedOn = request.current?.installedOn;
		if (request.leftOn && installedOn && request.leftOn < installedOn) {
			issues.push({ field: 'leftOn', code: 'case.left_before_installed' });
		}
		kind = 'leave';
	} else if (from === ABANDONED) {
		if (toIndex !== 0) throw caseIllegalTransition({ from, to });
		requireReason();
		kind = 'reopen';
	} else if (fromIndex === -1) {
		// left_territory is final; a stage removed from a configured pipeline cannot be left by rule.
		throw caseIllegalTransition({ from, to });
	} else if (toIndex > fromIndex) {
		kind = 'forward';
	} else if (toIndex === fromIndex - 1) {
		requireReason();
		kind = 'back';
	} else {
		throw caseIllegalTransition({ from, to });
	}

	if ((kind === 'forward' || kind === 'back') && toIndex >= pipeline.installedIndex) {
		if (!(request.installedCommuneCode ?? request.current?.installedCommuneCode)) {
			issues.push({ field: 'installedCommuneCode', code: 'case.installed_commune_required' });
		}
		if (!(request.installedOn ?? request.current?.installedOn)) {
			issues.push({ field: 'installedOn', code: 'case.installed_on_required' });
		}
	}
	if (issues.length) throw new ValidationError(issues);
	return kind;
}

/** The stages a case may move to from `from` (for the board and the stage form). */
export function allowedNextStages(pipeline: Pipeline, from: CaseStage): CaseStage[] {
	return [...pipeline.stages, ...pipeline.exits].filter((to) => {
		try {
			checkStageTransition(pipeline, {
				from,
				to,
				reason: 'x',
				installedCommuneCode: 'x',
				installedOn: '2000-01-01',
				leftOn: '2000-01-01'
			});
			return true;
		} catch {
			return false;
		}
	});
}

/** Human reference of a case: GERS-2026-0042 (prefix from the programme slug, sequence per year). */
export function formatCaseReference(prefix: string, year: number, sequence: number): string {
	return `${prefix}-${year}-${String(sequence).padStart(4, '0')}`;
}

export function referencePrefix(programmeSlug: string): string {
	return (
		programmeSlug
			.toUpperCase()
			.replace(/[^A-Z0-9]/g, '')
			.slice(0, 8) || 'CASE'
	);
}

/** The next sequence number of a year, from the references already used that year. */
export function nextReferenceSequence(existing: readonly string[], prefix: string, year: number): number {
	const head = `${prefix}-${year}-`;
	let max = 0;
	for (const reference of existing) {
		if (!reference.startsWith(head)) continue;
		const n = Number(reference.slice(head.length));
		if (Number.isInteger(n) && n > max) max = n;
	}
	return max + 1;
}

/** School level from a child's age, for the household's needs. */
export function schoolLevelForAge(age: number) {
	if (age < 3) return 'childcare' as const;
	if (age < 6) return 'nursery' as const;
	if (age < 11) return 'primary' as const;
	if (age < 15) return 'secondary' as const;
	if (age < 18) return 'high_school' as const;
	return 'none' as const;
}

/* ------------------------------------------------------------------ editing */

/** The stage-dependent fields of a case, as they will be after an edit. */
export type StageFields = {
	installedCommuneCode: string | null;
	installedOn: string | null;
	leftOn: string | null;
	leftReason: string | null;
	abandonedReason: string | null;
	businessCreatedOn: string | null;
	businessClosedOn: string | null;
};

/**
 * Keeps an edited case consistent with its stage, as moves do (checkStageTransition):
 * from 'installed' on (and after leaving) the commune and date are required, before it
 * they must be empty; departure details belong to 'left_territory' only, and an abandon
 * reason to 'abandoned' only; nobody leaves before arriving, and a business closes after
 * it opened. Returns one issue per field to fix.
 */
export function checkStageFields(pipeline: Pipeline, stage: CaseStage, fields: StageFields): FieldIssue[] {
	const issues: FieldIssue[] = [];
	const installed = stage === LEFT_TERRITORY || isInstalledStage(pipeline, stage);
	if (installed) {
		if (!fields.installedCommuneCode) {
			issues.push({ field: 'installedCommuneCode', code: 'case.installed_commune_required' });
		}
		if (!fields.installedOn) issues.push({ field: 'installedOn', code: 'case.installed_on_required' });
	} else {
		if (fields.installedCommuneCode) {
			issues.push({ field: 'installedCommuneCode', code: 'case.not_installed_yet' });
		}
		if (fields.installedOn) issues.push({ field: 'installedOn', code: 'case.not_installed_yet' });
	}
	if (stage === LEFT_TERRITORY) {
		if (!fields.leftOn) issues.push({ field: 'leftOn', code: 'case.left_on_required' });
		if (!fields.leftReason?.trim()) issues.push({ field: 'leftReason', code: 'case.reason_required' });
		if (fields.leftOn && fields.installedOn && fields.leftOn < fields.installedOn) {
			issues.push({ field: 'leftOn', code: 'case.left_before_installed' });
		}
	} else {
		if (fields.leftOn) issues.push({ field: 'leftOn', code: 'case.not_left' });
		if (fields.leftReason) issues.push({ field: 'leftReason', code: 'case.not_left' });
	}
	if (stage === ABANDONED) {
		if (!fields.abandonedReason?.trim())
			issues.push({ field: 'abandonedReason', code: 'case.reason_required' });
	} else if (fields.abandonedReason) {
		issues.push({ field: 'abandonedReason', code: 'case.not_abandoned' });
	}
	if (
		fields.businessCreatedOn &&
		fields.businessClosedOn &&
		fields.businessClosedOn < fields.businessCreatedOn
	) {
		issues.push({ field: 'businessClosedOn', code: 'case.business_closed_before_created' });
	}
	return issues;
}

/* ------------------------------------------------------------------ duplicates and merge */

/** A name as compared for duplicates: lower case, no accents, single spaces. */
export function normaliseName(value: string | null | undefined): string {
	return (value ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

type Comparable = {
	id: string;
	householdRole: string;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	phone: string | null;
	birthYear: number | null;
};

/**
 * Whether two persons are the same one: same email, same phone, or same first and last
 * name (accents and case ignored) with the same birth year.
 */
export function isSamePerson(a: Comparable, b: Comparable): boolean {
	if (a.email && a.email === b.email) return true;
	if (a.phone && a.phone === b.phone) return true;
	const first = normaliseName(a.firstName);
	const last = normaliseName(a.lastName);
	return (
		first !== '' &&
		last !== '' &&
		first === normaliseName(b.firstName) &&
		last === normaliseName(b.lastName) &&
		a.birthYear !== null &&
		a.birthYear === b.birthYear
	);
}

/**
 * Pairs the persons of an absorbed household with those of the kept one: the two
 * candidates when they are the same person, then anyone recognised by isSamePerson
 * (each kept person absorbs at most one). Unpaired persons simply move.
 */
export function matchPersons<T extends Comparable>(
	kept: readonly T[],
	absorbed: readonly T[]
): { keep: T; absorb: T }[] {
	const pairs: { keep: T; absorb: T }[] = [];
	const used = new Set<string>();
	const sorted = [...absorbed].sort(
		(a, b) => Number(b.householdRole === 'candidate') - Number(a.householdRole === 'candidate')
	);
	for (const absorb of sorted) {
		const keep = kept.find((candidate) => !used.has(candidate.id) && isSamePerson(candidate, absorb));
		if (!keep) continue;
		used.add(keep.id);
		pairs.push({ keep, absorb });
	}
	return pairs;
}

function isBlankValue(value: unknown): boolean {
	if (value === null || value === undefined || value === '') return true;
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
	return false;
}

/**
 * The values to write on the kept record of a merge: its own non-empty values stay, its
 * blanks are filled from the absorbed record (nested objects such as needs field by
 * field, lists such as languages joined). Returns only the fields that change.
 */
export function fillBlanks<T extends Record<string, unknown>>(
	kept: T,
	absorbed: T,
	skip: readonly string[]
): Partial<T> {
	const values: Record<string, unknown> = {};
	for (const key of Object.keys(absorbed)) {
		if (skip.includes(key)) continue;
		const mine = kept[key];
		const theirs = absorbed[key];
		if (isBlankValue(theirs)) continue;
		if (isBlankValue(mine)) {
			values[key] = theirs;
		} else if (Array.isArray(mine) && Array.isArray(theirs)) {
			const joined = [...new Set([...mine, ...theirs])];
			if (joined.length !== mine.length) values[key] = joined;
		} else if (
			typeof mine === 'object' &&
			typeof theirs === 'object' &&
			!(mine instanceof Date) &&
			!Array.isArray(mine) &&
			mine !== null &&
			theirs !== null
		) {
			const merged = {
				...(theirs as object),
				...Object.fromEntries(Object.entries(mine as object).filter(([, inner]) => !isBlankValue(inner)))
			};
			if (JSON.stringify(merged) !== JSON.stringify(mine)) values[key] = merged;
		}
	}
	return values as Partial<T>;
}
