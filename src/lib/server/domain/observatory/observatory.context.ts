import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { parseInput } from '../../validation.ts';
import { findProgrammePipeline } from '../case/case.repository.ts';
import { resolvePipeline, type Pipeline } from '../case/case.rules.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findProgrammeSettings } from '../programme-settings/programme-settings.repository.ts';
import { DEFAULT_MIN_CELL_SIZE } from './disclosure.rules.ts';
import { observatoryForbidden } from './observatory.errors.ts';
import { findObservatoryCases } from './observatory.repository.ts';
import {
	filterObservatoryCases,
	hasCaseFilters,
	observatoryStageKeys,
	resolvePeriod,
	withMilestoneEntries,
	type ObservatoryPeriod
} from './observatory.rules.ts';
import {
	observatoryFiltersSchema,
	type ObservatoryFilters,
	type ObservatoryFiltersInput
} from './observatory.schemas.ts';
import type { ObservatoryCase, ObservatoryViewer } from './observatory.types.ts';

/*
 * The context every section of the observatory computes from: who reads, the programme, its
 * cases, the filters. The section services (flows, geography, impact…) import it from here, and
 * observatory.service.ts imports them: imports go one way.
 */

/** The reader an actor is; other roles (partners, members, candidates) are refused. */
export function observatoryViewerOf(actor: Actor | null): ObservatoryViewer {
	if (!actor) throw observatoryForbidden({});
	if (actor.role === 'admin' || actor.role === 'advisor')
		return {
			programmeId: actor.programmeId,
			kind: 'staff',
			userId: actor.userId,
			isAdmin: actor.role === 'admin'
		};
	if (actor.role === 'committee')
		return { programmeId: actor.programmeId, kind: 'committee', userId: actor.userId, isAdmin: false };
	throw observatoryForbidden({ userId: actor.userId, role: actor.role });
}

/** What every section of the observatory computes from: the programme, its cases, the filters. */
export type ObservatoryContext = {
	viewer: ObservatoryViewer;
	programme: {
		id: string;
		slug: string;
		name: string;
		isDemo: boolean;
		departements: string[];
		metropoleCode: string | null;
		metropoleLat: number | null;
		metropoleLon: number | null;
	};
	pipeline: Pipeline;
	filters: ObservatoryFilters;
	period: ObservatoryPeriod;
	/** Every case of the programme (baselines, cohorts). */
	allCases: ObservatoryCase[];
	/** The cases the filters select (status, sector, commune, source, cohort); the period is applied per indicator. */
	cases: ObservatoryCase[];
	/** True when a filter selects households: pages say the figures are a subset. */
	isFiltered: boolean;
	/**
	 * The programme's minimum cell size k (programme settings, default 5): readers other than staff
	 * never get a figure describing fewer than k households (see disclosure.rules.ts).
	 */
	minCellSize: number;
	now: Date;
};

/**
 * Loads what the observatory computes from, once per request: validates the filters (clear error
 * naming the filter), checks the reader, reads the programme's cases in one query.
 */
export async function loadObservatory(
	{ viewer, input = {} }: { viewer: ObservatoryViewer; input?: ObservatoryFiltersInput },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<ObservatoryContext> {
	const filters = parseInput(observatoryFiltersSchema, input);
	const programme = await findProgrammeById({ db, programmeId: viewer.programmeId });
	if (!programme) throw observatoryForbidden({ programmeId: viewer.programmeId });
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: programme.id }));
	const settings = await findProgrammeSettings({ db, programmeId: programme.id });
	const allCases = withMilestoneEntries(
		await findObservatoryCases({ db, programmeId: programme.id, stages: observatoryStageKeys(pipeline) }),
		pipeline.milestones
	);
	return {
		viewer,
		programme: {
			id: programme.id,
			slug: programme.slug,
			name: programme.name,
			isDemo: programme.isDemo,
			departements: programme.departements,
			metropoleCode: programme.metropoleCode,
			metropoleLat: programme.metropoleLat,
			metropoleLon: programme.metropoleLon
		},
		pipeline,
		filters,
		period: resolvePeriod(allCases, filters, now),
		allCases,
		cases: filterObservatoryCases(allCases, filters),
		isFiltered: hasCaseFilters(filters),
		minCellSize: settings?.minCellSize ?? DEFAULT_MIN_CELL_SIZE,
		now
	};
}
