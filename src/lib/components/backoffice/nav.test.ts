import { describe, expect, test } from 'vitest';
import { BACKOFFICE_NAV, currentNavHref, navItemsFor } from './nav.ts';

describe('the back office sidebar marks one item as the current page', () => {
	const staff = navItemsFor('advisor');

	test('the duplicates page is "Duplicates" only, though its address is under the cases', () => {
		expect(currentNavHref(staff, '/backoffice/cases/duplicates')).toBe('/backoffice/cases/duplicates');
	});

	test('a case page and the board belong to "Cases"', () => {
		expect(currentNavHref(staff, '/backoffice/cases/cas_abc123')).toBe('/backoffice/cases');
		expect(currentNavHref(staff, '/backoffice/cases/board')).toBe('/backoffice/cases');
	});

	test('the dashboard is current on its own address only, and a look-alike prefix matches nothing', () => {
		expect(currentNavHref(staff, '/backoffice')).toBe('/backoffice');
		expect(currentNavHref(staff, '/backoffice/account')).toBeNull();
		expect(currentNavHref(BACKOFFICE_NAV, '/backoffice/casesX')).toBeNull();
	});
});
