import type { Db } from '../../db/index.ts';
import { getProgrammeBySlug } from '../programme/programme.service.ts';
import type { ObservatoryCacheUse } from './observatory-cache.ts';
import { observatoryUnknownSection } from './observatory.errors.ts';
import type { ObservatoryPeriod } from './observatory.rules.ts';
import type { ObservatoryFilters, ObservatoryFiltersInput } from './observatory.schemas.ts';
import { loadObservatory, type ObservatoryContext } from './observatory.context.ts';
import {
	computeObservatorySection,
	OBSERVATORY_SECTION_LOADERS,
	type ObservatorySectionName
} from './observatory.service.ts';
import type { ObservatoryViewer } from './observatory.types.ts';

/**
 * The interfaces that read several sections at once (JSON API index, `soho observatory`, the
 * annual report, the benchmark) go through here. Sections come from the registry
 * OBSERVATORY_SECTION_LOADERS: a section added there is served everywhere without a change here.
 */

type Deps = { db: Db; now?: Date };

/** The registered sections, in registry order. */
export function observatorySectionNames(): ObservatorySectionName[] {
	return Object.keys(OBSERVATORY_SECTION_LOADERS) as ObservatorySectionName[];
}

export function isObservatorySection(name: string): name is ObservatorySectionName {
	return Object.hasOwn(OBSERVATORY_SECTION_LOADERS, name);
}

/** The section's name checked against the registry, or observatory.unknown_section (404). */
export function requireObservatorySection(name: string): ObservatorySectionName {
	if (!isObservatorySection(name)) throw observatoryUnknownSection({ section: name.slice(0, 40) });
	return name;
}

/** What every multi-section interface says about the programme and the period. */
export type ObservatoryEnvelopeHead = {
	programme: { slug: string; name: string; synthetic: boolean };
	filters: ObservatoryFilters;
	period: ObservatoryPeriod;
};

export function envelopeHead(context: ObservatoryContext): ObservatoryEnvelopeHead {
	return {
		programme: {
			slug: context.programme.slug,
			name: context.programme.name,
			synthetic: context.programme.isDemo
		},
		filters: context.filters,
		period: context.period
	};
}

/**
 * Loads the context once and computes the given sections (default: all), in registry order.
 * `timings` (ms per section) serve the benchmark and the CLI's --timings.
 */
export async function computeObservatorySections(
	{
		viewer,
		input = {},
		sections
	}: { viewer: ObservatoryViewer; input?: ObservatoryFiltersInput; sections?: readonly string[] },
	{ db, now = new Date(), cache }: Deps & { cache?: ObservatoryCacheUse }
): Promise<{
	context: ObservatoryContext;
	sections: Partial<Record<ObservatorySectionName, unknown>>;
	timings: { load: number; sections: Partial<Record<ObservatorySectionName, number>> };
}> {
	const names = sections ? sections.map(requireObservatorySection) : observatorySectionNames();
	let started = performance.now();
	const context = await loadObservatory({ viewer, input }, { db, now });
	const timings: { load: number; sections: Partial<Record<ObservatorySectionName, number>> } = {
		load: performance.now() - started,
		sections: {}
	};
	const data: Partial<Record<ObservatorySectionName, unknown>> = {};
	for (const name of names) {
		started = performance.now();
		// Through the minimum-cell-size rule: a reader other than staff gets hidden small cells, or
		// `{ withheld: 'too_few_households', minCellSize }` when the filters select fewer than k.
		data[name] = await computeObservatorySection(name, context, { db, cache });
		timings.sections[name] = performance.now() - started;
	}
	return { context, sections: data, timings };
}

/**
 * The reader the `soho` CLI stands for: the operator of the server (shell access to the
 * database), who reads the programme as its staff would.
 */
export async function operatorObservatoryViewer(
	{ slug }: { slug: string },
	{ db }: { db: Db }
): Promise<ObservatoryViewer> {
	const { programme } = await getProgrammeBySlug({ slug }, { db });
	return { programmeId: programme.id, kind: 'staff', userId: null, isAdmin: true };
}
