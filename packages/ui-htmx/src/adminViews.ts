import type { SettingsSection } from "./contract.js"

/**
 * View models of the supervisor board and the admin screens: plain data, built by the server.
 */

/** A link in the header to a screen the user may use (the header names it: `nav.<screen>`). */
export interface NavLinkView {
  readonly screen: "board" | "settings" | "audit" | "users" | "sla"
  readonly href: string
}

/** A status to choose from. */
export interface StatusChoiceView {
  readonly id: string
  readonly name: string
}

/** One operator on the board (OPS-02). */
export interface BoardOperatorView {
  readonly id: string
  readonly name: string
  readonly statusId: string
  readonly statusName: string
  /** How long they have been in the status ("12 min"); empty when not known. */
  readonly inStatus: string
  /** ISO instant the status was set at, for `<time datetime>`; empty when not known. */
  readonly sinceIso: string
  /** Not receiving dialogs now: offline, a non-receiving status, or off shift. */
  readonly absent: boolean
  readonly load: ReadonlyArray<{ readonly channel: string; readonly load: number; readonly capacity: number }>
  readonly dialogs: ReadonlyArray<{ readonly id: string; readonly href: string; readonly channel: string; readonly state: string; readonly overCapacity: boolean }>
  /** The viewer may change this operator's status (core's rule). */
  readonly canSetStatus: boolean
  /** The viewer may send this operator's dialogs back to the queue (core's rule). */
  readonly canRedistribute: boolean
}

/** One queue on the board. */
export interface BoardQueueView {
  readonly id: string
  readonly length: number
  /** "3 min"; empty when nobody waits. */
  readonly longestWait: string
  readonly slaBreaches: number
}

/** The supervisor board. */
export interface BoardView {
  readonly operators: ReadonlyArray<BoardOperatorView>
  readonly queues: ReadonlyArray<BoardQueueView>
  readonly statuses: ReadonlyArray<StatusChoiceView>
  /** When it was read ("14:05:09"). */
  readonly asOf: string
}

/** One field of a settings form: `name` is its path in the settings (`files.maxBytes`), which errors name. */
export interface SettingsFieldView {
  readonly name: string
  readonly label: string
  readonly kind: "checkbox" | "text" | "number" | "textarea" | "select" | "json"
  /** The value as the form shows it (as submitted, when re-rendered with errors). */
  readonly value: string
  readonly options?: ReadonlyArray<StatusChoiceView> | undefined
  readonly hint?: string | undefined
}

/** A column of a catalog table. */
export interface CatalogColumnView {
  readonly key: string
  readonly label: string
  readonly kind: "text" | "number" | "color" | "checkbox"
}

/** A settings section: plain fields, or a catalog's rows (each cell named `section[row].key`). */
export interface SettingsSectionView {
  readonly section: SettingsSection
  readonly title: string
  readonly fields: ReadonlyArray<SettingsFieldView>
  readonly catalog?: { readonly columns: ReadonlyArray<CatalogColumnView>; readonly rows: ReadonlyArray<Readonly<Record<string, string>>> } | undefined
  /** Errors by field name; `""` for the section as a whole. */
  readonly errors: Readonly<Record<string, string>>
  /** A JSON field's problems, each at the path of its field inside the document (`customFields[0].options`). */
  readonly issues?: ReadonlyArray<{ readonly path: string; readonly message: string }> | undefined
  /** The section was just saved (how many settings changed). */
  readonly saved?: number | undefined
}

/** One audited change: who, when, each setting before and after (JSON text). */
export interface AuditEntryView {
  readonly id: number
  /** When the change was made (epoch ms), shown in the user's language and time zone. */
  readonly at: number
  readonly who: string
  readonly changes: ReadonlyArray<{ readonly setting: string; readonly before: string; readonly after: string }>
}

/** A role a user can be given: a built-in one (`operator`) or a custom one (`custom:triage`). */
export interface RoleChoiceView {
  readonly value: string
  readonly name: string
}

/** One user on the users screen. */
export interface UserRowView {
  readonly id: string
  readonly name: string
  readonly login: string
  readonly active: boolean
  /** The role choice they hold (`RoleChoiceView.value`). */
  readonly role: string
  readonly roleName: string
  /** Capacity per channel kind as the form shows it, and the skill groups they belong to. */
  readonly capacity: ReadonlyArray<{ readonly channel: string; readonly value: string }>
  readonly skillGroups: ReadonlyArray<{ readonly id: string; readonly member: boolean }>
  /** The company's queues (channels' and policies'), which of them the operator serves; none = every queue. */
  readonly queues: ReadonlyArray<{ readonly id: string; readonly member: boolean }>
  /** Their shift's calendar name, or empty without a shift (always on shift). */
  readonly shift: string
  /** What went wrong with this user's last form, if anything. */
  readonly error?: string | undefined
}

/** A custom role's row in the roles form (`roles[i].id`, `roles[i].name`, `roles[i].permissions`). */
export interface RoleRowView {
  readonly id: string
  readonly name: string
  readonly permissions: ReadonlyArray<string>
}

/** The users screen: users, the new-user form, the custom roles. */
export interface UsersView {
  readonly users: ReadonlyArray<UserRowView>
  readonly roleChoices: ReadonlyArray<RoleChoiceView>
  readonly permissions: ReadonlyArray<{ readonly id: string; readonly label: string }>
  readonly roles: ReadonlyArray<RoleRowView>
  /** The new-user form as posted, and its errors by field (`""` for the form). */
  readonly draft: Readonly<Record<string, string>>
  readonly createErrors: Readonly<Record<string, string>>
  readonly roleErrors: Readonly<Record<string, string>>
  readonly notice?: string | undefined
}

/** One day of the working-hours preview. */
export interface PreviewDayView {
  readonly date: string
  readonly hours: ReadonlyArray<string>
}

/** The SLA editor: the JSON as shown, the error at its path, the preview of the next seven days. */
export interface SlaEditorView {
  readonly json: string
  readonly errors: ReadonlyArray<{ readonly path: string; readonly message: string }>
  readonly preview: ReadonlyArray<PreviewDayView>
  readonly timezone: string
  readonly saved: boolean
  readonly policies: ReadonlyArray<{ readonly name: string; readonly matches: string; readonly targets: string }>
}

/** One operator's shift editor: the calendar's JSON as shown, its errors at their paths, the next seven days. */
export interface ShiftEditorView {
  readonly userId: string
  readonly userName: string
  readonly json: string
  readonly errors: ReadonlyArray<{ readonly path: string; readonly message: string }>
  readonly preview: ReadonlyArray<PreviewDayView>
  readonly timezone: string
  /** Whether the operator has a shift now (else they are always on shift). */
  readonly hasShift: boolean
  readonly saved: boolean
}
