import { defineError } from '../../errors.ts';

/**
 * No such village for this actor: it does not exist, belongs to another programme, or
 * the actor may not edit it (a committee member's other villages). Never "forbidden",
 * so that existence does not leak.
 */
export const villageNotFound = defineError('village.not_found', 'not_found');
/** The actor sees this village but may not do this (e.g. a committee member changing its status). */
export const villageForbidden = defineError('village.forbidden', 'forbidden');
/** The commune is not imported or not in the programme's départements; `details.code`. */
export const villageCommuneNotFound = defineError('village.commune_not_found', 'invalid');
/** The commune is already a village of this programme; `details.code`. */
export const villageAlreadyExists = defineError('village.already_exists', 'conflict');
/** Another village of the programme uses this slug; `details.slug`. */
export const villageSlugTaken = defineError('village.slug_taken', 'conflict');
/** Committee members are users of the same programme with the `committee` role; `details.userId`. */
export const villageInvalidCommitteeMember = defineError('village.invalid_committee_member', 'invalid');
