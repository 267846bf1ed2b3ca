import type { Db } from '../../db/index.ts';
import type { Programme } from '../../db/schema/index.ts';
import { loadCogData } from '../../geo/cog.ts';
import { parseInput } from '../../validation.ts';
import { territoryUnknownDepartement } from '../territory/territory.errors.ts';
import { findUnknownDepartements } from '../territory/territory.rules.ts';
import { programmeNotFound, programmeSlugTaken, programmeUnknownMetropole } from './programme.errors.ts';
import {
	findProgrammeById,
	findProgrammeBySlug,
	findProgrammes,
	insertProgramme,
	updateProgrammeDepartements
} from './programme.repository.ts';
import { createProgrammeSchema, type CreateProgrammeInput } from './programme.schemas.ts';

/**
 * Checks a programme's départements and metropole against the official geographic code
 * (offline): every département must exist, the metropole must be a current French commune
 * (it may lie outside the territory: Toulouse for the Gers). Returns the metropole's name.
 */
export function checkProgrammeGeography({
	departements,
	metropoleCode
}: {
	departements?: string[];
	metropoleCode?: string;
}): { metropoleName: string | null } {
	const cog = loadCogData();
	if (departements) {
		const unknown = findUnknownDepartements(cog, departements);
		if (unknown.length > 0) {
			throw territoryUnknownDepartement({ field: 'departements', departements: unknown.join(', ') });
		}
	}
	if (metropoleCode === undefined) return { metropoleName: null };
	const commune = cog.communes.find((c) => c.code === metropoleCode && c.type === 'commune-actuelle');
	if (!commune) throw programmeUnknownMetropole({ field: 'metropoleCode', code: metropoleCode });
	return { metropoleName: commune.nom };
}

const normaliseName = (name: string) =>
	name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[\s'’-]+/g, ' ')
		.trim()
		.toLowerCase();

/**
 * A commune as typed in a form: an INSEE code, "Toulouse (31555)" as the suggestion list
 * shows it, or a name that only one current commune bears. Anything else is returned as
 * typed, for the schema and the COG check to refuse with a message naming the field.
 */
export function resolveCommuneCode({ text }: { text: string }): { code: string } {
	const code = /\b(\d{5}|2[AB]\d{3})\b/i.exec(text)?.[1];
	if (code) return { code: code.toUpperCase() };
	const wanted = normaliseName(text);
	if (!wanted) return { code: text.trim() };
	const matches = loadCogData().communes.filter(
		(c) => c.type === 'commune-actuelle' && normaliseName(c.nom) === wanted
	);
	return { code: matches.length === 1 ? matches[0].code : text.trim() };
}

/** Communes of 50,000 inhabitants or more, largest first: the suggestions for a metropole. */
export function listMetropoleCandidates(): { candidates: { code: string; name: string }[] } {
	const candidates = loadCogData()
		.communes.filter((c) => c.type === 'commune-actuelle' && (c.population ?? 0) >= 50_000)
		.sort((a, b) => (b.population ?? 0) - (a.population ?? 0))
		.map((c) => ({ code: c.code, name: c.nom }));
	return { candidates };
}

/**
 * Creates a programme (the tenant). Called by the operator (`soho programme create`), the
 * first-run setup and the demo seed. The territory's communes are imported separately
 * (`createProgrammeWithTerritory` does both in one transaction).
 */
export async function createProgramme(
	{ input }: { input: CreateProgrammeInput },
	{ db }: { db: Db }
): Promise<{ programme: Programme }> {
	const data = parseInput(createProgrammeSchema, input);
	const departements = [...new Set(data.departements)].sort();
	checkProgrammeGeography({ departements, metropoleCode: data.metropoleCode });
	return db.transaction(async (tx) => {
		if (await findProgrammeBySlug({ db: tx, slug: data.slug })) {
			throw programmeSlugTaken({ field: 'slug', slug: data.slug });
		}
		const programme = await insertProgramme({
			db: tx,
			programme: {
				slug: data.slug,
				name: data.name,
				shortName: data.shortName ?? null,
				contactEmail: data.contactEmail ?? null,
				departements,
				metropoleCode: data.metropoleCode ?? null,
				languages: data.languages,
				isDemo: data.isDemo,
				isInNationalPortal: data.isInNationalPortal
			}
		});
		return { programme };
	});
}

export async function getProgrammeBySlug(
	{ slug }: { slug: string },
	{ db }: { db: Db }
): Promise<{ programme: Programme }> {
	const programme = await findProgrammeBySlug({ db, slug });
	if (!programme) throw programmeNotFound({ slug });
	return { programme };
}

export async function listProgrammes(
	_input: object,
	{ db }: { db: Db }
): Promise<{ programmes: Programme[] }> {
	return { programmes: await findProgrammes({ db }) };
}

/** Adds départements to a programme's territory (used by `soho territory init --programme`). */
export async function addProgrammeDepartements(
	{ slug, departements }: { slug: string; departements: string[] },
	{ db }: { db: Db }
): Promise<{ programme: Programme; added: string[] }> {
	return db.transaction(async (tx) => {
		const programme = await findProgrammeBySlug({ db: tx, slug });
		if (!programme) throw programmeNotFound({ slug });
		const added = departements.filter((code) => !programme.departements.includes(code));
		if (added.length > 0) {
			const all = [...programme.departements, ...added].sort();
			await updateProgrammeDepartements({ db: tx, programmeId: programme.id, departements: all });
			programme.departements = all;
		}
		return { programme, added };
	});
}

/**
 * The programme the public site presents: the one the request's host names (`programmeId`,
 * from `locals.programmeOfHost`), otherwise the oldest programme of the instance (most
 * instances host one, and any host not given to a programme shows it).
 */
export async function findPublicProgramme(
	{ programmeId }: { programmeId: string | null | undefined },
	{ db }: { db: Db }
): Promise<{ programme: Programme | null }> {
	if (programmeId) {
		const programme = await findProgrammeById({ db, programmeId });
		if (programme) return { programme };
	}
	const [first] = await findProgrammes({ db });
	return { programme: first ?? null };
}
