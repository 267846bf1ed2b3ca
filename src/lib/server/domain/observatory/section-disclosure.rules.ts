import type { Proportion } from '../../../domain/stats/descriptive.ts';
import {
	copyOf,
	discloseProportion,
	hideSmall,
	hideSmallDifferences,
	HIDDEN,
	isHidden,
	statisticOf,
	suppressColumn,
	suppressGroup
} from './disclosure.rules.ts';
import type {
	Durability,
	DurabilityAnalysis,
	GroupComparison,
	SurvivalCurve,
	SurvivalRate
} from './durability.rules.ts';
import type { DurationSummary, Flows, Funnel, ConversionLine } from './flows.rules.ts';
import type { ClassRow, Geography } from './geography.rules.ts';
import type { ImpactFigures, ImpactResult } from './impact.rules.ts';
import type { CountSummary, Distribution, Integration, WaveIndicators } from './integration.rules.ts';
import type { Profiles } from './profiles.rules.ts';

/*
 * The disclosure rules (disclosure.rules.ts) applied to each section's figures, for readers other
 * than staff. Each function takes the section as computed and returns a copy in which every count
 * of fewer than k households — and every cell that would give one away by subtraction — is HIDDEN.
 * observatory.service.ts calls them in one place (`discloseSection`), so that the pages, the JSON
 * API, the exports and the annual report all read the same figures.
 */

const hideAll = <T extends object>(record: T, fields: readonly (keyof T)[]) => {
	for (const field of fields) (record[field] as unknown as number) = HIDDEN;
};

const hiddenProportion = (p: Proportion): Proportion => ({
	...p,
	successes: HIDDEN,
	total: HIDDEN,
	proportion: HIDDEN,
	lower: HIDDEN,
	upper: HIDDEN
});

function discloseSummary(summary: DurationSummary, k: number): DurationSummary {
	if (summary.n === 0 || summary.n >= k) return summary;
	return { n: HIDDEN, medianDays: HIDDEN, p25Days: HIDDEN, p75Days: HIDDEN };
}

/** Flows: each series is a column over the years (total: the period's sum); stocks are hidden below k. */
export function discloseFlows<T extends Flows>(flows: T, k: number): T {
	const out = copyOf(flows);
	const columns = [
		'contacts',
		'qualified',
		'discoveryVisits',
		'installations',
		'members',
		'departures',
		'abandonments',
		'businessesCreated'
	] as const;
	const cumulativeOf: Partial<
		Record<
			(typeof columns)[number],
			'cumulativeContacts' | 'cumulativeInstallations' | 'cumulativeDepartures'
		>
	> = {
		contacts: 'cumulativeContacts',
		installations: 'cumulativeInstallations',
		departures: 'cumulativeDepartures'
	};
	for (const column of columns) {
		const { hidden, totalHidden } = suppressColumn(out.years, column, k, flows.totals[column]);
		if (totalHidden) out.totals[column] = HIDDEN;
		// A running total minus the previous year's gives the year back: hidden with any year hidden.
		const cumulative = cumulativeOf[column];
		if (cumulative && hidden.some(Boolean)) for (const year of out.years) year[cumulative] = HIDDEN;
		if (column === 'installations') {
			// Persons installed describe the same households as the installations.
			out.years.forEach((year, i) => {
				if (hidden[i]) {
					year.personsInstalled = HIDDEN;
					year.cumulativePersonsInstalled = HIDDEN;
				}
			});
			if (hidden.some(Boolean)) for (const year of out.years) year.cumulativePersonsInstalled = HIDDEN;
			if (totalHidden) out.totals.personsInstalled = HIDDEN;
		}
	}
	for (const year of out.years) {
		year.cumulativeContacts = hideSmall(year.cumulativeContacts, k);
		year.cumulativeInstallations = hideSmall(year.cumulativeInstallations, k);
		year.cumulativeDepartures = hideSmall(year.cumulativeDepartures, k);
		if (isHidden(year.cumulativeInstallations)) year.cumulativePersonsInstalled = HIDDEN;
		year.householdsPresentAtYearEnd = hideSmall(year.householdsPresentAtYearEnd, k);
		year.businessesActiveAtYearEnd = hideSmall(year.businessesActiveAtYearEnd, k);
	}
	out.today.households = hideSmall(out.today.households, k);
	if (isHidden(out.today.households)) out.today.persons = HIDDEN;
	out.today.activeBusinesses = hideSmall(out.today.activeBusinesses, k);
	return out;
}

function discloseLine<L extends ConversionLine>(line: L, k: number, hidden: boolean): L {
	if (hidden) {
		return {
			...line,
			contacts: HIDDEN,
			qualified: hiddenProportion(line.qualified),
			installed: hiddenProportion(line.installed),
			contactToInstallation: { n: HIDDEN, medianDays: HIDDEN, p25Days: HIDDEN, p75Days: HIDDEN }
		};
	}
	return {
		...line,
		qualified: discloseProportion(line.qualified, k),
		installed: discloseProportion(line.installed, k),
		contactToInstallation: discloseSummary(line.contactToInstallation, k)
	};
}

/** Funnel: steps, durations, sources (a group of the cohort), abandonments by reason and by stage. */
export function discloseFunnel<T extends Funnel>(funnel: T, k: number): T {
	const out = copyOf(funnel);
	const cohort = funnel.steps[0]?.count ?? 0;
	// Each step is a subset of the one before: a small drop between two shown steps is hidden too.
	const counts = hideSmallDifferences(
		funnel.steps.map((step) => step.count),
		k
	);
	out.steps = out.steps.map((step, i) =>
		isHidden(counts[i])
			? {
					...step,
					count: HIDDEN,
					fromPrevious: step.fromPrevious ? hiddenProportion(step.fromPrevious) : null,
					fromContact: hiddenProportion(step.fromContact)
				}
			: {
					...step,
					count: counts[i],
					fromPrevious: step.fromPrevious ? discloseProportion(step.fromPrevious, k) : null,
					fromContact: discloseProportion(step.fromContact, k)
				}
	);
	out.durations = out.durations.map((d) => ({ ...d, summary: discloseSummary(d.summary, k) }));
	const sources = suppressGroup(
		funnel.bySource.map((line) => line.contacts),
		k,
		cohort
	);
	out.bySource = out.bySource.map((line, i) => discloseLine(line, k, sources.hidden[i]));
	const advisors = suppressGroup(
		funnel.byAdvisor.map((line) => line.contacts),
		k,
		cohort
	);
	out.byAdvisor = out.byAdvisor.map((line, i) => discloseLine(line, k, advisors.hidden[i]));
	const reasons = suppressColumn(out.abandonmentReasons, 'count', k, funnel.abandonments);
	// Reasons are typed by advisors: a hidden row's text could tell whose case it is.
	out.abandonmentReasons.forEach((row, i) => {
		if (!reasons.hidden[i]) return;
		row.share = HIDDEN;
		row.reason = null;
	});
	suppressColumn(out.abandonedAtStage, 'count', k, funnel.abandonments);
	out.abandonments = hideSmall(out.abandonments, k);
	out.stillOpen = hideSmall(out.stillOpen, k);
	return out;
}

/** Profiles: in each table, the contacts and the installations are each a group (with the unknowns). */
export function discloseProfiles<T extends Profiles>(profiles: T, k: number): T {
	const out = copyOf(profiles);
	out.contacts = hideSmall(out.contacts, k);
	out.installations = hideSmall(out.installations, k);
	for (const table of out.tables) {
		for (const [count, share, unknown, total] of [
			['contacts', 'contactsShare', 'unknownContacts', profiles.contacts],
			['installations', 'installationsShare', 'unknownInstallations', profiles.installations]
		] as const) {
			const cells = [...table.rows.map((row) => row[count]), table[unknown]];
			const { hidden } = suppressGroup(cells, k, total);
			table.rows.forEach((row, i) => {
				if (hidden[i]) {
					row[count] = HIDDEN;
					row[share] = HIDDEN;
				}
			});
			if (hidden[cells.length - 1]) {
				table[unknown] = HIDDEN;
				// With the unknowns hidden, a share would give the known base back, hence the unknowns.
				for (const row of table.rows) row[share] = HIDDEN;
			}
		}
	}
	const { count, known } = profiles.fromAbroad;
	const fromAbroad = discloseProportion(
		{ successes: count, total: known, proportion: null, lower: null, upper: null, confLevel: 0.95 },
		k
	);
	out.fromAbroad = { count: fromAbroad.successes, known: fromAbroad.total };
	return out;
}

function discloseClassRows(rows: ClassRow[], k: number, total: number) {
	const { hidden } = suppressColumn(rows, 'installations', k, total);
	rows.forEach((row, i) => {
		if (hidden[i]) row.installationsShare = HIDDEN;
	});
	return hidden;
}

/** Geography: installations by commune, by distance band and by class are groups of the installations. */
export function discloseGeography<T extends Geography>(geography: T, k: number): T {
	const out = copyOf(geography);
	const where = suppressGroup(
		[geography.inTerritory, geography.outsideTerritory, geography.withoutCommune],
		k,
		geography.installations
	);
	out.installations = hideSmall(out.installations, k);
	if (where.hidden[0]) out.inTerritory = HIDDEN;
	if (where.hidden[1]) out.outsideTerritory = HIDDEN;
	if (where.hidden[2]) out.withoutCommune = HIDDEN;
	const communes = suppressColumn(out.byCommune, 'installations', k, geography.inTerritory);
	out.byCommune.forEach((row, i) => {
		if (communes.hidden[i]) {
			row.persons = HIDDEN;
			row.ratePer1000 = HIDDEN;
		}
	});
	const bands = discloseClassRows(out.distance.bands, k, geography.inTerritory);
	// The curve of the installations' distances steps once per installation: it would give back
	// the hidden communes and bands, so it goes when any is hidden.
	if (communes.hidden.some(Boolean) || bands.some(Boolean) || isHidden(out.inTerritory))
		out.distance.ecdf = out.distance.ecdf.map((series) =>
			series.series === 'installations' ? { ...series, points: [] } : series
		);
	for (const classification of out.classifications) {
		const cells = [
			...classification.rows.map((row) => row.installations),
			classification.unknownInstallations
		];
		const { hidden } = suppressGroup(cells, k, geography.inTerritory);
		classification.rows.forEach((row, i) => {
			if (hidden[i]) {
				row.installations = HIDDEN;
				row.installationsShare = HIDDEN;
			}
		});
		if (hidden[cells.length - 1]) {
			classification.unknownInstallations = HIDDEN;
			for (const row of classification.rows) row.installationsShare = HIDDEN;
		}
	}
	for (const comparison of [
		...out.distance.comparisons,
		...out.distance.bandComparisons,
		...out.classifications.flatMap((c) => c.comparisons)
	]) {
		comparison.n = hideSmall(comparison.n, k);
		comparison.medianKm = statisticOf(comparison.medianKm, geography.inTerritory, k);
	}
	return out;
}

function discloseRate(rate: SurvivalRate, k: number): SurvivalRate {
	if (rate.nRisk >= k) return { ...rate, events: hideSmall(rate.events, k) };
	return {
		...rate,
		survival: HIDDEN,
		lower: HIDDEN,
		upper: HIDDEN,
		nRisk: hideSmall(rate.nRisk, k),
		events: HIDDEN
	};
}

/**
 * A survival curve of fewer than k households is hidden whole; a larger one is cut where fewer
 * than k remain at risk (its tail describes those few), and small counts of events are hidden.
 */
export function discloseCurve(curve: SurvivalCurve, k: number): SurvivalCurve {
	if (curve.n > 0 && curve.n < k)
		return {
			...curve,
			n: HIDDEN,
			events: HIDDEN,
			censored: HIDDEN,
			withoutFollowUp: HIDDEN,
			maxTime: HIDDEN,
			steps: [],
			rates: curve.rates.map((rate) => ({
				...rate,
				survival: HIDDEN,
				lower: HIDDEN,
				upper: HIDDEN,
				nRisk: HIDDEN,
				events: HIDDEN
			})),
			yearly: [],
			median: HIDDEN,
			medianLower: HIDDEN,
			medianUpper: HIDDEN
		};
	const split = suppressGroup([curve.events, curve.censored], k, curve.n);
	return {
		...curve,
		events: split.hidden[0] ? HIDDEN : curve.events,
		censored: split.hidden[1] ? HIDDEN : curve.censored,
		withoutFollowUp: hideSmall(curve.withoutFollowUp, k),
		maxTime: curve.steps.some((step) => step.nRisk < k) ? HIDDEN : curve.maxTime,
		steps: curve.steps
			.filter((step) => step.nRisk >= k)
			.map((step) => ({ ...step, nEvent: hideSmall(step.nEvent, k), nCensor: hideSmall(step.nCensor, k) })),
		rates: curve.rates.map((rate) => discloseRate(rate, k)),
		yearly: curve.yearly.filter((rate) => rate.nRisk >= k).map((rate) => discloseRate(rate, k))
	};
}

function discloseComparison(comparison: GroupComparison, k: number): GroupComparison {
	return {
		...comparison,
		groups: comparison.groups.map((group) => ({ ...group, curve: discloseCurve(group.curve, k) })),
		test: comparison.test && {
			...comparison.test,
			groups: comparison.test.groups.map((group) =>
				group.n > 0 && group.n < k
					? { ...group, n: HIDDEN, observed: HIDDEN, expected: HIDDEN }
					: { ...group, observed: hideSmall(group.observed, k) }
			)
		}
	};
}

function discloseAnalysis(analysis: DurabilityAnalysis, k: number): DurabilityAnalysis {
	return {
		overall: discloseCurve(analysis.overall, k),
		pendingDepartures: hideSmall(analysis.pendingDepartures, k),
		inconsistent: hideSmall(analysis.inconsistent, k),
		byCohort: discloseComparison(analysis.byCohort, k),
		byStatus: discloseComparison(analysis.byStatus, k)
	};
}

/** Durability: curves of fewer than k households hidden, the others cut where fewer than k remain. */
export function discloseDurability<T extends Durability>(durability: T, k: number): T {
	return {
		...durability,
		residence: discloseAnalysis(durability.residence, k),
		business: discloseAnalysis(durability.business, k)
	};
}

function discloseDistribution(distribution: Distribution, k: number, total?: number): Distribution {
	const out = distribution.map((row) => ({ ...row }));
	suppressColumn(out, 'count', k, total);
	return out;
}

function discloseCountSummary(summary: CountSummary, k: number): CountSummary {
	if (summary.answers === 0 || summary.answers >= k)
		return { ...summary, atLeastOne: discloseProportion(summary.atLeastOne, k) };
	return {
		answers: HIDDEN,
		sum: HIDDEN,
		perHousehold: HIDDEN,
		atLeastOne: discloseProportion(summary.atLeastOne, k)
	};
}

function discloseWave(wave: WaveIndicators, k: number): WaveIndicators {
	const p = (value: Proportion) => discloseProportion(value, k);
	const split = suppressGroup(
		[wave.answered, wave.open, wave.invited - wave.answered - wave.open],
		k,
		wave.invited
	);
	return {
		...wave,
		invited: hideSmall(wave.invited, k),
		answered: split.hidden[0] ? HIDDEN : wave.answered,
		open: split.hidden[1] ? HIDDEN : wave.open,
		responseRate: p(wave.responseRate),
		livingHere: p(wave.livingHere),
		businessActive: p(wave.businessActive),
		localClients: p(wave.localClients),
		localClientsDistribution: discloseDistribution(wave.localClientsDistribution, k),
		jobsCreated: discloseCountSummary(wave.jobsCreated, k),
		associations: discloseCountSummary(wave.associations, k),
		partnerJob: p(wave.partnerJob),
		partnerJobLocal: p(wave.partnerJobLocal),
		partnerJobDistribution: discloseDistribution(wave.partnerJobDistribution, k),
		childrenSchooling: p(wave.childrenSchooling),
		intentionToStay: p(wave.intentionToStay),
		intentionDistribution: discloseDistribution(wave.intentionDistribution, k),
		satisfaction: {
			answers: hideSmall(wave.satisfaction.answers, k),
			mean: statisticOf(wave.satisfaction.mean, wave.satisfaction.answers, k),
			satisfied: p(wave.satisfaction.satisfied)
		}
	};
}

/** Integration: survey counts, rates and answers of fewer than k households are hidden. */
export function discloseIntegration<T extends Integration>(integration: T, k: number): T {
	const out = copyOf(integration);
	const a = integration.attribution;
	const time = (t: Integration['attribution']['intake']) => ({
		distribution: discloseDistribution(t.distribution, k, t.total),
		total: hideSmall(t.total, k),
		decisive: discloseProportion(t.decisive, k)
	});
	const cells = a.paired.matrix.flatMap((row) => row.counts.map((c) => c.count));
	const matrix = suppressGroup(cells, k, a.paired.n);
	let index = 0;
	out.waves = integration.waves.map((wave) => discloseWave(wave, k));
	out.attribution = {
		...a,
		intake: time(a.intake),
		atWave: time(a.atWave),
		paired: {
			...a.paired,
			n: hideSmall(a.paired.n, k),
			matrix: a.paired.matrix.map((row) => ({
				...row,
				counts: row.counts.map((c) => ({ ...c, count: matrix.hidden[index++] ? HIDDEN : c.count }))
			})),
			...pairSplit(a.paired, k),
			intakeDecisive: discloseProportion(a.paired.intakeDecisive, k),
			waveDecisive: discloseProportion(a.paired.waveDecisive, k)
		}
	};
	out.businesses = {
		created: hideSmall(integration.businesses.created, k),
		active: discloseProportion(integration.businesses.active, k)
	};
	out.householdsInvited = hideSmall(integration.householdsInvited, k);
	return out;
}

function pairSplit(paired: Integration['attribution']['paired'], k: number) {
	const split = suppressGroup([paired.unchanged, paired.changed], k, paired.n);
	return {
		unchanged: split.hidden[0] ? HIDDEN : paired.unchanged,
		changed: split.hidden[1] ? HIDDEN : paired.changed,
		becameNo: hideSmall(paired.becameNo, k),
		leftNo: hideSmall(paired.leftNo, k)
	};
}

const FIGURES_OF_HOUSEHOLDS = [
	'households',
	'persons',
	'annualIncome',
	'localSpending',
	'localActivity',
	'jobsFromHouseholds'
] as const satisfies readonly (keyof ImpactFigures)[];
const FIGURES_OF_BUSINESSES = [
	'activeBusinesses',
	'jobsFromBusinesses'
] as const satisfies readonly (keyof ImpactFigures)[];

/**
 * Impact: every figure of a cohort is a multiple of its households (or businesses), so a cohort of
 * fewer than k households (with its complement among cohorts) has all its figures hidden.
 */
export function discloseImpact<T extends ImpactResult>(result: T, k: number): T {
	const out = copyOf(result);
	const households = suppressColumn(out.cohorts, 'households', k, result.total.households);
	const businesses = suppressGroup(
		result.cohorts.map((c) => c.activeBusinesses),
		k,
		result.total.activeBusinesses
	);
	out.cohorts.forEach((cohort, i) => {
		if (households.hidden[i]) hideAll(cohort, [...FIGURES_OF_HOUSEHOLDS, 'jobs']);
		if (businesses.hidden[i]) hideAll(cohort, [...FIGURES_OF_BUSINESSES, 'jobs']);
	});
	if (households.totalHidden) hideAll(out.total, [...FIGURES_OF_HOUSEHOLDS, 'jobs']);
	if (businesses.totalHidden) hideAll(out.total, [...FIGURES_OF_BUSINESSES, 'jobs']);
	return out;
}
