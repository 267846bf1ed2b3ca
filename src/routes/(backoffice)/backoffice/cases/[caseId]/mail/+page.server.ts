import { getApp } from '#server/app.ts';
import { getCase } from '#server/domain/case/case.service.ts';
import type { SendCaseMailInput } from '#server/domain/mail-template/mail-template.schemas.ts';
import {
	getCaseMailOptions,
	previewCaseMail,
	sendCaseMail
} from '#server/domain/mail-template/mail-template.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const details = await getCase({ actor, caseId: params.caseId }, { db });
		const options = await getCaseMailOptions({ actor, caseId: params.caseId }, { db });
		return { caseId: params.caseId, reference: details.case.reference, options };
	} catch (err) {
		throwHttpError(err);
	}
};

/** The form as the service takes it; the checked recipients arrive as repeated `personIds`. */
function sendInput(data: FormData): SendCaseMailInput {
	const personIds = data.getAll('personIds').filter((value): value is string => typeof value === 'string');
	if (formText(data, 'mode') === 'free') {
		return {
			mode: 'free',
			locale: formText(data, 'locale'),
			subject: formText(data, 'subject'),
			body: formText(data, 'body'),
			personIds
		};
	}
	return { mode: 'template', templateId: formText(data, 'templateId'), personIds };
}

/** The typed values, with the checked recipients joined (a failed form keeps them checked). */
function keptValues(data: FormData): Record<string, string> {
	return { ...formValues(data), personIds: data.getAll('personIds').join(',') };
}

export const actions: Actions = {
	preview: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			const preview = await previewCaseMail(
				{ actor, caseId: params.caseId, input: sendInput(data) },
				{ db: getApp().database.db }
			);
			return { values: keptValues(data), preview };
		} catch (err) {
			return failForm(err, keptValues(data));
		}
	},
	send: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		let count: number;
		try {
			const { messages } = await sendCaseMail(
				{ actor, caseId: params.caseId, input: sendInput(data) },
				{ db: app.database.db, config: app.config }
			);
			count = messages.length;
		} catch (err) {
			return failForm(err, keptValues(data));
		}
		void app.mailer.kick();
		return { isSent: true, count };
	}
};
