import { mean, proportion, type Proportion } from '../../../domain/stats/descriptive.ts';
import type { SurveyAnswers, SurveyAnswerValue, YesNoUnsure } from '../../db/schema/index.ts';
import { ATTRIBUTION, ATTRIBUTION_WAVE, LIVING_HERE } from '../follow-up/follow-up.rules.ts';
import type { ObservatoryCase } from './observatory.types.ts';
import { inPeriod, yearOfDay, type ObservatoryPeriod } from './observatory.rules.ts';

/**
 * Integration and local development, from the follow-up surveys (answers keyed by the default
 * questionnaire's question keys, src/lib/server/domain/follow-up/follow-up.rules.ts) and from the
 * cases (businesses, the attribution question asked at intake). Only the known keys are read;
 * keys of custom questions, and values outside a question's options, are ignored (no answer).
 */

/** One invitation of a household to a wave, with its answers when it answered. */
export type SurveyRecord = {
	caseId: string;
	waveMonths: number;
	/** Due day of the wave (installation + months), YYYY-MM-DD. */
	dueOn: string;
	expiresAt: Date;
	answeredAt: Date | null;
	answers: SurveyAnswers | null;
};

const LOCAL_CLIENT_SHARES = ['none', 'under_25', '25_50', '50_75', 'over_75'] as const;
const PARTNER_JOBS = ['local', 'remote', 'seeking', 'not_seeking', 'no_partner'] as const;
const SCHOOLING = ['well', 'difficulties', 'no_children'] as const;
const YES_NO_UNSURE = ['yes', 'no', 'unsure'] as const;
const YES_NO = ['yes', 'no'] as const;
const BUSINESS_ACTIVE = ['yes', 'no', 'none'] as const;

/** A count per answer value, in the questionnaire's order. */
export type Distribution = { value: string; count: number }[];

/** A whole-number question (jobs, associations): answers, sum, mean per answering household. */
export type CountSummary = {
	answers: number;
	sum: number;
	/** Mean per answering household; null without answers. */
	perHousehold: number | null;
	/** Households answering at least 1. */
	atLeastOne: Proportion;
};

export type WaveIndicators = {
	waveMonths: number;
	/** Invitations sent for this wave (households of the filters, due in the period). */
	invited: number;
	answered: number;
	/** Not answered and not yet expired: the rate may still rise. */
	open: number;
	responseRate: Proportion;
	livingHere: Proportion;
	/** Self-employed households whose business is still running (yes among yes/no). */
	businessActive: Proportion;
	/** Households with at least some local clients (any share but "none"), among those who answered. */
	localClients: Proportion;
	localClientsDistribution: Distribution;
	jobsCreated: CountSummary;
	associations: CountSummary;
	/** Partners with a job (local or remote), among households with a partner. */
	partnerJob: Proportion;
	/** Partners with a job in the territory, among households with a partner. */
	partnerJobLocal: Proportion;
	partnerJobDistribution: Distribution;
	/** Schooling or childcare going well, among households with children concerned. */
	childrenSchooling: Proportion;
	/** "Yes" to staying in the coming years, among yes/no/not sure. */
	intentionToStay: Proportion;
	intentionDistribution: Distribution;
	/** Mean satisfaction on 1–5 and the share answering 4 or 5. */
	satisfaction: { answers: number; mean: number | null; satisfied: Proportion };
};

export type AttributionTime = {
	/** Counts of yes / no / unsure. */
	distribution: Distribution;
	total: number;
	/** "No" — would not have moved without the programme (the programme was decisive). */
	decisive: Proportion;
};

export type Attribution = {
	/** At intake, installed households of the filters with an answer. */
	intake: AttributionTime;
	/** At the 12-month wave. */
	atWave: AttributionTime;
	waveMonths: number;
	/** Households that answered both times. */
	paired: {
		n: number;
		/** matrix[intake][wave] counts, rows and columns in the order yes, no, unsure. */
		matrix: { intake: YesNoUnsure; counts: { later: YesNoUnsure; count: number }[] }[];
		unchanged: number;
		changed: number;
		/** Changed to "no" (more decisive later) and from "no" (less decisive later). */
		becameNo: number;
		leftNo: number;
		intakeDecisive: Proportion;
		waveDecisive: Proportion;
	};
};

export type Businesses = {
	/** Businesses created (by today) by the households of the filters, created in the period. */
	created: number;
	/** Of those, not closed today. */
	active: Proportion;
};

export type Integration = {
	waves: WaveIndicators[];
	attribution: Attribution;
	businesses: Businesses;
	/** Households of the filters that received at least one invitation. */
	householdsInvited: number;
};

function choice<T extends string>(value: SurveyAnswerValue | undefined, allowed: readonly T[]): T | null {
	return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** A whole number ≥ 0 (stored as a number; a digit string from an older custom question is accepted). */
function wholeNumber(value: SurveyAnswerValue | undefined): number | null {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
	if (typeof value === 'string' && /^\d{1,6}$/.test(value.trim())) return Number(value.trim());
	return null;
}

function scale(value: SurveyAnswerValue | undefined): number | null {
	const n = wholeNumber(value);
	return n !== null && n >= 1 && n <= 5 ? n : null;
}

function distributionOf<T extends string>(values: readonly (T | null)[], order: readonly T[]): Distribution {
	return order.map((value) => ({ value, count: values.filter((v) => v === value).length }));
}

function share<T extends string>(
	values: readonly (T | null)[],
	yes: readonly T[],
	among: readonly T[]
): Proportion {
	const considered = values.filter((v): v is T => v !== null && among.includes(v));
	return proportion(considered.filter((v) => yes.includes(v)).length, considered.length);
}

function countSummary(values: readonly (number | null)[]): CountSummary {
	const given = values.filter((v): v is number => v !== null);
	return {
		answers: given.length,
		sum: given.reduce((a, b) => a + b, 0),
		perHousehold: mean(given),
		atLeastOne: proportion(given.filter((v) => v >= 1).length, given.length)
	};
}

/** The indicators of one wave from its invitations (answered or not). */
export function waveIndicators(
	waveMonths: number,
	records: readonly SurveyRecord[],
	now: Date
): WaveIndicators {
	const answers = records.flatMap((r) => (r.answeredAt && r.answers ? [r.answers] : []));
	const answered = records.filter((r) => r.answeredAt !== null).length;
	const pick = <T extends string>(key: string, allowed: readonly T[]) =>
		answers.map((a) => choice(a[key], allowed));
	const localClients = pick('local_clients_share', LOCAL_CLIENT_SHARES);
	const partner = pick('partner_job', PARTNER_JOBS);
	const intention = pick('intention_to_stay', YES_NO_UNSURE);
	const satisfaction = answers.map((a) => scale(a.satisfaction)).filter((v): v is number => v !== null);
	const withPartner = PARTNER_JOBS.filter((v) => v !== 'no_partner');
	return {
		waveMonths,
		invited: records.length,
		answered,
		open: records.filter((r) => r.answeredAt === null && r.expiresAt > now).length,
		responseRate: proportion(answered, records.length),
		livingHere: share(pick(LIVING_HERE, YES_NO), ['yes'], YES_NO),
		businessActive: share(pick('business_active', BUSINESS_ACTIVE), ['yes'], ['yes', 'no']),
		localClients: share(localClients, ['under_25', '25_50', '50_75', 'over_75'], LOCAL_CLIENT_SHARES),
		localClientsDistribution: distributionOf(localClients, LOCAL_CLIENT_SHARES),
		jobsCreated: countSummary(answers.map((a) => wholeNumber(a.jobs_created))),
		associations: countSummary(answers.map((a) => wholeNumber(a.associations_joined))),
		partnerJob: share(partner, ['local', 'remote'], withPartner),
		partnerJobLocal: share(partner, ['local'], withPartner),
		partnerJobDistribution: distributionOf(partner, PARTNER_JOBS),
		childrenSchooling: share(pick('children_schooling', SCHOOLING), ['well'], ['well', 'difficulties']),
		intentionToStay: share(intention, ['yes'], YES_NO_UNSURE),
		intentionDistribution: distributionOf(intention, YES_NO_UNSURE),
		satisfaction: {
			answers: satisfaction.length,
			mean: mean(satisfaction),
			satisfied: proportion(satisfaction.filter((v) => v >= 4).length, satisfaction.length)
		}
	};
}

function attributionTime(values: readonly (YesNoUnsure | null)[]): AttributionTime {
	const given = values.filter((v): v is YesNoUnsure => v !== null);
	return {
		distribution: distributionOf(given, YES_NO_UNSURE),
		total: given.length,
		decisive: proportion(given.filter((v) => v === 'no').length, given.length)
	};
}

/**
 * "Would you have moved here without the programme?" at intake (the case's answer, households
 * installed in the period) and at the 12-month wave (due in the period); the paired comparison of the households that answered both.
 */
export function computeAttribution(
	cases: readonly ObservatoryCase[],
	records: readonly SurveyRecord[],
	period: ObservatoryPeriod | null = null,
	waveMonths = ATTRIBUTION_WAVE
): Attribution {
	// Installed (in the period): the installation date, else the first entry into 'installed', as
	// installationDate reads them, without building a Date per case.
	const installedYear = (kase: ObservatoryCase): number | null =>
		kase.installedOn !== null
			? yearOfDay(kase.installedOn)
			: kase.stageEntries.installed
				? kase.stageEntries.installed.getUTCFullYear()
				: null;
	const installed = cases.filter((kase) => {
		const year = installedYear(kase);
		return year !== null && (period === null || inPeriod(year, period));
	});
	const intake = new Map<string, YesNoUnsure>();
	for (const kase of installed) {
		const value = choice(kase.wouldMoveWithoutProgramme, YES_NO_UNSURE);
		if (value) intake.set(kase.id, value);
	}
	const later = new Map<string, YesNoUnsure>();
	for (const record of records) {
		if (record.waveMonths !== waveMonths || !record.answeredAt || !record.answers) continue;
		const value = choice(record.answers[ATTRIBUTION], YES_NO_UNSURE);
		if (value) later.set(record.caseId, value);
	}
	const pairs = [...intake].flatMap(([caseId, first]) => {
		const second = later.get(caseId);
		return second ? [{ first, second }] : [];
	});
	const count = (predicate: (p: { first: YesNoUnsure; second: YesNoUnsure }) => boolean) =>
		pairs.filter(predicate).length;
	return {
		intake: attributionTime([...intake.values()]),
		atWave: attributionTime([...later.values()]),
		waveMonths,
		paired: {
			n: pairs.length,
			matrix: YES_NO_UNSURE.map((first) => ({
				intake: first,
				counts: YES_NO_UNSURE.map((second) => ({
					later: second,
					count: count((p) => p.first === first && p.second === second)
				}))
			})),
			unchanged: count((p) => p.first === p.second),
			changed: count((p) => p.first !== p.second),
			becameNo: count((p) => p.first !== 'no' && p.second === 'no'),
			leftNo: count((p) => p.first === 'no' && p.second !== 'no'),
			intakeDecisive: proportion(
				count((p) => p.first === 'no'),
				pairs.length
			),
			waveDecisive: proportion(
				count((p) => p.second === 'no'),
				pairs.length
			)
		}
	};
}

/** Businesses created by the households (in the period, by today) and those still active today. */
export function computeBusinesses(
	cases: readonly ObservatoryCase[],
	period: ObservatoryPeriod,
	now: Date
): Businesses {
	// Calendar days compare as ISO strings: no Date per case.
	const today = now.toISOString().slice(0, 10);
	const created = cases.filter(
		(kase) =>
			kase.businessCreatedOn !== null &&
			kase.businessCreatedOn <= today &&
			inPeriod(yearOfDay(kase.businessCreatedOn), period)
	);
	const active = created.filter((kase) => !kase.businessClosedOn || kase.businessClosedOn > today);
	return { created: created.length, active: proportion(active.length, created.length) };
}

/**
 * Every integration indicator: per wave of the programme (invitations of the selected households
 * whose due day falls in the period), the attribution question, businesses. Waves with no
 * invitation still get a line (zeros, no proportion).
 */
export function computeIntegration({
	cases,
	records,
	waveMonths,
	period,
	now
}: {
	cases: readonly ObservatoryCase[];
	records: readonly SurveyRecord[];
	waveMonths: readonly number[];
	period: ObservatoryPeriod;
	now: Date;
}): Integration {
	const selected = new Set(cases.map((kase) => kase.id));
	const kept = records.filter((r) => selected.has(r.caseId) && inPeriod(yearOfDay(r.dueOn), period));
	const waves = [...new Set([...waveMonths, ...kept.map((r) => r.waveMonths)])].sort((a, b) => a - b);
	const byWave = new Map<number, SurveyRecord[]>();
	for (const record of kept) {
		const list = byWave.get(record.waveMonths);
		if (list) list.push(record);
		else byWave.set(record.waveMonths, [record]);
	}
	return {
		waves: waves.map((wave) => waveIndicators(wave, byWave.get(wave) ?? [], now)),
		attribution: computeAttribution(cases, kept, period),
		businesses: computeBusinesses(cases, period, now),
		householdsInvited: new Set(kept.map((r) => r.caseId)).size
	};
}
