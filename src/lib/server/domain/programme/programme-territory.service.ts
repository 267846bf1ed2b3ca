import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Programme } from '../../db/schema/index.ts';
import { loadCogData } from '../../geo/cog.ts';
import { parseInput } from '../../validation.ts';
import { recordSettingsChange } from '../audit/audit.service.ts';
import {
	importBundledReferenceOf,
	type ImportBundledReferenceResult
} from '../territory/territory-admin.service.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import {
	getTerritoryStatus,
	initTerritory,
	type InitTerritoryResult,
	type OnProgress
} from '../territory/territory.service.ts';
import { programmeForbidden, programmeNotFound, programmeNothingToChange } from './programme.errors.ts';
import { findProgrammeBySlug, updateProgrammeRow } from './programme.repository.ts';
import {
	updateProgrammeSchema,
	type CreateProgrammeInput,
	type UpdateProgrammeInput
} from './programme.schemas.ts';
import { checkProgrammeGeography, createProgramme } from './programme.service.ts';

/**
 * Creates a programme and imports its territory (communes, EPCI, former communes of its
 * départements) from the bundled COG, then the commune outlines and INSEE attributes soho
 * ships for some départements (the Gers), in one transaction: a failure leaves nothing
 * behind. Used by `soho programme create` and the first-run setup.
 */
export async function createProgrammeWithTerritory(
	{ input }: { input: CreateProgrammeInput },
	{ db, onProgress }: { db: Db; onProgress?: OnProgress }
): Promise<{
	programme: Programme;
	territory: InitTerritoryResult;
	reference: ImportBundledReferenceResult;
}> {
	return db.transaction(async (tx) => {
		const { programme } = await createProgramme({ input }, { db: tx });
		const territory = await initTerritory({ departements: programme.departements }, { db: tx, onProgress });
		const reference = await importBundledReferenceOf({ departements: programme.departements }, { db: tx });
		return { programme, territory, reference };
	});
}

/** The settings history's sections that `updateProgramme` may change, with their columns. */
const PROGRAMME_AUDIT_SECTIONS: [string, (keyof Programme)[]][] = [
	['identity', ['name', 'shortName', 'contactEmail', 'languages']],
	['metropole', ['metropoleCode', 'metropoleLat', 'metropoleLon']],
	['territory', ['departements']]
];

const pick = (programme: Programme, fields: (keyof Programme)[]): Record<string, unknown> =>
	Object.fromEntries(fields.map((field) => [field, programme[field]]));

/**
 * Changes a programme's identity or territory. The operator (no actor, from the command line)
 * may change any programme; otherwise only an admin of that programme. Adding a département
 * imports its communes in the same transaction. Changing the metropole forgets the stored
 * position of the previous one unless a new position is given.
 */
export async function updateProgramme(
	{ actor, slug, input }: { actor?: Actor; slug: string; input: UpdateProgrammeInput },
	{ db }: { db: Db }
): Promise<{ programme: Programme; territory: InitTerritoryResult | null }> {
	const data = parseInput(updateProgrammeSchema, input);
	if (Object.values(data).every((value) => value === undefined)) throw programmeNothingToChange();
	if (actor && actor.role !== 'admin') throw programmeForbidden();
	checkProgrammeGeography({
		departements: data.addDepartement ? [data.addDepartement] : undefined,
		metropoleCode: data.metropoleCode
	});
	return db.transaction(async (tx) => {
		const current = await findProgrammeBySlug({ db: tx, slug });
		// Another programme's admin learns nothing about it.
		if (!current || (actor && actor.programmeId !== current.id)) throw programmeNotFound({ slug });
		const changes: Partial<Programme> = {};
		if (data.name !== undefined) changes.name = data.name;
		if (data.shortName !== undefined) changes.shortName = data.shortName || null;
		if (data.contactEmail !== undefined) changes.contactEmail = data.contactEmail || null;
		if (data.languages !== undefined) changes.languages = data.languages;
		if (data.metropoleCode !== undefined && data.metropoleCode !== current.metropoleCode) {
			changes.metropoleCode = data.metropoleCode;
			changes.metropoleLat = null;
			changes.metropoleLon = null;
		}
		if (data.metropolePosition) {
			changes.metropoleLat = data.metropolePosition.lat;
			changes.metropoleLon = data.metropolePosition.lon;
		}
		let programme =
			Object.keys(changes).length > 0
				? await updateProgrammeRow({ db: tx, programmeId: current.id, changes })
				: current;
		let territory: InitTerritoryResult | null = null;
		if (data.addDepartement) {
			territory = await initTerritory({ departements: [data.addDepartement], programme: slug }, { db: tx });
			programme = (await findProgrammeBySlug({ db: tx, slug })) ?? programme;
		}
		// The same history as the settings page's sections (the operator is recorded as the system).
		for (const [section, fields] of PROGRAMME_AUDIT_SECTIONS) {
			await recordSettingsChange(
				{
					programmeId: current.id,
					actor,
					section,
					before: pick(current, fields),
					after: pick(programme, fields)
				},
				{ db: tx }
			);
		}
		return { programme, territory };
	});
}

export type ProgrammeOverview = {
	programme: Programme;
	metropole: {
		code: string;
		name: string | null;
		/** Whether distances to the metropole can be computed (a stored position or an imported commune centroid). */
		hasPosition: boolean;
	} | null;
	departements: { code: string; name: string; communes: number; withOutline: number }[];
	/** What the programme still lacks, as message keys with parameters (the CLI and pages word them). */
	missing: {
		key: 'no_metropole' | 'no_metropole_position' | 'no_communes' | 'no_outlines';
		departement?: string;
	}[];
};

/** A programme with its territory's state and what is missing (`soho programme show`). */
export async function describeProgramme(
	{ slug }: { slug: string },
	{ db }: { db: Db }
): Promise<ProgrammeOverview> {
	const programme = await findProgrammeBySlug({ db, slug });
	if (!programme) throw programmeNotFound({ slug });
	const cog = loadCogData();
	const status = await getTerritoryStatus({}, { db });
	const departements = programme.departements.map((code) => {
		const imported = status.departements.find((d) => d.code === code);
		return {
			code,
			name: cog.departements.find((d) => d.code === code)?.nom ?? code,
			communes: imported?.communes ?? 0,
			withOutline: imported?.withGeometry ?? 0
		};
	});
	const missing: ProgrammeOverview['missing'] = [];
	let metropole: ProgrammeOverview['metropole'] = null;
	if (!programme.metropoleCode) missing.push({ key: 'no_metropole' });
	else {
		const commune = await findCommuneByCode({ db, code: programme.metropoleCode });
		const hasPosition =
			(programme.metropoleLat !== null && programme.metropoleLon !== null) ||
			(commune?.centroidLat !== null && commune?.centroidLat !== undefined);
		metropole = {
			code: programme.metropoleCode,
			name:
				cog.communes.find((c) => c.code === programme.metropoleCode && c.type === 'commune-actuelle')?.nom ??
				null,
			hasPosition
		};
		if (!hasPosition) missing.push({ key: 'no_metropole_position' });
	}
	for (const d of departements) {
		if (d.communes === 0) missing.push({ key: 'no_communes', departement: d.code });
		else if (d.withOutline < d.communes) missing.push({ key: 'no_outlines', departement: d.code });
	}
	return { programme, metropole, departements, missing };
}
