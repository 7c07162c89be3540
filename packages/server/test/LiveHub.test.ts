import { Effect, Either, Option } from "effect"
import fc from "fast-check"
import { ChannelId, Client, ConfigStore, Dialog, DialogId, DialogListStore, DialogPermissions, Engine, EventStore, InboundMessage, Message, TagId, UserId } from "@switchboard/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import type { Connection, Outgoing } from "../src/live/Connection.js"
import { LiveHub } from "../src/live/LiveHub.js"
import { actorOf } from "../src/panel/Actor.js"
import { viewerOf } from "../src/panel/ListView.js"
import { memoryStorage } from "../src/testing.js"
import { panelApp } from "./PanelClient.js"

/**
 * Acceptance 3 of issue 18: whatever happens to which dialogs, whoever is connected with whatever
 * role and focus, the hub never queues a fragment of a dialog on the stream of a user who may not
 * see it (core's `DialogPermissions.canView`, on the dialog as it is once the hub has handled the
 * change), and a row's removal only to one who saw the dialog before. Besides, the counters the hub
 * keeps from the events equal a fresh count after every change.
 */
const { runtime } = panelApp(memoryStorage.layer)
beforeAll(() => runtime.runPromise(seedIfEmpty))
afterAll(() => runtime.dispose())

const users = ["olha", "sue", "anna", "boris"] as const

type Step =
  | { readonly _tag: "Inbound"; readonly client: number; readonly text: string }
  | { readonly _tag: "Act"; readonly action: "accept" | "leave" | "close" | "read" | "unread" | "write" | "reassign" | "tag"; readonly user: number; readonly dialog: number; readonly target: number }
  | { readonly _tag: "Focus"; readonly connection: number; readonly dialog: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ _tag: fc.constant("Inbound" as const), client: fc.nat(5), text: fc.constantFrom("hello", "any news?", "thanks") }),
  fc.record({
    _tag: fc.constant("Act" as const),
    action: fc.constantFrom("accept", "leave", "close", "read", "unread", "write", "reassign", "tag"),
    user: fc.nat(users.length - 1),
    dialog: fc.nat(20),
    target: fc.nat(users.length - 1)
  }),
  fc.record({ _tag: fc.constant("Focus" as const), connection: fc.nat(7), dialog: fc.nat(20) })
)

/** The dialog a fragment is about, and what kind of fragment it is. */
const fragmentOf = (item: Outgoing): { readonly kind: "row" | "remove" | "bubble"; readonly dialogId: string } | undefined => {
  if (item._tag !== "Event") return undefined
  if (item.event === "row") return { kind: "row", dialogId: /data-dialog-id="([^"]+)"/.exec(item.data)![1]! }
  if (item.event === "row-remove") return { kind: "remove", dialogId: item.data }
  if (item.event.startsWith("messages:")) return { kind: "bubble", dialogId: decodeURIComponent(item.event.slice("messages:".length)) }
  return undefined
}

let run = 0
/** Fragments checked over all runs: the property must have something to hold for. */
const checked = { row: 0, remove: 0, bubble: 0 }

describe("LiveHub", () => {
  it("never queues a fragment of a dialog on the stream of a user who may not see it; counters follow the events exactly", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(users.length - 1), { minLength: 1, maxLength: 8 }), fc.array(step, { minLength: 1, maxLength: 25 }), async (audience, steps) => {
        run++
        await runtime.runPromise(Effect.gen(function* () {
          const hub = yield* LiveHub
          const engine = yield* Engine
          const eventStore = yield* EventStore
          const listStore = yield* DialogListStore
          const settings = yield* (yield* ConfigStore).getSettings()
          const dialogs: Array<DialogId> = []
          const connections: Array<Connection> = []
          for (const index of audience) {
            const actor = Option.getOrThrow(yield* actorOf(users[index]!))
            const connection = yield* hub.open(actor)
            yield* hub.count(connection)
            connections.push(connection)
          }
          const stateOf = (id: string) => Effect.map(eventStore.loadDialog(DialogId.make(id)), Option.map((found) => found.state))
          const mayView = (state: Option.Option<Dialog.DialogState>, connection: Connection) =>
            Option.isSome(state) && DialogPermissions.canView(state.value, connection.actor, settings)
          try {
            for (const current of steps) {
              // Who saw what before the step: a removal may go only to them.
              const touchedBefore = new Map<string, Option.Option<Dialog.DialogState>>()
              for (const id of dialogs) touchedBefore.set(id, yield* stateOf(id))
              if (current._tag === "Inbound") {
                const received = yield* Effect.either(engine.receive(InboundMessage.make({ channelId: ChannelId.make("telegram"), from: `live-${run}-${current.client}`, message: Message.MessageInput.make({ text: current.text }) })))
                if (Either.isRight(received) && !dialogs.includes(received.right.dialogId)) dialogs.push(received.right.dialogId)
              } else if (current._tag === "Focus") {
                const connection = connections[current.connection % connections.length]!
                const dialogId = dialogs.length === 0 ? undefined : dialogs[current.dialog % dialogs.length]
                yield* hub.focus(connection.actor.id, connection.id, { dialogId, folder: "new", filters: undefined }, undefined)
              } else if (dialogs.length > 0) {
                const dialogId = dialogs[current.dialog % dialogs.length]!
                const actor = Option.getOrThrow(yield* actorOf(users[current.user]!))
                const command = {
                  accept: () => new Dialog.Accept({ dialogId }),
                  leave: () => new Dialog.Leave({ dialogId }),
                  close: () => new Dialog.Close({ dialogId, force: true }),
                  read: () => new Dialog.MarkRead({ dialogId }),
                  unread: () => new Dialog.MarkUnread({ dialogId }),
                  write: () => Dialog.SendMessage.make({ dialogId, input: Message.MessageInput.make({ text: "from the panel" }) }),
                  reassign: () => new Dialog.Reassign({ dialogId, to: { _tag: "Operator", userId: UserId.make(users[current.target]!) } }),
                  tag: () => undefined
                }[current.action]()
                if (command !== undefined) yield* Effect.either(engine.execute(actor, command))
                else {
                  const state = yield* stateOf(dialogId)
                  if (Option.isSome(state) && Option.isSome(state.value.clientId)) {
                    const tags = current.target % 2 === 0 ? [] : [Client.ClientTag.make({ tagId: TagId.make("vip"), pinned: true })]
                    yield* Effect.either(engine.client(actor, new Client.SetClientTags({ clientId: state.value.clientId.value, tags, via: dialogId })))
                  }
                }
              }
              yield* hub.settled(yield* eventStore.lastPosition)
              for (const connection of connections) {
                const items = connection.queued === 0 ? [] : yield* Effect.promise(() => connection.take())
                expect(connection.overflowed).toBe(false)
                for (const item of items) {
                  const fragment = fragmentOf(item)
                  if (fragment === undefined) continue
                  checked[fragment.kind]++
                  const now = yield* stateOf(fragment.dialogId)
                  const who = `${connection.actor.id} got ${fragment.kind} of ${fragment.dialogId}`
                  if (fragment.kind === "remove") expect(mayView(touchedBefore.get(fragment.dialogId) ?? Option.none(), connection) || mayView(now, connection), who).toBe(true)
                  else expect(mayView(now, connection), who).toBe(true)
                  if (fragment.kind === "bubble") expect(connection.focus.dialogId, who).toBe(fragment.dialogId)
                }
                const fresh = yield* listStore.unread(viewerOf(connection.actor, settings))
                expect(connection.counters, `${connection.actor.id}'s counters`).toEqual(fresh)
              }
            }
          } finally {
            for (const connection of connections) yield* hub.close(connection)
          }
        }))
      }),
      {
        numRuns: 25,
        // One run that surely opens a dialog and gets a message in it (the owner, Olha, sees every dialog), so the
        // bubble case is checked whatever the seed: random runs alone sometimes made no bubble at all.
        examples: [[[0, 1, 2, 3], [
          { _tag: "Inbound", client: 0, text: "hello" },
          { _tag: "Focus", connection: 0, dialog: 0 },
          { _tag: "Inbound", client: 0, text: "any news?" }
        ]]]
      }
    )
    expect(checked.row).toBeGreaterThan(50)
    expect(checked.remove).toBeGreaterThan(0)
    expect(checked.bubble).toBeGreaterThan(0)
  }, 120_000)
})
