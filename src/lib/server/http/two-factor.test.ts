import { expect, test } from 'vitest';
import { twoFactorHoldRedirect, twoFactorStepPath } from './two-factor.ts';

test('staff held for enrolment reach only their account page, the public site and sign-out', () => {
	for (const path of ['/backoffice', '/backoffice/cases', '/backoffice/settings', '/api/v1/observatory']) {
		expect(twoFactorHoldRedirect(path)).toBe('/backoffice/account');
	}
	for (const path of ['/backoffice/account', '/', '/signout', '/legal', '/backoffice-not']) {
		expect(twoFactorHoldRedirect(path)).toBeNull();
	}
});

test('the second step of sign-in keeps only a same-site page to go on to', () => {
	expect(twoFactorStepPath('/backoffice/cases')).toBe('/signin/two-factor?next=%2Fbackoffice%2Fcases');
	expect(twoFactorStepPath('//evil.example')).toBe('/signin/two-factor');
	expect(twoFactorStepPath(null)).toBe('/signin/two-factor');
});
