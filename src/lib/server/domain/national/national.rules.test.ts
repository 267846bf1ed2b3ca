import { describe, expect, test } from 'vitest';
import { MAP_COMMUNES, placesOf, type NationalPlaceRow } from './national.rules.ts';

const PROGRAMMES = new Map([
	['prg_gers', { id: 'prg_gers', name: 'Gers' }],
	['prg_lot', { id: 'prg_lot', name: 'Lot' }]
]);
const deps = {
	programmeOf: (id: string) => PROGRAMMES.get(id),
	departementNames: new Map([
		['32', 'Gers'],
		['46', 'Lot']
	])
};
const row = (code: string, hits: number, lat: number, programmeIds = ['prg_gers']): NationalPlaceRow => ({
	communeCode: code,
	communeName: `Commune ${code}`,
	departementCode: code.slice(0, 2),
	lat,
	lon: 1,
	hits,
	programmeIds
});

describe('the national map places', () => {
	test('up to MAP_COMMUNES communes are placed each, with their programmes by name', () => {
		const places = placesOf([row('32013', 2, 43.6), row('46042', 3, 44.4, ['prg_lot', 'prg_unknown'])], deps);
		expect(places).toEqual([
			{
				kind: 'commune',
				code: '32013',
				name: 'Commune 32013',
				position: { lat: 43.6, lon: 1 },
				count: 2,
				programmes: [{ id: 'prg_gers', name: 'Gers' }]
			},
			{
				kind: 'commune',
				code: '46042',
				name: 'Commune 46042',
				position: { lat: 44.4, lon: 1 },
				count: 3,
				programmes: [{ id: 'prg_lot', name: 'Lot' }]
			}
		]);
	});

	test('beyond MAP_COMMUNES communes, the map groups them by département (mean position, total, programmes once)', () => {
		const rows = Array.from({ length: MAP_COMMUNES + 1 }, (_, i) =>
			i % 3 === 0
				? row(`46${String(i).padStart(3, '0')}`, 3, 44, ['prg_lot', 'prg_gers'])
				: row(`32${String(i).padStart(3, '0')}`, 1, i % 2 ? 43 : 44)
		);
		const places = placesOf(rows, deps);
		const lot = rows.filter((r) => r.departementCode === '46');
		const gers = rows.filter((r) => r.departementCode === '32');
		expect(places.map((p) => [p.kind, p.code, p.name, p.count])).toEqual([
			['departement', '46', 'Lot', 3 * lot.length],
			['departement', '32', 'Gers', gers.length]
		]);
		expect(places[0].programmes.map((p) => p.name)).toEqual(['Gers', 'Lot']);
		expect(places[1].position.lat).toBeCloseTo(gers.reduce((sum, r) => sum + r.lat, 0) / gers.length, 10);
	});
});
