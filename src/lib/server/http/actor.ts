import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actor } from '../auth/actor.ts';
import type { Role } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { throwHttpError } from './errors.ts';

/*
 * The signed-in actor of a page, an action or an endpoint. Signed-out visitors go to the
 * sign-in page, which brings them back (`?next=`) once signed in.
 */

type ActorEvent = Pick<RequestEvent, 'locals' | 'url'>;

/**
 * The page to come back to after signing in: the path and its query, minus a form action's
 * `?/name` (a form posted while signed out brings the person back to the page of the form).
 */
export function signInPathFor(url: URL): string {
	let search = url.search;
	if ([...url.searchParams.keys()].some((key) => key.startsWith('/'))) {
		const query = new URLSearchParams(url.searchParams);
		for (const key of [...query.keys()]) if (key.startsWith('/')) query.delete(key);
		search = query.size > 0 ? `?${query}` : '';
	}
	return `/signin?next=${encodeURIComponent(url.pathname + search)}`;
}

/** The signed-in actor; a visitor is sent to the sign-in page (303) and comes back here after. */
export function requireActor({ locals, url }: ActorEvent): Actor {
	if (!locals.actor) redirect(303, signInPathFor(url));
	return locals.actor;
}

/**
 * What a signed-in actor of another role gets: a 403 with this code and message, or the
 * area's own domain error (its status comes from `http/errors.ts`).
 */
export type RoleDenial = { code: string; message: string } | ((actor: Actor) => DomainError);

/** The signed-in actor when their role is one of `roles`; others are refused as `denial` says. */
export function requireRole(event: ActorEvent, roles: readonly Role[], denial: RoleDenial): Actor {
	const actor = requireActor(event);
	if (roles.includes(actor.role)) return actor;
	if (typeof denial === 'function') throwHttpError(denial(actor));
	error(403, denial);
}
