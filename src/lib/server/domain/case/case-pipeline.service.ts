/**
 * The pipeline: moving a case between stages, the moves allowed from a stage, the board (one
 * column per stage) and the advisors' dashboard figures.
 */
import { translate } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import { casesTable, type Case, type CaseStageChange } from '../../db/schema/index.ts';
import { ValidationError, parseInput } from '../../validation.ts';
import { createLogger } from '../../logger.ts';
import { auditAuthorOf, recordCaseChange } from '../audit/audit.service.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { countCasesByStage, countCasesCreatedSince, countOverdueTasks } from './case-pipeline.repository.ts';
import { assertStaff, caseAccessOf } from './case.permissions.ts';
import {
	findProgrammePipeline,
	insertActivity,
	insertStageChange,
	updateCase as updateCaseRow,
	type CaseListFilters
} from './case.repository.ts';
import {
	allowedNextStages,
	checkStageTransition,
	isOpenStage,
	INSTALLED,
	resolvePipeline
} from './case.rules.ts';
import { moveCaseSchema, type MoveCaseInput } from './case.schemas.ts';
import { type CaseListItem, listCases } from './case.service.ts';
import { type Deps, isoDay, loadVisibleCase } from './case.shared.ts';

const log = createLogger({ namespace: 'case:service' });

/**
 * Moves a case to another stage (staff only). The stage change and its timeline entry
 * are written in the same transaction as the case; see checkStageTransition for the rules.
 */
export async function moveCaseToStage(
	{ actor, caseId, ...input }: { actor: Actor; caseId: string } & MoveCaseInput,
	{ db, now = new Date() }: Deps
): Promise<{ case: Case; stageChange: CaseStageChange }> {
	const data = parseInput(moveCaseSchema, input);
	return db.transaction(async (tx) => {
		const { kase } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertStaff(actor);
		const pipeline = resolvePipeline(await findProgrammePipeline({ db: tx, programmeId: actor.programmeId }));
		const kind = checkStageTransition(pipeline, {
			from: kase.stage,
			to: data.stage,
			reason: data.reason,
			installedCommuneCode: data.installedCommuneCode,
			installedOn: data.installedOn,
			leftOn: data.leftOn,
			current: { installedCommuneCode: kase.installedCommuneCode, installedOn: kase.installedOn }
		});
		if (
			data.installedCommuneCode &&
			!(await findCommuneByCode({ db: tx, code: data.installedCommuneCode }))
		) {
			throw new ValidationError([{ field: 'installedCommuneCode', code: 'case.unknown_commune' }]);
		}
		const values: Partial<typeof casesTable.$inferInsert> = {
			stage: data.stage,
			stageChangedAt: now,
			updatedBy: actor.userId,
			updatedAt: now
		};
		const toIndex = pipeline.stages.indexOf(data.stage);
		if (kind === 'forward' || kind === 'back') {
			if (toIndex >= pipeline.installedIndex) {
				if (data.installedCommuneCode) values.installedCommuneCode = data.installedCommuneCode;
				if (data.installedOn) values.installedOn = data.installedOn;
			} else if (kase.installedOn || kase.installedCommuneCode) {
				// Back before installation: the installation did not happen after all.
				values.installedCommuneCode = null;
				values.installedOn = null;
			}
		}
		if (kind === 'abandon') values.abandonedReason = data.reason ?? null;
		if (kind === 'reopen') values.abandonedReason = null;
		if (kind === 'leave') {
			values.leftOn = data.leftOn ?? null;
			values.leftReason = data.reason ?? null;
		}
		const updated = await updateCaseRow({ db: tx, caseId: kase.id, values });
		await recordCaseChange(
			{ kase, action: 'stage_change', author: auditAuthorOf(actor), at: now, before: kase, after: updated },
			{ db: tx }
		);
		const stageChange = await insertStageChange({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				fromStage: kase.stage,
				toStage: data.stage,
				changedAt: now,
				changedBy: actor.userId,
				reason: data.reason ?? null
			}
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'stage_change',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'case_activity_stage_change_summary', {
					// The programme's own stage names (programme settings) come first.
					from:
						pipeline.labels?.[kase.stage]?.[actor.locale] ||
						translate(actor.locale, `case_stage_${kase.stage}`),
					to:
						pipeline.labels?.[data.stage]?.[actor.locale] ||
						translate(actor.locale, `case_stage_${data.stage}`)
				}),
				body: data.reason ?? null,
				data: {
					from: kase.stage,
					to: data.stage,
					transition: kind,
					...(pipeline.milestones[data.stage] === INSTALLED || values.installedOn
						? { installedCommuneCode: updated.installedCommuneCode, installedOn: updated.installedOn }
						: {}),
					...(kind === 'leave' ? { leftOn: data.leftOn } : {})
				}
			}
		});
		log.info(
			{ caseId: kase.id, userId: actor.userId, from: kase.stage, to: data.stage },
			'Case stage changed'
		);
		return { case: updated, stageChange };
	});
}

export type StageMove = {
	stage: string;
	/** Fields the move needs beyond the stage: reason, installedCommuneCode, installedOn, leftOn. */
	needs: string[];
};

/** The stages a case may move to, each with the details the move requires. Staff only. */
export async function listStageMoves(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ moves: StageMove[] }> {
	const { kase } = await loadVisibleCase({ actor, caseId }, { db });
	assertStaff(actor);
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const moves = allowedNextStages(pipeline, kase.stage).map((stage) => {
		try {
			checkStageTransition(pipeline, {
				from: kase.stage,
				to: stage,
				current: { installedCommuneCode: kase.installedCommuneCode, installedOn: kase.installedOn }
			});
			return { stage, needs: [] };
		} catch (err) {
			if (err instanceof ValidationError) return { stage, needs: err.issues.map((issue) => issue.field) };
			throw err;
		}
	});
	return { moves };
}

/** The stages a case may move to next, in pipeline order (empty for committee members). */
export async function listAllowedStages(
	{ actor, stages }: { actor: Actor; stages: readonly string[] },
	{ db }: Deps
): Promise<Record<string, string[]>> {
	if (caseAccessOf(actor) !== 'staff') return {};
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	return Object.fromEntries([...new Set(stages)].map((stage) => [stage, allowedNextStages(pipeline, stage)]));
}

export type CaseBoardColumn = { stage: string; total: number; cases: CaseListItem[] };

/**
 * The pipeline board: one column per stage (exits last), each with its most recently
 * changed cases (at most `perColumn`, `perClosedColumn` from installation on) and its
 * total; filters as for the list.
 */
export async function getCaseBoard(
	{
		actor,
		filters = {},
		perColumn = 25,
		perClosedColumn = 6
	}: {
		actor: Actor;
		filters?: Omit<CaseListFilters, 'stages'>;
		perColumn?: number;
		/** Installed, integrated and the exits hold the programme's whole history: show the latest only. */
		perClosedColumn?: number;
	},
	{ db }: Deps
): Promise<{ columns: CaseBoardColumn[] }> {
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const columns: CaseBoardColumn[] = [];
	for (const stage of [...pipeline.stages, ...pipeline.exits]) {
		const { cases, total } = await listCases(
			{
				actor,
				filters: { ...filters, stages: [stage] },
				limit: isOpenStage(pipeline, stage) ? perColumn : perClosedColumn
			},
			{ db }
		);
		columns.push({ stage, total, cases });
	}
	return { columns };
}

export type CaseDashboard = {
	/** Open pipeline: cases per stage before installation, in pipeline order. */
	open: { stage: string; count: number }[];
	openTotal: number;
	/** Installed and later stages, then the exits. */
	closed: { stage: string; count: number }[];
	overdueTasks: { all: number; mine: number };
	/** Cases opened over the last 7 days, and how many came through the web form. */
	newCases: { all: number; webForm: number; since: string };
};

/** The advisors' dashboard figures: the open pipeline by stage, overdue tasks, new cases this week. Staff only. */
export async function getCaseDashboard(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<CaseDashboard> {
	assertStaff(actor);
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const byStage = await countCasesByStage({ db, programmeId: actor.programmeId });
	const open = pipeline.stages
		.filter((stage) => isOpenStage(pipeline, stage))
		.map((stage) => ({ stage, count: byStage[stage] ?? 0 }));
	const closed = [...pipeline.stages.filter((stage) => !isOpenStage(pipeline, stage)), ...pipeline.exits].map(
		(stage) => ({ stage, count: byStage[stage] ?? 0 })
	);
	const since = new Date(now.getTime() - 7 * 86_400_000);
	return {
		open,
		openTotal: open.reduce((sum, column) => sum + column.count, 0),
		closed,
		overdueTasks: await countOverdueTasks({
			db,
			programmeId: actor.programmeId,
			day: isoDay(now),
			assigneeId: actor.userId
		}),
		newCases: {
			...(await countCasesCreatedSince({ db, programmeId: actor.programmeId, since })),
			since: since.toISOString()
		}
	};
}
