/**
 * The account of a household's candidate, created or reused when they apply (no password: they
 * sign in with a link). Called by the case intake in its transaction.
 */
import type { Db } from '../../db/index.ts';
import {
	findMembership,
	findUserByEmail,
	insertMembership,
	insertUsersWithMemberships
} from './account.repository.ts';

/**
 * The candidate account for `email` in a programme: a new user with a 'candidate' membership, or
 * the existing user (a candidate membership added when they have none in this programme). null
 * when the address belongs to someone with another role or a deactivated membership here: an
 * application never grants access to a staff, committee or partner account, nor reopens one.
 */
export async function ensureCandidateAccount(
	{
		programmeId,
		email,
		name,
		locale,
		isDemo = false
	}: { programmeId: string; email: string; name: string; locale: 'fr' | 'en'; isDemo?: boolean },
	{ db }: { db: Db }
): Promise<{ userId: string; isNew: boolean } | null> {
	const address = email.trim().toLowerCase();
	const user = await findUserByEmail({ db, email: address });
	if (!user) {
		const [created] = await insertUsersWithMemberships({
			db,
			users: [{ email: address, name, locale, isDemo, emailVerified: false, role: 'candidate', programmeId }]
		});
		return { userId: created.id, isNew: true };
	}
	const membership = await findMembership({ db, userId: user.id, programmeId });
	if (!membership) {
		await insertMembership({ db, values: { userId: user.id, programmeId, role: 'candidate' } });
		return { userId: user.id, isNew: false };
	}
	if (membership.role !== 'candidate' || membership.status !== 'active') return null;
	return { userId: user.id, isNew: false };
}
