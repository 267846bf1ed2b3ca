import { fail, redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { signIn } from '#server/domain/account/account.service.ts';
import { listMetropoleCandidates, resolveCommuneCode } from '#server/domain/programme/programme.service.ts';
import { completeSetup, getSetupStatus, verifySetupCode } from '#server/domain/setup/setup.service.ts';
import { forwardSetCookies } from '#server/http/cookies.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** A slug from the short name or the name: "SOHO Solo Gers" → "soho-solo-gers". */
function slugify(text: string): string {
	return (
		text
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60)
			.replace(/-+$/, '') || 'programme'
	);
}

export const load: PageServerLoad = async ({ url }) => {
	const { isOpen } = await getSetupStatus({}, { db: getApp().database.db });
	// Once set up, the page is gone: nobody learns anything from it.
	if (!isOpen) redirect(303, '/signin');
	return { code: url.searchParams.get('code') ?? '' };
};

export const actions: Actions = {
	/** Step 1: the code printed in the terminal. */
	code: async ({ request, getClientAddress }) => {
		const data = await request.formData();
		const code = formText(data, 'code');
		try {
			await verifySetupCode({ code, ipAddress: getClientAddress() }, { db: getApp().database.db });
		} catch (error) {
			return failForm(error, {});
		}
		return {
			step: 'details' as const,
			setupCode: code,
			metropoles: listMetropoleCandidates().candidates
		};
	},
	/** Step 2: the programme and its first admin; the admin is signed in and lands on the dashboard. */
	complete: async ({ request, cookies, getClientAddress }) => {
		const data = await request.formData();
		const values = formValues(data, ['password', 'code']);
		values.languages = data.getAll('languages').map(String).join(',');
		const code = formText(data, 'code');
		const app = getApp();
		const name = formText(data, 'name');
		const shortName = formText(data, 'short_name').trim();
		const contactEmail = formText(data, 'contact_email').trim();
		const email = formText(data, 'admin_email');
		const password = formText(data, 'password');
		const again = {
			step: 'details' as const,
			setupCode: code,
			metropoles: listMetropoleCandidates().candidates
		};
		try {
			await completeSetup(
				{
					input: {
						code,
						programme: {
							slug: slugify(shortName || name),
							name,
							shortName: shortName || undefined,
							contactEmail: contactEmail || undefined,
							departements: formText(data, 'departements')
								.split(/[\s,;]+/)
								.filter(Boolean),
							metropoleCode: resolveCommuneCode({ text: formText(data, 'metropole') }).code,
							languages: data.getAll('languages').map(String)
						},
						admin: {
							name: formText(data, 'admin_name'),
							email,
							password,
							locale: formText(data, 'admin_locale') === 'en' ? 'en' : 'fr'
						}
					},
					ipAddress: getClientAddress()
				},
				{ db: app.database.db }
			);
		} catch (error) {
			const failure = failForm(error, values);
			// A wrong or used code sends back to step 1; other errors keep the form with what was typed.
			const isCodeError = failure.data.code?.startsWith('setup.');
			return fail(failure.status, { ...failure.data, ...(isCodeError ? {} : again) });
		}
		const { headers } = await signIn(
			{
				input: { email, password },
				ipAddress: getClientAddress(),
				userAgent: request.headers.get('user-agent')
			},
			{ db: app.database.db, auth: app.auth, config: app.config }
		);
		forwardSetCookies(headers, cookies);
		redirect(303, '/backoffice');
	}
};
