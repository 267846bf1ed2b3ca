import { getApp } from '#server/app.ts';
import { requestPasswordReset } from '#server/domain/account/account.service.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request }) => {
		const data = await request.formData();
		try {
			await requestPasswordReset({ input: { email: formText(data, 'email') } }, { auth: getApp().auth });
		} catch (error) {
			return failForm(error, formValues(data));
		}
		// Same answer whether or not the address has an account.
		return { sent: true };
	}
};
