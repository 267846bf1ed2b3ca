import { listPhotos } from '#server/domain/media/media.service.ts';
import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { markdownToText, renderMarkdown } from '#server/content/markdown.ts';
import { getPublicOffer } from '#server/domain/offer/offer.service.ts';
import { findMetropoleName } from '#server/domain/portal/portal.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { listPublicVillages } from '#server/domain/village/village.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { loadPlaces } from '#server/domain/territory/territory-places.service.ts';
import type { PageServerLoad } from './$types';

/**
 * One listing. Expired, taken or under-offer listings answer 404 to the public (the
 * expiry reminder links here, so owners who manage it still see it). A confidential
 * takeover shows its details only to the viewers the offer service allows.
 */
export const load: PageServerLoad = async ({ params, locals }) => {
	const db = getApp().database.db;
	const locale = locals.locale;
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) error(404, { code: 'offer.not_found', message: 'Listing not found' });
	const { offer } = await getPublicOffer(
		{ programmeId: programme.id, offerId: params.offerId, viewer: locals.actor, locale },
		{ db }
	).catch(throwHttpError);
	const { name: metropole } = await findMetropoleName({ programmeId: programme.id }, { db });
	// The village page of the offer's commune: its own village, else the partner village there.
	let village: { slug: string; name: string } | null = null;
	if (!offer.isDetailsHidden && offer.communeCode) {
		const { villages } = await listPublicVillages({ programmeId: programme.id, locale }, { db });
		const match =
			villages.find((v) => v.slug === offer.villageSlug) ??
			villages.find((v) => v.communeCode === offer.communeCode);
		village = match ? { slug: match.slug, name: match.name } : null;
	}
	// A confidential takeover shows no photo: a picture would reveal the business.
	const { photos } = offer.isDetailsHidden
		? { photos: [] }
		: await listPhotos({ programmeId: programme.id, ownerKind: 'offer', ownerId: offer.id }, { db });
	// The locator: the offer's commune on the territory (a confidential takeover shows no place).
	const places = !offer.isDetailsHidden && offer.communeCode ? await loadPlaces({ programme }, { db }) : null;
	return {
		placeOutlines: places?.outlines ?? null,
		place: places && offer.communeCode ? places.placeOf(offer.communeCode) : null,
		photos,
		offer,
		descriptionHtml: renderMarkdown(offer.description),
		summary: markdownToText(offer.description, 155),
		village,
		metropole
	};
};
