import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { getSurvey, submitSurvey } from '#server/domain/follow-up/follow-up.service.ts';
import { failForm, formValues, throwHttpError } from '#server/http/errors.ts';
import { HONEYPOT_FIELD, isHoneypotFilled } from '#server/http/honeypot.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * A household's personal follow-up survey (no sign-in): the questions of its wave, or a clear
 * page when it was already answered or has expired; a forged link answers 404.
 */
export const load: PageServerLoad = async ({ params, locals, url, cookies, setHeaders }) => {
	// A personal page: never cached, never indexed.
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	const survey = await getSurvey({ token: params.token }, { db: getApp().database.db }).catch(throwHttpError);
	// Without an explicit choice, the page speaks the invitation's language.
	if (!url.searchParams.has('lang') && !cookies.get('soho_lang') && survey.locale !== locals.locale) {
		redirect(303, `${url.pathname}?lang=${survey.locale}`);
	}
	return { survey };
};

export const actions: Actions = {
	default: async ({ params, request, getClientAddress, locals }) => {
		const data = await request.formData();
		if (isHoneypotFilled(data)) {
			// A bot: the usual answer, nothing stored.
			locals.logger.info({ reason: 'honeypot' }, 'Survey answer dropped');
			return { isSubmitted: true };
		}
		const values = formValues(data, [HONEYPOT_FIELD]);
		const app = getApp();
		try {
			await submitSurvey(
				{ token: params.token, answers: values, clientAddress: getClientAddress() },
				{ db: app.database.db, config: app.config }
			);
			return { isSubmitted: true };
		} catch (err) {
			return failForm(err, values);
		}
	}
};
