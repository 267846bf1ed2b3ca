import type { Actor } from '../auth/actor.ts';

/** Only same-site paths are accepted as `next`, so sign-in cannot redirect elsewhere. */
export function safeNextPath(next: string | null | undefined): string | null {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
	return next;
}

/** Where a person lands after signing in, by role. */
export function homePathFor(actor: Actor): string {
	if (actor.role === 'member') return '/member';
	return ['admin', 'advisor', 'committee', 'partner'].includes(actor.role) ? '/backoffice' : '/';
}
