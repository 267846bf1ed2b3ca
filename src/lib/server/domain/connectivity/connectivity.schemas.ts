import * as v from 'valibot';
import { CONNECTION_LEVELS } from '../../db/schema/index.ts';
import { inseeCodeSchema } from '../programme/programme.schemas.ts';

export const connectionLevelSchema = v.picklist(CONNECTION_LEVELS, 'connectivity.invalid_level');

export const CONNECTIVITY_FORMATS = ['auto', 'arcep-ftth', 'levels'] as const;
export type ConnectivityFormat = (typeof CONNECTIVITY_FORMATS)[number];

export const importConnectivitySchema = v.object({
	/** The file's text (UTF-8). */
	text: v.string(),
	/** File name, shown in messages and stored as the source. */
	file: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(300)),
	format: v.optional(v.picklist(CONNECTIVITY_FORMATS, 'connectivity.invalid_format'), 'auto'),
	/** ARCEP quarter column, e.g. 'T1 2018'; defaults to the latest one. */
	quarter: v.optional(
		v.pipe(v.string(), v.trim(), v.regex(/^T[1-4] \d{4}$/, 'connectivity.invalid_quarter'))
	),
	isDryRun: v.optional(v.boolean(), false)
});
export type ImportConnectivityInput = v.InferInput<typeof importConnectivitySchema>;

export const overrideConnectivitySchema = v.object({
	communeCode: inseeCodeSchema,
	/** null removes the override: the imported level applies again. */
	level: v.nullable(connectionLevelSchema),
	note: v.optional(
		v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(1000, 'connectivity.note_too_long'))),
		null
	)
});
export type OverrideConnectivityInput = v.InferInput<typeof overrideConnectivitySchema>;
