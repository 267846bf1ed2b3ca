import { eq } from 'drizzle-orm';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { usersTable } from '../../db/schema/index.ts';
import { actorOfUser } from '../account/account.service.ts';
import { findCaseOfCandidate } from '../case/case.repository.ts';
import { addActivity } from '../case/case.service.ts';
import { requestCaseDocument } from './candidate-space-documents.service.ts';
import { replyToCandidate, sendOwnMessage } from './candidate-space.service.ts';

const DEMO_CANDIDATE_EMAIL = 'candidate@demo.soho.example';
const DAY = 86_400_000;

/**
 * The demo candidate's space, through the same services as the pages: a conversation with
 * their advisor, an upcoming meeting, and two documents asked for. The notification mails stay
 * held in the outbox (no SMTP for demo addresses). Nothing when the demo candidate or their file
 * is missing.
 */
export const candidateSpaceDemoSeedStep: DemoSeedStep = {
	name: 'candidate space',
	async run({ db, config, programme, log }) {
		const [user] = await db.select().from(usersTable).where(eq(usersTable.email, DEMO_CANDIDATE_EMAIL));
		const candidate = user ? await actorOfUser({ user, programmeId: programme.id }, { db }) : null;
		if (!candidate || candidate.role !== 'candidate') return;
		const kase = await findCaseOfCandidate({ db, programmeId: programme.id, userId: candidate.userId });
		if (!kase?.advisorId) return;
		const [advisorUser] = await db.select().from(usersTable).where(eq(usersTable.id, kase.advisorId));
		const advisor = await actorOfUser({ user: advisorUser, programmeId: programme.id }, { db });
		if (!advisor) return;
		const deps = { db, config: { ...config, smtpUrl: undefined } };
		const now = Date.now();
		await sendOwnMessage(
			{
				actor: candidate,
				input: {
					body: 'Bonjour, nous aimerions visiter deux villages au printemps. Est-ce possible de rencontrer les maires pendant le même séjour ?'
				}
			},
			{ ...deps, now: new Date(now - 3 * DAY) }
		);
		await replyToCandidate(
			{
				actor: advisor,
				caseId: kase.id,
				input: {
					body: "Bonjour ! Oui, c'est tout à fait possible : je vous propose un séjour de trois jours début avril, avec deux rendez-vous en mairie et une visite de l'espace de coworking. Je vous envoie le programme cette semaine."
				}
			},
			{ ...deps, now: new Date(now - 2 * DAY) }
		);
		await addActivity(
			{
				actor: advisor,
				caseId: kase.id,
				kind: 'meeting',
				occurredAt: new Date(now + 6 * DAY),
				summary: 'Rendez-vous en visio pour préparer le séjour de découverte'
			},
			{ db }
		);
		for (const label of ['Justificatif de domicile', 'CV des deux adultes']) {
			await requestCaseDocument({ actor: advisor, caseId: kase.id, input: { label } }, deps);
		}
		log(
			`Candidate space: the demo candidate's file ${kase.reference} has messages, a meeting and two documents asked for.`
		);
	}
};
