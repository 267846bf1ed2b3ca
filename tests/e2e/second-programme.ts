import { createAuth } from '../../src/lib/server/auth/auth.ts';
import { parseConfig } from '../../src/lib/server/config.ts';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import { findUserByEmail } from '../../src/lib/server/domain/account/account.repository.ts';
import { createUser, toActor } from '../../src/lib/server/domain/account/account.service.ts';
import { planStay } from '../../src/lib/server/domain/discovery-stay/discovery-stay.service.ts';
import { acceptInvitation, invitePerson } from '../../src/lib/server/domain/people/people.service.ts';
import { createProgrammeWithTerritory } from '../../src/lib/server/domain/programme/programme-territory.service.ts';
import { createReferral } from '../../src/lib/server/domain/referral/referral.service.ts';
import { createWorkspace } from '../../src/lib/server/domain/workspace/workspace.service.ts';
import {
	actorOfUserId,
	createTestCase,
	createTestEvent,
	createTestOffer,
	createTestOrganisation,
	createTestVillage
} from '../../src/lib/server/testing/factories.ts';
import { DEMO_PASSWORD } from './support.ts';

/*
 * A second programme on the demo instance, built from zero through the services (as an operator
 * and its staff would): the Lot, with its own admin, advisor, committee member, partner and
 * candidate, and its own village, organisation, workspace, offer, event, case, referral and stay.
 * One person is also staff of both programmes: admin of the demo (Gers), advisor of the Lot.
 * The security matrix (security-matrix.e2e.ts) asks every route of one programme with the other's ids.
 */

export const OTHER_ROLES = ['admin', 'advisor', 'committee', 'partner', 'candidate'] as const;
export type OtherRole = (typeof OTHER_ROLES)[number];
export const otherEmail = (role: OtherRole) => `${role}@lot.soho.example`;
export const OTHER_PASSWORD = 'lot-matrix-password-2026';
/** Admin of the demo programme and advisor of the Lot: one account, one password (the demo's). */
export const BOTH_EMAIL = 'deux.programmes@example.org';

/**
 * Words only the Lot's records hold (names, titles, e-mails): none may appear in an answer to the
 * demo's people (the Lot's programme name may: a person of both programmes is offered both).
 */
export const OTHER_MARKERS = [
	'lot.soho.example',
	'Quercynou',
	'Coworking du Causse',
	'Maison caussenarde',
	'Atelier cadurcien',
	'Banque du Quercy',
	'Séjour quercynois'
];

/** Builds the Lot on the demo data directory `dataDir` (before the server starts: PGlite has one writer). */
export async function seedSecondProgramme(dataDir: string): Promise<void> {
	const database = await createDb({ dataDir: pgliteDir(dataDir) });
	const { db } = database;
	const config = parseConfig({ NODE_ENV: 'test', SOHO_AUTH_SECRET: 'x'.repeat(40) });
	try {
		const { programme } = await createProgrammeWithTerritory(
			{ input: { slug: 'lot', name: 'Accueil Lot', departements: ['46'], metropoleCode: '31555' } },
			{ db }
		);
		const programmeId = programme.id;
		const village = await createTestVillage(db, {
			programmeId,
			communeCode: '46042',
			presentationFr: 'Quercynou, préfecture du Lot.'
		});
		const bank = await createTestOrganisation(db, {
			programmeId,
			name: 'Banque du Quercy',
			kind: 'bank',
			email: 'banque@lot.soho.example'
		});
		const users = new Map<OtherRole, ReturnType<typeof toActor>>();
		for (const role of OTHER_ROLES) {
			const { user } = await createUser(
				{
					input: {
						email: otherEmail(role),
						name: `Quercynou ${role}`,
						role,
						programmeId,
						password: OTHER_PASSWORD,
						...(role === 'committee' ? { villages: [{ village: village.id, committeeRole: 'mayor' }] } : {}),
						...(role === 'partner' ? { organisationId: bank.id } : {})
					}
				},
				{ db }
			);
			users.set(role, toActor(user));
		}
		const advisor = users.get('advisor')!;
		const { workspace } = await createWorkspace(
			{
				input: {
					programmeId,
					communeCode: '46042',
					kind: 'coworking',
					name: 'Coworking du Causse',
					organisationId: bank.id
				}
			},
			{ db }
		);
		const offer = await createTestOffer(db, {
			programmeId,
			kind: 'house_rent',
			titleFr: 'Maison caussenarde à louer',
			communeCode: '46042',
			villageId: village.id,
			organisationId: bank.id,
			price: 650,
			expiresAt: new Date(Date.now() + 60 * 86_400_000)
		} as never);
		await createTestEvent(db, {
			programmeId,
			titleFr: 'Atelier cadurcien',
			villageId: village.id,
			workspaceId: workspace.id,
			startsAt: new Date(Date.now() + 20 * 86_400_000),
			endsAt: new Date(Date.now() + 20 * 86_400_000 + 7_200_000)
		});
		const { case: kase } = await createTestCase(db, {
			actor: advisor,
			input: {
				firstName: 'Quercynou',
				lastName: 'Candidat',
				email: 'famille@lot.soho.example',
				consentContact: 'on',
				consentShareWithPartners: 'on',
				consentShareWithCommittees: 'on'
			} as never
		});
		await createReferral(
			{ actor: advisor, caseId: kase.id, input: { organisationId: bank.id, needKind: 'financing' } as never },
			{ db, config }
		);
		const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
		await planStay(
			{
				actor: advisor,
				input: {
					kind: 'stay',
					title: 'Séjour quercynois',
					startsOn: day,
					endsOn: day,
					caseIds: [kase.id],
					lodgingOfferId: offer.id
				} as never
			},
			{ db }
		);

		// One person in both: invited by the demo's admin to an account the Lot made (its password kept).
		await createUser(
			{
				input: {
					email: BOTH_EMAIL,
					name: 'Deux Programmes',
					role: 'advisor',
					programmeId,
					password: DEMO_PASSWORD
				}
			},
			{ db }
		);
		const demoAdmin = await findUserByEmail({ db, email: 'admin@demo.soho.example' });
		const { token } = await invitePerson(
			{
				actor: await actorOfUserId(db, demoAdmin!.id),
				input: { email: BOTH_EMAIL, name: 'Deux Programmes', role: 'admin' }
			},
			{ db, config }
		);
		const auth = createAuth({ db, config, sendResetPasswordMail: async () => {} });
		await acceptInvitation(
			{ input: { token, password: DEMO_PASSWORD }, ipAddress: null },
			{ db, auth, config }
		);
	} finally {
		await database.close();
	}
}
