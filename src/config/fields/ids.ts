/** What a feed, channel or rule id may be: it becomes part of BullMQ job ids, which must not hold ':'. */
export const CONFIG_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
