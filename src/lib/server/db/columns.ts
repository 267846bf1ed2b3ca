import { randomFillSync } from 'node:crypto';
import { text, timestamp } from 'drizzle-orm/pg-core';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const ID_BYTES = 16;
/**
 * Random bytes drawn from the CSPRNG 256 ids at a time: one randomBytes() call per id cost
 * more than the rest of an import's row building (about 6 µs each, 100,000 ids per
 * 10,000-row import).
 */
const pool = Buffer.alloc(ID_BYTES * 256);
let poolOffset = pool.length;

/** A prefixed random id (`prg_3k9…`): self-describing in logs, URLs and CLI arguments. */
export function generateId(prefix: string): string {
	if (poolOffset === pool.length) {
		randomFillSync(pool);
		poolOffset = 0;
	}
	let body = '';
	for (let i = poolOffset; i < poolOffset + ID_BYTES; i++) body += ALPHABET[pool[i] % ALPHABET.length];
	poolOffset += ID_BYTES;
	return `${prefix}_${body}`;
}

/** Primary key column `id` holding a prefixed id generated on insert. */
export const id = (prefix: string) =>
	text('id')
		.primaryKey()
		.$defaultFn(() => generateId(prefix));

export const timestamps = () => ({
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true })
		.notNull()
		.defaultNow()
		.$onUpdateFn(() => new Date())
});
