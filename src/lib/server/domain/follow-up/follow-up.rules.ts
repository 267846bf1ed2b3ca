import type {
	SurveyAnswers,
	SurveyOption,
	SurveyQuestion,
	SurveyQuestionType
} from '../../db/schema/follow-up.ts';
import type { FieldIssue } from '../../validation.ts';

/** Months after installation at which households are surveyed, unless the programme sets its own. */
export const DEFAULT_WAVE_MONTHS = [6, 12, 24, 36, 60] as const;
/** Households without any sign of life for this long appear on the advisors' list to call. */
export const DEFAULT_SILENCE_MONTHS = 12;
/** A wave is sent only when its due date is this recent: a fresh install does not mail old households. */
export const CATCH_UP_DAYS = 60;
/** A personal link works this long after the invitation. */
export const INVITATION_VALID_DAYS = 60;
/** The wave at which the attribution question ("would you have moved without the programme?") is asked again. */
export const ATTRIBUTION_WAVE = 12;

/** Keys the application reads: a "no" to living_here opens a departure to confirm. */
export const LIVING_HERE = 'living_here';
export const MOVED_TO = 'moved_to';
export const MOVED_WHY = 'moved_why';
export const ATTRIBUTION = 'would_move_without_programme';

const DAY_MS = 86_400_000;

/** ISO date + n months (n may be negative); the day is clamped to the month's end (31 Jan + 1 → 28/29 Feb). */
export function addMonths(isoDate: string, months: number): string {
	const [year, month, day] = isoDate.split('-').map(Number);
	const index = year * 12 + (month - 1) + months;
	const y = Math.floor(index / 12);
	const m = index - y * 12;
	const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

export function addDays(isoDate: string, days: number): string {
	return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day of an instant, as an ISO date. */
export function isoDay(at: Date): string {
	return at.toISOString().slice(0, 10);
}

/**
 * Whether a household installed on `installedOn` is due its `waveMonths` wave today: the due date
 * has come, and it is at most CATCH_UP_DAYS old.
 */
export function isWaveDue(installedOn: string, waveMonths: number, today: string): boolean {
	const dueOn = addMonths(installedOn, waveMonths);
	return dueOn <= today && dueOn > addDays(today, -CATCH_UP_DAYS);
}

/** Which reminder (7 or 14 days) an unanswered, unexpired invitation needs now, if any. */
export function reminderDue(
	invitation: { sentAt: Date; reminded7At: Date | null; reminded14At: Date | null },
	now: Date
): 7 | 14 | null {
	const days = (now.getTime() - invitation.sentAt.getTime()) / DAY_MS;
	if (!invitation.reminded7At) return days >= 7 ? 7 : null;
	if (!invitation.reminded14At && days >= 14) return 14;
	return null;
}

const yesNoUnsure: SurveyOption[] = [
	{ value: 'yes', labelFr: 'Oui', labelEn: 'Yes' },
	{ value: 'no', labelFr: 'Non', labelEn: 'No' },
	{ value: 'unsure', labelFr: 'Je ne sais pas', labelEn: 'Not sure' }
];

/** Version 1 of every programme's questionnaire (French source, English translation). */
export const DEFAULT_QUESTIONS: SurveyQuestion[] = [
	{
		key: LIVING_HERE,
		type: 'yes_no',
		labelFr: 'Vivez-vous toujours sur le territoire ?',
		labelEn: 'Do you still live in the area?',
		required: true
	},
	{
		key: MOVED_TO,
		type: 'text',
		labelFr: 'Si non : où vivez-vous maintenant ?',
		labelEn: 'If not: where do you live now?',
		required: false,
		showIf: { key: LIVING_HERE, equals: 'no' }
	},
	{
		key: MOVED_WHY,
		type: 'text',
		labelFr: 'Si non : pourquoi êtes-vous parti·e·s ?',
		labelEn: 'If not: why did you leave?',
		required: false,
		showIf: { key: LIVING_HERE, equals: 'no' }
	},
	{
		key: 'business_active',
		type: 'choice',
		labelFr: 'Votre activité professionnelle est-elle toujours active ?',
		labelEn: 'Is your business or professional activity still running?',
		required: false,
		options: [
			{ value: 'yes', labelFr: 'Oui', labelEn: 'Yes' },
			{ value: 'no', labelFr: 'Non', labelEn: 'No' },
			{ value: 'none', labelFr: 'Je n’ai pas d’activité à mon compte', labelEn: 'I am not self-employed' }
		]
	},
	{
		key: 'revenue_band',
		type: 'choice',
		labelFr: 'Chiffre d’affaires annuel de l’activité',
		labelEn: 'Annual revenue of the business',
		required: false,
		options: [
			{ value: 'under_20k', labelFr: 'Moins de 20 000 €', labelEn: 'Under €20,000' },
			{ value: '20k_50k', labelFr: '20 000 à 50 000 €', labelEn: '€20,000 to €50,000' },
			{ value: '50k_100k', labelFr: '50 000 à 100 000 €', labelEn: '€50,000 to €100,000' },
			{ value: 'over_100k', labelFr: 'Plus de 100 000 €', labelEn: 'Over €100,000' },
			{ value: 'not_saying', labelFr: 'Je préfère ne pas répondre', labelEn: 'I prefer not to say' }
		]
	},
	{
		key: 'local_clients_share',
		type: 'choice',
		labelFr: 'Part de vos clients situés sur le territoire',
		labelEn: 'Share of your clients based in the area',
		required: false,
		options: [
			{ value: 'none', labelFr: 'Aucun', labelEn: 'None' },
			{ value: 'under_25', labelFr: 'Moins d’un quart', labelEn: 'Less than a quarter' },
			{ value: '25_50', labelFr: 'Un quart à la moitié', labelEn: 'A quarter to a half' },
			{ value: '50_75', labelFr: 'La moitié à trois quarts', labelEn: 'A half to three quarters' },
			{ value: 'over_75', labelFr: 'Plus de trois quarts', labelEn: 'More than three quarters' }
		]
	},
	{
		key: 'jobs_created',
		type: 'number',
		labelFr: 'Combien d’emplois avez-vous créés sur le territoire (vous compris) ?',
		labelEn: 'How many jobs have you created in the area (including yours)?',
		required: false
	},
	{
		key: 'partner_job',
		type: 'choice',
		labelFr: 'Votre conjoint·e a-t-il ou elle un emploi ?',
		labelEn: 'Does your partner have a job?',
		required: false,
		options: [
			{ value: 'local', labelFr: 'Oui, sur le territoire', labelEn: 'Yes, in the area' },
			{ value: 'remote', labelFr: 'Oui, à distance ou ailleurs', labelEn: 'Yes, remote or elsewhere' },
			{ value: 'seeking', labelFr: 'Non, il ou elle en cherche un', labelEn: 'No, looking for one' },
			{ value: 'not_seeking', labelFr: 'Non, sans en chercher', labelEn: 'No, not looking' },
			{ value: 'no_partner', labelFr: 'Pas de conjoint·e', labelEn: 'No partner' }
		]
	},
	{
		key: 'children_schooling',
		type: 'choice',
		labelFr: 'La scolarité ou la garde de vos enfants se passe-t-elle bien ?',
		labelEn: 'Are your children’s schooling or childcare going well?',
		required: false,
		options: [
			{ value: 'well', labelFr: 'Oui', labelEn: 'Yes' },
			{ value: 'difficulties', labelFr: 'Avec des difficultés', labelEn: 'With difficulties' },
			{ value: 'no_children', labelFr: 'Pas d’enfants concernés', labelEn: 'No children concerned' }
		]
	},
	{
		key: 'associations_joined',
		type: 'number',
		labelFr: 'Dans combien d’associations locales êtes-vous engagé·e·s ?',
		labelEn: 'How many local associations have you joined?',
		required: false
	},
	{
		key: 'satisfaction',
		type: 'scale',
		labelFr: 'Êtes-vous satisfait·e·s de votre installation ? (1 : pas du tout, 5 : tout à fait)',
		labelEn: 'How satisfied are you with your move? (1: not at all, 5: completely)',
		required: true
	},
	{
		key: 'intention_to_stay',
		type: 'choice',
		labelFr: 'Pensez-vous rester sur le territoire dans les années à venir ?',
		labelEn: 'Do you intend to stay in the area in the coming years?',
		required: false,
		options: yesNoUnsure
	},
	{
		key: ATTRIBUTION,
		type: 'choice',
		labelFr: 'Auriez-vous déménagé ici sans le programme d’accueil ?',
		labelEn: 'Would you have moved here without the welcome programme?',
		required: true,
		options: yesNoUnsure,
		waves: [ATTRIBUTION_WAVE]
	}
];

/** The questions asked at a wave (questions limited to other waves are left out). */
export function questionsForWave(questions: SurveyQuestion[], waveMonths: number): SurveyQuestion[] {
	return questions.filter((question) => !question.waves?.length || question.waves.includes(waveMonths));
}

export function labelOf(item: { labelFr: string; labelEn: string }, locale: 'fr' | 'en'): string {
	return locale === 'en' && item.labelEn.trim() ? item.labelEn : item.labelFr;
}

const TEXT_MAX = 2000;
const NUMBER_MAX = 100_000;

function parseValue(
	type: SurveyQuestionType,
	raw: string,
	options: SurveyOption[] | undefined
): { value: string | number } | { code: string } {
	switch (type) {
		case 'yes_no':
			return raw === 'yes' || raw === 'no' ? { value: raw } : { code: 'follow_up.invalid_answer' };
		case 'choice':
			return options?.some((option) => option.value === raw)
				? { value: raw }
				: { code: 'follow_up.invalid_answer' };
		case 'number': {
			if (!/^\d+$/.test(raw) || Number(raw) > NUMBER_MAX) return { code: 'follow_up.invalid_number' };
			return { value: Number(raw) };
		}
		case 'scale':
			return /^[1-5]$/.test(raw) ? { value: Number(raw) } : { code: 'follow_up.invalid_scale' };
		case 'text':
			return raw.length > TEXT_MAX ? { code: 'follow_up.text_too_long' } : { value: raw };
	}
}

/**
 * Checks raw form values against the questions of a wave. Every question gets a stored value
 * (null when skipped, or when it depends on an answer that was not given). Issues name the question key.
 */
export function parseSurveyAnswers(
	questions: SurveyQuestion[],
	raw: Record<string, unknown>
): { answers: SurveyAnswers; issues: FieldIssue[] } {
	const answers: SurveyAnswers = {};
	const issues: FieldIssue[] = [];
	const text = (key: string) => {
		const value = raw[key];
		return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	};
	for (const question of questions) {
		const shown = !question.showIf || text(question.showIf.key) === question.showIf.equals;
		const value = text(question.key);
		if (!shown || value === '') {
			answers[question.key] = null;
			if (shown && question.required) issues.push({ field: question.key, code: 'follow_up.answer_required' });
			continue;
		}
		const parsed = parseValue(question.type, value, question.options);
		if ('code' in parsed) {
			answers[question.key] = null;
			issues.push({ field: question.key, code: parsed.code });
		} else answers[question.key] = parsed.value;
	}
	return { answers, issues };
}

/** A departure to confirm, when the household answered it no longer lives here. */
export function departureOf(
	answers: SurveyAnswers
): { movedTo: string | null; reason: string | null } | null {
	if (answers[LIVING_HERE] !== 'no') return null;
	const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
	return { movedTo: str(answers[MOVED_TO]), reason: str(answers[MOVED_WHY]) };
}

/** The reason written on the case when a departure is confirmed: "why" and "where to". */
export function departureReasonText(report: { movedTo: string | null; reason: string | null }): string {
	return [report.reason, report.movedTo ? `→ ${report.movedTo}` : null].filter(Boolean).join(' ') || '—';
}

/**
 * Problems of a questionnaire being saved: at least one question, labels in French, options for
 * choices, unique keys, waves among the programme's, showIf pointing to an earlier question.
 */
export function checkQuestionnaire(questions: SurveyQuestion[], waveMonths: readonly number[]): FieldIssue[] {
	const issues: FieldIssue[] = [];
	if (questions.length === 0) issues.push({ field: 'questions', code: 'follow_up.questionnaire_empty' });
	const seen = new Set<string>();
	questions.forEach((question, index) => {
		const at = (field: string) => `questions.${index}.${field}`;
		if (!question.labelFr.trim()) issues.push({ field: at('labelFr'), code: 'follow_up.label_required' });
		if (seen.has(question.key)) issues.push({ field: at('key'), code: 'follow_up.duplicate_key' });
		if (question.type === 'choice') {
			const options = question.options ?? [];
			if (options.length < 2 || options.some((option) => !option.labelFr.trim())) {
				issues.push({ field: at('options'), code: 'follow_up.options_required' });
			}
		}
		if (question.waves?.some((wave) => !waveMonths.includes(wave))) {
			issues.push({ field: at('waves'), code: 'follow_up.invalid_waves' });
		}
		if (question.showIf && !seen.has(question.showIf.key)) {
			issues.push({ field: at('showIf'), code: 'follow_up.invalid_condition' });
		}
		seen.add(question.key);
	});
	return issues;
}

/** Checks wave months (1 to 240, strictly increasing) and the silence threshold (1 to 120 months). */
export function checkSettings(settings: { waveMonths: number[]; silenceMonths: number }): FieldIssue[] {
	const issues: FieldIssue[] = [];
	const waves = settings.waveMonths;
	if (
		waves.length === 0 ||
		waves.some(
			(wave, i) => !Number.isInteger(wave) || wave < 1 || wave > 240 || (i > 0 && wave <= waves[i - 1])
		)
	) {
		issues.push({ field: 'waveMonths', code: 'follow_up.invalid_waves' });
	}
	if (
		!Number.isInteger(settings.silenceMonths) ||
		settings.silenceMonths < 1 ||
		settings.silenceMonths > 120
	) {
		issues.push({ field: 'silenceMonths', code: 'follow_up.invalid_silence' });
	}
	return issues;
}
