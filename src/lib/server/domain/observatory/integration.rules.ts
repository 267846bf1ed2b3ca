import { proportion, type Proportion } from '../../../domain/stats/descriptive.ts';
import type { SurveyAnswerValue, YesNoUnsure } from '../../db/schema/index.ts';
import { ATTRIBUTION_WAVE, LIVING_HERE } from '../follow-up/follow-up.rules.ts';
import type { ObservatoryCase } from './observatory.types.ts';
import { inPeriod, yearOfDay, type ObservatoryPeriod } from './observatory.rules.ts';

/**
 * Integration and local development, from the follow-up surveys (answers keyed by the default
 * questionnaire's question keys, src/lib/server/domain/follow-up/follow-up.rules.ts) and from the
 * cases (businesses, the attribution question asked at intake). Only the known keys are read;
 * keys of custom questions, and values outside a question's options, are ignored (no answer).
 */

/** One distinct answer value to a question with the number of households giving it. */
export type ValueCount = { value: SurveyAnswerValue; count: number };

/** One wave's invitations (households of the filters, due in the period), counted in SQL. */
export type WaveTally = {
	waveMonths: number;
	invited: number;
	answered: number;
	/** Not answered and not yet expired. */
	open: number;
	/** Per answer key: each distinct value given in the answered invitations, with its count. */
	answers: Record<string, ValueCount[]>;
};

/** The follow-up invitations of the selected households due in the period, counted in SQL. */
export type SurveyTallies = {
	waves: WaveTally[];
	/** Households with at least one of these invitations. */
	householdsInvited: number;
};

const LOCAL_CLIENT_SHARES = ['none', 'under_25', '25_50', '50_75', 'over_75'] as const;
const PARTNER_JOBS = ['local', 'remote', 'seeking', 'not_seeking', 'no_partner'] as const;
const SCHOOLING = ['well', 'difficulties', 'no_children'] as const;
export const YES_NO_UNSURE = ['yes', 'no', 'unsure'] as const;
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

/** How many answers give each of `values` (null: not one of the question's options). */
type Tally<T> = Map<T, number>;

function tallyOf<T>(
	counts: readonly ValueCount[] | undefined,
	read: (value: SurveyAnswerValue) => T | null
): Tally<T> {
	const tally: Tally<T> = new Map();
	for (const { value, count } of counts ?? []) {
		const known = read(value);
		if (known !== null) tally.set(known, (tally.get(known) ?? 0) + count);
	}
	return tally;
}

const countOf = <T>(tally: Tally<T>, values: readonly T[]): number =>
	values.reduce((total, value) => total + (tally.get(value) ?? 0), 0);

function distributionOf<T extends string>(tally: Tally<T>, order: readonly T[]): Distribution {
	return order.map((value) => ({ value, count: tally.get(value) ?? 0 }));
}

function share<T extends string>(tally: Tally<T>, yes: readonly T[], among: readonly T[]): Proportion {
	return proportion(
		countOf(
			tally,
			yes.filter((v) => among.includes(v))
		),
		countOf(tally, among)
	);
}

function countSummary(tally: Tally<number>): CountSummary {
	let answers = 0;
	let sum = 0;
	let atLeastOne = 0;
	for (const [value, count] of tally) {
		answers += count;
		sum += value * count;
		if (value >= 1) atLeastOne += count;
	}
	return {
		answers,
		sum,
		// The mean of whole numbers: their sum (exact) over their count, as mean() computes it.
		perHousehold: answers === 0 ? null : sum / answers,
		atLeastOne: proportion(atLeastOne, answers)
	};
}

/** The indicators of one wave from its tally (invitations, answered or not, and answer values). */
export function waveIndicators(tally: WaveTally): WaveIndicators {
	const pick = <T extends string>(key: string, allowed: readonly T[]) =>
		tallyOf(tally.answers[key], (value) => choice(value, allowed));
	const localClients = pick('local_clients_share', LOCAL_CLIENT_SHARES);
	const partner = pick('partner_job', PARTNER_JOBS);
	const intention = pick('intention_to_stay', YES_NO_UNSURE);
	const satisfaction = tallyOf(tally.answers.satisfaction, scale);
	const satisfactionSummary = countSummary(satisfaction);
	const withPartner = PARTNER_JOBS.filter((v) => v !== 'no_partner');
	return {
		waveMonths: tally.waveMonths,
		invited: tally.invited,
		answered: tally.answered,
		open: tally.open,
		responseRate: proportion(tally.answered, tally.invited),
		livingHere: share(pick(LIVING_HERE, YES_NO), ['yes'], YES_NO),
		businessActive: share(pick('business_active', BUSINESS_ACTIVE), ['yes'], ['yes', 'no']),
		localClients: share(localClients, ['under_25', '25_50', '50_75', 'over_75'], LOCAL_CLIENT_SHARES),
		localClientsDistribution: distributionOf(localClients, LOCAL_CLIENT_SHARES),
		jobsCreated: countSummary(tallyOf(tally.answers.jobs_created, wholeNumber)),
		associations: countSummary(tallyOf(tally.answers.associations_joined, wholeNumber)),
		partnerJob: share(partner, ['local', 'remote'], withPartner),
		partnerJobLocal: share(partner, ['local'], withPartner),
		partnerJobDistribution: distributionOf(partner, PARTNER_JOBS),
		childrenSchooling: share(pick('children_schooling', SCHOOLING), ['well'], ['well', 'difficulties']),
		intentionToStay: share(intention, ['yes'], YES_NO_UNSURE),
		intentionDistribution: distributionOf(intention, YES_NO_UNSURE),
		satisfaction: {
			answers: satisfactionSummary.answers,
			mean: satisfactionSummary.perHousehold,
			satisfied: proportion(countOf(satisfaction, [4, 5]), satisfactionSummary.answers)
		}
	};
}

function attributionTime(values: Iterable<YesNoUnsure>): AttributionTime {
	const tally: Tally<YesNoUnsure> = new Map();
	let total = 0;
	for (const value of values) {
		tally.set(value, (tally.get(value) ?? 0) + 1);
		total++;
	}
	return {
		distribution: distributionOf(tally, YES_NO_UNSURE),
		total,
		decisive: proportion(tally.get('no') ?? 0, total)
	};
}

/**
 * "Would you have moved here without the programme?" at intake (the case's answer, households
 * installed in the period) and at the 12-month wave (`atWave`: the answers of the invitations due
 * in the period, one per household, findAttributionAnswers); the paired comparison of the
 * households that answered both.
 */
export function computeAttribution(
	cases: readonly ObservatoryCase[],
	atWave: readonly { caseId: string; answer: string }[],
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
	for (const { caseId, answer } of atWave) {
		const value = choice(answer, YES_NO_UNSURE);
		if (value) later.set(caseId, value);
	}
	// The 3 × 3 pairs counted once; every paired figure reads these nine counts.
	const pairCounts = new Map<string, number>();
	let paired = 0;
	for (const [caseId, first] of intake) {
		const second = later.get(caseId);
		if (!second) continue;
		paired++;
		const key = `${first}>${second}`;
		pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
	}
	const count = (predicate: (p: { first: YesNoUnsure; second: YesNoUnsure }) => boolean) => {
		let total = 0;
		for (const first of YES_NO_UNSURE)
			for (const second of YES_NO_UNSURE)
				if (predicate({ first, second })) total += pairCounts.get(`${first}>${second}`) ?? 0;
		return total;
	};
	return {
		intake: attributionTime(intake.values()),
		atWave: attributionTime(later.values()),
		waveMonths,
		paired: {
			n: paired,
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
				paired
			),
			waveDecisive: proportion(
				count((p) => p.second === 'no'),
				paired
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
 * whose due day falls in the period, counted in SQL: findSurveyTallies), the attribution question,
 * businesses. Waves with no invitation still get a line (zeros, no proportion).
 */
export function computeIntegration({
	cases,
	tallies,
	attributionAnswers,
	waveMonths,
	period,
	now
}: {
	cases: readonly ObservatoryCase[];
	tallies: SurveyTallies;
	/** The answers at the attribution wave (findAttributionAnswers). */
	attributionAnswers: readonly { caseId: string; answer: string }[];
	waveMonths: readonly number[];
	period: ObservatoryPeriod;
	now: Date;
}): Integration {
	const byWave = new Map(tallies.waves.map((tally) => [tally.waveMonths, tally]));
	const waves = [...new Set([...waveMonths, ...byWave.keys()])].sort((a, b) => a - b);
	const empty = (wave: number): WaveTally => ({
		waveMonths: wave,
		invited: 0,
		answered: 0,
		open: 0,
		answers: {}
	});
	return {
		waves: waves.map((wave) => waveIndicators(byWave.get(wave) ?? empty(wave))),
		attribution: computeAttribution(cases, attributionAnswers, period),
		businesses: computeBusinesses(cases, period, now),
		householdsInvited: tallies.householdsInvited
	};
}
