import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import type { GeoJsonGeometry } from '../../db/schema/territory.ts';
import { loadCogData, type CogCommune, type CogEpci } from '../../geo/cog.ts';
import {
	epciKind,
	findUnknownDepartements,
	geometryCentroid,
	matchCommuneOutlines,
	mergeGeometries,
	planUpserts,
	sameGeometry,
	selectTerritoryRecords
} from './territory.rules.ts';
import { departementListSchema } from './territory.schemas.ts';

const square = (x: number, y: number, size = 1): number[][] => [
	[x, y],
	[x + size, y],
	[x + size, y + size],
	[x, y + size],
	[x, y]
];
const polygon = (...rings: number[][][]): GeoJsonGeometry => ({ type: 'Polygon', coordinates: rings });

describe('département codes', () => {
	test('a list typed as "32,31", "32 31" or repeated values gives each code once, upper-cased', () => {
		expect(v.parse(departementListSchema, ['32,31', '2a', '32'])).toEqual(['32', '31', '2A']);
		expect(v.parse(departementListSchema, '32 31')).toEqual(['32', '31']);
		expect(v.safeParse(departementListSchema, [' , ']).success).toBe(false);
	});

	test('codes absent from the official geographic code are reported, in the order given', () => {
		const cog = { departements: [{ code: '32', nom: 'Gers', region: '76' }] };
		expect(findUnknownDepartements(cog, ['99', '32', 'ABC'])).toEqual(['99', 'ABC']);
	});
});

describe('records selected from the COG', () => {
	const communes: CogCommune[] = [
		{
			code: '32001',
			nom: 'A',
			type: 'commune-actuelle',
			departement: '32',
			region: '76',
			anciensCodes: ['32900']
		},
		{
			code: '32002',
			nom: 'B',
			type: 'commune-actuelle',
			departement: '32',
			codesPostaux: ['32300', '32100']
		},
		{ code: '31001', nom: 'C', type: 'commune-actuelle', departement: '31' },
		{ code: '32900', nom: 'Old', type: 'commune-deleguee', departement: '32', chefLieu: '32001' },
		{ code: '32901', nom: 'Assoc', type: 'commune-associee', departement: '32', chefLieu: '32002' }
	];
	const epcis: CogEpci[] = [
		{
			code: '200000001',
			nom: 'CC Both',
			type: 'CC',
			populationMunicipale: 10,
			membres: [
				{ code: '32001', nom: 'A' },
				{ code: '31001', nom: 'C' }
			]
		},
		{ code: '200000002', nom: 'Toulouse Métropole', type: 'METRO', membres: [{ code: '31001', nom: 'C' }] }
	];

	test('only current communes of the départements are kept, with their EPCI even when it spans another département', () => {
		const records = selectTerritoryRecords({ communes, epcis }, ['32']);
		expect(records.communes.map((c) => c.code)).toEqual(['32001', '32002']);
		expect(records.communes[0]).toMatchObject({
			epciCode: '200000001',
			regionCode: '76',
			formerCodes: ['32900']
		});
		expect(records.communes[1]).toMatchObject({ epciCode: null, postalCodes: ['32100', '32300'] });
		expect(records.epcis).toEqual([{ code: '200000001', name: 'CC Both', kind: 'CC', population: 10 }]);
	});

	test('a former code that is also a delegated commune is kept once, as delegated, with its name', () => {
		const records = selectTerritoryRecords({ communes, epcis }, ['32']);
		expect(records.formerCommunes).toEqual([
			{ code: '32900', name: 'Old', kind: 'delegated', communeCode: '32001' },
			{ code: '32901', name: 'Assoc', kind: 'associated', communeCode: '32002' }
		]);
	});

	test('métropoles are stored as ME', () => {
		expect(epciKind('METRO')).toBe('ME');
		expect(epciKind('MET69')).toBe('ME');
		expect(epciKind('CA')).toBe('CA');
	});

	test('the Gers has 458 current communes, each in an EPCI', () => {
		const records = selectTerritoryRecords(loadCogData(), ['32']);
		expect(records.communes).toHaveLength(458);
		expect(records.communes.every((c) => c.epciCode !== null)).toBe(true);
		expect(records.formerCommunes).toContainEqual({
			code: '32074',
			name: 'Cannet',
			kind: 'delegated',
			communeCode: '32344'
		});
	});
});

describe('change counts', () => {
	test('new, changed and identical records are told apart and only the first two are written', () => {
		type Row = { code: string; name: string; tags: string[] };
		const stored = new Map<string, Row>([
			['a', { code: 'a', name: 'A', tags: ['x'] }],
			['b', { code: 'b', name: 'B', tags: [] }]
		]);
		const next: Row[] = [
			{ code: 'a', name: 'A', tags: ['x'] },
			{ code: 'b', name: 'B2', tags: [] },
			{ code: 'c', name: 'C', tags: [] }
		];
		const { toWrite, count } = planUpserts(next, stored, (r) => r.code, ['name', 'tags']);
		expect(count).toEqual({ created: 1, updated: 1, unchanged: 1 });
		expect(toWrite.map((r) => r.code)).toEqual(['b', 'c']);
	});
});

describe('outlines', () => {
	test('the centroid of a square is its centre, whatever the winding order', () => {
		expect(geometryCentroid(polygon(square(0, 0, 2)))).toEqual({ lon: 1, lat: 1 });
		expect(geometryCentroid(polygon(square(0, 0, 2).reverse()))).toEqual({ lon: 1, lat: 1 });
	});

	test('the centroid is weighted by area and holes are subtracted', () => {
		// Two squares of areas 1 and 9: centroid x = (0.5·1 + 11.5·9) / 10.
		const multi: GeoJsonGeometry = {
			type: 'MultiPolygon',
			coordinates: [[square(0, 0, 1)], [square(10, 0, 3)]]
		};
		expect(geometryCentroid(multi).lon).toBeCloseTo((0.5 + 11.5 * 9) / 10, 6);
		// A 4×4 square with a 2×2 hole in its right half moves left.
		const holed = geometryCentroid(polygon(square(0, 0, 4), square(2, 1, 2)));
		expect(holed.lon).toBeCloseTo((2 * 16 - 3 * 4) / 12, 6);
		expect(holed.lat).toBeCloseTo(2, 6);
	});

	test('two communes sharing a border merge into one polygon without the border', () => {
		const merged = mergeGeometries([polygon(square(0, 0)), polygon(square(1, 0))]);
		expect(merged.type).toBe('Polygon');
		expect(geometryCentroid(merged)).toEqual({ lon: 1, lat: 0.5 });
	});

	test('distant parts stay separate polygons of one MultiPolygon', () => {
		const merged = mergeGeometries([polygon(square(0, 0)), polygon(square(5, 5))]);
		expect(merged.type).toBe('MultiPolygon');
		expect(merged.coordinates).toHaveLength(2);
	});

	test('identical outlines are recognised, different ones are not', () => {
		expect(sameGeometry(polygon(square(0, 0)), polygon(square(0, 0)))).toBe(true);
		expect(sameGeometry(polygon(square(0, 0)), polygon(square(0, 1)))).toBe(false);
		expect(sameGeometry(null, polygon(square(0, 0)))).toBe(false);
	});

	test('a former commune outline joins the commune that absorbed it; unknown codes are unmatched', () => {
		const result = matchCommuneOutlines({
			features: [
				{ code: '32001', name: 'A', geometry: polygon(square(0, 0)) },
				{ code: '32900', name: 'Old', geometry: polygon(square(1, 0)) },
				{ code: '32950', name: 'Split', geometry: polygon(square(9, 9)) },
				{ code: '99999', name: null, geometry: polygon(square(5, 5)) }
			],
			communeCodes: new Set(['32001', '32002', '32003']),
			formerCommunes: [
				{ code: '32900', communeCode: '32001' },
				// A former commune split between two current communes: which part goes where is unknown.
				{ code: '32950', communeCode: '32002' },
				{ code: '32950', communeCode: '32003' }
			]
		});
		expect([...result.outlines.keys()]).toEqual(['32001']);
		expect(result.outlines.get('32001')?.type).toBe('Polygon');
		expect(result.merged).toEqual([{ code: '32900', name: 'Old', into: '32001' }]);
		expect(result.unmatched).toEqual([
			{ code: '32950', name: 'Split' },
			{ code: '99999', name: null }
		]);
	});
});
