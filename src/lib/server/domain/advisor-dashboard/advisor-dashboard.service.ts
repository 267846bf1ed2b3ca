import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { parseInput } from '../../validation.ts';
import { findProgrammePipeline } from '../case/case.repository.ts';
import { isOpenStage, resolvePipeline } from '../case/case.rules.ts';
import { countOverdueReferralsByAdvisor } from '../referral/referral.service.ts';
import { advisorDashboardForbidden } from './advisor-dashboard.errors.ts';
import {
	countCasesByAdvisorAndStage,
	countOverdueTasksByAssignee,
	findStaff,
	measureFirstAnswers,
	measureInstallationDelays,
	type FirstAnswerRow,
	type InstallationDelayRow
} from './advisor-dashboard.repository.ts';
import { periodStart } from './advisor-dashboard.rules.ts';
import {
	advisorDashboardSchema,
	type AdvisorDashboardInput,
	type DashboardPeriod
} from './advisor-dashboard.schemas.ts';

type Deps = { db: Db; now?: Date };

export type AdvisorFigures = {
	/** Open cases per stage of the pipeline before installation. */
	open: Record<string, number>;
	openTotal: number;
	firstAnswer: Omit<FirstAnswerRow, 'advisorId' | 'isTotal'>;
	installation: Omit<InstallationDelayRow, 'advisorId' | 'isTotal'>;
	overdueTasks: number;
	overdueReferrals: number;
};

export type AdvisorDashboardLine = AdvisorFigures & {
	/** null: cases and tasks nobody holds. */
	advisorId: string | null;
	name: string | null;
};

export type AdvisorDashboard = {
	period: DashboardPeriod;
	/** First day counted; null for the whole history. */
	from: string | null;
	openStages: string[];
	lines: AdvisorDashboardLine[];
	total: AdvisorFigures;
};

const emptyFirstAnswer = () => ({
	cases: 0,
	answered: 0,
	medianHours: null,
	p90Hours: null,
	waiting: 0,
	oldestWaitingSince: null
});
const emptyInstallation = () => ({ installed: 0, medianDays: null, p90Days: null });

/**
 * The advisors' dashboard: per advisor, the open cases by stage, the time to first answer of the
 * cases opened in the period, the time from first contact to installation of the households
 * installed in the period, and the overdue tasks and referrals now; with the programme's total.
 * Staff only: an advisor sees the whole team, to share the load.
 */
export async function getAdvisorDashboard(
	{ actor, input = {} }: { actor: Actor; input?: AdvisorDashboardInput },
	{ db, now = new Date() }: Deps
): Promise<AdvisorDashboard> {
	if (actor.role !== 'admin' && actor.role !== 'advisor')
		throw advisorDashboardForbidden({ userId: actor.userId });
	const { period } = parseInput(advisorDashboardSchema, input);
	const programmeId = actor.programmeId;
	const from = periodStart(period, now);
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId }));
	const openStages = pipeline.stages.filter((stage) => isOpenStage(pipeline, stage));
	const [staff, byStage, answers, delays, tasks, referrals] = [
		await findStaff({ db, programmeId }),
		await countCasesByAdvisorAndStage({ db, programmeId, stages: openStages }),
		await measureFirstAnswers({ db, programmeId, from }),
		await measureInstallationDelays({ db, programmeId, from }),
		await countOverdueTasksByAssignee({ db, programmeId, today: now.toISOString().slice(0, 10) }),
		await countOverdueReferralsByAdvisor({ actor }, { db, now })
	];

	const figuresOf = (advisorId: string | null): AdvisorFigures => {
		const open = Object.fromEntries(openStages.map((stage) => [stage, 0]));
		for (const row of byStage) if (row.advisorId === advisorId) open[row.stage] = row.count;
		const answer = answers.find((row) => !row.isTotal && row.advisorId === advisorId);
		const delay = delays.find((row) => !row.isTotal && row.advisorId === advisorId);
		return {
			open,
			openTotal: Object.values(open).reduce((sum, n) => sum + n, 0),
			firstAnswer: answer ? strip(answer) : emptyFirstAnswer(),
			installation: delay ? strip(delay) : emptyInstallation(),
			overdueTasks: tasks.find((row) => row.assigneeId === advisorId)?.overdue ?? 0,
			overdueReferrals: referrals.find((row) => row.advisorId === advisorId)?.overdue ?? 0
		};
	};

	const lines: AdvisorDashboardLine[] = staff.map((user) => ({
		advisorId: user.id,
		name: user.name,
		...figuresOf(user.id)
	}));
	// Cases held by someone who is no longer staff, or by nobody, are shown on the "unassigned" line.
	const known = new Set(staff.map((user) => user.id));
	const orphan = (id: string | null) => id === null || !known.has(id);
	const unassigned = figuresOf(null);
	for (const row of byStage)
		if (row.advisorId !== null && orphan(row.advisorId)) unassigned.open[row.stage] += row.count;
	unassigned.openTotal = Object.values(unassigned.open).reduce((sum, n) => sum + n, 0);
	if (
		unassigned.openTotal ||
		unassigned.firstAnswer.cases ||
		unassigned.installation.installed ||
		unassigned.overdueTasks ||
		unassigned.overdueReferrals
	) {
		lines.push({ advisorId: null, name: null, ...unassigned });
	}

	const totalAnswer = answers.find((row) => row.isTotal);
	const totalDelay = delays.find((row) => row.isTotal);
	const open = Object.fromEntries(
		openStages.map((stage) => [
			stage,
			byStage.filter((row) => row.stage === stage).reduce((sum, row) => sum + row.count, 0)
		])
	);
	return {
		period,
		from: from ? from.toISOString().slice(0, 10) : null,
		openStages,
		lines,
		total: {
			open,
			openTotal: Object.values(open).reduce((sum, n) => sum + n, 0),
			firstAnswer: totalAnswer && totalAnswer.cases > 0 ? strip(totalAnswer) : emptyFirstAnswer(),
			installation: totalDelay && totalDelay.installed > 0 ? strip(totalDelay) : emptyInstallation(),
			overdueTasks: tasks.reduce((sum, row) => sum + row.overdue, 0),
			overdueReferrals: referrals.reduce((sum, row) => sum + row.overdue, 0)
		}
	};
}

function strip<T extends { advisorId: string | null; isTotal: boolean }>(
	row: T
): Omit<T, 'advisorId' | 'isTotal'> {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { advisorId, isTotal, ...rest } = row;
	return rest;
}
