import { getApp } from '#server/app.ts';
import {
	getSuggestions,
	removeSuggestion,
	saveSuggestion
} from '#server/domain/matching/matching.service.ts';
import { getOwnOfferMatches, setOfferAlerts } from '#server/domain/offer-match/offer-match.service.ts';
import { getProgrammeAddresses } from '#server/domain/programme/programme-host.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * The partner villages ranked for the candidate's household, the ones they kept, the new offers
 * that match their needs and their choice of the daily mail of them.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const { database, config } = getApp();
	const db = database.db;
	try {
		const suggestions = await getSuggestions({ actor }, { db });
		// The other programmes' villages link to their own sites (primary host, else their address here).
		const others = suggestions.status === 'ok' ? suggestions.otherProgrammes : [];
		const addresses = await getProgrammeAddresses(
			{ programmeIds: others.map((other) => other.programmeId), origin: url.origin },
			{ db, config }
		);
		const elsewhere = others.map((other) => ({
			programmeName: other.programmeName,
			origin: addresses.get(other.programmeId) ?? url.origin,
			villages: other.villages.map((village) => ({
				slug: village.slug,
				name: village.name,
				score: village.score
			}))
		}));
		return {
			suggestions,
			elsewhere,
			offerMatches: await getOwnOfferMatches({ actor }, { db })
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const villageId = formText(await request.formData(), 'villageId');
		try {
			await saveSuggestion({ actor, villageId }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, { villageId });
		}
		return { isSaved: true };
	},
	remove: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const villageId = formText(await request.formData(), 'villageId');
		try {
			await removeSuggestion({ actor, villageId }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, { villageId });
		}
		return { isRemoved: true };
	},
	alerts: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		// An unticked box is not sent: off.
		const isWanted = formText(await request.formData(), 'offerAlerts') === 'on';
		try {
			await setOfferAlerts({ actor, isWanted }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, {});
		}
		return { isAlertsSaved: true, isOfferAlertWanted: isWanted };
	}
};
