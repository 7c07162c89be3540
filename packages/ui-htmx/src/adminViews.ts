import type { SettingsSection } from "./contract.js"

/**
 * View models of the supervisor board and the admin screens: plain data, built by the server.
 */

/** A link in the header to a screen the user may use. */
export interface NavLinkView {
  readonly screen: "board" | "settings" | "audit"
  readonly href: string
  readonly label: string
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
  readonly kind: "checkbox" | "text" | "number" | "textarea" | "select"
  /** The value as the form shows it (as submitted, when re-rendered with errors). */
  readonly value: string
  readonly options?: ReadonlyArray<StatusChoiceView> | undefined
  readonly hint?: string | undefined
}

/** A column of a catalog table. */
export interface CatalogColumnView {
  readonly key: string
  readonly label: string
  readonly kind: "text" | "number" | "color"
}

/** A settings section: plain fields, or a catalog's rows (each cell named `section[row].key`). */
export interface SettingsSectionView {
  readonly section: SettingsSection
  readonly title: string
  readonly fields: ReadonlyArray<SettingsFieldView>
  readonly catalog?: { readonly columns: ReadonlyArray<CatalogColumnView>; readonly rows: ReadonlyArray<Readonly<Record<string, string>>> } | undefined
  /** Errors by field name; `""` for the section as a whole. */
  readonly errors: Readonly<Record<string, string>>
  /** The section was just saved (how many settings changed). */
  readonly saved?: number | undefined
}

/** One audited change: who, when, each setting before and after (JSON text). */
export interface AuditEntryView {
  readonly id: number
  readonly at: string
  readonly atIso: string
  readonly who: string
  readonly changes: ReadonlyArray<{ readonly setting: string; readonly before: string; readonly after: string }>
}
