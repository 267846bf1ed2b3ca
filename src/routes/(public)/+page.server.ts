import { getApp } from '#server/app.ts';
import { listPublicEvents } from '#server/domain/event/event.service.ts';
import { listCoverPhotos } from '#server/domain/media/media.service.ts';
import { searchOffers } from '#server/domain/offer/offer.service.ts';
import {
	findMetropoleName,
	getPortalKeyFigures,
	type PortalKeyFigures
} from '#server/domain/portal/portal.service.ts';
import {
	getPublicResults,
	getPublicSettings,
	type PublicResults
} from '#server/domain/programme-settings/programme-settings.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { listPublicVillages } from '#server/domain/village/village.service.ts';
import { loadPlaces } from '#server/domain/territory/territory-places.service.ts';
import type { PageServerLoad } from './$types';

/** How many listings and villages the home page teases. */
const TEASED = 3;

export const load: PageServerLoad = async ({ locals }) => {
	const db = getApp().database.db;
	const locale = locals.locale;
	const now = new Date();
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) {
		return {
			figures: null as PortalKeyFigures | null,
			countedAt: now,
			offers: [],
			villages: [],
			metropole: null,
			events: [],
			results: null as PublicResults | null,
			placeOutlines: null,
			texts: null as { title: string | null; introHtml: string | null; howItWorksHtml: string | null } | null
		};
	}
	const programmeId = programme.id;
	// Independent reads: in parallel (a pool runs them at once; PGlite queues them without waiting on each).
	const [settings, results, { figures }, { offers }, { villages }, { name: metropole }, { events }, places] =
		await Promise.all([
			getPublicSettings({ programmeId, locale }, { db }),
			getPublicResults({ programmeId }, { db, now }),
			getPortalKeyFigures({ programmeId }, { db, now }),
			// Only the teased rows are read: the newest offers with public details, the villages with the most offers.
			searchOffers({ programmeId, locale, withDetailsOnly: true, limit: TEASED }, { db, now }),
			listPublicVillages({ programmeId, locale, order: 'most_offers', limit: TEASED }, { db, now }),
			findMetropoleName({ programmeId }, { db }),
			listPublicEvents({ programmeId, locale, limit: TEASED }, { db, now }),
			loadPlaces({ programme }, { db })
		]);
	// The teased cards' photos, else their commune on the territory (offers teased have public details).
	const [{ covers: offerCovers }, { covers: villageCovers }] = await Promise.all([
		listCoverPhotos({ programmeId, ownerKind: 'offer', ownerIds: offers.map((o) => o.id) }, { db }),
		listCoverPhotos({ programmeId, ownerKind: 'village', ownerIds: villages.map((v) => v.id) }, { db })
	]);
	return {
		figures,
		results,
		/** The programme's own texts (programme settings); null fields keep the built-in texts. */
		texts: {
			title: settings.homeTitle,
			introHtml: settings.homeIntroHtml,
			howItWorksHtml: settings.howItWorksHtml
		},
		countedAt: now,
		placeOutlines: places.outlines,
		offers: offers.map((offer) => ({
			cover: offer.isDetailsHidden
				? { photo: null, place: null }
				: { photo: offerCovers[offer.id] ?? null, place: places.placeOf(offer.communeCode) },
			id: offer.id,
			kind: offer.kind,
			title: offer.title,
			communeName: offer.communeName,
			price: offer.price,
			surfaceM2: offer.surfaceM2,
			rooms: offer.rooms,
			sector: offer.sector,
			areaLabel: offer.areaLabel,
			connectionLevel: offer.connectionLevel,
			isDemo: offer.isDemo
		})),
		villages: villages.map((village) => ({
			cover: {
				photo: villageCovers[village.id] ?? null,
				place: places.placeOf(village.communeCode, village.centroid)
			},
			slug: village.slug,
			name: village.name,
			population: village.population,
			status: village.status,
			connectionLevel: village.connectionLevel,
			distanceToMetropoleKm: village.distanceToMetropoleKm,
			offerCount: village.offerCount,
			services: village.services,
			isDemo: village.isDemo
		})),
		metropole,
		events: events.map((event) => ({
			id: event.id,
			kind: event.kind,
			title: event.title,
			startsAt: event.startsAt,
			endsAt: event.endsAt,
			placeName: event.workspace?.name ?? event.address,
			communeName: event.workspace ? event.communeName : null,
			capacity: event.capacity,
			isOnline: event.isOnline,
			isDemo: event.isDemo
		}))
	};
};
