import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { isDomainError } from '../errors.ts';
import { featureInseeCode, parseCommuneFeatures, readJsonFile } from './geojson.ts';

const ring = [
	[0, 0],
	[1, 0],
	[1, 1],
	[0, 0]
];
const feature = (
	properties: Record<string, unknown> | null,
	geometry: unknown = { type: 'Polygon', coordinates: [ring] }
) => ({
	type: 'Feature',
	properties,
	geometry
});

function errorCode(work: () => unknown): string | undefined {
	try {
		work();
	} catch (error) {
		if (isDomainError(error)) return error.code;
		throw error;
	}
	return undefined;
}

test('the INSEE code is read from code (france-geojson) or INSEE_COM (IGN), and numbers get their zero back', () => {
	expect(featureInseeCode({ code: '32013', nom: 'Auch' })).toBe('32013');
	expect(featureInseeCode({ INSEE_COM: '2A004' })).toBe('2A004');
	expect(featureInseeCode({ code: 1001 })).toBe('01001');
	expect(featureInseeCode({ code: '32' })).toBeNull();
	expect(featureInseeCode(null)).toBeNull();
});

test('features of a commune FeatureCollection come out with code, name and geometry', () => {
	const features = parseCommuneFeatures(
		{ type: 'FeatureCollection', features: [feature({ INSEE_COM: '32013', NOM: 'Auch' })] },
		{ source: 'f.geojson' }
	);
	expect(features).toEqual([
		{ code: '32013', name: 'Auch', geometry: { type: 'Polygon', coordinates: [ring] } }
	]);
});

test('files that are not commune outlines are refused with the reason', () => {
	const parse = (data: unknown) => () => parseCommuneFeatures(data, { source: 'f.geojson' });
	expect(errorCode(parse({ type: 'Feature' }))).toBe('territory.invalid_geojson');
	expect(errorCode(parse([1, 2]))).toBe('territory.invalid_geojson');
	expect(errorCode(parse({ type: 'FeatureCollection', features: [feature({ code: '32013' }, null)] }))).toBe(
		'territory.invalid_feature'
	);
	expect(
		errorCode(
			parse({
				type: 'FeatureCollection',
				features: [feature({ code: '32013' }, { type: 'Point', coordinates: [0, 0] })]
			})
		)
	).toBe('territory.invalid_feature');
	// A file of départements: `code` is there but is not a commune code.
	expect(
		errorCode(parse({ type: 'FeatureCollection', features: [feature({ code: '32', nom: 'Gers' })] }))
	).toBe('territory.no_insee_property');
});

test('a missing file and a file that is not JSON are told apart', () => {
	const dir = mkdtempSync(join(tmpdir(), 'soho-geojson-'));
	writeFileSync(join(dir, 'bad.geojson'), '{"type": "FeatureCollection", ');
	expect(errorCode(() => readJsonFile(join(dir, 'missing.geojson')))).toBe('territory.file_not_found');
	expect(errorCode(() => readJsonFile(join(dir, 'bad.geojson')))).toBe('territory.invalid_json');
	expect(errorCode(() => readJsonFile(dir))).toBe('territory.file_unreadable');
});
