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

/**
 * Which programme a signed-in person acts in, among their active memberships of active
 * programmes: the programme the request's host name belongs to when they are a member there,
 * else the one they chose (the `soho_programme` cookie, checked against their memberships: a
 * forged id counts for nothing), else their only membership. With several and no valid choice
 * they are asked to pick (`choose`); with none they have no actor (`none`).
 */
export function chooseActorProgramme<M extends { programmeId: string }>({
	memberships,
	programmeOfHost,
	chosenProgrammeId
}: {
	memberships: readonly M[];
	programmeOfHost: string | null;
	chosenProgrammeId: string | null;
}): { outcome: 'act'; membership: M } | { outcome: 'choose' } | { outcome: 'none' } {
	const byHost = programmeOfHost ? memberships.find((m) => m.programmeId === programmeOfHost) : undefined;
	if (byHost) return { outcome: 'act', membership: byHost };
	const chosen = chosenProgrammeId ? memberships.find((m) => m.programmeId === chosenProgrammeId) : undefined;
	if (chosen) return { outcome: 'act', membership: chosen };
	if (memberships.length === 1) return { outcome: 'act', membership: memberships[0] };
	return memberships.length === 0 ? { outcome: 'none' } : { outcome: 'choose' };
}
