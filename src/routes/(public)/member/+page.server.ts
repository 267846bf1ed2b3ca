import { getApp } from '#server/app.ts';
import { listOwnPairings } from '#server/domain/ambassador/ambassador.service.ts';
import {
	getOwnProfile,
	updateOwnAmbassadorOffer,
	updateOwnProfile
} from '#server/domain/member/member.service.ts';
import { listProgrammeCommuneChoices } from '#server/domain/territory/territory.service.ts';
import { LANGUAGE_NAMES } from '#server/domain/member/member.rules.ts';
import { DEFAULT_PROFILE_VISIBILITY, PROFILE_FIELDS } from '#server/db/schema/index.ts';
import { requireRole } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { communeCodeOfChoice } from '$lib/domain/communes.ts';
import type { Actions, PageServerLoad } from './$types';

const MEMBERS_ONLY = { code: 'member.forbidden', message: 'The member space is for members.' };

/** The member space: their directory profile, who sees each field, the opt-in, the ambassador offer. */
export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, ['member'], MEMBERS_ONLY);
	const db = getApp().database.db;
	const { profile } = await getOwnProfile({ actor }, { db }).catch(throwHttpError);
	const { pairings } = await listOwnPairings({ actor }, { db }).catch(throwHttpError);
	const { communes } = await listProgrammeCommuneChoices({ programmeId: actor.programmeId }, { db });
	return {
		communes,
		languageCodes: Object.keys(LANGUAGE_NAMES),
		profile: {
			id: profile.id,
			displayName: profile.displayName,
			headline: profile.headline ?? '',
			skills: profile.skills.join(', '),
			services: profile.services ?? '',
			story: profile.story ?? '',
			languages: profile.languages.join(', '),
			communeCode: profile.communeCode ?? '',
			website: profile.website ?? '',
			isListed: profile.isListed,
			// Profiles saved before a field existed show its default.
			visibility: { ...DEFAULT_PROFILE_VISIBILITY, ...profile.visibility },
			isAmbassador: profile.isAmbassador,
			ambassadorAvailability: profile.ambassadorAvailability ?? '',
			ambassadorLanguages: profile.ambassadorLanguages.join(', '),
			isDemo: profile.isDemo
		},
		email: actor.email,
		pairings: pairings.map((pairing) => ({
			id: pairing.id,
			status: pairing.status,
			note: pairing.note,
			createdAt: pairing.createdAt,
			endedAt: pairing.endedAt,
			endedReason: pairing.endedReason,
			newcomerName: [pairing.newcomerFirstName, pairing.newcomerLastName].filter(Boolean).join(' '),
			newcomerLanguages: pairing.newcomerLanguages
		}))
	};
};

export const actions: Actions = {
	profile: async ({ request, locals, url }) => {
		const actor = requireRole({ locals, url }, ['member'], MEMBERS_ONLY);
		const data = await request.formData();
		// The ticked languages are one value each: kept all, for the form shown again.
		const values = { ...formValues(data), languages: data.getAll('languages').join(', '), form: 'profile' };
		const db = getApp().database.db;
		const { communes } = await listProgrammeCommuneChoices({ programmeId: actor.programmeId }, { db });
		try {
			await updateOwnProfile(
				{
					actor,
					input: {
						displayName: formText(data, 'displayName'),
						headline: formText(data, 'headline'),
						skills: formText(data, 'skills'),
						services: formText(data, 'services'),
						story: formText(data, 'story'),
						languages: data.getAll('languages').map(String),
						communeCode: communeCodeOfChoice(formText(data, 'communeCode'), communes),
						website: formText(data, 'website'),
						isListed: formText(data, 'isListed'),
						visibility: Object.fromEntries(
							PROFILE_FIELDS.map((field) => [field, formText(data, `visibility_${field}`) || undefined])
						)
					}
				},
				{ db }
			);
		} catch (err) {
			return failForm(err, values);
		}
		return { saved: 'profile' as const };
	},
	ambassador: async ({ request, locals, url }) => {
		const actor = requireRole({ locals, url }, ['member'], MEMBERS_ONLY);
		const data = await request.formData();
		const values = {
			...formValues(data),
			ambassadorLanguages: data.getAll('ambassadorLanguages').join(', '),
			form: 'ambassador'
		};
		try {
			await updateOwnAmbassadorOffer(
				{
					actor,
					input: {
						isAmbassador: formText(data, 'isAmbassador'),
						ambassadorAvailability: formText(data, 'ambassadorAvailability'),
						ambassadorLanguages: data.getAll('ambassadorLanguages').map(String)
					}
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, values);
		}
		return { saved: 'ambassador' as const };
	}
};
