import { ROLES, type Role } from '../../db/schema/index.ts';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { createUser } from './account.service.ts';

/** Shown on the sign-in page of a demo programme and printed by `npm start`. */
export const DEMO_PASSWORD = 'soho-demo-gers';

/** Synthetic people, one per role; their names say they are demo accounts. */
const DEMO_NAMES: Record<Role, string> = {
	admin: 'Camille Martin (démo)',
	advisor: 'Julien Dupuy (démo)',
	committee: 'Marie Lacoste (démo)',
	partner: 'Thomas Sabathé (démo)',
	member: 'Sofie de Vries (démo)',
	candidate: 'Léa Moreau (démo)'
};

export const DEMO_ACCOUNTS = ROLES.map((role) => ({
	role,
	email: `${role}@demo.soho.example`,
	name: DEMO_NAMES[role]
}));

export const accountsDemoSeedStep: DemoSeedStep = {
	name: 'accounts',
	async run({ db, programme, log }) {
		for (const account of DEMO_ACCOUNTS) {
			await createUser(
				{
					input: {
						...account,
						programmeId: programme.id,
						password: DEMO_PASSWORD,
						locale: account.role === 'member' ? 'en' : 'fr',
						isDemo: true
					}
				},
				{ db }
			);
		}
		log(`Demo accounts: ${DEMO_ACCOUNTS.length} (one per role), password "${DEMO_PASSWORD}".`);
	}
};
