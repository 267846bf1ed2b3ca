import { readFileSync } from 'node:fs';
import type { Db } from '../../db/index.ts';
import { readTable, TabularError } from '../../files/tabular.ts';
import { parseInput } from '../../validation.ts';
import {
	territoryFileNotFound,
	territoryFileUnreadable,
	territoryInseeMissingColumns,
	territoryInseeUnreadable,
	territoryNoCommunes
} from './territory.errors.ts';
import { findFormerCommunes } from './territory.repository.ts';
import {
	countCommunesWithInseeAttributes,
	findCommuneInseeAttributes,
	updateCommuneInseeAttributes
} from './territory-insee.repository.ts';
import {
	countAavCategories,
	parseCantonTable,
	parseInseeCommuneTable,
	planInseeAttributes,
	type AavCategory,
	type CantonSeatRow,
	type InseeAttributeUpdate,
	type InseeCommuneRow
} from './territory-insee.rules.ts';
import { chunk } from './territory.rules.ts';
import { importInseeAttributesSchema, type ImportInseeAttributesInput } from './territory.schemas.ts';

const ROW_BATCH = 500;

/** A file given to the import: its name (recorded as the source) and its bytes. */
export type InseeFile = { name: string; bytes: Uint8Array<ArrayBuffer> };

/** Reads a file from disk for the import; says whether it is missing or unreadable. */
export function readInseeFile(path: string): InseeFile {
	try {
		const buffer = readFileSync(path);
		const bytes = new Uint8Array(
			buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)
		);
		return { name: path.split(/[\\/]/).pop() ?? path, bytes };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw territoryFileNotFound({ file: path });
		throw territoryFileUnreadable({ file: path, detail: code ?? String(error) });
	}
}

async function readTextTable(file: InseeFile) {
	try {
		return (await readTable(file.name, file.bytes)).table;
	} catch (error) {
		if (error instanceof TabularError)
			throw territoryInseeUnreadable({ file: file.name, detail: error.message });
		throw error;
	}
}

/**
 * Parses the INSEE commune table (and the cantons file) without touching the database:
 * the CLI calls it before opening PGlite, so a wrong file fails at once.
 */
export async function parseInseeFiles({
	communes,
	cantons
}: {
	communes: InseeFile;
	cantons?: InseeFile | null;
}): Promise<{ rows: InseeCommuneRow[]; skipped: number; cantons: CantonSeatRow[] | null }> {
	const parsed = parseInseeCommuneTable(await readTextTable(communes));
	if (!parsed.ok) {
		throw territoryInseeMissingColumns({
			file: communes.name,
			missing: parsed.missing.join(', '),
			found: parsed.found.slice(0, 20).join(', ')
		});
	}
	let seats: CantonSeatRow[] | null = null;
	if (cantons) {
		const parsedCantons = parseCantonTable(await readTextTable(cantons));
		if (!parsedCantons.ok) {
			throw territoryInseeMissingColumns({
				file: cantons.name,
				missing: parsedCantons.missing.join(', '),
				found: parsedCantons.found.slice(0, 20).join(', ')
			});
		}
		seats = parsedCantons.cantons;
	}
	return { rows: parsed.rows, skipped: parsed.skipped, cantons: seats };
}

export type ImportInseeAttributesResult = {
	source: string;
	cantonsSource: string | null;
	/** Data rows read from the commune table (rows without a commune code are `skipped`). */
	rows: number;
	skipped: number;
	/** Imported communes described by the file under their own code. */
	matched: number;
	/** Former communes of the file whose attributes went to the commune that absorbed them. */
	mappedFromFormer: { code: string; into: string }[];
	/** Rows of former communes whose successor has its own row: ignored. */
	superseded: number;
	/** Rows of communes that are not imported (other départements): ignored. */
	unknown: number;
	updated: number;
	unchanged: number;
	/** Imported communes the file does not describe. */
	missing: string[];
	/** Communes described by the file, per AAV category. */
	aavCategories: Record<AavCategory | 'none', number>;
	/** Communes that are the bureau centralisateur of a canton (null without a cantons file). */
	cantonSeats: number | null;
};

const sameUpdate = (
	stored: {
		aavCode: string | null;
		aavCategory: string | null;
		cantonCode: string | null;
		isCantonSeat: boolean | null;
		inseeAttributesSource: string | null;
	},
	update: InseeAttributeUpdate,
	source: string
) =>
	stored.aavCode === update.aavCode &&
	stored.aavCategory === update.aavCategory &&
	stored.cantonCode === update.cantonCode &&
	stored.inseeAttributesSource === source &&
	(update.isCantonSeat === undefined || stored.isCantonSeat === update.isCantonSeat);

/**
 * Imports the AAV 2020 code and category, the canton and (with the COG cantons file) the
 * bureau centralisateur flag of the communes already imported, in one transaction.
 * Rows of other communes are ignored and counted; former codes go to their successor.
 * Idempotent: a second run with the same files writes nothing.
 */
export async function importInseeAttributes(
	input: ImportInseeAttributesInput,
	{ db }: { db: Db }
): Promise<ImportInseeAttributesResult> {
	const data = parseInput(importInseeAttributesSchema, input);
	const communes = { name: data.communes.name, bytes: data.communes.bytes as Uint8Array<ArrayBuffer> };
	const cantons = data.cantons
		? { name: data.cantons.name, bytes: data.cantons.bytes as Uint8Array<ArrayBuffer> }
		: null;
	const parsed = await parseInseeFiles({ communes, cantons });

	return db.transaction(async (tx) => {
		const stored = await findCommuneInseeAttributes({ db: tx });
		if (stored.length === 0) throw territoryNoCommunes();
		const codes = stored.map((c) => c.code);
		const formerCommunes = await findFormerCommunes({ db: tx, communeCodes: codes });
		const plan = planInseeAttributes({
			rows: parsed.rows,
			communeCodes: codes,
			formerCommunes,
			cantonSeats: parsed.cantons ? new Set(parsed.cantons.map((c) => c.seatCode)) : null
		});
		const byCode = new Map(stored.map((c) => [c.code, c]));
		const toWrite = plan.updates.filter(
			(update) => !sameUpdate(byCode.get(update.code)!, update, communes.name)
		);
		for (const batch of chunk(toWrite, ROW_BATCH)) {
			await updateCommuneInseeAttributes({ db: tx, source: communes.name, rows: batch });
		}
		return {
			source: communes.name,
			cantonsSource: cantons?.name ?? null,
			rows: parsed.rows.length,
			skipped: parsed.skipped,
			matched: plan.matched,
			mappedFromFormer: plan.mappedFromFormer,
			superseded: plan.superseded,
			unknown: plan.unknown,
			updated: toWrite.length,
			unchanged: plan.updates.length - toWrite.length,
			missing: plan.missing,
			aavCategories: countAavCategories(plan.updates),
			cantonSeats: parsed.cantons ? plan.updates.filter((u) => u.isCantonSeat).length : null
		};
	});
}

/** Whether the INSEE attributes are imported: communes, with an AAV category, with a canton seat flag. */
export async function getInseeAttributesStatus(
	_input: object,
	{ db }: { db: Db }
): Promise<{ communes: number; withAavCategory: number; withCantonSeat: number }> {
	return countCommunesWithInseeAttributes({ db });
}
