/**
 * The English catalog: the source of every message key (`MessageKey` is derived from this object,
 * so a key missing here is a compile error at its `t()` call). One top-level section per screen or
 * shared area; add your screen's own section (in alphabetical order, to keep merges apart) and the
 * same keys to `uk.ts`. Placeholders are `{{name}}`; a count uses `_one`/`_other` suffixes
 * (Ukrainian needs `_one`, `_few`, `_many`, `_other`) and is passed as `{ count }`.
 * See docs/i18n.md.
 */
export const en = {
  admin: {
    navUsers: "Users",
    navSla: "Calendars and SLA",
    roleOwner: "Owner",
    roleAdmin: "Admin",
    roleSupervisor: "Supervisor",
    roleOperator: "Operator",
    permissions: {
      dialogsViewAll: "See every dialog",
      dialogsReassign: "Reassign dialogs",
      dialogsIntervene: "Write in colleagues' dialogs",
      dialogsDelete: "Delete dialogs",
      clientsBlock: "Block clients",
      settingsManage: "Change company settings",
      usersManage: "Manage users",
      quickRepliesManage: "Manage company quick replies",
      operatorsSupervise: "Watch the supervisor board"
    },
    users: {
      title: "Users and roles",
      users: "Users",
      name: "Name",
      login: "Email or login",
      role: "Role",
      status: "Status",
      active: "Active",
      inactive: "Deactivated",
      changeRole: "Change role",
      deactivate: "Deactivate (ends their sessions)",
      activate: "Activate",
      newPassword: "New password",
      resetPassword: "Set password",
      routing: "Routing",
      capacity: "Capacity per channel",
      skillGroups: "Skill groups",
      saveRouting: "Save routing",
      create: "Create a user",
      password: "Initial password (at least 12 characters)",
      createButton: "Create",
      customRoles: "Custom roles",
      customRolesHint: "A custom role is an operator who may also do the actions ticked here. Empty a row to delete its role.",
      roleId: "Id (lowercase letters, digits, dashes)",
      roleName: "Name",
      allowed: "Allowed actions",
      saveRoles: "Save roles",
      nameRequired: "Enter a name of at most 200 characters",
      chooseRole: "Choose one of the roles",
      noSuchRole: "No such role",
      activeFlag: "Say whether the user is active",
      loginInvalid: "Enter an email or login without spaces"
    },
    sections: {
      statuses: "Operator statuses",
      receivesDialogs: "Receives dialogs",
      skillGroups: "Skill groups",
      skillGroupTopics: "Topic ids (separated by spaces)"
    },
    sla: {
      title: "Calendars and SLA policies",
      intro: "The working-time calendar and the SLA policies as JSON. An error names the field it is about.",
      editor: "Calendar and policies (JSON)",
      check: "Check and preview",
      save: "Save",
      saved: "Saved. Open dialogs were re-evaluated.",
      notJson: "This is not valid JSON: {{reason}}",
      preview: "Working hours, the next seven days ({{timezone}})",
      closed: "Closed",
      policies: "Policies, first match wins",
      policy: "Policy",
      matches: "Applies to",
      targets: "Targets (working minutes)",
      any: "everything else",
      errorAt: "At {{path}}",
      matchPriorities: "priorities: {{list}}",
      matchChannels: "channels: {{list}}",
      matchTopics: "topics: {{list}}",
      firstResponse: "first response {{minutes}} min",
      nextResponse: "next response {{minutes}} min",
      timeToClose: "time to close {{minutes}} min"
    }
  },
  common: {
    appName: "Switchboard",
    save: "Save",
    cancel: "Cancel",
    backToPanel: "← Back to the panel"
  },
  language: {
    en: "English",
    uk: "Українська"
  },
  login: {
    title: "Sign in — Switchboard",
    heading: "Sign in",
    submit: "Sign in"
  },
  units: {
    dialogs_one: "{{count}} dialog",
    dialogs_other: "{{count}} dialogs"
  }
} as const
