import { randomBytes } from 'node:crypto';
import { text, timestamp } from 'drizzle-orm/pg-core';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A prefixed random id (`prg_3k9…`): self-describing in logs, URLs and CLI arguments. */
export function generateId(prefix: string): string {
	const bytes = randomBytes(16);
	let body = '';
	for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length];
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
