import type { Cookies } from '@sveltejs/kit';
import { safeNextPath } from './redirects.ts';

/**
 * The programme a person of several programmes chose to act in (its id). Only a wish: every
 * request checks it against their active memberships (`chooseActorProgramme`), so a forged id
 * gives nothing.
 */
export const PROGRAMME_COOKIE = 'soho_programme';

export const CHOOSE_PROGRAMME_PATH = '/choose-programme';

/** Remembers the programme chosen (a year; httpOnly, sameSite lax, secure over https). */
export function rememberProgramme(cookies: Cookies, programmeId: string, { secure }: { secure: boolean }) {
	cookies.set(PROGRAMME_COOKIE, programmeId, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: 60 * 60 * 24 * 365
	});
}

/**
 * Where a signed-in person who must first pick a programme is sent instead of `path`, or null
 * when `path` stays open to them (the picker itself, signing out, the public site).
 */
export function chooseProgrammeRedirect(path: string): string | null {
	if (path === CHOOSE_PROGRAMME_PATH || path === '/signout') return null;
	const held =
		path === '/backoffice' ||
		path.startsWith('/backoffice/') ||
		path === '/space' ||
		path.startsWith('/space/') ||
		path === '/member' ||
		path.startsWith('/member/') ||
		path.startsWith('/api/');
	return held ? chooseProgrammePath(path) : null;
}

/** The programme picker, carrying the page to reach afterwards. */
export function chooseProgrammePath(next: string | null): string {
	const safe = safeNextPath(next);
	return safe ? `${CHOOSE_PROGRAMME_PATH}?next=${encodeURIComponent(safe)}` : CHOOSE_PROGRAMME_PATH;
}
