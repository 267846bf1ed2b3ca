import { getApp } from '#server/app.ts';
import { REFERRAL_STATUSES, type ReferralStatus } from '#server/db/schema/index.ts';
import { listReferralOrganisations, listReferrals } from '#server/domain/referral/referral.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

/** Staff: every referral of the programme; partners: their organisation's inbox. Filters by status and overdue. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const wanted = url.searchParams.get('status') ?? '';
	const status = (REFERRAL_STATUSES as readonly string[]).includes(wanted)
		? (wanted as ReferralStatus)
		: null;
	const isOverdue = url.searchParams.get('overdue') === 'on';
	const isStaff = actor.role === 'admin' || actor.role === 'advisor';
	const db = getApp().database.db;
	try {
		const { organisations } = isStaff
			? await listReferralOrganisations({ actor }, { db })
			: { organisations: [] };
		const wantedOrganisation = url.searchParams.get('organisation') ?? '';
		const organisationId = organisations.some((o) => o.id === wantedOrganisation) ? wantedOrganisation : null;
		const { referrals, total } = await listReferrals(
			{
				actor,
				status: status ?? undefined,
				isOverdue,
				organisationId: organisationId ?? undefined,
				limit: 200
			},
			{ db }
		);
		return {
			referrals,
			total,
			status,
			isOverdue,
			statuses: REFERRAL_STATUSES,
			organisations,
			organisationId,
			isStaff
		};
	} catch (err) {
		throwHttpError(err);
	}
};
