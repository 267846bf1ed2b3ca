import * as v from 'valibot';
import { COMMITTEE_FUNCTIONS, MEMBERSHIP_STATUSES, ROLES } from '../../db/schema/index.ts';
import { emailSchema, passwordSchema } from '../account/account.schemas.ts';

/** The roles an admin invites or gives: staff, committee members and partners. */
export const INVITABLE_ROLES = ['admin', 'advisor', 'committee', 'partner'] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

/** How long an invitation link stays valid. */
export const INVITATION_TTL_DAYS = 7;

const nameSchema = v.pipe(
	v.string('people.name_required'),
	v.trim(),
	v.minLength(1, 'people.name_required'),
	v.maxLength(120, 'people.name_too_long')
);

export const userIdSchema = v.pipe(v.string(), v.regex(/^usr_[a-z0-9]+$/, 'people.not_found'));
export const invitationIdSchema = v.pipe(
	v.string(),
	v.regex(/^inv_[a-z0-9]+$/, 'people.invitation_not_found')
);

const villageScopeSchema = v.object({
	villageId: v.pipe(v.string('people.unknown_village'), v.regex(/^vil_[a-z0-9]+$/, 'people.unknown_village')),
	committeeRole: v.picklist(COMMITTEE_FUNCTIONS, 'people.invalid_function')
});

/** A role with its scope: villages (with a function each) for committee members, an organisation for partners. */
const roleScopeEntries = {
	role: v.picklist(INVITABLE_ROLES, 'people.invalid_role'),
	villages: v.optional(v.array(villageScopeSchema), []),
	organisationId: v.optional(
		v.union(
			[v.literal(''), v.pipe(v.string(), v.regex(/^org_[a-z0-9]+$/, 'people.unknown_organisation'))],
			'people.unknown_organisation'
		)
	)
};

export const inviteSchema = v.object({
	email: emailSchema,
	name: nameSchema,
	locale: v.optional(v.picklist(['fr', 'en'], 'people.invalid_locale'), 'fr'),
	...roleScopeEntries
});
export type InviteInput = v.InferInput<typeof inviteSchema>;
export type InviteData = v.InferOutput<typeof inviteSchema>;

export const changeRoleSchema = v.object({ userId: userIdSchema, ...roleScopeEntries });
export type ChangeRoleInput = v.InferInput<typeof changeRoleSchema>;

export const listPeopleSchema = v.object({
	q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)), ''),
	role: v.optional(v.union([v.literal(''), v.picklist(ROLES)], 'people.invalid_role'), ''),
	status: v.optional(v.union([v.literal(''), v.picklist(MEMBERSHIP_STATUSES)], 'people.invalid_status'), '')
});
export type ListPeopleInput = v.InferInput<typeof listPeopleSchema>;

export const invitationTokenSchema = v.pipe(
	v.string('people.invitation_invalid'),
	v.regex(/^[A-Za-z0-9_-]{20,100}$/, 'people.invitation_invalid')
);

/** The link alone: read first, to know whether its e-mail already has an account. */
export const invitationLinkSchema = v.object({ token: invitationTokenSchema });

/** Accepting with a new account: the person chooses their name and password. */
export const acceptInvitationSchema = v.object({
	token: invitationTokenSchema,
	name: nameSchema,
	password: passwordSchema,
	confirmation: v.string()
});

/**
 * Accepting for an e-mail that already has an account: its current password proves the person
 * holds the account (the link alone must not let whoever holds it take the account over).
 */
export const acceptInvitationWithAccountSchema = v.object({
	token: invitationTokenSchema,
	password: v.pipe(
		v.string('account.password_required'),
		v.nonEmpty('account.password_required'),
		v.maxLength(200, 'account.password_too_long')
	)
});

/** The invitation form: `name` and `confirmation` only when the e-mail has no account yet. */
export type AcceptInvitationInput = {
	token: string;
	password: string;
	name?: string;
	confirmation?: string;
};
