import { readFileSync } from 'node:fs';
import type { ConfidenceType } from '../../../domain/stats/survival.ts';
import type { ContiguityRule } from '../../../domain/stats/spatial.ts';
import { readTable, TabularError, type Table } from '../../files/tabular.ts';
import { statsEmptyInput, statsInvalidGeojson, statsUnreadableFile } from './stats.errors.ts';
import {
	kaplanMeierOutput,
	moranOutput,
	survivalSample,
	type Feature,
	type KmOutput,
	type MoranOutput
} from './stats.rules.ts';

/*
 * The statistics library on files (`soho stats km`, `soho stats moran`): reads a CSV/XLSX table or
 * a GeoJSON file, checks it (errors name the file, the row or the feature) and shapes the result
 * as R prints it (see stats.rules.ts). No database, no actor: the files are the operator's own.
 */

async function readInputTable(file: string): Promise<Table> {
	let bytes: Uint8Array;
	try {
		bytes = readFileSync(file);
	} catch (error) {
		throw statsUnreadableFile({ file, detail: (error as NodeJS.ErrnoException).code ?? String(error) });
	}
	try {
		const { table } = await readTable(file, bytes);
		return table;
	} catch (error) {
		if (error instanceof TabularError) {
			if (error.reason === 'empty_file') throw statsEmptyInput({ file });
			throw statsUnreadableFile({ file, detail: error.message });
		}
		throw error;
	}
}

function readFeatures(file: string): Feature[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw statsUnreadableFile({ file, detail: (error as NodeJS.ErrnoException).code ?? String(error) });
	}
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		throw statsInvalidGeojson({ file, detail: (error as Error).message });
	}
	const collection = data as { type?: unknown; features?: unknown };
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
		throw statsInvalidGeojson({ file, detail: 'not a FeatureCollection' });
	}
	if (collection.features.length === 0) throw statsEmptyInput({ file });
	return collection.features as Feature[];
}

/** Kaplan–Meier curves (per group, with the log-rank test) of the times and events of a table file. */
export async function kaplanMeierOfFile(input: {
	file: string;
	columns: { time: string; event: string; group?: string };
	confType: ConfidenceType;
	confLevel: number;
}): Promise<KmOutput> {
	const table = await readInputTable(input.file);
	const sample = survivalSample(table, input.columns, input.file);
	return kaplanMeierOutput(sample, { confType: input.confType, confLevel: input.confLevel });
}

/** Global Moran's I of a numeric property of the polygons of a GeoJSON file. */
export function moranOfFile(input: { file: string; property: string; weights: ContiguityRule }): MoranOutput {
	return moranOutput(readFeatures(input.file), input.property, input.weights);
}
