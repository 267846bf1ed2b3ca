import type { Role } from '../db/schema/index.ts';

/** Who is acting: passed to every service, which checks permissions against it. */
export type Actor = {
	userId: string;
	name: string;
	email: string;
	role: Role;
	programmeId: string;
	/** For partners: their organisation (their scope). */
	organisationId: string | null;
	locale: 'fr' | 'en';
	isDemo: boolean;
};

/** The programme staff roles that see the back office. */
export const STAFF_ROLES: readonly Role[] = ['admin', 'advisor'];

export function isStaff(actor: Actor | null): boolean {
	return actor !== null && STAFF_ROLES.includes(actor.role);
}
