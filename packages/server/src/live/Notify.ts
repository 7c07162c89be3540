import { Option } from "effect"
import { type Dialog, Listing, type StoredEvent, type Viewer } from "@switchboard/core"

/** What the page is told to notify about (NTF-01, NTF-02); the page decides how (sound, desktop) by its user's switches and visibility. */
export interface Notification {
  /** A dialog new to the folder, or a new message in one already there. */
  readonly kind: "dialog" | "message"
  readonly folder: "new" | "mine"
  readonly dialogId: string
  /** The client's name as the list shows it. */
  readonly title: string
  /** The client's latest message of the batch, cut to a notification's length. */
  readonly text: string
}

const longest = 200

/**
 * Whether a batch's events of one dialog notify a viewer: only for New and Mine (NTF-02), when a
 * client wrote (a new message, or a new dialog when it was not in that folder before) or when the
 * dialog came into the folder with unread messages (routed to them, queued again). Counted by the
 * same rule as the unread counters (`Listing.unreadFolder`), so a notification always has a badge.
 */
export const notificationOf = (
  events: ReadonlyArray<StoredEvent>,
  previous: Option.Option<Dialog.DialogState>,
  current: Dialog.DialogState,
  viewer: Viewer,
  title: string
): Notification | undefined => {
  const folder = Listing.unreadFolder(current, viewer)
  if (folder === undefined) return undefined
  const wasThere = Option.isSome(previous) && Listing.countedFolder(previous.value, viewer) === folder
  let text: string | undefined
  for (const stored of events) if (stored.event._tag === "ClientMessageReceived" && !stored.event.message.internal) text = stored.event.message.text
  if (text === undefined && wasThere) return undefined
  const cut = text === undefined ? "" : text.length > longest ? `${text.slice(0, longest)}…` : text
  return { kind: wasThere ? "message" : "dialog", folder, dialogId: current.id, title, text: cut }
}
