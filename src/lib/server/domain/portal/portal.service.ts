import type { Db } from '../../db/index.ts';
import type { OfferKind, WorkspaceKind } from '../../db/schema/index.ts';
import { markdownToText } from '../../content/markdown.ts';
import { loadCogData } from '../../geo/cog.ts';
import { parseInput } from '../../validation.ts';
import { pickLocalised } from '../village/village.rules.ts';
import {
	countKeyFigures,
	findMetropole,
	findOfferHits,
	findVillageHits,
	findWorkspaceHits
} from './portal.repository.ts';
import { searchTerms } from './portal.rules.ts';
import {
	portalKeyFiguresSchema,
	searchPortalSchema,
	type PortalKeyFiguresInput,
	type SearchPortalInput
} from './portal.schemas.ts';

/** Length of the text excerpt shown under each search result. */
const EXCERPT_LENGTH = 160;

export type VillageSearchHit = {
	slug: string;
	name: string;
	population: number | null;
	excerpt: string | null;
	isDemo: boolean;
};
export type WorkspaceSearchHit = {
	slug: string;
	name: string;
	kind: WorkspaceKind;
	communeName: string;
	excerpt: string | null;
	isDemo: boolean;
};
/** An offer found by the search; an anonymised takeover has no title, commune, price or excerpt. */
export type OfferSearchHit = {
	id: string;
	kind: OfferKind;
	title: string | null;
	communeCode: string | null;
	communeName: string | null;
	price: number | null;
	surfaceM2: number | null;
	sector: string | null;
	areaLabel: string | null;
	excerpt: string | null;
	isAnonymised: boolean;
	isDemo: boolean;
};
export type PortalSearchResult = {
	/** The words actually searched (empty: the query was too short, nothing was searched). */
	terms: string[];
	villages: VillageSearchHit[];
	workspaces: WorkspaceSearchHit[];
	offers: OfferSearchHit[];
};

const excerpt = (markdown: string | null) => (markdown ? markdownToText(markdown, EXCERPT_LENGTH) : null);

/**
 * The portal's search across partner villages, workspaces and public offers. Every word
 * of `q` must be found (names, communes, texts in both languages), accents and case
 * ignored: "eauze" finds Éauze, "MIELAN" finds Miélan. Texts come back in `locale`.
 */
export async function searchPortal(
	input: SearchPortalInput,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<PortalSearchResult> {
	const { programmeId, q, limit, locale } = parseInput(searchPortalSchema, input);
	const terms = searchTerms(q);
	if (terms.length === 0) return { terms, villages: [], workspaces: [], offers: [] };
	const villages = await findVillageHits({ db, programmeId, terms, limit });
	const workspaces = await findWorkspaceHits({ db, programmeId, terms, limit });
	const offers = await findOfferHits({ db, programmeId, terms, now, limit });
	return {
		terms,
		villages: villages.map((row) => ({
			slug: row.slug,
			name: row.name,
			population: row.population,
			excerpt: excerpt(pickLocalised({ fr: row.presentationFr, en: row.presentationEn }, locale)),
			isDemo: row.isDemo
		})),
		workspaces: workspaces.map((row) => ({
			slug: row.slug,
			name: row.name,
			kind: row.kind,
			communeName: row.communeName,
			excerpt: excerpt(pickLocalised({ fr: row.descriptionFr, en: row.descriptionEn }, locale)),
			isDemo: row.isDemo
		})),
		offers: offers.map((row) =>
			row.isAnonymised
				? {
						id: row.id,
						kind: row.kind,
						title: null,
						communeCode: null,
						communeName: null,
						price: null,
						surfaceM2: null,
						sector: row.sector,
						areaLabel: row.areaLabel,
						excerpt: null,
						isAnonymised: true,
						isDemo: row.isDemo
					}
				: {
						id: row.id,
						kind: row.kind,
						title: pickLocalised({ fr: row.titleFr, en: row.titleEn }, locale),
						communeCode: row.communeCode,
						communeName: row.communeName,
						price: row.price,
						surfaceM2: row.surfaceM2,
						sector: row.sector,
						areaLabel: row.areaLabel,
						excerpt: excerpt(pickLocalised({ fr: row.descriptionFr, en: row.descriptionEn }, locale)),
						isAnonymised: false,
						isDemo: row.isDemo
					}
		)
	};
}

/**
 * The home page's key figures, counted live. Each one has a single definition, so that
 * categories are never mixed (the programme's published totals were):
 * - partnerVillages: villages of the programme with the status 'partner' (a welcome committee);
 * - workspaces: telecentres, coworking spaces, tiers-lieux and fablabs listed by the programme;
 * - availableOffers: listings available, published and not expired at `now`.
 */
export type PortalKeyFigures = { partnerVillages: number; workspaces: number; availableOffers: number };

export async function getPortalKeyFigures(
	input: PortalKeyFiguresInput,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ figures: PortalKeyFigures }> {
	const { programmeId } = parseInput(portalKeyFiguresSchema, input);
	return { figures: await countKeyFigures({ db, programmeId, now }) };
}

const metropoleNames = new Map<string, string | null>();

/**
 * The name of the programme's metropole (distances are measured to it): its commune
 * when imported, else the official geographic code (the metropole is usually outside
 * the programme's départements, e.g. Toulouse for the Gers). Null when unset.
 */
export async function findMetropoleName(
	{ programmeId }: { programmeId: string },
	{ db }: { db: Db }
): Promise<{ name: string | null }> {
	const metropole = await findMetropole({ db, programmeId });
	if (!metropole?.code) return { name: null };
	if (metropole.name) return { name: metropole.name };
	if (!metropoleNames.has(metropole.code)) {
		const commune = loadCogData().communes.find(
			(c) => c.code === metropole.code && c.type === 'commune-actuelle'
		);
		metropoleNames.set(metropole.code, commune?.nom ?? null);
	}
	return { name: metropoleNames.get(metropole.code) ?? null };
}
