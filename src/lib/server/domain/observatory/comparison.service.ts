import { translate, type Locale, type MessageKey } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { writeCsv, type OutCell } from '../../files/tabular.ts';
import { parseInput } from '../../validation.ts';
import { resolvePipeline } from '../case/case.rules.ts';
import {
	COMPARISON_INDICATORS,
	computeProgrammeComparison,
	measuresOfInputs,
	type ComparisonBudget,
	type ComparisonIndicator,
	type ComparisonInputs,
	type ProgrammeComparison
} from './comparison.rules.ts';
import type { ExportFile } from './exports.service.ts';
import {
	findComparisonBudgets,
	findComparisonInputs,
	findComparisonProgramme,
	findComparisonProgrammes,
	type ComparisonProgrammeRow
} from './comparison.repository.ts';
import { DEFAULT_MIN_CELL_SIZE } from './disclosure.rules.ts';
import { observatoryForbidden } from './observatory.errors.ts';
import { installedStageKeys, resolvePeriodFrom, type ObservatoryPeriod } from './observatory.rules.ts';
import { observatoryFiltersSchema, type ObservatoryFiltersInput } from './observatory.schemas.ts';

/*
 * The comparison of programmes (issue 17): the indicators of comparison.rules.ts for every
 * programme that opted in (programme settings), side by side, for one period. Only the admins and
 * advisors of an opted-in programme read it; the staff of a programme that did not opt in get
 * the explanation (and, for admins, the opt-in); every other role is refused. Programmes that did
 * not opt in are never read. Every programme's figures follow its own small-cell rule.
 */

export type ComparisonColumn = {
	id: string;
	slug: string;
	name: string;
	isDemo: boolean;
	/** The reader's own programme. */
	isOwn: boolean;
	inComparisonSince: Date | null;
	comparison: ProgrammeComparison;
};

export type ProgrammeComparisonView = {
	/** The reader's programme has opted in (else nothing but the explanation is shown). */
	isOptedIn: boolean;
	/** The reader may opt the programme in or out (admins). */
	canOptIn: boolean;
	period: ObservatoryPeriod;
	/** The reader's programme first, then the others by name; empty when not opted in. */
	programmes: ComparisonColumn[];
};

/** Only the admins and advisors of a programme read the comparison. */
function assertStaff(actor: Actor | null): asserts actor is Actor {
	if (!actor) throw observatoryForbidden({});
	if (actor.role !== 'admin' && actor.role !== 'advisor')
		throw observatoryForbidden({ userId: actor.userId, role: actor.role });
}

/** A programme's indicators for the period, from its inputs (its pipeline's k, its budgets). */
function comparisonOf(
	programme: ComparisonProgrammeRow,
	inputs: ComparisonInputs,
	budgets: readonly ComparisonBudget[],
	period: ObservatoryPeriod,
	now: Date
): ProgrammeComparison {
	// The programme's figures are read like a funder's: aggregates only; the rules disclose them.
	return computeProgrammeComparison({
		measures: measuresOfInputs({ inputs, period, now }),
		period,
		budgets,
		minCellSize: programme.minCellSize ?? DEFAULT_MIN_CELL_SIZE
	});
}

/** What findComparisonInputs reads of each programme: the stages that mark its installations. */
const inputsQueryOf = (programme: ComparisonProgrammeRow) => ({
	id: programme.id,
	installedStages: installedStageKeys(resolvePipeline(programme.pipeline).milestones)
});

/**
 * The comparison for the period of `input` (`from`, `to`: the observatory's period selector;
 * other filters do not apply). The period defaults to the reader's programme's own (from its
 * first contact to this year) and is the same for every programme. Every opted-in programme's
 * inputs are read at once, in SQL (findComparisonInputs), not by loading each observatory.
 */
export async function getProgrammeComparison(
	{ actor, input = {} }: { actor: Actor | null; input?: Pick<ObservatoryFiltersInput, 'from' | 'to'> },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<ProgrammeComparisonView> {
	assertStaff(actor);
	const filters = parseInput(observatoryFiltersSchema, { from: input.from, to: input.to });
	const own = await findComparisonProgramme({ db, programmeId: actor.programmeId });
	if (!own) throw observatoryForbidden({ programmeId: actor.programmeId });
	const canOptIn = actor.role === 'admin';
	const rows = own.isInComparison ? await findComparisonProgrammes({ db }) : [own];
	const inputs = await findComparisonInputs({ db, programmes: rows.map(inputsQueryOf) });
	const ownInputs = inputs.get(own.id)!;
	const firstYear = ownInputs.contactsByYear.size ? Math.min(...ownInputs.contactsByYear.keys()) : null;
	const period = resolvePeriodFrom(firstYear, filters, now);
	if (!own.isInComparison) return { isOptedIn: false, canOptIn, period, programmes: [] };
	const budgets = await findComparisonBudgets({ db, programmeIds: rows.map((row) => row.id) });
	const programmes: ComparisonColumn[] = rows.map((row) => ({
		id: row.id,
		slug: row.slug,
		name: row.name,
		isDemo: row.isDemo,
		inComparisonSince: row.inComparisonSince,
		isOwn: row.id === own.id,
		comparison: comparisonOf(row, inputs.get(row.id)!, budgets.get(row.id) ?? [], period, now)
	}));
	programmes.sort((a, b) => Number(b.isOwn) - Number(a.isOwn));
	return { isOptedIn: true, canOptIn, period, programmes };
}

/** The unit of each indicator's value in the CSV (euros, not cents). */
export const COMPARISON_UNITS: Record<ComparisonIndicator, 'households' | 'share' | 'days' | 'euros'> = {
	applications: 'households',
	installations: 'households',
	conversion: 'share',
	time_to_installation: 'days',
	retention_12: 'share',
	retention_36: 'share',
	cost_per_installation: 'euros'
};

/**
 * The comparison's table as CSV (French Excel: `;`, decimal comma), one line per programme and
 * indicator with its state, value, bounds, households and "how sure"; withheld figures are empty
 * cells with their state, never numbers. Not opted in: refused like the page's figures.
 */
export async function exportProgrammeComparison(
	{
		actor,
		input = {},
		locale
	}: { actor: Actor | null; input?: Pick<ObservatoryFiltersInput, 'from' | 'to'>; locale: Locale },
	deps: { db: Db; now?: Date }
): Promise<ExportFile> {
	const view = await getProgrammeComparison({ actor, input }, deps);
	if (!view.isOptedIn) throw observatoryForbidden({ programmeId: actor?.programmeId, optedIn: false });
	const t = (key: string, params?: Record<string, string | number>) =>
		translate(locale, key as MessageKey, params);
	const period = `${view.period.from}–${view.period.to}`;
	const rows: OutCell[][] = [];
	for (const programme of view.programmes)
		for (const indicator of COMPARISON_INDICATORS) {
			const figure = programme.comparison.figures[indicator];
			const unit = COMPARISON_UNITS[indicator];
			const scale = (value: number | null) =>
				value === null ? null : unit === 'euros' ? Math.round(value) / 100 : value;
			rows.push([
				programme.name,
				period,
				t(`observatory_comparison_ind_${indicator}`),
				figure.state === 'withheld'
					? t('observatory_comparison_state_withheld', { k: programme.comparison.minCellSize })
					: figure.state === 'shown'
						? ''
						: t(`observatory_comparison_state_${figure.state}`),
				scale(figure.value),
				t(`observatory_comparison_unit_${unit}`),
				scale(figure.lower),
				scale(figure.upper),
				figure.households,
				figure.certainty ? t(`observatory_comparison_certainty_${figure.certainty}`) : null
			]);
		}
	const headers = [
		'programme',
		'period',
		'indicator',
		'state',
		'value',
		'unit',
		'lower',
		'upper',
		'households',
		'certainty'
	].map((key) => t(`observatory_comparison_csv_${key}`));
	return {
		fileName: `comparison-${view.period.from}-${view.period.to}.csv`,
		contentType: 'text/csv; charset=utf-8',
		body: writeCsv(headers, rows)
	};
}
