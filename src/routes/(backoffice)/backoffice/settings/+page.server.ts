import { fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { DomainError } from '#server/errors.ts';
import {
	addTerritoryDepartement,
	getProgrammeSettings,
	removeLogo,
	updateIdentity,
	updateLegalNotice,
	updateMetropole,
	updatePipeline,
	updatePrivacyNotice,
	updateSourceCodeLink,
	updateMinCellSize,
	updateTexts,
	updateTwoFactorRequirement,
	uploadLogo
} from '#server/domain/programme-settings/programme-settings.service.ts';
import {
	getComparisonSettings,
	removeProgrammeBudget,
	setProgrammeBudget,
	updateComparisonOptIn
} from '#server/domain/programme-settings/programme-comparison.service.ts';
import {
	getNationalPortalSettings,
	updateNationalPortalOptIn
} from '#server/domain/programme-settings/programme-national.service.ts';
import { findMetropoleName } from '#server/domain/portal/portal.service.ts';
import {
	addProgrammeHost,
	listProgrammeHosts,
	removeProgrammeHost,
	setPrimaryProgrammeHost
} from '#server/domain/programme/programme-host.service.ts';
import { getMatchingWeights, setMatchingWeights } from '#server/domain/matching/matching.service.ts';
import { STATUS, failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { ValidationError } from '#server/validation.ts';
import { requireActor } from '#server/http/actor.ts';
import { programmeAddress } from '#server/http/programme-hosts.ts';
import { publicOrigin } from '#server/config.ts';
import { applyRowOperation, emptyFaq, emptyStage, type FaqDraft, type StageDraft } from './settings-form.ts';
import type { Actions, PageServerLoad } from './$types';

const MAX_FAQ = 60;
const MAX_STAGES = 12;

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const settings = await getProgrammeSettings({ actor }, { db });
		const { name: metropoleName } = await findMetropoleName({ programmeId: actor.programmeId }, { db });
		const { weights: matchingWeights } = await getMatchingWeights({ actor }, { db });
		const { hosts } = await listProgrammeHosts({ actor }, { db });
		// The address mails and the sitemap use: the primary host, else this instance's address
		// (the request's, unless it is another programme's host) with the programme's /p/<slug> prefix.
		const address = await programmeAddress(actor.programmeId, {
			fallback: locals.programmeOfHost && !locals.programmePrefix ? publicOrigin(getApp().config) : url.origin
		});
		const comparison = await getComparisonSettings({ actor }, { db });
		const national = await getNationalPortalSettings({ actor }, { db });
		return {
			settings,
			hosts: hosts.map(({ host, isPrimary }) => ({ host, isPrimary })),
			address,
			comparison,
			national,
			metropoleName,
			matchingWeights,
			faq: settings.texts.faq.map((entry): FaqDraft => ({
				questionFr: entry.question.fr,
				questionEn: entry.question.en,
				answerFr: entry.answer.fr,
				answerEn: entry.answer.en
			})),
			stages: settings.pipeline.stages.map((stage): StageDraft => ({
				...stage,
				milestone: stage.milestone,
				isNew: false
			}))
		};
	} catch (err) {
		throwHttpError(err);
	}
};

/** A failed action: the section it belongs to, what was typed, per-field codes or a form code. */
function failSection(section: string, err: unknown, values: Record<string, string>, extra: object = {}) {
	if (err instanceof ValidationError) {
		const issues: Record<string, string> = {};
		for (const issue of err.issues) issues[issue.field || 'form'] ??= issue.code;
		return fail(STATUS.invalid, { section, values, issues, ...extra });
	}
	if (err instanceof DomainError) {
		return fail(STATUS[err.kind], {
			section,
			values,
			issues: {},
			code: err.code,
			params: err.details as Record<string, string | number>,
			...extra
		});
	}
	return failForm(err, values);
}

function readFaq(data: FormData): FaqDraft[] {
	const count = Math.min(Number(formText(data, 'faqCount')) || 0, MAX_FAQ);
	return Array.from({ length: count }, (_, i) => ({
		questionFr: formText(data, `faq.${i}.questionFr`),
		questionEn: formText(data, `faq.${i}.questionEn`),
		answerFr: formText(data, `faq.${i}.answerFr`),
		answerEn: formText(data, `faq.${i}.answerEn`)
	}));
}

function readStages(data: FormData): StageDraft[] {
	const count = Math.min(Number(formText(data, 'stageCount')) || 0, MAX_STAGES + 1);
	return Array.from({ length: count }, (_, i) => ({
		key: formText(data, `s.${i}.key`),
		labelFr: formText(data, `s.${i}.labelFr`),
		labelEn: formText(data, `s.${i}.labelEn`),
		milestone: formText(data, `s.${i}.milestone`),
		isNew: formText(data, `s.${i}.isNew`) === '1',
		cases: Number(formText(data, `s.${i}.cases`)) || 0
	}));
}

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.replace(',', '.')));

export const actions: Actions = {
	matchingWeights: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await setMatchingWeights({ actor, input: values }, { db: getApp().database.db });
			return { section: 'matchingWeights', saved: true };
		} catch (err) {
			return failSection('matchingWeights', err, values);
		}
	},
	identity: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updateIdentity(
				{
					actor,
					input: {
						name: values.name ?? '',
						primaryColor: values.primaryColor,
						accentColor: values.accentColor
					}
				},
				{ db: getApp().database.db }
			);
			return { section: 'identity', saved: true };
		} catch (err) {
			return failSection('identity', err, values);
		}
	},
	logo: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			if (data.get('op') === 'remove') {
				await removeLogo({ actor }, { db: app.database.db });
			} else {
				const file = data.get('logo');
				const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
				await uploadLogo({ actor, bytes }, { db: app.database.db, storage: app.storage });
			}
			return { section: 'logo', saved: true };
		} catch (err) {
			return failSection('logo', err, {});
		}
	},
	texts: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values = formValues(data);
		const faq = readFaq(data);
		const op = formText(data, 'op') || 'save';
		if (op !== 'save')
			return { section: 'texts', values, faq: applyRowOperation(faq, op, emptyFaq, MAX_FAQ), isDraft: true };
		try {
			await updateTexts(
				{
					actor,
					input: {
						homeTitle: { fr: values.homeTitleFr, en: values.homeTitleEn },
						homeIntro: { fr: values.homeIntroFr, en: values.homeIntroEn },
						howItWorks: { fr: values.howItWorksFr, en: values.howItWorksEn },
						faq: faq
							.filter((entry) => Object.values(entry).some((text) => text.trim()))
							.map((entry) => ({
								question: { fr: entry.questionFr, en: entry.questionEn },
								answer: { fr: entry.answerFr, en: entry.answerEn }
							}))
					}
				},
				{ db: getApp().database.db }
			);
			return { section: 'texts', saved: true };
		} catch (err) {
			return failSection('texts', err, values, { faq });
		}
	},
	legal: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updateLegalNotice(
				{
					actor,
					input: {
						publisher: values.publisher,
						address: values.address,
						registration: values.registration,
						director: values.director,
						hostName: values.hostName,
						hostAddress: values.hostAddress
					}
				},
				{ db: getApp().database.db }
			);
			return { section: 'legal', saved: true };
		} catch (err) {
			return failSection('legal', err, values);
		}
	},
	privacy: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updatePrivacyNotice(
				{
					actor,
					input: { controller: values.controller, dpoContact: values.dpoContact, retention: values.retention }
				},
				{ db: getApp().database.db }
			);
			return { section: 'privacy', saved: true };
		} catch (err) {
			return failSection('privacy', err, values);
		}
	},
	source: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updateSourceCodeLink({ actor, input: { url: values.url } }, { db: getApp().database.db });
			return { section: 'source', saved: true };
		} catch (err) {
			return failSection('source', err, values);
		}
	},
	security: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updateTwoFactorRequirement(
				{ actor, input: { isTwoFactorRequired: values.isTwoFactorRequired === 'on' } },
				{ db: getApp().database.db }
			);
			return { section: 'security', saved: true };
		} catch (err) {
			return failSection('security', err, values);
		}
	},
	disclosure: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updateMinCellSize(
				{ actor, input: { minCellSize: values.minCellSize ?? '' } },
				{ db: getApp().database.db }
			);
			return { section: 'disclosure', saved: true };
		} catch (err) {
			return failSection('disclosure', err, values);
		}
	},
	comparison: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updateComparisonOptIn(
				{ actor, input: { isInComparison: values.isInComparison ?? '' } },
				{ db: getApp().database.db }
			);
			return { section: 'comparison', saved: true };
		} catch (err) {
			return failSection('comparison', err, values);
		}
	},
	national: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updateNationalPortalOptIn(
				{ actor, input: { isInNationalPortal: values.isInNationalPortal ?? '' } },
				{ db: getApp().database.db }
			);
			return { section: 'national', saved: true };
		} catch (err) {
			return failSection('national', err, values);
		}
	},
	budget: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await setProgrammeBudget(
				{ actor, input: { year: values.year ?? '', amount: values.amount ?? '', note: values.note ?? '' } },
				{ db: getApp().database.db }
			);
			return { section: 'comparison', saved: true };
		} catch (err) {
			return failSection('comparison', err, values);
		}
	},
	removeBudget: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await removeProgrammeBudget(
				{ actor, input: { year: values.year ?? '' } },
				{ db: getApp().database.db }
			);
			return { section: 'comparison', saved: true };
		} catch (err) {
			return failSection('comparison', err, {});
		}
	},
	metropole: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await updateMetropole(
				{
					actor,
					input: { code: values.code ?? '', lat: number(values.lat ?? ''), lon: number(values.lon ?? '') }
				},
				{ db: getApp().database.db }
			);
			return { section: 'metropole', saved: true };
		} catch (err) {
			return failSection('metropole', err, values);
		}
	},
	/** The site's host names: add one, remove one, or make one the primary (`op`). */
	hosts: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		const db = getApp().database.db;
		try {
			const host = values.host ?? '';
			if (values.op === 'remove') await removeProgrammeHost({ actor, input: { host } }, { db });
			else if (values.op === 'primary') await setPrimaryProgrammeHost({ actor, input: { host } }, { db });
			else await addProgrammeHost({ actor, input: { host, isPrimary: values.isPrimary === 'on' } }, { db });
			return { section: 'hosts', saved: true };
		} catch (err) {
			return failSection('hosts', err, values);
		}
	},
	territory: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			const { communes } = await addTerritoryDepartement(
				{ actor, input: { code: values.code ?? '' } },
				{ db: getApp().database.db }
			);
			return { section: 'territory', saved: true, communes };
		} catch (err) {
			return failSection('territory', err, values);
		}
	},
	pipeline: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const stages = readStages(data);
		const op = formText(data, 'op') || 'save';
		if (op !== 'save')
			return {
				section: 'pipeline',
				stages: applyRowOperation(stages, op, emptyStage, MAX_STAGES),
				isDraft: true
			};
		try {
			await updatePipeline(
				{
					actor,
					input: {
						stages: stages.map(({ key, labelFr, labelEn, milestone }) => ({
							key,
							labelFr,
							labelEn,
							milestone
						}))
					}
				},
				{ db: getApp().database.db }
			);
			return { section: 'pipeline', saved: true };
		} catch (err) {
			return failSection('pipeline', err, {}, { stages });
		}
	}
};
