import { Effect, Option, Redacted, Schema } from "effect"
import { Access, Accounts, AccountStore, Catalog, Channel, ChannelId, Client, CloseReasonId, ConfigStore, Dialog, type DialogId, Engine, InboundMessage, Login, Message, Operator, Routing, Settings, TagId, TopicId, UserId } from "@switchboard/core"
import type { DemoSignInView } from "@switchboard/ui-htmx"
import { ChannelCredentials } from "./ChannelCredentials.js"
import { demoSla } from "./Services.js"

const system = Access.system

/** The demo's users: an owner, a supervisor and two operators (sign in as any of them with `demoPassword`). */
export const demoUsers = [
  { id: "olha", name: "Olha", role: "owner", login: "olha@example.com" },
  { id: "sue", name: "Sue", role: "supervisor", login: "sue@example.com" },
  { id: "anna", name: "Anna", role: "operator", login: "anna@example.com" },
  { id: "boris", name: "Boris", role: "operator", login: "boris@example.com" }
] as const

/**
 * Every demo user's password. Printed by the console and the sign-in page in demo mode only; a
 * production start seeds no users at all (the owner is made with `switchboard user create`).
 */
export const demoPassword = "switchboard-demo"

/** Demo mode's sign-in page hint: the demo users as one-click sign-ins, and their password. */
export const demoSignIn: DemoSignInView = { password: demoPassword, users: demoUsers }

/** Give each demo user without a sign-in (a fresh seed, or demo data from before accounts existed) the demo password. */
export const seedDemoAccounts = Effect.gen(function* () {
  const accounts = yield* Accounts.Accounts
  const store = yield* AccountStore
  for (const user of demoUsers) {
    const userId = UserId.make(user.id)
    if (Option.isSome(yield* store.account(userId))) continue
    yield* accounts.grantSignIn(system, userId, Schema.decodeSync(Login)(user.login), Redacted.make(demoPassword))
  }
})

/** The demo's web widget channel: `/demo/widget` embeds it. */
export const demoWidgetChannel = "website"

/**
 * The demo Telegram channel's bot token: the demo runs Telegram in sandbox mode, against an in-process
 * `FakeTelegram` that accepts this token (`switchboard start --demo` without `SWITCHBOARD_TELEGRAM_API_ROOT`),
 * so a reply the demo shows as sent did reach a Bot API, if a fake one.
 */
export const demoTelegramBotToken = "100000:DEMO-SANDBOX"

const channels = [
  Channel.Channel.make({ id: ChannelId.make("telegram"), kind: "telegram", name: "Telegram" }),
  Channel.Channel.make({ id: ChannelId.make(demoWidgetChannel), kind: "widget", name: "Website" })
]

type Plan = "new" | "anna" | "boris" | "closed"

/** The demo company's client tags (DLG-21); only clients past New carry them, so New's filters start from none. */
const tags = [
  Catalog.Tag.make({ id: TagId.make("vip"), name: "VIP", color: "#d97706" }),
  Catalog.Tag.make({ id: TagId.make("wholesale"), name: "Wholesale", color: "#2563eb" }),
  Catalog.Tag.make({ id: TagId.make("returning"), name: "Returning customer", color: "#059669" })
]

/** The demo company's close reasons (DLG-06) and topics (DLG-18): the panel offers exactly these. */
const closeReasons = [
  Catalog.CloseReason.make({ id: CloseReasonId.make("resolved"), name: "Resolved" }),
  Catalog.CloseReason.make({ id: CloseReasonId.make("no-answer"), name: "Client stopped answering" }),
  Catalog.CloseReason.make({ id: CloseReasonId.make("spam"), name: "Spam" })
]
const topics = [
  Catalog.Topic.make({ id: TopicId.make("delivery"), name: "Delivery", parentId: Option.none() }),
  Catalog.Topic.make({ id: TopicId.make("payments"), name: "Payments", parentId: Option.none() }),
  Catalog.Topic.make({ id: TopicId.make("returns"), name: "Returns", parentId: Option.none() })
]

const clients: ReadonlyArray<{
  readonly name: string
  readonly channel: 0 | 1
  readonly plan: Plan
  readonly lines: ReadonlyArray<string>
  /** Tag ids, each with whether it is pinned. */
  readonly tags?: ReadonlyArray<readonly [string, boolean]>
}> = [
  { name: "Maria Kovalenko", channel: 0, plan: "new", lines: ["Hi! My order #4411 hasn't arrived yet.", "It was supposed to come on Monday."] },
  { name: "Tom Becker", channel: 1, plan: "new", lines: ["Do you ship to Austria?"] },
  { name: "Priya Nair", channel: 0, plan: "new", lines: ["Can I change the delivery address?"] },
  { name: "Lukas Schmidt", channel: 1, plan: "new", lines: ["The checkout page shows an error <500> when I pay by card."] },
  { name: "Ana Silva", channel: 0, plan: "new", lines: ["Hello", "Is anyone there?"] },
  { name: "Jonas Berg", channel: 1, plan: "new", lines: ["I'd like a refund for the blue jacket."] },
  { name: "Olena Shevchenko", channel: 0, plan: "anna", lines: ["Good morning, I need an invoice for my company."], tags: [["vip", true], ["wholesale", false]] },
  { name: "Marco Rossi", channel: 1, plan: "anna", lines: ["What are your opening hours on Saturday?"] },
  { name: "Emma Wilson", channel: 0, plan: "anna", lines: ["My promo code SPRING10 doesn't work."], tags: [["returning", false]] },
  { name: "Kenji Watanabe", channel: 1, plan: "anna", lines: ["Is the XL size back in stock?"] },
  { name: "Sofia Garcia", channel: 0, plan: "anna", lines: ["I was charged twice for one order."], tags: [["vip", false]] },
  { name: "Noah Müller", channel: 1, plan: "boris", lines: ["How do I reset my password?"], tags: [["wholesale", false]] },
  { name: "Chloé Martin", channel: 0, plan: "boris", lines: ["Can I pick the order up myself?"] },
  { name: "Ivan Petrenko", channel: 1, plan: "boris", lines: ["The tracking link is broken."] },
  { name: "Fatima Zahra", channel: 0, plan: "closed", lines: ["Thanks, all sorted!"], tags: [["returning", false]] },
  { name: "Liam O'Brien", channel: 1, plan: "closed", lines: ["Do you have gift cards?"] },
  { name: "Yuki Tanaka", channel: 0, plan: "closed", lines: ["Where is your store in Kyiv?"] },
  { name: "Ahmed Hassan", channel: 1, plan: "closed", lines: ["Can I cancel my subscription?"] },
  { name: "Eva Novak", channel: 0, plan: "closed", lines: ["Your courier was very kind, thank you."], tags: [["vip", false], ["returning", false]] },
  { name: "Daniel Cohen", channel: 1, plan: "new", lines: ["Question about warranty for the headphones."] }
]

/**
 * The demo's routing: the defaults, except that an operator without an open panel keeps their
 * dialogs. The seeded operators never sign in unless someone tries them, and with the default
 * (live channels requeue after two minutes of absence) their dialogs went back to New and on to
 * whoever was signed in, each time with a new "joined" for the client: the demo decayed.
 */
const demoRouting = Routing.RoutingConfig.make({
  defaultPolicy: Routing.QueuePolicy.make({
    onOperatorUnavailable: Schema.decodeUnknownSync(Routing.RedistributionPolicy)({ live: { _tag: "KEEP" } })
  })
})

const replies = [
  "Hello! Let me check that for you.",
  "Thanks for waiting — it's on its way and should arrive tomorrow.",
  "Done! Anything else I can help with?"
]

const userActor = (id: string): Access.UserActor => {
  const user = demoUsers.find((entry) => entry.id === id) ?? demoUsers[0]
  return new Access.UserActor({ id: UserId.make(user.id), name: user.name, role: user.role })
}

const seedCompany = Effect.gen(function* () {
  const configStore = yield* ConfigStore
  const engine = yield* Engine
  if ((yield* configStore.listChannels()).length > 0) return false
  // A demo keeps its active dialogs for a day instead of closing them after 15 idle minutes, and tracks the demo SLA.
  yield* configStore.saveSettings(Settings.Settings.make({ ...Settings.defaults, inactivityCloseMinutes: 24 * 60, sla: demoSla, tags, closeReasons, topics, routing: demoRouting }))
  // Each channel gets its own credentials; `switchboard channel credentials` issues new ones to show.
  const credentials = yield* ChannelCredentials
  for (const channel of channels) yield* credentials.create(channel, channel.kind === "telegram" ? { botToken: demoTelegramBotToken } : {})
  for (const user of demoUsers) {
    const userId = UserId.make(user.id)
    yield* engine.operator(system, new Operator.RegisterOperator({ userId, name: user.name, role: user.role }))
    yield* engine.operator(system, new Operator.SetStatus({ userId, statusId: "online" }))
    // Operators take dialogs automatically up to their capacity per channel kind, set to exactly
    // what the seed gives them, so New keeps its backlog until someone frees a slot; managers take none.
    const capacity = user.id === "anna" ? { telegram: 3, widget: 2 } : user.id === "boris" ? { telegram: 1, widget: 2 } : {}
    yield* engine.operator(system, new Operator.SetRouting({ userId, capacity, skills: [], queues: [] }))
  }
  const run = (actor: Access.Actor, command: Dialog.DialogCommand) => engine.execute(actor, command)
  for (const [index, client] of clients.entries()) {
    const channel = channels[client.channel] ?? channels[0]!
    let dialogId: DialogId | undefined
    for (const line of client.lines) {
      const received = yield* engine.receive(
        InboundMessage.make({ channelId: channel.id, from: `demo-${index + 1}`, profile: { name: client.name }, message: Message.MessageInput.make({ text: line }) })
      )
      dialogId = received.dialogId
      if (client.tags !== undefined && line === client.lines[0]) {
        const clientTags = client.tags.map(([tagId, pinned]) => Client.ClientTag.make({ tagId: TagId.make(tagId), pinned }))
        yield* engine.client(system, new Client.SetClientTags({ clientId: received.clientId, tags: clientTags }))
      }
    }
    if (dialogId === undefined || client.plan === "new") continue
    const operator = userActor(client.plan === "boris" ? "boris" : "anna")
    yield* run(operator, new Dialog.Accept({ dialogId }))
    yield* run(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: replies[index % 2] ?? replies[0]! }), internal: false }))
    if (index % 3 === 0) {
      yield* run(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "Checked the order in the warehouse system: shipped yesterday." }), internal: true }))
    }
    if (client.plan === "closed") {
      yield* run(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: replies[2]! }), internal: false }))
      yield* run(operator, new Dialog.Close({ dialogId, reasonId: CloseReasonId.make("resolved"), force: true }))
    } else if (index % 2 === 1) {
      yield* engine.receive(
        InboundMessage.make({ channelId: channel.id, from: `demo-${index + 1}`, profile: {}, message: Message.MessageInput.make({ text: "Great, thank you!" }) })
      )
    }
  }
  return true
})

/**
 * Seed a demo company on first start (no channels yet): two channels, four users who sign in with
 * `demoPassword`, twenty clients with dialogs in every state — new, active with Anna or Boris
 * (replies, an internal note), and closed with a reason. Delivery statuses are only what the
 * channels' providers report: none is invented. Everything goes
 * through the engine. Whether the company was seeded now.
 */
export const seedIfEmpty = Effect.gen(function* () {
  const seeded = yield* seedCompany
  yield* seedDemoAccounts
  return seeded
})
