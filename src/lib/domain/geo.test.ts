import { expect, test } from 'vitest';
import { distanceToMetropoleKm, haversineKm } from './geo.ts';

const TOULOUSE = { lat: 43.6045, lon: 1.4442 };

test('the haversine distance matches reference great-circle distances', () => {
	// Paris (Notre-Dame) – London (Trafalgar Square): 343.5 km on a 6371 km sphere.
	expect(haversineKm({ lat: 48.8566, lon: 2.3522 }, { lat: 51.5074, lon: -0.1278 })).toBeCloseTo(343.5, 0);
	// One degree of latitude along a meridian is 111.2 km.
	expect(haversineKm({ lat: 43, lon: 0 }, { lat: 44, lon: 0 })).toBeCloseTo(111.2, 1);
	expect(haversineKm(TOULOUSE, TOULOUSE)).toBe(0);
	// Symmetric.
	const auch = { lat: 43.6465, lon: 0.5855 };
	expect(haversineKm(auch, TOULOUSE)).toBeCloseTo(haversineKm(TOULOUSE, auch), 9);
});

test('Auch is about 69 km from Toulouse as the crow flies', () => {
	expect(distanceToMetropoleKm({ lat: 43.6465, lon: 0.5855 }, TOULOUSE)).toBeCloseTo(69.3, 0);
});

test('the distance to the metropole is unknown when a centroid is missing', () => {
	expect(distanceToMetropoleKm({ lat: null, lon: null }, TOULOUSE)).toBeNull();
	expect(distanceToMetropoleKm({ lat: 43.6, lon: 0.5 }, { lat: null, lon: 1.4 })).toBeNull();
	expect(distanceToMetropoleKm(null, TOULOUSE)).toBeNull();
});
