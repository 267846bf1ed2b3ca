import { fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import type { SurveyQuestion } from '#server/db/schema/index.ts';
import {
	getQuestionnaire,
	saveFollowUpSettings,
	saveQuestionnaire
} from '#server/domain/follow-up/follow-up.service.ts';
import { followUpForbidden } from '#server/domain/follow-up/follow-up.errors.ts';
import type { QuestionInput } from '#server/domain/follow-up/follow-up.schemas.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { ValidationError } from '#server/validation.ts';
import { requireActor, requireRole } from '#server/http/actor.ts';
import { emptyDraft, type QuestionDraft } from './questionnaire-form.ts';
import type { Actions, PageServerLoad } from './$types';

const MAX_ROWS = 60;

function toDraft(question: SurveyQuestion): QuestionDraft {
	return {
		key: question.key,
		type: question.type,
		labelFr: question.labelFr,
		labelEn: question.labelEn,
		optionsFr: (question.options ?? []).map((option) => option.labelFr).join('\n'),
		optionsEn: (question.options ?? []).map((option) => option.labelEn).join('\n'),
		optionValues: (question.options ?? []).map((option) => option.value).join(','),
		required: question.required,
		waves: (question.waves ?? []).join(', '),
		showIfKey: question.showIf?.key ?? '',
		showIfEquals: question.showIf?.equals ?? ''
	};
}

function readDrafts(data: FormData): QuestionDraft[] {
	const count = Math.min(Number(formText(data, 'count')) || 0, MAX_ROWS);
	return Array.from({ length: count }, (_, i) => {
		const field = (name: string) => formText(data, `q.${i}.${name}`);
		return {
			key: field('key'),
			type: field('type'),
			labelFr: field('labelFr'),
			labelEn: field('labelEn'),
			optionsFr: field('optionsFr'),
			optionsEn: field('optionsEn'),
			optionValues: field('optionValues'),
			required: data.get(`q.${i}.required`) !== null,
			waves: field('waves'),
			showIfKey: field('showIfKey'),
			showIfEquals: field('showIfEquals')
		};
	});
}

const lines = (text: string) =>
	text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean);

function toInput(draft: QuestionDraft): QuestionInput {
	const values = draft.optionValues.split(',').filter(Boolean);
	const en = lines(draft.optionsEn);
	return {
		...(draft.key ? { key: draft.key } : {}),
		type: draft.type as QuestionInput['type'],
		labelFr: draft.labelFr,
		labelEn: draft.labelEn,
		options:
			draft.type === 'choice'
				? lines(draft.optionsFr).map((labelFr, i) => ({
						...(values[i] ? { value: values[i] } : {}),
						labelFr,
						labelEn: en[i] ?? ''
					}))
				: [],
		required: draft.required,
		waves: draft.waves
			.split(/[,;\s]+/)
			.filter(Boolean)
			.map((wave) => (/^\d+$/.test(wave) ? Number(wave) : Number.NaN)),
		showIf: draft.showIfKey ? { key: draft.showIfKey, equals: draft.showIfEquals } : null
	};
}

/** Moves, removes or adds a row (no JavaScript needed): the draft comes back to the page. */
function applyOperation(drafts: QuestionDraft[], op: string): QuestionDraft[] {
	const [verb, at] = op.split(':');
	const i = Number(at);
	const next = [...drafts];
	if (verb === 'add' && next.length < MAX_ROWS) next.push(emptyDraft());
	if (verb === 'remove' && i >= 0 && i < next.length) next.splice(i, 1);
	if (verb === 'up' && i > 0 && i < next.length) [next[i - 1], next[i]] = [next[i], next[i - 1]];
	if (verb === 'down' && i >= 0 && i < next.length - 1) [next[i], next[i + 1]] = [next[i + 1], next[i]];
	return next;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	// Advisors read the questionnaire through the surveys; only admins edit it.
	const actor = requireRole({ locals, url }, ['admin'], (denied) =>
		followUpForbidden({ userId: denied.userId })
	);
	try {
		const { version, questions, settings } = await getQuestionnaire({ actor }, { db: getApp().database.db });
		return { version, drafts: questions.map(toDraft), settings };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const op = formText(data, 'op') || 'save';
		const drafts = readDrafts(data);
		if (op !== 'save') return { drafts: applyOperation(drafts, op), isDraft: true };
		try {
			const { version } = await saveQuestionnaire(
				{ actor, questions: drafts.map(toInput) },
				{ db: getApp().database.db }
			);
			return { savedVersion: version };
		} catch (err) {
			if (err instanceof ValidationError) {
				const issues: Record<string, string> = {};
				for (const issue of err.issues) {
					// questions.2.waves.0 → questions.2.waves: the row's field shows it.
					issues[issue.field.split('.').slice(0, 3).join('.') || 'form'] ??= issue.code;
				}
				return fail(400, { drafts, issues });
			}
			return failForm(err, {});
		}
	},
	settings: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values = formValues(data);
		const numbers = (text: string) =>
			text
				.split(/[,;\s]+/)
				.filter(Boolean)
				.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
		try {
			await saveFollowUpSettings(
				{
					actor,
					waveMonths: numbers(values.waveMonths ?? ''),
					silenceMonths: numbers(values.silenceMonths ?? '')[0] ?? Number.NaN
				},
				{ db: getApp().database.db }
			);
			return { settingsSaved: true };
		} catch (err) {
			return failForm(err, values);
		}
	}
};
