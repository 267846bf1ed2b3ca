import { getApp } from '#server/app.ts';
import { requestPasswordReset } from '#server/domain/account/account.service.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { HONEYPOT_FIELD, isHoneypotFilled } from '#server/http/honeypot.ts';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request, getClientAddress, locals }) => {
		const data = await request.formData();
		if (isHoneypotFilled(data)) {
			// A bot: the usual answer, nothing sent.
			locals.logger.info({ reason: 'honeypot' }, 'Password reset request dropped');
			return { sent: true };
		}
		const app = getApp();
		try {
			await requestPasswordReset(
				{
					input: { email: formText(data, 'email') },
					clientAddress: getClientAddress(),
					programmeId: locals.programmeOfHost ?? null
				},
				{ auth: app.auth, db: app.database.db, config: app.config }
			);
		} catch (error) {
			return failForm(error, formValues(data, [HONEYPOT_FIELD]));
		}
		// Same answer whether or not the address has an account.
		return { sent: true };
	}
};
