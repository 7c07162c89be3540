import { describe, expect, it } from "@effect/vitest"
import { Either, Option } from "effect"
import { UserActor } from "../../src/access/Access.js"
import * as Catalog from "../../src/catalog/Catalog.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { unreadFor } from "../../src/dialogs/evolve.js"
import { BotActor, system } from "../../src/access/Access.js"
import { CloseReasonId, Language, TopicId, UserId } from "../../src/shared/Ids.js"
import { anna, boris, owner, supervisor } from "../../src/testing/fixtures.js"
import {
  annas,
  assignedTo,
  bot,
  clientSaid,
  closed,
  ctx,
  dialogId,
  input,
  mid,
  opened,
  operatorSaid,
  queued,
  spec,
  T0
} from "./helpers.js"

const tags = (events: ReadonlyArray<{ readonly _tag: string }>) => events.map((event) => event._tag)

describe("inbound client message", () => {
  it("is recorded in a queued dialog and counts as unread for everyone", () =>
    spec.given(queued()).when(new Dialog.ReceiveClientMessage({ dialogId, input: input("anyone?") }), ctx({ actor: system })).then((events, state) => {
      expect(tags(events)).toEqual(["ClientMessageReceived"])
      expect(state.clientMessageCount).toBe(2)
      expect(state.awaitingReplySince).toEqual(Option.some(T0))
    }))

  it("reopens a closed dialog into the queue (DLG-07)", () =>
    spec.given([...annas(), closed()]).when(new Dialog.ReceiveClientMessage({ dialogId, input: input("one more thing") }), ctx({ actor: system })).then((events, state) => {
      expect(tags(events)).toEqual(["DialogReopened", "ClientMessageReceived"])
      expect(state.status).toBe("queued")
      expect(state.previousAssigneeId).toEqual(Option.some(anna.id))
    }))

  it("from a blocked client is recorded as rejected, reopens nothing and is unread for nobody (DLG-10)", () =>
    spec.given([...annas(), closed()]).when(new Dialog.ReceiveClientMessage({ dialogId, input: input("spam") }), ctx({ actor: system, blocked: true })).then((events, state) => {
      expect(tags(events)).toEqual(["ClientMessageReceived"])
      expect((events[0] as Dialog.ClientMessageReceived).message.rejected).toBe(true)
      expect(state.status).toBe("closed")
      expect(state.clientMessageCount).toBe(1)
    }))

  it("with an external id already recorded is ignored (a channel's repeated delivery)", () => {
    const first = spec.given(queued()).when(new Dialog.ReceiveClientMessage({ dialogId, input: input("x"), externalId: "tg-1" }), ctx({ actor: system }))
    const again = spec.given([...queued(), ...first.events()]).when(new Dialog.ReceiveClientMessage({ dialogId, input: input("x"), externalId: "tg-1" }), ctx({ actor: system }))
    expect(again.events()).toEqual([])
  })

  it("answering 'no' to 'any more questions?' closes the dialog (DLG-15)", () => {
    const settings = { anyMoreQuestions: true }
    const asked = spec.given(annas()).when(new Dialog.Close({ dialogId, reasonId: CloseReasonId.make("solved") }), ctx({ settings }))
    expect(tags(asked.events())).toEqual(["MoreQuestionsAsked", "StaffMessageSent"])
    const answered = spec.given([...annas(), ...asked.events()]).when(new Dialog.ReceiveClientMessage({ dialogId, input: input("No"), payload: "no" }), ctx({ actor: system, settings }))
    answered.then((events, state) => {
      expect(tags(events)).toEqual(["ClientMessageReceived", "MoreQuestionsAnswered", "DialogClosed", "StaffMessageSent"])
      expect(state.status).toBe("closed")
      expect(state.closeReasonId).toEqual(Option.some(CloseReasonId.make("solved")))
    })
  })

  it("answering 'yes' keeps the dialog open", () => {
    const settings = { anyMoreQuestions: true }
    const asked = spec.given(annas()).when(new Dialog.Close({ dialogId }), ctx({ settings })).events()
    spec.given([...annas(), ...asked]).when(new Dialog.ReceiveClientMessage({ dialogId, input: input("yes"), payload: "yes" }), ctx({ actor: system, settings })).then((_, state) => {
      expect(state.status).toBe("active")
      expect(state.pendingClose).toEqual(Option.none())
    })
  })

  it("a rating after the rating request is recorded without reopening (DLG-16)", () => {
    const settings = { mandatoryRating: true }
    const closing = spec.given(annas()).when(new Dialog.Close({ dialogId }), ctx({ settings })).events()
    expect(tags(closing)).toEqual(["DialogClosed", "StaffMessageSent", "RatingRequested", "StaffMessageSent"])
    spec.given([...annas(), ...closing]).when(new Dialog.ReceiveClientMessage({ dialogId, input: input("5"), payload: "rate:5" }), ctx({ actor: system, settings })).then((events, state) => {
      expect(tags(events)).toEqual(["ClientMessageReceived", "RatingGiven"])
      expect(state.status).toBe("closed")
      expect(state.rating).toEqual(Option.some(5))
    })
  })
})

describe("bot hand-off", () => {
  it("a bot dialog is handed to the queue by the bot", () =>
    spec.given([opened(true), clientSaid(1)]).when(new Dialog.HandToQueue({ dialogId }), ctx({ actor: new BotActor({ id: bot }) })).then((events, state) => {
      expect(tags(events)).toEqual(["HandedToQueue"])
      expect(state.status).toBe("queued")
      expect(Option.isSome(state.enqueuedAt)).toBe(true)
    }))

  it("an operator accepting a bot dialog fires the bot's transfer (DLG-03)", () =>
    spec.given([opened(true), clientSaid(1)]).when(new Dialog.Accept({ dialogId }), ctx()).then((events) => {
      const assigned = events[0] as Dialog.DialogAssigned
      expect(assigned.fromBotId).toEqual(Option.some(bot))
    }))

  it("resolve and return to bot (DLG-05)", () =>
    spec.given([opened(true), clientSaid(1), assignedTo(anna.id)]).when(new Dialog.ReturnToBot({ dialogId }), ctx()).then((events, state) => {
      expect(tags(events)).toEqual(["ReturnedToBot"])
      expect(state.status).toBe("bot")
      expect(state.assigneeId).toEqual(Option.none())
    }))

  it("return to bot is rejected when the dialog never had a bot", () =>
    spec.given(annas()).when(new Dialog.ReturnToBot({ dialogId }), ctx()).thenRejects("NoBot"))

  it("a bot may not write once an operator holds the dialog", () =>
    spec.given([opened(true), clientSaid(1), assignedTo(anna.id)]).when(new Dialog.SendMessage({ dialogId, input: input("beep") }), ctx({ actor: new BotActor({ id: bot }) })).thenRejects("NotYours"))
})

describe("accept and leave", () => {
  it("accept makes the dialog the operator's and sends a join notice (DLG-03, DLG-17)", () =>
    spec.given(queued()).when(new Dialog.Accept({ dialogId }), ctx()).then((events, state) => {
      expect(tags(events)).toEqual(["DialogAssigned", "StaffMessageSent"])
      expect((events[1] as Dialog.StaffMessageSent).message.text).toBe("Anna joined the conversation")
      expect(state.status).toBe("active")
      expect(state.assigneeId).toEqual(Option.some(anna.id))
    }))

  it("the join notice speaks the client's language, falling back to the main language", () => {
    const uk = spec.given(queued()).when(new Dialog.Accept({ dialogId }), ctx({ language: "uk" })).events()
    expect((uk[1] as Dialog.StaffMessageSent).message.text).toBe("Anna приєднується до розмови")
    const fallback = spec.given(queued()).when(new Dialog.Accept({ dialogId }), ctx({ language: "ja", settings: { mainLanguage: "ru" as never } })).events()
    expect((fallback[1] as Dialog.StaffMessageSent).message.text).toBe("Anna присоединяется к разговору")
  })

  it("join notices can be switched off", () =>
    spec.given(queued()).when(new Dialog.Accept({ dialogId }), ctx({ settings: { joinNotices: false } })).then((events) => expect(tags(events)).toEqual(["DialogAssigned"])))

  it("a second operator accepting gets 'already taken'", () =>
    spec.given(annas()).when(new Dialog.Accept({ dialogId }), ctx({ actor: boris })).thenRejects("AlreadyTaken"))

  it("a closed dialog cannot be accepted", () =>
    spec.given([...annas(), closed()]).when(new Dialog.Accept({ dialogId }), ctx({ actor: boris })).thenRejects("Closed"))

  it("leave returns the dialog to the queue keeping its original wait (DLG-04)", () =>
    spec.given(annas()).when(new Dialog.Leave({ dialogId }), ctx()).then((_, state) => {
      expect(state.status).toBe("queued")
      expect(state.enqueuedAt).toEqual(Option.some(T0))
    }))

  it("only the responsible operator can leave", () =>
    spec.given(annas()).when(new Dialog.Leave({ dialogId }), ctx({ actor: supervisor })).thenRejects("NotYours"))
})

describe("close (DLG-06) and inactivity (DLG-14)", () => {
  it("closes with a reason kept in history", () =>
    spec.given(annas()).when(new Dialog.Close({ dialogId, reasonId: CloseReasonId.make("solved") }), ctx()).then((events, state) => {
      expect(events[0]).toBeInstanceOf(Dialog.DialogClosed)
      expect(state.status).toBe("closed")
      expect(state.closeReasonId).toEqual(Option.some(CloseReasonId.make("solved")))
    }))

  it("requires a topic when the setting says so", () =>
    spec.given(annas()).when(new Dialog.Close({ dialogId }), ctx({ settings: { topicRequired: true } })).thenRejects("TopicRequired"))

  it("with a topic set, closing works under the topic rule", () =>
    spec.given([...annas(), new Dialog.TopicsSet({ topics: [TopicId.make("billing")], by: "anna", at: T0 })]).when(new Dialog.Close({ dialogId }), ctx({ settings: { topicRequired: true } })).then((_, state) => expect(state.status).toBe("closed")))

  it("close reasons and topics come from the company's catalogs: one it lacks is refused, one it has is recorded", () => {
    const catalogs = { closeReasons: [Catalog.CloseReason.make({ id: CloseReasonId.make("resolved"), name: "Resolved" })], topics: [Catalog.Topic.make({ id: TopicId.make("billing"), name: "Billing", parentId: Option.none() })] }
    spec.given(annas()).when(new Dialog.Close({ dialogId, reasonId: CloseReasonId.make("spam") }), ctx({ settings: catalogs })).thenRejects("UnknownReason")
    spec.given(annas()).when(new Dialog.Close({ dialogId, reasonId: CloseReasonId.make("resolved") }), ctx({ settings: catalogs })).then((_, state) =>
      expect(Option.getOrThrow(state.closeReasonId)).toBe("resolved"))
    spec.given(annas()).when(new Dialog.SetTopics({ dialogId, topics: [TopicId.make("shipping")] }), ctx({ settings: catalogs })).thenRejects("UnknownTopic")
    spec.given(annas()).when(new Dialog.SetTopics({ dialogId, topics: [TopicId.make("billing")] }), ctx({ settings: catalogs })).then((_, state) => expect(state.topics).toEqual(["billing"]))
  })

  it("a dialog's priority goes by the name of the catalog's highest level at or below it", () => {
    const names = [-5, -1, 0, 1, 2, 7].map((priority) => Catalog.priorityName(priority, Catalog.defaultPriorities))
    expect(names).toEqual(["low", "low", "normal", "high", "urgent", "urgent"])
    expect(Catalog.priorityName(3, [Catalog.Priority.make({ level: 0, name: "normal" }), Catalog.Priority.make({ level: 5, name: "vip" })])).toBe("normal")
  })

  it("another operator cannot close someone's dialog; a supervisor can", () => {
    spec.given(annas()).when(new Dialog.Close({ dialogId }), ctx({ actor: boris })).thenRejects("NotYours")
    spec.given(annas()).when(new Dialog.Close({ dialogId }), ctx({ actor: supervisor })).then((_, state) => expect(state.status).toBe("closed"))
  })

  it("closing twice is rejected", () => spec.given([...annas(), closed()]).when(new Dialog.Close({ dialogId }), ctx()).thenRejects("Closed"))

  it("inactivity close fires only when the client has not answered for N minutes", () => {
    const history = [...annas(), operatorSaid(2, anna.id, "anything else?", T0 + 1000)]
    spec.given(history).when(new Dialog.CloseForInactivity({ dialogId }), ctx({ actor: system, now: T0 + 1000 + 15 * 60_000 - 1 })).thenRejects("NotDue")
    spec.given(history).when(new Dialog.CloseForInactivity({ dialogId }), ctx({ actor: system, now: T0 + 1000 + 15 * 60_000 })).then((events, state) => {
      expect((events[0] as Dialog.DialogClosed).cause).toBe("inactivity")
      expect(state.status).toBe("closed")
    })
    spec.given(history).when(new Dialog.CloseForInactivity({ dialogId }), ctx({ actor: system, now: T0 + 10 ** 9, settings: { inactivityCloseMinutes: null } })).thenRejects("NotDue")
    spec.given([...history, clientSaid(3, "wait", T0 + 2000)]).when(new Dialog.CloseForInactivity({ dialogId }), ctx({ actor: system, now: T0 + 10 ** 9 })).thenRejects("NotDue")
  })
})

describe("reassign (DLG-08)", () => {
  const toBoris = new Dialog.Reassign({ dialogId, to: { _tag: "Operator", userId: boris.id } })

  it("a supervisor reassigns; the previous operator loses access and cannot write", () => {
    const events = spec.given(annas()).when(toBoris, ctx({ actor: supervisor })).events()
    expect(tags(events)).toEqual(["DialogAssigned", "StaffMessageSent"])
    expect((events[1] as Dialog.StaffMessageSent).message.text).toBe("Your conversation was passed to Boris")
    spec.given([...annas(), ...events]).when(new Dialog.SendMessage({ dialogId, input: input("still here") }), ctx()).thenRejects("NotYours")
    spec.given([...annas(), ...events]).when(new Dialog.Close({ dialogId }), ctx()).thenRejects("NotYours")
  })

  it("the responsible operator may hand over their own dialog", () =>
    spec.given(annas()).when(toBoris, ctx()).then((_, state) => expect(state.assigneeId).toEqual(Option.some(boris.id))))

  it("another operator may not, unless 'operators may change the manager' is on", () => {
    const carol = new UserActor({ id: UserId.make("carol"), name: "Carol", role: "operator" })
    spec.given(annas()).when(toBoris, ctx({ actor: carol })).thenRejects("Forbidden")
    spec.given(annas()).when(toBoris, ctx({ actor: carol, settings: { operatorsMayChangeManager: true } })).then((_, state) => expect(state.assigneeId).toEqual(Option.some(boris.id)))
  })

  it("reassigning a closed dialog keeps it closed", () =>
    spec.given([...annas(), closed()]).when(toBoris, ctx({ actor: supervisor })).then((events, state) => {
      expect(tags(events)).toEqual(["DialogAssigned"])
      expect(state.status).toBe("closed")
      expect(state.assigneeId).toEqual(Option.some(boris.id))
    }))

  it("reassign to a bot", () =>
    spec.given(annas()).when(new Dialog.Reassign({ dialogId, to: { _tag: "Bot", botId: bot } }), ctx({ actor: supervisor })).then((_, state) => expect(state.status).toBe("bot")))

  it("over capacity: flagged when allowed, rejected when manual over-capacity is denied", () => {
    const full = { available: true, load: 3, capacity: 3 }
    spec.given(annas()).when(toBoris, ctx({ actor: supervisor, target: full })).then((_, state) => expect(state.overCapacity).toBe(true))
    spec.given(annas()).when(toBoris, ctx({ actor: supervisor, target: full, manualOverCapacity: "deny" })).thenRejects("OverCapacity")
  })
})

describe("unread, drafts, delete, topics, tags, detach", () => {
  it("mark unread is per user and read clears it (DLG-09)", () => {
    const annaRead = spec.given(annas()).when(new Dialog.MarkRead({ dialogId }), ctx()).events()
    const sueRead = spec.given([...annas(), ...annaRead]).when(new Dialog.MarkRead({ dialogId }), ctx({ actor: supervisor })).events()
    const bothRead = [...annas(), ...annaRead, ...sueRead]
    const unread = spec.given(bothRead).when(new Dialog.MarkUnread({ dialogId }), ctx()).events()
    spec.given([...bothRead, ...unread]).when(new Dialog.MarkRead({ dialogId }), ctx({ actor: supervisor })).then((_, state) => {
      expect(unreadFor(state, anna.id)).toBe(1)
      expect(unreadFor(state, supervisor.id)).toBe(0)
    })
    spec.given([...bothRead, ...unread]).when(new Dialog.MarkRead({ dialogId }), ctx()).then((_, state) => {
      expect(unreadFor(state, anna.id)).toBe(0)
      expect(state.markedUnread).toEqual([])
      expect(state.reads[anna.id]).toBe(1)
    })
  })

  it("drafts are kept per user and cleared by sending (DLG-11)", () => {
    const annaDraft = spec.given(annas()).when(new Dialog.SaveDraft({ dialogId, text: "let me check" }), ctx()).events()
    const sueSaves = spec.given([...annas(), ...annaDraft]).when(new Dialog.SaveDraft({ dialogId, text: "ask about the refund" }), ctx({ actor: supervisor }))
    sueSaves.then((_, state) => expect(state.drafts).toEqual({ [anna.id]: "let me check", [supervisor.id]: "ask about the refund" }))
    spec.given([...annas(), ...annaDraft, ...sueSaves.events()]).when(new Dialog.SendMessage({ dialogId, input: input("let me check") }), ctx()).then((_, state) =>
      expect(state.drafts).toEqual({ [supervisor.id]: "ask about the refund" }))
  })

  it("a draft longer than the channel allows is refused and the last one that fits stays (MSG-05, DLG-11)", () => {
    const saved = spec.given(annas()).when(new Dialog.SaveDraft({ dialogId, text: "short" }), ctx({ maxTextLength: 10 })).events()
    spec.given([...annas(), ...saved]).when(new Dialog.SaveDraft({ dialogId, text: "far too long for it" }), ctx({ maxTextLength: 10 })).thenRejects("TooLong")
    // Spaces do not count, as for a message.
    spec.given([...annas(), ...saved]).when(new Dialog.SaveDraft({ dialogId, text: "a b c d e f g h i j" }), ctx({ maxTextLength: 10 })).then((_, state) =>
      expect(state.drafts[anna.id]).toBe("a b c d e f g h i j"))
  })

  it("a closed dialog keeps no draft: closing drops them, and it takes no new one (issue 21)", () => {
    const annaDraft = spec.given(annas()).when(new Dialog.SaveDraft({ dialogId, text: "let me check" }), ctx()).events()
    spec.given([...annas(), ...annaDraft]).when(new Dialog.Close({ dialogId, force: true }), ctx()).then((_, state) => expect(state.drafts).toEqual({}))
    spec.given([...annas(), closed()]).when(new Dialog.SaveDraft({ dialogId, text: "late words" }), ctx()).thenRejects("Closed")
    expect(spec.given([...annas(), closed()]).when(new Dialog.SaveDraft({ dialogId, text: "" }), ctx()).events()).toEqual([])
  })

  it("deleting needs the permission (DLG-12)", () => {
    spec.given(annas()).when(new Dialog.DeleteDialog({ dialogId }), ctx()).thenRejects("Forbidden")
    spec.given(annas()).when(new Dialog.DeleteDialog({ dialogId }), ctx({ actor: owner })).then((_, state) => expect(state.deleted).toBe(true))
    spec.given([...annas(), new Dialog.DialogDeleted({ by: "owner", at: T0 })]).when(new Dialog.Accept({ dialogId }), ctx()).thenRejects("Deleted")
  })

  it("topics and tags are set without duplicates; topics can be turned off (DLG-18)", () => {
    spec.given(annas()).when(new Dialog.SetTopics({ dialogId, topics: [TopicId.make("a"), TopicId.make("a")] }), ctx()).then((_, state) => expect(state.topics).toEqual(["a"]))
    spec.given(annas()).when(new Dialog.SetTopics({ dialogId, topics: [TopicId.make("a")] }), ctx({ settings: { topicsEnabled: false } })).thenRejects("Forbidden")
  })

  it("detaching the client keeps the dialog but stops messages to the client (DLG-23)", () => {
    const detached = spec.given(annas()).when(new Dialog.DetachClient({ dialogId }), ctx()).events()
    spec.given([...annas(), ...detached]).when(new Dialog.SendMessage({ dialogId, input: input("hello?") }), ctx()).thenRejects("NoClient")
    spec.given([...annas(), ...detached]).when(new Dialog.DetachClient({ dialogId }), ctx()).thenRejects("NoClient")
  })
})

describe("operator messages (MSG-01..05)", () => {
  it("a reply may quote a client message (MSG-03)", () =>
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input("about this:"), quoteOf: mid(1) }), ctx()).then((events, state) => {
      expect((events[0] as Dialog.StaffMessageSent).message.quoteOf).toEqual(Option.some(mid(1)))
      expect(state.firstResponseAt).toEqual(Option.some(T0 + 60_000))
    }))

  it("quoting a message that does not exist is rejected", () =>
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input("?"), quoteOf: mid(99) }), ctx()).thenRejects("UnknownMessage"))

  it("the text limit is 2000 characters not counting spaces, or the channel's lower limit (MSG-05)", () => {
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input(`${"a ".repeat(2000)}`) }), ctx()).then((events) => expect(events.length).toBe(1))
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input("a".repeat(2001)) }), ctx()).thenRejects("TooLong")
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input("a".repeat(161)) }), ctx({ maxTextLength: 160 })).thenRejects("TooLong")
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input("   ") }), ctx()).thenRejects("Empty")
  })

  it("nobody writes to a blocked client; internal notes still work", () => {
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input("hi") }), ctx({ blocked: true })).thenRejects("ClientBlocked")
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input("note"), internal: true }), ctx({ blocked: true })).then((events) => expect((events[0] as Dialog.StaffMessageSent).message.internal).toBe(true))
  })

  it("an operator must accept before writing to the client", () =>
    spec.given(queued()).when(new Dialog.SendMessage({ dialogId, input: input("hi") }), ctx()).thenRejects("NotYours"))

  it("writing into one's closed dialog reopens it (DLG-07)", () =>
    spec.given([...annas(), closed()]).when(new Dialog.SendMessage({ dialogId, input: input("follow-up") }), ctx()).then((events, state) => {
      expect(tags(events)).toEqual(["DialogReopened", "StaffMessageSent"])
      expect(state.status).toBe("active")
      expect(state.assigneeId).toEqual(Option.some(anna.id))
    }))

  it("an internal note does not answer the client", () =>
    spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input: input("vip!"), internal: true }), ctx()).then((_, state) => {
      expect(state.firstResponseAt).toEqual(Option.none())
      expect(state.awaitingReplySince).toEqual(Option.some(T0))
    }))

  it("edit and delete own messages unless forbidden (MSG-04)", () => {
    const history = [...annas(), operatorSaid(2)]
    spec.given(history).when(new Dialog.EditMessage({ dialogId, messageId: mid(2), text: "hello" }), ctx()).then((events) => expect(tags(events)).toEqual(["MessageEdited"]))
    spec.given(history).when(new Dialog.EditMessage({ dialogId, messageId: mid(2), text: "hello" }), ctx({ settings: { forbidEditing: true } })).thenRejects("EditForbidden")
    spec.given(history).when(new Dialog.DeleteMessage({ dialogId, messageId: mid(2) }), ctx({ settings: { forbidDeleting: true } })).thenRejects("DeleteForbidden")
    spec.given(history).when(new Dialog.EditMessage({ dialogId, messageId: mid(2), text: "x" }), ctx({ editMessages: false })).thenRejects("EditForbidden")
    spec.given(history).when(new Dialog.EditMessage({ dialogId, messageId: mid(1), text: "x" }), ctx()).thenRejects("Forbidden")
    spec.given(history).when(new Dialog.EditMessage({ dialogId, messageId: mid(2), text: "x" }), ctx({ actor: boris })).thenRejects("NotYours")
    const deleted = spec.given(history).when(new Dialog.DeleteMessage({ dialogId, messageId: mid(2) }), ctx()).events()
    spec.given([...history, ...deleted]).when(new Dialog.EditMessage({ dialogId, messageId: mid(2), text: "x" }), ctx()).thenRejects("UnknownMessage")
  })

  it("delivery status only moves forward; failure carries a reason (MSG-02)", () => {
    const history = [...annas(), operatorSaid(2)]
    const read = spec.given(history).when(new Dialog.UpdateDelivery({ dialogId, messageId: mid(2), status: "read" }), ctx({ actor: system })).events()
    expect(tags(read)).toEqual(["DeliveryUpdated"])
    expect(spec.given([...history, ...read]).when(new Dialog.UpdateDelivery({ dialogId, messageId: mid(2), status: "sent" }), ctx({ actor: system })).events()).toEqual([])
    const failed = spec.given(history).when(new Dialog.UpdateDelivery({ dialogId, messageId: mid(2), status: "failed", reason: "client left the widget" }), ctx({ actor: system })).events()
    expect((failed[0] as Dialog.DeliveryUpdated).delivery.reason).toBe("client left the widget")
    spec.given(history).when(new Dialog.UpdateDelivery({ dialogId, messageId: mid(1), status: "read" }), ctx({ actor: system })).thenRejects("UnknownMessage")
  })
})

describe("routing commands", () => {
  const offer = new Dialog.OfferDialog({ dialogId, operatorId: anna.id, expiresAt: T0 + 30_000 })

  it("offer, decline: the operator is excluded and the wait is kept", () => {
    const offered = spec.given(queued()).when(offer, ctx({ actor: system })).events()
    spec.given([...queued(), ...offered]).when(new Dialog.DeclineOffer({ dialogId }), ctx()).then((_, state) => {
      expect(state.offer).toEqual(Option.none())
      expect(state.excludedOperators).toEqual([anna.id])
      expect(state.enqueuedAt).toEqual(Option.some(T0))
    })
    spec.given([...queued(), ...offered]).when(new Dialog.DeclineOffer({ dialogId }), ctx({ actor: boris })).thenRejects("NotYours")
  })

  it("an offer expires only at its deadline", () => {
    const offered = spec.given(queued()).when(offer, ctx({ actor: system })).events()
    spec.given([...queued(), ...offered]).when(new Dialog.ExpireOffer({ dialogId }), ctx({ actor: system, now: T0 + 29_999 })).thenRejects("NotDue")
    spec.given([...queued(), ...offered]).when(new Dialog.ExpireOffer({ dialogId }), ctx({ actor: system, now: T0 + 30_000 })).then((_, state) => expect(state.excludedOperators).toEqual([anna.id]))
  })

  it("an excluded or full operator is not offered or routed the dialog", () => {
    const declined = [...queued(), ...spec.given(queued()).when(offer, ctx({ actor: system })).events(), new Dialog.OfferEnded({ operatorId: anna.id, outcome: "declined", at: T0 })]
    spec.given(declined).when(offer, ctx({ actor: system })).thenRejects("Excluded")
    spec.given(queued()).when(new Dialog.RouteToOperator({ dialogId, operatorId: anna.id }), ctx({ actor: system, target: { available: true, load: 2, capacity: 2 } })).thenRejects("OverCapacity")
    spec.given(queued()).when(new Dialog.RouteToOperator({ dialogId, operatorId: anna.id }), ctx({ actor: system, target: { available: false, load: 0, capacity: 2 } })).thenRejects("OverCapacity")
    spec.given(queued()).when(new Dialog.RouteToOperator({ dialogId, operatorId: anna.id }), ctx()).thenRejects("Forbidden")
    spec.given(queued()).when(new Dialog.RouteToOperator({ dialogId, operatorId: anna.id }), ctx({ actor: system, target: { available: true, load: 0, capacity: 2, servesQueue: false } })).thenRejects("Unavailable")
    spec.given(queued()).when(offer, ctx({ actor: system, target: { available: true, load: 0, capacity: 2, servesQueue: false } })).thenRejects("Unavailable")
  })

  it("an operator outside the dialog's skill groups or language is not offered or routed it (the engine re-checks at commit)", () => {
    const unskilled = { available: true, load: 0, capacity: 2, skilled: false }
    spec.given(queued()).when(new Dialog.RouteToOperator({ dialogId, operatorId: anna.id }), ctx({ actor: system, target: unskilled })).thenRejects("Unavailable")
    spec.given(queued()).when(offer, ctx({ actor: system, target: unskilled })).thenRejects("Unavailable")
    spec.given(queued()).when(new Dialog.RouteToOperator({ dialogId, operatorId: anna.id }), ctx({ actor: system, target: { ...unskilled, skilled: true } })).then((_, state) =>
      expect(Option.getOrThrow(state.assigneeId)).toBe(anna.id))
  })

  it("a supervisor, a bot or the system sets a dialog's priority; an operator may not; a closed dialog keeps its own", () => {
    spec.given(queued()).when(new Dialog.SetPriority({ dialogId, priority: 2 }), ctx({ actor: supervisor })).then((events, state) => {
      expect(events.map((e) => e._tag)).toEqual(["PriorityChanged"])
      expect(state.priority).toBe(2)
    })
    spec.given(queued()).when(new Dialog.SetPriority({ dialogId, priority: 2 }), ctx({ actor: system })).then((_, state) => expect(state.priority).toBe(2))
    spec.given(queued()).when(new Dialog.SetPriority({ dialogId, priority: 0 }), ctx({ actor: supervisor })).then((events) => expect(events).toEqual([]))
    spec.given(queued()).when(new Dialog.SetPriority({ dialogId, priority: 2 }), ctx({ actor: anna })).thenRejects("Forbidden")
    spec.given([...annas(), new Dialog.DialogClosed({ cause: "operator", reasonId: Option.none(), by: "anna", at: T0 })]).when(new Dialog.SetPriority({ dialogId, priority: 2 }), ctx({ actor: supervisor })).thenRejects("Closed")
  })

  it("the language a dialog needs is set by whoever may edit it, and cleared with null", () => {
    spec.given(annas()).when(new Dialog.SetLanguage({ dialogId, language: Language.make("uk") }), ctx()).then((_, state) => expect(Option.getOrThrow(state.language)).toBe("uk"))
    spec.given(annas()).when(new Dialog.SetLanguage({ dialogId, language: Language.make("uk") }), ctx({ actor: boris })).thenRejects("NotYours")
    spec.given([...annas(), new Dialog.LanguageSet({ language: Option.some(Language.make("uk")), by: "anna", at: T0 })]).when(new Dialog.SetLanguage({ dialogId, language: null }), ctx()).then((_, state) =>
      expect(Option.isNone(state.language)).toBe(true))
  })

  it("accepting an offer made to oneself does not count as over capacity", () => {
    const offered = spec.given(queued()).when(offer, ctx({ actor: system })).events()
    spec.given([...queued(), ...offered]).when(new Dialog.Accept({ dialogId }), ctx({ target: { available: true, load: 1, capacity: 1 } })).then((_, state) => expect(state.overCapacity).toBe(false))
  })

  it("requeue keeps the original wait unless a transfer resets it (INV-11)", () => {
    spec.given(annas()).when(new Dialog.Requeue({ dialogId, reason: "operator_unavailable" }), ctx({ actor: system })).then((_, state) => expect(state.enqueuedAt).toEqual(Option.some(T0)))
    spec.given(annas()).when(new Dialog.Requeue({ dialogId, reason: "transfer", resetAge: true }), ctx({ actor: system })).then((_, state) => expect(state.enqueuedAt).toEqual(Option.some(T0 + 60_000)))
    spec.given(queued()).when(new Dialog.Requeue({ dialogId, reason: "transfer" }), ctx({ actor: system })).thenRejects("NotActive")
  })

  it("hold and exclusions reset", () => {
    spec.given(annas()).when(new Dialog.SetHold({ dialogId, onHold: true }), ctx()).then((_, state) => expect(state.onHold).toBe(true))
    spec.given(queued()).when(new Dialog.ResetExclusions({ dialogId }), ctx({ actor: system })).then((events) => expect(events).toEqual([]))
  })
})

describe("access", () => {
  it("the previous operator cannot even read a reassigned dialog; a supervisor can", () => {
    const events = [...annas(), new Dialog.DialogAssigned({ operatorId: boris.id, mode: "reassign", previousAssigneeId: Option.some(anna.id), fromBotId: Option.none(), overCapacity: false, by: "sue", at: T0 })]
    spec.given(events).when(new Dialog.MarkRead({ dialogId }), ctx()).thenRejects("NotYours")
    expect(Either.isRight(spec.given(events).when(new Dialog.MarkRead({ dialogId }), ctx({ actor: supervisor })).result)).toBe(true)
  })
})

describe("waiting on client (SLA-03)", () => {
  it("the responsible operator marks the dialog waiting; the SLA timeline records it", () =>
    spec.given(annas()).when(new Dialog.SetWaitingOnClient({ dialogId, waiting: true }), ctx()).then((_, state) => {
      expect(state.waitingOnClient).toBe(true)
      expect(state.slaTimeline.map((m) => m.kind)).toEqual(["Created", "ClientMessage", "WaitingOn"])
    }))

  it("another operator cannot; a closed dialog cannot wait", () => {
    spec.given(annas()).when(new Dialog.SetWaitingOnClient({ dialogId, waiting: true }), ctx({ actor: boris })).thenRejects("NotYours")
    spec.given([...annas(), closed()]).when(new Dialog.SetWaitingOnClient({ dialogId, waiting: true }), ctx()).thenRejects("Closed")
  })

  it("the SLA timeline keeps only exchange boundaries", () =>
    spec.given([...annas(), clientSaid(2, "more", T0 + 10), operatorSaid(3), operatorSaid(4, anna.id, "and", T0 + 2000), clientSaid(5, "ok", T0 + 3000)]).when(new Dialog.Close({ dialogId }), ctx()).then((_, state) => {
      expect(state.slaTimeline.map((m) => m.kind)).toEqual(["Created", "ClientMessage", "OperatorReply", "ClientMessage", "Closed"])
    }))
})
