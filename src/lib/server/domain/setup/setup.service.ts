import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import type { Db } from '../../db/index.ts';
import type { Programme, User } from '../../db/schema/index.ts';
import { parseInput } from '../../validation.ts';
import { createUser } from '../account/account.service.ts';
import { createProgrammeWithTerritory } from '../programme/programme-territory.service.ts';
import { createProgrammeSchema, type CreateProgrammeInput } from '../programme/programme.schemas.ts';
import { setupClosed, setupInvalidCode, setupTooManyAttempts } from './setup.errors.ts';
import {
	countRecentSetupFailures,
	findSetupCode,
	hasAnyAdmin,
	insertSetupAttempt,
	markSetupCodeUsed,
	upsertSetupCode
} from './setup.repository.ts';
import { setupAdminSchema, setupCodeSchema, type SetupAdminInput } from './setup.schemas.ts';

/**
 * First run without the demo: while the instance has no admin, `/setup` creates the first
 * programme and its admin, for whoever holds the one-time code printed in the server's
 * terminal (nobody else on the network can take the instance).
 */

/** Letters and digits that cannot be confused when read from a terminal (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 16 characters of a 31-letter alphabet: about 79 bits, shown as four groups of four. */
const CODE_LENGTH = 16;

/** Wrong codes allowed per window, from one address and overall. */
export const SETUP_THROTTLE = { windowMinutes: 15, perIp: 10, total: 50 } as const;

export function generateSetupCode(): string {
	let code = '';
	for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	return code.match(/.{4}/g)!.join('-');
}

/** SHA-256 of the normalised code (dashes and spaces removed, upper case). */
function hashSetupCode(code: string): Buffer {
	return createHash('sha256').update(v.parse(setupCodeSchema, code)).digest();
}

/**
 * Called at each server start: while no admin exists, makes a new code, stores its hash
 * (replacing the previous one) and returns it to be printed; otherwise returns null.
 */
export async function openSetup(_input: object, { db }: { db: Db }): Promise<{ code: string | null }> {
	if (await hasAnyAdmin({ db })) return { code: null };
	const code = generateSetupCode();
	await upsertSetupCode({ db, codeHash: hashSetupCode(code).toString('hex') });
	return { code };
}

/** Whether `/setup` is open: no admin yet, and a code was issued and not used. */
export async function getSetupStatus(_input: object, { db }: { db: Db }): Promise<{ isOpen: boolean }> {
	if (await hasAnyAdmin({ db })) return { isOpen: false };
	const stored = await findSetupCode({ db });
	return { isOpen: Boolean(stored && !stored.usedAt) };
}

/**
 * Checks a typed code: throttled per address and overall, compared in constant time, every
 * attempt recorded. Throws `setup.closed`, `setup.too_many_attempts` or `setup.invalid_code`.
 */
export async function verifySetupCode(
	{ code, ipAddress }: { code: unknown; ipAddress: string | null },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ status: 'valid' }> {
	if (await hasAnyAdmin({ db })) throw setupClosed();
	const stored = await findSetupCode({ db });
	if (!stored || stored.usedAt) throw setupClosed();
	const since = new Date(now.getTime() - SETUP_THROTTLE.windowMinutes * 60_000);
	const failures = await countRecentSetupFailures({ db, ipAddress, since });
	if (failures.byIp >= SETUP_THROTTLE.perIp || failures.total >= SETUP_THROTTLE.total) {
		throw setupTooManyAttempts({ retryAfterMinutes: SETUP_THROTTLE.windowMinutes });
	}
	const parsed = v.safeParse(setupCodeSchema, code);
	const isValid =
		parsed.success && timingSafeEqual(hashSetupCode(parsed.output), Buffer.from(stored.codeHash, 'hex'));
	await insertSetupAttempt({ db, ipAddress, isSuccess: isValid });
	if (!isValid) throw setupInvalidCode({ field: 'code' });
	return { status: 'valid' };
}

const completeSetupSchema = v.object({ programme: createProgrammeSchema, admin: setupAdminSchema });

export type CompleteSetupInput = {
	code: string;
	programme: CreateProgrammeInput;
	admin: SetupAdminInput;
};

/**
 * Creates the first programme (with its territory imported from the COG) and its first
 * admin, then closes the setup for good, in one transaction: on any error nothing is
 * written and the code still works. The caller signs the admin in.
 */
export async function completeSetup(
	{ input, ipAddress }: { input: CompleteSetupInput; ipAddress: string | null },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ programme: Programme; user: User }> {
	await verifySetupCode({ code: input.code, ipAddress }, { db, now });
	// Field errors name `programme.…` and `admin.…`, as the form does.
	const data = parseInput(completeSetupSchema, { programme: input.programme, admin: input.admin });
	return db.transaction(async (tx) => {
		// Two tabs may submit at once: the first to lock the code wins, the other finds it used.
		const stored = await findSetupCode({ db: tx, forUpdate: true });
		if (!stored || stored.usedAt || (await hasAnyAdmin({ db: tx }))) throw setupClosed();
		const { programme } = await createProgrammeWithTerritory({ input: data.programme }, { db: tx });
		const { user } = await createUser(
			{
				input: {
					name: data.admin.name,
					email: data.admin.email,
					password: data.admin.password,
					locale: data.admin.locale,
					role: 'admin',
					programmeId: programme.id
				}
			},
			{ db: tx }
		);
		if (!(await markSetupCodeUsed({ db: tx, at: now }))) throw setupClosed();
		return { programme, user };
	});
}
