import { getApp } from '#server/app.ts';
import { requestSignInLink } from '#server/domain/account/account-sign-in-link.service.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { HONEYPOT_FIELD, isHoneypotFilled } from '#server/http/honeypot.ts';
import type { Actions } from './$types';

/** "Receive a sign-in link": the password-less way in (candidates have no password until they choose one). */
export const actions: Actions = {
	default: async ({ request, getClientAddress, locals }) => {
		const data = await request.formData();
		if (isHoneypotFilled(data)) {
			locals.logger.info({ reason: 'honeypot' }, 'Sign-in link request dropped');
			return { sent: true };
		}
		const app = getApp();
		try {
			await requestSignInLink(
				{
					input: { email: formText(data, 'email') },
					clientAddress: getClientAddress(),
					programmeId: locals.programmeOfHost ?? null
				},
				{ db: app.database.db, config: app.config }
			);
		} catch (error) {
			return failForm(error, formValues(data, [HONEYPOT_FIELD]));
		}
		// Mailed now, not at the next tick of the worker: the person is waiting for it.
		void app.mailer.kick();
		// Same answer whether or not the address has an account.
		return { sent: true };
	}
};
