import { safeNextPath } from './redirects.ts';

/** The page where staff enrol their second factor (and see their sessions). */
export const ACCOUNT_SECURITY_PATH = '/backoffice/account';

/**
 * Where a signed-in person who must first enrol a second factor is sent instead of `path`,
 * or null when `path` stays open to them: their account page, signing out, the public site.
 * The back office and the JSON API are held.
 */
export function twoFactorHoldRedirect(path: string): string | null {
	if (path === ACCOUNT_SECURITY_PATH || path.startsWith(`${ACCOUNT_SECURITY_PATH}/`)) return null;
	if (path === '/backoffice' || path.startsWith('/backoffice/') || path.startsWith('/api/')) {
		return ACCOUNT_SECURITY_PATH;
	}
	return null;
}

/** The second step of sign-in, carrying the page to reach afterwards. */
export function twoFactorStepPath(next: string | null): string {
	const safe = safeNextPath(next);
	return safe ? `/signin/two-factor?next=${encodeURIComponent(safe)}` : '/signin/two-factor';
}
