import { getApp } from '#server/app.ts';
import { MAIL_TEMPLATE_VARIABLES } from '#server/domain/mail-template/mail-template.rules.ts';
import { saveMailTemplateSchema } from '#server/domain/mail-template/mail-template.schemas.ts';
import {
	deleteMailTemplate,
	getMailTemplate,
	updateMailTemplate
} from '#server/domain/mail-template/mail-template.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, failInvalid, formValues, throwHttpError } from '#server/http/errors.ts';
import { parseForm } from '#server/http/forms.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	try {
		const { template } = await getMailTemplate(
			{ actor, templateId: params.templateId },
			{ db: getApp().database.db }
		);
		return { template, variables: MAIL_TEMPLATE_VARIABLES };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const form = parseForm(data, saveMailTemplateSchema);
		if (!form.ok) return failInvalid(formValues(data), form.issues);
		try {
			await updateMailTemplate(
				{ actor, templateId: params.templateId, input: form.data },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		return { isSaved: true };
	},
	delete: async ({ locals, params, url }) => {
		const actor = requireActor({ locals, url });
		try {
			await deleteMailTemplate({ actor, templateId: params.templateId }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, {});
		}
		seeOther('/backoffice/mail-templates', { deleted: '1' });
	}
};
