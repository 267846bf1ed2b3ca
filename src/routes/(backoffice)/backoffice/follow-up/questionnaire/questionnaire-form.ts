/** The questionnaire editor's rows, as plain strings: what the form posts and shows back. */
export type QuestionDraft = {
	key: string;
	type: string;
	labelFr: string;
	labelEn: string;
	/** One option per line. */
	optionsFr: string;
	optionsEn: string;
	/** Keys of the existing options, comma-separated, in order (new lines get new keys). */
	optionValues: string;
	required: boolean;
	/** Comma-separated months; blank: every wave. */
	waves: string;
	showIfKey: string;
	showIfEquals: string;
};

export const QUESTION_TYPES = ['yes_no', 'choice', 'number', 'text', 'scale'] as const;

export const emptyDraft = (): QuestionDraft => ({
	key: '',
	type: 'yes_no',
	labelFr: '',
	labelEn: '',
	optionsFr: '',
	optionsEn: '',
	optionValues: '',
	required: false,
	waves: '',
	showIfKey: '',
	showIfEquals: ''
});
