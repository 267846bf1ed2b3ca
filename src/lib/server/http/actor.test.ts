import { isHttpError, isRedirect } from '@sveltejs/kit';
import { expect, test } from 'vitest';
import type { Actor } from '../auth/actor.ts';
import { followUpForbidden } from '../domain/follow-up/follow-up.errors.ts';
import { requireActor, requireRole, signInPathFor } from './actor.ts';

const advisor: Actor = {
	userId: 'usr_advisor0001',
	name: 'Claire Dupuy',
	email: 'claire@example.org',
	role: 'advisor',
	programmeId: 'prg_gers00001',
	organisationId: null,
	locale: 'fr',
	isDemo: false
};

const eventOf = (actor: Actor | null, path = '/backoffice/cases') => ({
	locals: { actor } as App.Locals,
	url: new URL(`http://localhost${path}`)
});

/** What the guard threw: the redirect's location or the error's status and body. */
function thrownBy(guard: () => unknown) {
	try {
		guard();
	} catch (thrown) {
		if (isRedirect(thrown)) return { status: thrown.status, location: thrown.location };
		if (isHttpError(thrown)) return { status: thrown.status, body: thrown.body };
		throw thrown;
	}
	throw new Error('the guard let the request through');
}

test('a signed-in actor goes through', () => {
	expect(requireActor(eventOf(advisor))).toBe(advisor);
});

test('a visitor is sent to sign in and brought back to the page with its query', () => {
	expect(thrownBy(() => requireActor(eventOf(null, '/backoffice/cases?stage=contacted&q=Dupont')))).toEqual({
		status: 303,
		location: `/signin?next=${encodeURIComponent('/backoffice/cases?stage=contacted&q=Dupont')}`
	});
});

test('a form posted while signed out brings the visitor back to the page of the form, not to the action', () => {
	expect(signInPathFor(new URL('http://localhost/backoffice/settings?/identity'))).toBe(
		`/signin?next=${encodeURIComponent('/backoffice/settings')}`
	);
	expect(signInPathFor(new URL('http://localhost/backoffice/cases/board?stage=new&/move'))).toBe(
		`/signin?next=${encodeURIComponent('/backoffice/cases/board?stage=new')}`
	);
});

test('a role guard lets the listed roles through and sends visitors to sign in', () => {
	const denial = { code: 'case.forbidden', message: 'Only programme staff open cases.' };
	expect(requireRole(eventOf(advisor), ['admin', 'advisor'], denial)).toBe(advisor);
	expect(
		thrownBy(() => requireRole(eventOf(null, '/backoffice/my-day'), ['admin', 'advisor'], denial))
	).toEqual({
		status: 303,
		location: `/signin?next=${encodeURIComponent('/backoffice/my-day')}`
	});
});

test('another role gets a 403 with the page’s code, or the area’s own error and its status', () => {
	const committee: Actor = { ...advisor, role: 'committee' };
	expect(
		thrownBy(() =>
			requireRole(eventOf(committee), ['admin', 'advisor'], {
				code: 'case.forbidden',
				message: 'My day is for programme staff.'
			})
		)
	).toEqual({ status: 403, body: { code: 'case.forbidden', message: 'My day is for programme staff.' } });

	const refused = thrownBy(() =>
		requireRole(eventOf(advisor), ['admin'], (actor) => followUpForbidden({ userId: actor.userId }))
	);
	expect(refused).toMatchObject({ status: 403, body: { code: 'follow_up.forbidden' } });
});
