import type { Db } from '../../db/index.ts';
import { getProgrammeBySlug } from '../programme/programme.service.ts';
import { observatoryUnknownSection } from './observatory.errors.ts';
import type { ObservatoryPeriod } from './observatory.rules.ts';
import {
	observatoryFiltersSchema,
	type ObservatoryFilters,
	type ObservatoryFiltersInput
} from './observatory.schemas.ts';
import { parseInput } from '../../validation.ts';
import {
	observatoryCacheKey,
	observatoryHeadOf,
	readObservatoryVersion,
	type ObservatoryCache,
	type ObservatoryHead
} from './observatory-cache.ts';
import { loadObservatory } from './observatory.context.ts';
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

/** Sections whose time is mostly the database's: computeObservatorySections runs them beside the others. */
const DATABASE_BOUND_SECTIONS: ReadonlySet<ObservatorySectionName> = new Set(['integration']);

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

export function envelopeHead(
	context: Pick<ObservatoryHead, 'programme' | 'filters' | 'period'>
): ObservatoryEnvelopeHead {
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
 * Loads the context once and computes the given sections (default: all), in registry order: the
 * one way the pages, the JSON API, the report and the CLI read the observatory. With a `cache`
 * (observatory-cache.ts, the server's), sections already computed for the same reader's scope,
 * filters and day are served from it and only the others are computed (the context is loaded
 * only when one is missing). `timings` (ms per section computed) serve the benchmark and the
 * CLI's --timings; `cached` names the sections served from the cache.
 */
export async function computeObservatorySections(
	{
		viewer,
		input = {},
		sections
	}: { viewer: ObservatoryViewer; input?: ObservatoryFiltersInput; sections?: readonly string[] },
	{ db, now = new Date(), cache = null }: Deps & { cache?: ObservatoryCache | null }
): Promise<{
	context: ObservatoryHead;
	sections: Partial<Record<ObservatorySectionName, unknown>>;
	timings: { load: number; sections: Partial<Record<ObservatorySectionName, number>> };
	cached: ObservatorySectionName[];
}> {
	const names = sections ? sections.map(requireObservatorySection) : observatorySectionNames();
	const started = performance.now();
	let key: string | null = null;
	let generation = 0;
	let hit: ReturnType<ObservatoryCache['get']> = null;
	if (cache?.isEnabled) {
		// The filters are validated first: invalid ones fail as without the cache.
		const filters = parseInput(observatoryFiltersSchema, input);
		cache.observe(await readObservatoryVersion({ db }));
		generation = cache.generation;
		key = observatoryCacheKey({ viewer, filters, now });
		hit = cache.get(key, names);
	}
	const data: Partial<Record<ObservatorySectionName, unknown>> = {};
	const missing = (hit?.missing ?? names) as ObservatorySectionName[];
	const cached = names.filter((name) => !missing.includes(name));
	if (hit && missing.length === 0) {
		for (const name of names) data[name] = hit.sections[name];
		return { context: hit.head, sections: data, timings: { load: 0, sections: {} }, cached };
	}
	const context = await loadObservatory({ viewer, input }, { db, now });
	const timings: { load: number; sections: Partial<Record<ObservatorySectionName, number>> } = {
		load: performance.now() - started,
		sections: {}
	};
	const computed: Partial<Record<ObservatorySectionName, unknown>> = {};
	// Integration, whose time is the database's (its tallies), runs beside the other sections, which
	// compute in Node one after the other: the database counts the surveys while Node computes.
	// Every query is read-only and reads its own snapshot, as when the sections ran one after the
	// other. At most integration's queries and one other section's are in flight at once (a
	// PostgreSQL pool of 10 connections; PGlite queues them). Integration's time overlaps the others'.
	const compute = async (name: ObservatorySectionName) => {
		const sectionStarted = performance.now();
		// Through the minimum-cell-size rule: a reader other than staff gets hidden small cells, or
		// `{ withheld: 'too_few_households', minCellSize }` when the filters select fewer than k.
		computed[name] = await computeObservatorySection(name, context, { db });
		timings.sections[name] = performance.now() - sectionStarted;
	};
	const beside = missing.filter((name) => DATABASE_BOUND_SECTIONS.has(name));
	await Promise.all([
		...beside.map(compute),
		(async () => {
			for (const name of missing) if (!beside.includes(name)) await compute(name);
		})()
	]);
	const head = observatoryHeadOf(context);
	if (cache && key !== null) {
		cache.stats.computed += missing.length;
		cache.set(key, head, computed, generation);
	}
	for (const name of names) data[name] = name in computed ? computed[name] : hit?.sections[name];
	return { context: head, sections: data, timings, cached };
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
