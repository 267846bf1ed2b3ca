import type { Db } from '../../db/index.ts';
import type { Pipeline } from '../case/case.rules.ts';
import { computeDurabilitySection } from './durability.service.ts';
import type { ObservatoryCacheUse } from './observatory-cache.ts';
import { computeFlows, computeFunnel, type Flows, type Funnel } from './flows.rules.ts';
import { computeGeographySection } from './geography.service.ts';
import { computeImpactSection } from './impact.service.ts';
import { computeIntegrationSection } from './integration.service.ts';
import { loadObservatory, type ObservatoryContext } from './observatory.context.ts';
import { findAdvisorNames, findFilterOptions, findMemberJoinDates } from './observatory.repository.ts';
import { observatoryTooFewHouseholds } from './observatory.errors.ts';
import type { ObservatoryFiltersInput } from './observatory.schemas.ts';
import type { ObservatoryViewer } from './observatory.types.ts';
import { computeProfiles, type Profiles } from './profiles.rules.ts';
import { isSelectionTooSmall, isWithheldSection, type WithheldSection } from './disclosure.rules.ts';
import {
	discloseDurability,
	discloseFlows,
	discloseFunnel,
	discloseGeography,
	discloseImpact,
	discloseIntegration,
	discloseProfiles
} from './section-disclosure.rules.ts';

type Deps = { db: Db; now?: Date };

export type ObservatoryFilterOptions = {
	years: number[];
	sectors: string[];
	communes: { code: string; name: string }[];
};

/** The choices of the filter form: years since the first contact, sectors and communes recorded. */
export async function getObservatoryFilterOptions(
	{ viewer }: { viewer: ObservatoryViewer },
	{ db, now = new Date() }: Deps
): Promise<ObservatoryFilterOptions> {
	const options = await findFilterOptions({ db, programmeId: viewer.programmeId });
	const current = now.getUTCFullYear();
	const first = Math.min(options.firstYear ?? current, current);
	return {
		years: Array.from({ length: current - first + 1 }, (_, i) => current - i),
		sectors: options.sectors,
		communes: options.communes
	};
}

/** The pipeline's stages from the first to 'installed' (the funnel). */
export const funnelStages = (pipeline: Pipeline): string[] =>
	pipeline.stages.slice(0, pipeline.installedIndex + 1);

/** Flows per year of the period (contacts, projects, installations, persons, members, departures…). */
export async function computeFlowsSection(context: ObservatoryContext, { db }: { db: Db }): Promise<Flows> {
	const memberJoins = await findMemberJoinDates({ db, programmeId: context.programme.id });
	return computeFlows({
		cases: context.cases,
		memberJoins,
		period: context.period,
		now: context.now,
		countUnlinkedMembers: !context.isFiltered
	});
}

export type FunnelSection = Funnel & {
	/** Advisors' names for staff; for committee members and funders the per-advisor lines are left out. */
	advisorNames: Record<string, string>;
	/** The programme's own stage names (programme settings); other stages use the built-in names. */
	stageLabels: Record<string, { fr?: string; en?: string }>;
};

/** The funnel of the period's contacts, by source and (for staff) by advisor; abandonment reasons. */
export async function computeFunnelSection(
	context: ObservatoryContext,
	{ db }: { db: Db }
): Promise<FunnelSection> {
	const funnel = computeFunnel({
		cases: context.cases,
		stages: funnelStages(context.pipeline),
		period: context.period
	});
	const stageLabels = context.pipeline.labels ?? {};
	if (context.viewer.kind !== 'staff') return { ...funnel, byAdvisor: [], advisorNames: {}, stageLabels };
	const names = await findAdvisorNames({ db, programmeId: context.programme.id });
	return { ...funnel, advisorNames: Object.fromEntries(names), stageLabels };
}

/** Profiles of the contacts and of the installations of the period. */
export async function computeProfilesSection(context: ObservatoryContext): Promise<Profiles> {
	return computeProfiles({ cases: context.cases, period: context.period });
}

/**
 * The sections every interface (pages, JSON API, CLI, report, exports) reads, by name. Each
 * section computes from the loaded context; sections are added here as they are built.
 */
export const OBSERVATORY_SECTION_LOADERS = {
	flows: computeFlowsSection,
	funnel: computeFunnelSection,
	profiles: computeProfilesSection,
	geography: computeGeographySection,
	impact: computeImpactSection,
	durability: computeDurabilitySection,
	integration: computeIntegrationSection
} satisfies Record<string, (context: ObservatoryContext, deps: { db: Db }) => Promise<unknown>>;

export type ObservatorySectionName = keyof typeof OBSERVATORY_SECTION_LOADERS;
export type ObservatorySectionData<N extends ObservatorySectionName> = Awaited<
	ReturnType<(typeof OBSERVATORY_SECTION_LOADERS)[N]>
>;

/**
 * The minimum-cell-size rule of each section, for readers other than staff (committee members,
 * funders): every count of fewer than k households, and the cells that would give it back by
 * subtraction, are hidden (section-disclosure.rules.ts). A section added to the registry needs
 * its rule here.
 */
const SECTION_DISCLOSURE: {
	[N in ObservatorySectionName]: (data: ObservatorySectionData<N>, k: number) => ObservatorySectionData<N>;
} = {
	flows: discloseFlows,
	funnel: discloseFunnel,
	profiles: discloseProfiles,
	geography: discloseGeography,
	impact: (data, k) => ({ ...data, result: discloseImpact(data.result, k) }),
	durability: discloseDurability,
	integration: discloseIntegration
};

/**
 * Computes one section for the context's reader: the only way the pages, the JSON API, the
 * exports and the annual report read a section. Staff get the exact figures. Other readers get
 * the withheld answer when the filters select fewer than k households (every statistic would
 * describe one of them), else the section with its small cells hidden. With `cache` (a store and
 * the programme's data version, observatory-cache.ts), a section already computed for the same
 * filters, reader kind and version is read back instead of computed.
 */
export async function computeObservatorySection<N extends ObservatorySectionName>(
	section: N,
	context: ObservatoryContext,
	{ db, cache }: { db: Db; cache?: ObservatoryCacheUse }
): Promise<ObservatorySectionData<N> | WithheldSection> {
	const k = context.minCellSize;
	const isStaff = context.viewer.kind === 'staff';
	if (!isStaff && isSelectionTooSmall(context.cases.length, k))
		return { withheld: 'too_few_households', minCellSize: k };
	// Cached figures are shared by the requests that read them: callers never modify a section.
	const key = cache && {
		programmeId: context.programme.id,
		section,
		filters: context.filters,
		viewerKind: context.viewer.kind,
		version: cache.version
	};
	const cached = key && cache.store.get(key, context.now.getTime());
	if (cached !== undefined) return cached as ObservatorySectionData<N>;
	const loader = OBSERVATORY_SECTION_LOADERS[section] as (
		context: ObservatoryContext,
		deps: { db: Db }
	) => Promise<ObservatorySectionData<N>>;
	const data = await loader(context, { db });
	const result = isStaff || k <= 1 ? data : SECTION_DISCLOSURE[section](data, k);
	if (key) cache.store.set(key, result, context.now.getTime());
	return result;
}

/**
 * Loads the context and computes one section (the pages call this). A reader other than staff
 * whose filters select fewer than k households gets observatory.too_few_households (details: the
 * minimum cell size) instead of figures.
 */
export async function getObservatorySection<N extends ObservatorySectionName>(
	{ viewer, section, input }: { viewer: ObservatoryViewer; section: N; input?: ObservatoryFiltersInput },
	{ db, now, cache }: Deps & { cache?: ObservatoryCacheUse }
): Promise<{ context: ObservatoryContext; data: ObservatorySectionData<N> }> {
	const context = await loadObservatory({ viewer, input }, { db, now });
	const data = await computeObservatorySection(section, context, { db, cache });
	if (isWithheldSection(data))
		throw observatoryTooFewHouseholds({ programmeId: viewer.programmeId, minCellSize: data.minCellSize });
	return { context, data };
}
