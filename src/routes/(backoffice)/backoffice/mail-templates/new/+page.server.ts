import { getApp } from '#server/app.ts';
import { MAIL_TEMPLATE_VARIABLES } from '#server/domain/mail-template/mail-template.rules.ts';
import { saveMailTemplateSchema } from '#server/domain/mail-template/mail-template.schemas.ts';
import { createMailTemplate, listMailTemplates } from '#server/domain/mail-template/mail-template.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, failInvalid, formValues, throwHttpError } from '#server/http/errors.ts';
import { parseForm } from '#server/http/forms.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		// Checks the actor may manage templates before showing the form.
		await listMailTemplates({ actor }, { db: getApp().database.db });
	} catch (err) {
		throwHttpError(err);
	}
	return { variables: MAIL_TEMPLATE_VARIABLES };
};

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const form = parseForm(data, saveMailTemplateSchema);
		if (!form.ok) return failInvalid(formValues(data), form.issues);
		let templateId: string;
		try {
			const { template } = await createMailTemplate(
				{ actor, input: form.data },
				{ db: getApp().database.db }
			);
			templateId = template.id;
		} catch (err) {
			return failForm(err, formValues(data));
		}
		seeOther(`/backoffice/mail-templates/${templateId}`, { saved: '1' });
	}
};
