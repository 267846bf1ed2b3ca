import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { findUserByEmail, findUserInProgramme } from '../account/account.repository.ts';
import { toActor } from '../account/account.service.ts';
import { saveNeeds } from './matching.service.ts';

/** The demo candidate's needs: a couple renting near Auch, a child at primary school, fibre and a coworking space wanted. */
export const DEMO_CANDIDATE_NEEDS = {
	housingTenure: 'rent',
	budgetMin: '600',
	budgetMax: '1000',
	housingType: 'house',
	minRooms: '4',
	minConnection: '30',
	children: [{ age: '7', schooling: 'primary' }],
	isPartnerSeekingJob: 'on',
	partnerJobSector: 'Infirmière',
	maxStationKm: '30',
	maxMetropoleKm: '100',
	wantsCoworking: 'on',
	villagePreference: 'prefer_partner',
	languages: ['fr', 'en']
};

/** Fills the demo candidate's questionnaire through the service, as the candidate would. */
export const matchingDemoSeedStep: DemoSeedStep = {
	name: 'matching',
	run: async ({ db, programme, log }) => {
		const account = await findUserByEmail({ db, email: 'candidate@demo.soho.example' });
		const user = account
			? await findUserInProgramme({ db, programmeId: programme.id, userId: account.id })
			: null;
		if (!user) return;
		await saveNeeds({ actor: toActor(user), input: DEMO_CANDIDATE_NEEDS }, { db });
		log('matching: the demo candidate’s needs are filled in');
	}
};
