import { defineError } from '../../errors.ts';

/** No case with this id in the actor's programme, or outside the actor's scope (committee villages, consent). */
export const caseNotFound = defineError('case.not_found', 'not_found');
/** The actor may see the case (or cases in general) but not do this: e.g. a committee member moving a stage. */
export const caseForbidden = defineError('case.forbidden', 'forbidden');
/** The stage is not part of the programme's pipeline. */
export const caseUnknownStage = defineError('case.unknown_stage', 'invalid');
/**
 * The pipeline does not allow this move: back more than one step, abandoning an installed
 * household, leaving before installing, or moving out of an exit. details: { from, to }.
 */
export const caseIllegalTransition = defineError('case.illegal_transition', 'conflict');
/** The case is already at this stage. */
export const caseSameStage = defineError('case.same_stage', 'conflict');
/** A configured pipeline is malformed; details.issues lists the problems. */
export const caseInvalidPipeline = defineError('case.invalid_pipeline', 'invalid');
/** No task with this id in the actor's programme. */
export const caseTaskNotFound = defineError('case.task_not_found', 'not_found');
/** The user chosen as advisor or assignee is not programme staff. */
export const caseInvalidAdvisor = defineError('case.invalid_advisor', 'invalid');
/** No programme with this id takes applications. */
export const caseUnknownProgramme = defineError('case.unknown_programme', 'not_found');
/** Committee members add meetings and visits; they never change the case file itself. */
export const caseEditForbidden = defineError('case.edit_forbidden', 'forbidden');
/** No person with this id in the case. */
export const casePersonNotFound = defineError('case.person_not_found', 'not_found');
/** The candidate is the household's only adult: the case would have nobody to follow. */
export const caseLastAdult = defineError('case.last_adult', 'conflict');
/** A household has exactly one candidate: it cannot gain a second one or lose its own by a role change. */
export const caseOneCandidate = defineError('case.one_candidate', 'conflict');
/** A case cannot be merged with itself (nor a person with themselves). */
export const caseMergeSame = defineError('case.merge_same', 'invalid');
/** Two persons are merged only within one household (merge the cases first). */
export const caseMergePersonsOtherCase = defineError('case.merge_persons_other_case', 'conflict');
