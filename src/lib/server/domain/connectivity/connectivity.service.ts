import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { CommuneConnectivity, ConnectionLevel } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { chunk } from '../territory/territory.rules.ts';
import {
	connectivityCommuneNotFound,
	connectivityFileNotFound,
	connectivityFileUnreadable,
	connectivityForbidden
} from './connectivity.errors.ts';
import {
	findAllCommuneCodes,
	findConnectivity,
	findConnectivityByCodes,
	upsertConnectivityOverride,
	upsertImportedConnectivity,
	type ImportedConnectivity
} from './connectivity.repository.ts';
import {
	effectiveConnectionLevel,
	isSameConnectivity,
	parseConnectivityCsv,
	type ParsedConnectivityFile
} from './connectivity.rules.ts';
import {
	importConnectivitySchema,
	overrideConnectivitySchema,
	type ConnectivityFormat,
	type ImportConnectivityInput,
	type OverrideConnectivityInput
} from './connectivity.schemas.ts';

const log = createLogger({ namespace: 'connectivity:service' });

/** Rows per INSERT … ON CONFLICT statement. */
const ROW_BATCH = 500;

/** Reads a connectivity file as UTF-8; says whether it is missing or unreadable. */
export function readConnectivityFile({ file }: { file: string }): { text: string; file: string } {
	try {
		return { text: readFileSync(file, 'utf8'), file: basename(file) };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw connectivityFileNotFound({ file });
		throw connectivityFileUnreadable({ file, detail: code ?? String(error) });
	}
}

/** Parses a connectivity file without touching the database; throws the first problem. */
export function parseConnectivityFile({
	text,
	file,
	format = 'auto',
	quarter
}: {
	text: string;
	file: string;
	format?: ConnectivityFormat;
	quarter?: string;
}): ParsedConnectivityFile {
	return parseConnectivityCsv({ text, file, format, quarter });
}

export type ImportConnectivityResult = {
	format: 'arcep-ftth' | 'levels';
	quarter: string | null;
	source: string;
	/** Communes read from the file. */
	read: number;
	/** Communes of the file that are imported communes (created + updated + unchanged). */
	matched: number;
	created: number;
	updated: number;
	unchanged: number;
	/** Communes of the file that are not imported (other départements, or codes since merged). */
	unknown: number;
	/** Unknown codes in the départements that are imported: merged or mistyped communes worth a look. */
	unknownInTerritory: string[];
	/** Matched communes whose level is known after the import (imported or overridden). */
	withLevel: number;
	isDryRun: boolean;
};

/** The source label stored with each row, e.g. 'ARCEP FttH T1 2018' or 'levels.csv'. */
function sourceLabel(parsed: ParsedConnectivityFile, file: string): string {
	return parsed.format === 'arcep-ftth' ? `ARCEP FttH ${parsed.quarter}` : file;
}

/**
 * Imports broadband levels per commune from a CSV, in one transaction: ARCEP's FttH
 * observatory (fibre share → level 'gbit' from 80 %, otherwise unknown) or a simple
 * `code_insee;level` file. Idempotent: rows already holding these values are not
 * written. A bad file fails before anything is written. Overrides are kept.
 */
export async function importConnectivity(
	input: ImportConnectivityInput,
	{ db }: { db: Db }
): Promise<ImportConnectivityResult> {
	const data = parseInput(importConnectivitySchema, input);
	const parsed = parseConnectivityFile(data);
	const source = sourceLabel(parsed, data.file);

	const run = async (tx: Db) => {
		const known = new Set(await findAllCommuneCodes({ db: tx }));
		const matchedRows = parsed.rows.filter((row) => known.has(row.code));
		const unknownRows = parsed.rows.filter((row) => !known.has(row.code));
		const departements = new Set([...known].map((code) => code.slice(0, 2)));
		const stored = new Map(
			(await findConnectivityByCodes({ db: tx, codes: matchedRows.map((row) => row.code) })).map((row) => [
				row.communeCode,
				row
			])
		);
		const toWrite: ImportedConnectivity[] = [];
		let created = 0;
		let unchanged = 0;
		let withLevel = 0;
		for (const row of matchedRows) {
			const next = { fibreShare: row.fibreShare, level: row.level, source, measuredAt: parsed.measuredAt };
			const current = stored.get(row.code);
			if (effectiveConnectionLevel({ level: row.level, overrideLevel: current?.overrideLevel ?? null })) {
				withLevel++;
			}
			if (current && isSameConnectivity(current, next)) {
				unchanged++;
				continue;
			}
			if (!current) created++;
			toWrite.push({ communeCode: row.code, ...next });
		}
		if (!data.isDryRun) {
			for (const batch of chunk(toWrite, ROW_BATCH))
				await upsertImportedConnectivity({ db: tx, rows: batch });
		}
		return {
			format: parsed.format,
			quarter: parsed.quarter,
			source,
			read: parsed.rows.length,
			matched: matchedRows.length,
			created,
			updated: toWrite.length - created,
			unchanged,
			unknown: unknownRows.length,
			unknownInTerritory: unknownRows
				.map((row) => row.code)
				.filter((code) => departements.has(code.slice(0, 2)))
				.sort(),
			withLevel,
			isDryRun: data.isDryRun
		};
	};
	const result = data.isDryRun ? await run(db) : await db.transaction((tx) => run(tx));
	log.info(
		{
			source,
			matched: result.matched,
			created: result.created,
			updated: result.updated,
			dryRun: result.isDryRun
		},
		'Connectivity imported'
	);
	return result;
}

/** A commune's connectivity as pages show it. */
export type ConnectivityView = {
	communeCode: string;
	level: ConnectionLevel | null;
	fibreShare: number | null;
	source: string | null;
	measuredAt: string | null;
	overrideLevel: ConnectionLevel | null;
	overrideNote: string | null;
	/** override ?? level: what filters and pages use. */
	effectiveLevel: ConnectionLevel | null;
};

export function toConnectivityView(row: CommuneConnectivity): ConnectivityView {
	return {
		communeCode: row.communeCode,
		level: row.level,
		fibreShare: row.fibreShare === null ? null : Number(row.fibreShare),
		source: row.source,
		measuredAt: row.measuredAt,
		overrideLevel: row.overrideLevel,
		overrideNote: row.overrideNote,
		effectiveLevel: effectiveConnectionLevel(row)
	};
}

/** A commune's connectivity, or null when nothing is known about it. */
export async function findCommuneConnectivity(
	{ communeCode }: { communeCode: string },
	{ db }: { db: Db }
): Promise<{ connectivity: ConnectivityView | null }> {
	const row = await findConnectivity({ db, communeCode });
	return { connectivity: row ? toConnectivityView(row) : null };
}

/**
 * Sets (or, with `level: null`, removes) the level staff know better than the imports,
 * with a note saying why. Admins and advisors only, for communes of their programme's
 * départements; the override is shared by every programme, like the commune itself.
 */
export async function overrideConnectivity(
	{ actor, ...input }: { actor: Actor } & OverrideConnectivityInput,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ connectivity: ConnectivityView }> {
	if (!isStaff(actor)) throw connectivityForbidden({ userId: actor.userId });
	const data = parseInput(overrideConnectivitySchema, input);
	return db.transaction(async (tx) => {
		const [commune, programme] = [
			await findCommuneByCode({ db: tx, code: data.communeCode }),
			await findProgrammeById({ db: tx, programmeId: actor.programmeId })
		];
		if (!commune || !programme?.departements.includes(commune.departementCode)) {
			throw connectivityCommuneNotFound({ code: data.communeCode });
		}
		const row = await upsertConnectivityOverride({
			db: tx,
			communeCode: data.communeCode,
			overrideLevel: data.level,
			overrideNote: data.level === null ? null : (data.note ?? null),
			overriddenBy: actor.userId,
			overriddenAt: now
		});
		log.info(
			{ communeCode: data.communeCode, level: data.level, userId: actor.userId },
			'Connectivity overridden'
		);
		return { connectivity: toConnectivityView(row) };
	});
}
