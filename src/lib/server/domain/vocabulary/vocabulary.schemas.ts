import * as v from 'valibot';
import { VOCABULARIES, VOCABULARY_KEYS } from './vocabulary.rules.ts';

const knownKeys = [...new Set(Object.values(VOCABULARY_KEYS).flat())].filter((key) => key !== 'other');

/**
 * Mapping a text typed as "other" to a known value of its vocabulary. The key is checked against
 * the vocabulary itself by the service (a sector key is no status).
 */
export const mapOtherTextSchema = v.object({
	vocabulary: v.picklist(VOCABULARIES, 'vocabulary.invalid_vocabulary'),
	text: v.pipe(
		v.string('vocabulary.text_required'),
		v.trim(),
		v.nonEmpty('vocabulary.text_required'),
		v.maxLength(120, 'vocabulary.text_required')
	),
	key: v.picklist(knownKeys, 'vocabulary.invalid_key')
});
export type MapOtherTextInput = v.InferInput<typeof mapOtherTextSchema>;
