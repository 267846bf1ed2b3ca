import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { auditEntriesTable, Programme } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { insertAuditEntries } from '../audit/audit.repository.ts';
import { inviteFirstAdmin } from '../people/people.service.ts';
import {
	programmeInstanceForbidden,
	programmeNotFound,
	programmeStatusUnchanged
} from './programme.errors.ts';
import {
	findProgrammeUsage,
	updateProgrammeStatus,
	type ProgrammeUsage
} from './programme-instance.repository.ts';
import { findProgrammeById, findProgrammeBySlug } from './programme.repository.ts';
import { suspendProgrammeSchema, type SuspendProgrammeInput } from './programme.schemas.ts';
import { createProgramme } from './programme.service.ts';
import type { CreateProgrammeInput } from './programme.schemas.ts';

/*
 * The instance admin, above the programmes' admins: creates programmes, suspends and resumes
 * them, and sees their usage. Not staff of any programme: these services read figures, never a
 * household's data. The operator does the same from the command line (`by: 'operator'`).
 */

const log = createLogger({ namespace: 'programme:instance' });

/** A signed-in instance admin (`users.is_instance_admin`, `event.locals.instanceAdmin`). */
export type InstanceAdmin = { userId: string; name: string; email: string };
/** Who acts on the instance: an instance admin, or the operator at the command line. */
export type InstanceActor = InstanceAdmin | 'operator';

function assertInstanceActor(by: InstanceActor | null | undefined): asserts by is InstanceActor {
	if (!by) throw programmeInstanceForbidden();
}

/** Every programme with its usage figures (cases, persons, staff, villages, offers, activity, mails this month). */
export async function listProgrammeUsage(
	{ by }: { by: InstanceActor | null },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ programmes: ProgrammeUsage[] }> {
	assertInstanceActor(by);
	const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
	return { programmes: await findProgrammeUsage({ db, monthStart }) };
}

/**
 * Creates a programme and invites its first admin (the invitation mail leaves through the
 * outbox; the link lets them choose their password, or adds the programme to their account).
 */
export async function createProgrammeWithAdmin(
	{
		by,
		input
	}: {
		by: InstanceAdmin | null;
		input: { programme: CreateProgrammeInput; admin: { email: string; name: string; locale?: 'fr' | 'en' } };
	},
	{ db, config, now = new Date() }: { db: Db; config: Config; now?: Date }
): Promise<{ programme: Programme; invitationId: string }> {
	assertInstanceActor(by);
	const { programme } = await createProgramme({ input: input.programme }, { db });
	const { invitation } = await inviteFirstAdmin(
		{ instanceAdmin: by, programmeId: programme.id, input: input.admin },
		{ db, config, now }
	);
	log.info({ programmeId: programme.id, by: by.userId }, 'Programme created by an instance admin');
	return { programme, invitationId: invitation.id };
}

async function loadProgramme(db: Db, ref: string): Promise<Programme> {
	const programme =
		(await findProgrammeBySlug({ db, slug: ref })) ?? (await findProgrammeById({ db, programmeId: ref }));
	if (!programme) throw programmeNotFound({ programme: ref });
	return programme;
}

function statusAudit(
	by: InstanceActor,
	programme: Programme,
	action: 'suspend' | 'resume',
	after: Record<string, unknown>,
	at: Date
): typeof auditEntriesTable.$inferInsert {
	return {
		programmeId: programme.id,
		entityType: 'programme',
		entityId: programme.id,
		caseId: null,
		action,
		actorId: by === 'operator' ? null : by.userId,
		actorLabel: by === 'operator' ? 'operator' : by.name,
		at,
		before: { status: programme.status },
		after
	};
}

/**
 * Suspends a programme: its staff, partners, committee, members and candidates can no longer act
 * (sign-in says why; sessions lose their actor there at the next request), its public site answers
 * 503, its scheduled mailings skip it and its queued mail is held (`ofActiveProgramme`; retention
 * still runs). Nothing is deleted: `resumeProgramme` restores everything, held mail goes out.
 */
export async function suspendProgramme(
	{ by, input }: { by: InstanceActor | null; input: SuspendProgrammeInput },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ programme: Programme }> {
	assertInstanceActor(by);
	const data = parseInput(suspendProgrammeSchema, input);
	const programme = await db.transaction(async (tx) => {
		const current = await loadProgramme(tx, data.programme);
		if (current.status === 'suspended') throw programmeStatusUnchanged({ status: current.status });
		const updated = await updateProgrammeStatus({
			db: tx,
			programmeId: current.id,
			values: { status: 'suspended', suspendedAt: now, suspensionReason: data.reason }
		});
		await insertAuditEntries({
			db: tx,
			entries: [statusAudit(by, current, 'suspend', { status: 'suspended', reason: data.reason }, now)]
		});
		return updated!;
	});
	log.warn({ programmeId: programme.id, by: by === 'operator' ? by : by.userId }, 'Programme suspended');
	return { programme };
}

/** Resumes a suspended programme: everyone of it acts again, as before. */
export async function resumeProgramme(
	{ by, input }: { by: InstanceActor | null; input: { programme: string } },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ programme: Programme }> {
	assertInstanceActor(by);
	const ref = parseInput(suspendProgrammeSchema.entries.programme, input.programme);
	const programme = await db.transaction(async (tx) => {
		const current = await loadProgramme(tx, ref);
		if (current.status !== 'suspended') throw programmeStatusUnchanged({ status: current.status });
		const updated = await updateProgrammeStatus({
			db: tx,
			programmeId: current.id,
			values: { status: 'active', suspendedAt: null, suspensionReason: null }
		});
		await insertAuditEntries({
			db: tx,
			entries: [statusAudit(by, current, 'resume', { status: 'active' }, now)]
		});
		return updated!;
	});
	log.info({ programmeId: programme.id, by: by === 'operator' ? by : by.userId }, 'Programme resumed');
	return { programme };
}

/** Whether a programme is suspended (its public site answers 503, its jobs skip it). */
export function isProgrammeSuspended(programme: Pick<Programme, 'status'>): boolean {
	return programme.status === 'suspended';
}
