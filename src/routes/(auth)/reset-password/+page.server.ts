import { getApp } from '#server/app.ts';
import { MIN_PASSWORD_LENGTH } from '#server/auth/auth.ts';
import { resetPassword } from '#server/domain/account/account.service.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({
	token: url.searchParams.get('token') ?? '',
	minLength: MIN_PASSWORD_LENGTH
});

export const actions: Actions = {
	default: async ({ request }) => {
		const data = await request.formData();
		try {
			await resetPassword(
				{
					input: {
						token: formText(data, 'token'),
						password: formText(data, 'password'),
						confirmation: formText(data, 'confirmation')
					}
				},
				{ auth: getApp().auth }
			);
		} catch (error) {
			return failForm(error, formValues(data));
		}
		return { done: true };
	}
};
