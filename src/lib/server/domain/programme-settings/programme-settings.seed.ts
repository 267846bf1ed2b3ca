import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { findUserByEmail } from '../account/account.repository.ts';
import { actorOfUser } from '../account/account.service.ts';
import { DEMO_ACCOUNTS } from '../account/account.seed.ts';
import { updateLegalNotice, updatePrivacyNotice } from './programme-settings.service.ts';

/**
 * The demo's legal and privacy notices, written by the demo admin through the settings
 * service as a real programme's admin would. Every value says it is fictitious.
 */
export const programmeSettingsDemoSeedStep: DemoSeedStep = {
	name: 'programme settings',
	async run({ db, log }) {
		const email = DEMO_ACCOUNTS.find((account) => account.role === 'admin')?.email ?? '';
		const user = await findUserByEmail({ db, email });
		const actor = user ? await actorOfUser({ user }, { db }) : null;
		if (!actor) throw new Error('The demo admin must be seeded before the programme settings.');
		await updateLegalNotice(
			{
				actor,
				input: {
					publisher: 'Chambre de commerce fictive du Gers (démonstration)',
					address: '1 place de la Démonstration, 32000 Auch (adresse fictive)',
					registration: 'SIREN 000 000 000 (fictif)',
					director: 'Camille Martin (démo)',
					hostName: 'Hébergeur de démonstration (fictif)',
					hostAddress: '1 rue de l’Exemple, 75000 Paris (adresse fictive)'
				}
			},
			{ db }
		);
		await updatePrivacyNotice(
			{
				actor,
				input: {
					controller: 'Chambre de commerce fictive du Gers (démonstration)',
					dpoContact: 'dpo@demo.soho.example (adresse fictive)',
					retention:
						'Dossiers : 3 ans après le dernier contact, puis anonymisation. Suivi des ménages installés : 5 ans. (Durées de démonstration.)'
				}
			},
			{ db }
		);
		log('Programme settings: fictitious legal and privacy notices.');
	}
};
