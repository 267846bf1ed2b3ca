import { renderSVG } from 'uqr';
import { getApp } from '#server/app.ts';
import {
	confirmTwoFactorEnrolment,
	disableTwoFactor,
	endMyOtherSessions,
	endMySession,
	getTwoFactorStatus,
	listMySessions,
	startTwoFactorEnrolment
} from '#server/domain/account/account-security.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import { ACCOUNT_SECURITY_PATH } from '#server/http/two-factor.ts';
import type { Actions, PageServerLoad } from './$types';

/** The signed-in person's account: their open sessions and their second factor. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const { db, config } = { db: getApp().database.db, config: getApp().config };
	const twoFactor = await getTwoFactorStatus({ actor }, { db });
	const { sessions } = await listMySessions(
		{ actor, currentSessionToken: locals.sessionToken },
		{ db, config }
	);
	const qr = twoFactor.enrolment ? renderSVG(twoFactor.enrolment.uri, { pixelSize: 6 }) : null;
	return {
		twoFactor,
		qrDataUri: qr ? `data:image/svg+xml;base64,${Buffer.from(qr).toString('base64')}` : null,
		sessions,
		idleMinutes: config.sessionIdleMinutes,
		ended: url.searchParams.has('ended') ? Number(url.searchParams.get('ended')) : null,
		isDisabled: url.searchParams.has('disabled')
	};
};

export const actions: Actions = {
	endSession: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await endMySession({ actor, sessionId: formText(data, 'sessionId') }, { db: getApp().database.db });
		} catch (error) {
			return failForm(error, {});
		}
		seeOther(ACCOUNT_SECURITY_PATH, { ended: '1' });
	},
	endOtherSessions: async ({ locals, url }) => {
		const actor = requireActor({ locals, url });
		let ended: number;
		try {
			({ ended } = await endMyOtherSessions(
				{ actor, currentSessionToken: locals.sessionToken ?? '' },
				{ db: getApp().database.db }
			));
		} catch (error) {
			return failForm(error, {});
		}
		seeOther(ACCOUNT_SECURITY_PATH, { ended: String(ended) });
	},
	startTwoFactor: async ({ locals, url }) => {
		const actor = requireActor({ locals, url });
		try {
			await startTwoFactorEnrolment({ actor }, { db: getApp().database.db });
		} catch (error) {
			return failForm(error, {});
		}
		seeOther(ACCOUNT_SECURITY_PATH);
	},
	confirmTwoFactor: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			// Shown once, in this answer only: only their hashes are kept.
			const { recoveryCodes } = await confirmTwoFactorEnrolment(
				{ actor, input: { code: formText(data, 'code') } },
				{ db: getApp().database.db }
			);
			return { recoveryCodes };
		} catch (error) {
			return failForm(error, formValues(data, ['code']));
		}
	},
	disableTwoFactor: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await disableTwoFactor(
				{ actor, input: { password: formText(data, 'password') } },
				{ db: getApp().database.db }
			);
		} catch (error) {
			return failForm(error, formValues(data));
		}
		seeOther(ACCOUNT_SECURITY_PATH, { disabled: '1' });
	}
};
