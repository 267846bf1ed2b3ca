import type { Db } from '../../db/index.ts';
import {
	insertUsersWithMemberships,
	type NewProgrammeUser,
	type ProgrammeUser
} from './account.repository.ts';

/**
 * Inserts test users, each with an active membership of their programme carrying their
 * role (and organisation for partners). Returns the users with their role and scope.
 */
export async function insertTestUsers(
	db: Db,
	users: NewProgrammeUser | NewProgrammeUser[]
): Promise<ProgrammeUser[]> {
	return insertUsersWithMemberships({ db, users: Array.isArray(users) ? users : [users] });
}
