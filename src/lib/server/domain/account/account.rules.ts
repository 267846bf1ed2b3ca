/**
 * Until when sign-in stays locked for one email from one IP address, or null when it is open.
 * `failures` counts the failed (and still pending) attempts since the last success, within
 * `maxLockMinutes`. At `limit` failures the lock lasts `firstLockMinutes` from the latest one,
 * and doubles with every further failure (one more guess is allowed each time a lock ends), up
 * to `maxLockMinutes`.
 */
export function signInLockedUntil({
	failures,
	lastFailureAt,
	limit,
	firstLockMinutes,
	maxLockMinutes
}: {
	failures: number;
	lastFailureAt: Date | null;
	limit: number;
	firstLockMinutes: number;
	maxLockMinutes: number;
}): Date | null {
	if (failures < limit || !lastFailureAt) return null;
	const minutes = Math.min(firstLockMinutes * 2 ** Math.min(failures - limit, 20), maxLockMinutes);
	return new Date(lastFailureAt.getTime() + minutes * 60_000);
}
