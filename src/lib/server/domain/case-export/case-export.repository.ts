import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	caseStageChangesTable,
	casesTable,
	personsTable,
	usersTable,
	type Case,
	type Person
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id. */

export type CaseExportRow = {
	case: Case;
	candidate: Person | null;
	householdSize: number;
	advisorName: string | null;
	/** The day (Europe/Paris) each stage was first reached; '__first' is the case's first stage change. */
	stageDates: Map<string, string>;
};

const parisDay = (date: Date) => date.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });

/** Cases by id with their candidate, household size and advisor's name (in no particular order). */
export async function findCaseExportRows({
	db,
	programmeId,
	caseIds
}: {
	db: Db;
	programmeId: string;
	caseIds: string[];
}): Promise<CaseExportRow[]> {
	const out: CaseExportRow[] = [];
	for (let i = 0; i < caseIds.length; i += 1000) {
		const ids = caseIds.slice(i, i + 1000);
		const cases = await db
			.select({ case: casesTable, advisorName: usersTable.name })
			.from(casesTable)
			.leftJoin(usersTable, eq(usersTable.id, casesTable.advisorId))
			.where(and(eq(casesTable.programmeId, programmeId), inArray(casesTable.id, ids)));
		const persons = await db
			.select()
			.from(personsTable)
			.where(and(eq(personsTable.programmeId, programmeId), inArray(personsTable.caseId, ids)));
		const changes = await db
			.select({
				caseId: caseStageChangesTable.caseId,
				fromStage: caseStageChangesTable.fromStage,
				toStage: caseStageChangesTable.toStage,
				changedAt: caseStageChangesTable.changedAt
			})
			.from(caseStageChangesTable)
			.where(
				and(eq(caseStageChangesTable.programmeId, programmeId), inArray(caseStageChangesTable.caseId, ids))
			)
			.orderBy(asc(caseStageChangesTable.changedAt));
		const datesOf = new Map<string, Map<string, string>>();
		for (const change of changes) {
			const dates = datesOf.get(change.caseId) ?? new Map<string, string>();
			datesOf.set(change.caseId, dates);
			const day = parisDay(change.changedAt);
			if (!dates.has('__first')) dates.set('__first', day);
			if (!dates.has(change.toStage)) dates.set(change.toStage, day);
		}
		const byCase = new Map<string, Person[]>();
		for (const person of persons) byCase.set(person.caseId, [...(byCase.get(person.caseId) ?? []), person]);
		for (const row of cases) {
			const household = byCase.get(row.case.id) ?? [];
			out.push({
				case: row.case,
				candidate: household.find((person) => person.householdRole === 'candidate') ?? null,
				householdSize: household.length,
				advisorName: row.advisorName,
				stageDates: datesOf.get(row.case.id) ?? new Map()
			});
		}
	}
	return out;
}
