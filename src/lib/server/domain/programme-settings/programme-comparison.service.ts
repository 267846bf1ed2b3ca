import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Programme } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { recordSettingsChange } from '../audit/audit.service.ts';
import { findProgrammeById, updateProgrammeRow } from '../programme/programme.repository.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { getProgrammeBySlug } from '../programme/programme.service.ts';
import { settingsBudgetNotFound, settingsForbidden } from './programme-settings.errors.ts';
import {
	deleteProgrammeBudget,
	findProgrammeBudgets,
	upsertProgrammeBudget
} from './programme-settings.repository.ts';
import {
	budgetSchema,
	budgetYearSchema,
	comparisonOptInSchema,
	type BudgetInput,
	type BudgetYearInput,
	type ComparisonOptInInput
} from './programme-settings.schemas.ts';

/*
 * The programme's part in the observatory's comparison of programmes (observatory/comparison.*):
 * whether it opted in, and its yearly budgets (the cost per installation). Admins change both on
 * the settings page; the operator with `soho programme set SLUG comparison on|off` and
 * `soho programme budget set SLUG --year Y --amount EUROS`. Every change is audited.
 */

const log = createLogger({ namespace: 'programme-settings:comparison' });

type Deps = { db: Db; now?: Date };

export type ProgrammeBudget = { year: number; amountCents: number; note: string | null };

export type ComparisonSettings = {
	isInComparison: boolean;
	inComparisonSince: Date | null;
	budgets: ProgrammeBudget[];
};

function assertAdmin(actor: Actor): void {
	if (actor.role !== 'admin') throw settingsForbidden({ userId: actor.userId });
}

/** Admins and advisors read the programme's opt-in and budgets (the comparison page shows them). */
function assertStaff(actor: Actor): void {
	if (actor.role !== 'admin' && actor.role !== 'advisor') throw settingsForbidden({ userId: actor.userId });
}

async function programmeOf(db: Db, programmeId: string): Promise<Programme> {
	const programme = await findProgrammeById({ db, programmeId });
	if (!programme) throw programmeNotFound({ programmeId });
	return programme;
}

const budgetOf = (row: { year: number; amountCents: number; note: string | null }): ProgrammeBudget => ({
	year: row.year,
	amountCents: row.amountCents,
	note: row.note
});

async function readSettings(db: Db, programme: Programme): Promise<ComparisonSettings> {
	return {
		isInComparison: programme.isInComparison,
		inComparisonSince: programme.inComparisonSince,
		budgets: (await findProgrammeBudgets({ db, programmeId: programme.id })).map(budgetOf)
	};
}

/** The programme's opt-in and budgets (admins and advisors). */
export async function getComparisonSettings(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<ComparisonSettings> {
	assertStaff(actor);
	return readSettings(db, await programmeOf(db, actor.programmeId));
}

async function setOptIn(
	db: Db,
	programmeId: string,
	actor: Actor | null,
	input: ComparisonOptInInput,
	now: Date
): Promise<{ isInComparison: boolean; inComparisonSince: Date | null }> {
	const { isInComparison } = parseInput(comparisonOptInSchema, input);
	return db.transaction(async (tx) => {
		const programme = await programmeOf(tx, programmeId);
		if (programme.isInComparison === isInComparison)
			return { isInComparison, inComparisonSince: programme.inComparisonSince };
		const inComparisonSince = isInComparison ? now : null;
		await updateProgrammeRow({ db: tx, programmeId, changes: { isInComparison, inComparisonSince } });
		await recordSettingsChange(
			{
				programmeId,
				actor,
				section: 'comparison',
				before: { isInComparison: programme.isInComparison },
				after: { isInComparison }
			},
			{ db: tx }
		);
		log.info({ programmeId, userId: actor?.userId ?? null, isInComparison }, 'Comparison opt-in changed');
		return { isInComparison, inComparisonSince };
	});
}

/** Opts the admin's programme in or out of the comparison of programmes (audited). */
export async function updateComparisonOptIn(
	{ actor, input }: { actor: Actor; input: ComparisonOptInInput },
	{ db, now = new Date() }: Deps
): Promise<{ isInComparison: boolean; inComparisonSince: Date | null }> {
	assertAdmin(actor);
	return setOptIn(db, actor.programmeId, actor, input, now);
}

/** The same from the operator's shell (`soho programme set SLUG comparison on|off`). */
export async function setComparisonOptInBySlug(
	{ slug, input }: { slug: string; input: ComparisonOptInInput },
	{ db, now = new Date() }: Deps
): Promise<{ isInComparison: boolean; inComparisonSince: Date | null }> {
	const { programme } = await getProgrammeBySlug({ slug }, { db });
	return setOptIn(db, programme.id, null, input, now);
}

async function setBudget(
	db: Db,
	programmeId: string,
	actor: Actor | null,
	input: BudgetInput
): Promise<{ budget: ProgrammeBudget }> {
	const { year, amount, note } = parseInput(budgetSchema, input);
	return db.transaction(async (tx) => {
		const before = (await findProgrammeBudgets({ db: tx, programmeId })).find((b) => b.year === year);
		const row = await upsertProgrammeBudget({
			db: tx,
			programmeId,
			year,
			amountCents: amount,
			note,
			updatedBy: actor?.userId ?? null
		});
		await recordSettingsChange(
			{
				programmeId,
				actor,
				section: 'budget',
				before: { year, amountCents: before?.amountCents ?? null, note: before?.note ?? null },
				after: { year, amountCents: amount, note }
			},
			{ db: tx }
		);
		return { budget: budgetOf(row) };
	});
}

/** Sets the budget of one year of the admin's programme, in euros (creates or replaces it). */
export async function setProgrammeBudget(
	{ actor, input }: { actor: Actor; input: BudgetInput },
	{ db }: Deps
): Promise<{ budget: ProgrammeBudget }> {
	assertAdmin(actor);
	return setBudget(db, actor.programmeId, actor, input);
}

/** The same from the operator's shell (`soho programme budget set SLUG --year Y --amount EUROS`). */
export async function setProgrammeBudgetBySlug(
	{ slug, input }: { slug: string; input: BudgetInput },
	{ db }: Deps
): Promise<{ budget: ProgrammeBudget }> {
	const { programme } = await getProgrammeBySlug({ slug }, { db });
	return setBudget(db, programme.id, null, input);
}

/** Removes the budget of one year of the admin's programme. */
export async function removeProgrammeBudget(
	{ actor, input }: { actor: Actor; input: BudgetYearInput },
	{ db }: Deps
): Promise<{ year: number }> {
	assertAdmin(actor);
	const { year } = parseInput(budgetYearSchema, input);
	return db.transaction(async (tx) => {
		const removed = await deleteProgrammeBudget({ db: tx, programmeId: actor.programmeId, year });
		if (!removed) throw settingsBudgetNotFound({ year });
		await recordSettingsChange(
			{
				programmeId: actor.programmeId,
				actor,
				section: 'budget',
				before: { year, amountCents: removed.amountCents, note: removed.note },
				after: { year, amountCents: null, note: null }
			},
			{ db: tx }
		);
		return { year };
	});
}

/** The opt-in and budgets of a programme for the operator (`soho programme budget list SLUG`). */
export async function getComparisonSettingsBySlug(
	{ slug }: { slug: string },
	{ db }: Deps
): Promise<ComparisonSettings> {
	const { programme } = await getProgrammeBySlug({ slug }, { db });
	return readSettings(db, programme);
}
