import type { Config } from '../../config.ts';
import { getProgrammeAddress } from '../programme/programme-host.service.ts';
import type { Db } from '../../db/index.ts';
import { createLogger } from '../../logger.ts';
import { queueMail } from '../mail/mail.service.ts';
import { buildTaskDigestMail } from './digest.mails.ts';
import { claimTaskDigest, findDigestRecipients, findDueTasksOfUser } from './digest.repository.ts';

const log = createLogger({ namespace: 'digest' });

const pad = (n: number) => String(n).padStart(2, '0');
/** The server's local date: the digest follows the programme's working day, not UTC. */
const localDay = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

export type TaskDigestResult = { sent: number; alreadySent: number; day: string };

/**
 * The daily digest: every admin and advisor with open tasks due today or overdue gets one email
 * listing them (one message each, in their language, with a link to "my day"). A user gets at
 * most one digest a day, however often the job runs. A system job: no actor.
 */
export async function sendTaskDigests(
	{ now = new Date(), programmeId }: { now?: Date; programmeId?: string },
	{ db, config }: { db: Db; config: Config }
): Promise<TaskDigestResult> {
	const day = localDay(now);
	const recipients = await findDigestRecipients({ db, day, programmeId });
	const result: TaskDigestResult = { sent: 0, alreadySent: 0, day };
	for (const recipient of recipients) {
		// One short transaction per user: the claim and the message commit together.
		const isSent = await db.transaction(async (tx) => {
			const tasks = await findDueTasksOfUser({
				db: tx,
				programmeId: recipient.programmeId,
				userId: recipient.userId,
				day
			});
			if (tasks.length === 0) return false;
			const claimed = await claimTaskDigest({
				db: tx,
				userId: recipient.userId,
				programmeId: recipient.programmeId,
				day,
				taskCount: tasks.length
			});
			if (!claimed) return false;
			const mail = buildTaskDigestMail({
				locale: recipient.locale,
				name: recipient.name,
				day,
				tasks,
				programmeName: recipient.programmeName,
				origin: (await getProgrammeAddress({ programmeId: recipient.programmeId }, { db: tx, config }))
					.address
			});
			await queueMail(
				{ programmeId: recipient.programmeId, kind: 'task.daily_digest', to: recipient.email, ...mail },
				{ db: tx, config }
			);
			return true;
		});
		if (isSent) result.sent++;
		else result.alreadySent++;
	}
	log.info(result, 'Task digests');
	return result;
}
