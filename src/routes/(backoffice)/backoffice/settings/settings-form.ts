/** Drafts of the repeated rows of the settings page (shared by the page and its actions). */

export type FaqDraft = { questionFr: string; questionEn: string; answerFr: string; answerEn: string };
export type StageDraft = {
	key: string;
	labelFr: string;
	labelEn: string;
	milestone: string;
	/** Existing stages keep their key; new ones may type one (else it is made from the name). */
	isNew: boolean;
	cases: number;
};

export const emptyFaq = (): FaqDraft => ({ questionFr: '', questionEn: '', answerFr: '', answerEn: '' });
export const emptyStage = (): StageDraft => ({
	key: '',
	labelFr: '',
	labelEn: '',
	milestone: 'installing',
	isNew: true,
	cases: 0
});

/** The milestones a stage may be mapped to (the exits `left` and `abandoned` are fixed stages). */
export const STAGE_MILESTONES = [
	'contact',
	'qualified',
	'discovery',
	'installing',
	'installed',
	'integrated'
] as const;

/** Moves, removes or adds a row without JavaScript: `up:2`, `down:0`, `remove:1`, `add`. */
export function applyRowOperation<T>(rows: T[], op: string, empty: () => T, max: number): T[] {
	const [verb, at] = op.split(':');
	const i = Number(at);
	const next = [...rows];
	if (verb === 'add' && next.length < max) next.push(empty());
	if (verb === 'remove' && i >= 0 && i < next.length) next.splice(i, 1);
	if (verb === 'up' && i > 0 && i < next.length) [next[i - 1], next[i]] = [next[i], next[i - 1]];
	if (verb === 'down' && i >= 0 && i < next.length - 1) [next[i], next[i + 1]] = [next[i + 1], next[i]];
	return next;
}
