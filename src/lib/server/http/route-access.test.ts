import { describe, expect, test } from 'vitest';
import { ROLES } from '../db/schema/index.ts';
import { decideRouteAccess, ROUTE_ACCESS, routeViewerOf } from './route-access.ts';
import { listRoutes } from './routes.test-utils.ts';

describe('route access table', () => {
	const onDisk = new Map(listRoutes().map((route) => [route.id, route.kind]));

	test('every route under src/routes has an entry of its kind, and every entry is a route', () => {
		expect(onDisk.size).toBeGreaterThan(90);
		const listed = new Map(Object.entries(ROUTE_ACCESS).map(([id, access]) => [id, access.kind]));
		expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(onDisk));
	});

	test('no back-office route lets in more roles than the back-office layout did (staff, committee, partner)', () => {
		const backOffice = ['admin', 'advisor', 'committee', 'partner'];
		for (const [id, access] of Object.entries(ROUTE_ACCESS)) {
			if (!id.startsWith('/(backoffice)/')) continue;
			expect(access.allow, id).not.toBe('public');
			expect(access.allow, id).not.toBe('signed-in');
			expect(access.allow, id).not.toBe('instance');
			for (const role of access.allow) expect(backOffice, `${id} lets in ${role}`).toContain(role);
		}
	});

	test('a route missing from the table is refused to everyone, visitors included', () => {
		for (const role of ROLES)
			expect(decideRouteAccess('/(backoffice)/backoffice/new-page', { role })).toEqual({
				outcome: 'deny',
				reason: 'unlisted'
			});
		expect(decideRouteAccess('/(backoffice)/backoffice/new-page', null).outcome).toBe('deny');
		// An inherited property is no entry.
		expect(decideRouteAccess('constructor', { role: 'admin' }).outcome).toBe('deny');
	});

	test('a visitor is sent to sign in, a role not listed is refused, a listed one let in', () => {
		const settings = '/(backoffice)/backoffice/settings';
		expect(decideRouteAccess(settings, null)).toEqual({ outcome: 'sign_in' });
		expect(decideRouteAccess(settings, { role: 'advisor' })).toEqual({ outcome: 'deny', reason: 'role' });
		expect(decideRouteAccess(settings, { role: 'admin' })).toEqual({ outcome: 'allow' });
		expect(decideRouteAccess('/(backoffice)/backoffice', { role: 'member' }).outcome).toBe('deny');
		expect(decideRouteAccess('/(backoffice)/backoffice', { role: 'candidate' }).outcome).toBe('deny');
		expect(decideRouteAccess('/(public)/member', { role: 'member' }).outcome).toBe('allow');
		expect(decideRouteAccess('/(public)/member', { role: 'admin' }).outcome).toBe('deny');
		expect(decideRouteAccess('/(public)/apply', null).outcome).toBe('allow');
	});

	test('the needs and suggestions pages of the candidate space are for candidates only', () => {
		for (const id of ['/(candidate)/space/needs', '/(candidate)/space/suggestions']) {
			expect(decideRouteAccess(id, { role: 'candidate' }).outcome, id).toBe('allow');
			for (const role of ROLES.filter((r) => r !== 'candidate'))
				expect(decideRouteAccess(id, { role }).outcome, `${id} as ${role}`).toBe('deny');
			expect(decideRouteAccess(id, null).outcome).toBe('sign_in');
		}
	});

	test('a signed-in entry lets in every role and sends visitors to sign in', () => {
		const table = { '/x': { kind: 'page', allow: 'signed-in' } } as const;
		for (const role of ROLES) expect(decideRouteAccess('/x', { role }, table).outcome).toBe('allow');
		expect(decideRouteAccess('/x', null, table).outcome).toBe('sign_in');
	});

	test('the instance page is for the signed-in instance admin only, whatever their role or programme', () => {
		const instance = '/(instance)/instance';
		expect(decideRouteAccess(instance, null)).toEqual({ outcome: 'sign_in' });
		// A programme admin who is not the instance admin is refused, as is every other role.
		for (const role of ROLES)
			expect(decideRouteAccess(instance, { role, isInstanceAdmin: false }), role).toEqual({
				outcome: 'deny',
				reason: 'role'
			});
		expect(decideRouteAccess(instance, { role: 'admin' }).outcome).toBe('deny');
		// The instance admin, acting in a programme or in none.
		expect(decideRouteAccess(instance, { role: 'advisor', isInstanceAdmin: true })).toEqual({
			outcome: 'allow'
		});
		expect(decideRouteAccess(instance, { role: null, isInstanceAdmin: true })).toEqual({ outcome: 'allow' });
		// The flag opens no programme's route by itself.
		expect(decideRouteAccess('/(backoffice)/backoffice', { role: null, isInstanceAdmin: true }).outcome).toBe(
			'deny'
		);
	});

	test('the programme picker is for anyone signed in, including a person who acts in no programme yet', () => {
		const picker = '/(auth)/choose-programme';
		expect(decideRouteAccess(picker, null)).toEqual({ outcome: 'sign_in' });
		expect(decideRouteAccess(picker, { role: null })).toEqual({ outcome: 'allow' });
		for (const role of ROLES) expect(decideRouteAccess(picker, { role }).outcome, role).toBe('allow');
	});

	test("a request's viewer: a visitor, a session without a programme, an actor, the instance admin", () => {
		const actor = {
			userId: 'usr_1',
			name: 'A',
			email: 'a@example.org',
			role: 'admin' as const,
			programmeId: 'prg_1',
			organisationId: null,
			locale: 'fr' as const,
			isDemo: false
		};
		const admin = { userId: 'usr_1', name: 'A', email: 'a@example.org' };
		expect(routeViewerOf({ actor: null, sessionToken: null, instanceAdmin: null })).toBeNull();
		expect(routeViewerOf({ actor: null, sessionToken: 'tok', instanceAdmin: null })).toEqual({
			role: null,
			isInstanceAdmin: false
		});
		expect(routeViewerOf({ actor, sessionToken: 'tok', instanceAdmin: null })).toEqual({
			role: 'admin',
			isInstanceAdmin: false
		});
		expect(routeViewerOf({ actor: null, sessionToken: 'tok', instanceAdmin: admin })).toEqual({
			role: null,
			isInstanceAdmin: true
		});
	});
});
