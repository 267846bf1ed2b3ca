import { redirect } from '@sveltejs/kit';
import type { Actor } from '../auth/actor.ts';

/** Only same-site paths are accepted as `next`, so sign-in cannot redirect elsewhere. */
export function safeNextPath(next: string | null | undefined): string | null {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
	return next;
}

/** Where a person lands after signing in, by role. */
export function homePathFor(actor: Pick<Actor, 'role'>): string {
	if (actor.role === 'member') return '/member';
	if (actor.role === 'candidate') return '/space';
	return ['admin', 'advisor', 'committee', 'partner'].includes(actor.role) ? '/backoffice' : '/';
}

/**
 * Where a person lands after signing in: their role's home, the programme picker when they hold
 * several programmes and chose none, the instance page for an instance admin of no programme.
 */
export function landingPathFor({
	actor,
	mustChooseProgramme,
	isInstanceAdmin
}: {
	actor: Actor | null;
	mustChooseProgramme: boolean;
	isInstanceAdmin: boolean;
}): string {
	if (actor) return homePathFor(actor);
	if (mustChooseProgramme) return '/choose-programme';
	return isInstanceAdmin ? '/instance' : '/';
}

/**
 * Post/redirect/get: after a form action, the browser loads `path` with a GET (303 See
 * Other), so reloading the page does not post the form again. `notice` goes in the query
 * string (`{ created: '1' }` → `?created=1`), where the page reads what to announce.
 */
export function seeOther(path: string, notice: Record<string, string> = {}): never {
	const query = new URLSearchParams(notice).toString();
	redirect(303, query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path);
}
