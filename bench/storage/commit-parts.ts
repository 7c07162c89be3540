/**
 * What the database alone charges for a receive on PGlite, with no engine in front of it (issue 5,
 * 5(b)): `switchboard_commit` replayed straight on a PGlite instance, with bodies shaped like the
 * engine's (a dialog's first message, then three more), whole and without one part at a time,
 * against that raw INSERT. Rounds alternate, so drift falls on all.
 *
 * `npx tsx bench/storage/commit-parts.ts` (`N` statements per figure, default 2000; `ROUNDS`, default 3).
 * Prints a table; writes nothing.
 */
import { Pglite, SqlStore } from "@switchboard/adapters"
import { Effect, Layer } from "effect"

const { SqlClient } = SqlStore

const text = "Hello, my parcel has not arrived yet, can you check the order status please?"
const at = 1795312083589

const message = (key: string, seq: number) => ({
  id: `dlg_${key}.m${seq}`, dialogId: `dlg_${key}`, seq, author: { _tag: "Client" }, internal: false, text, attachments: [],
  quoteOf: null, createdAt: at, editedAt: null, deletedAt: null, delivery: null, rejected: false, externalId: `m-${key}-${seq}`
})

/** The dialog state the engine stores with a queued dialog after `seq` client messages. */
const dialogState = (key: string, seq: number) => ({
  id: `dlg_${key}`, clientId: `cli_${key}`, channelId: "tg", status: "queued", deleted: false, assigneeId: null, previousAssigneeId: null,
  botId: null, queueId: "default", priority: 0, enqueuedAt: at, excludedOperators: [], offer: null, onHold: false, overCapacity: false,
  topics: [], tags: [], closeReasonId: null, closedAt: null, createdAt: at, lastActivityAt: at + seq,
  lastMessage: { seq, author: "Client", text, at: at + seq }, lastClientMessageAt: at + seq, lastStaffMessageAt: null, firstResponseAt: null,
  awaitingReplySince: at, messageSeq: seq, clientMessageCount: seq, recentExternalIds: [[`m-${key}-${seq}`, seq]], reads: {}, markedUnread: [],
  drafts: {}, pendingClose: null, ratingRequested: false, rating: null, reopenedFrom: null, waitingOnClient: false,
  slaTimeline: [{ kind: "Created", at }, { kind: "ClientMessage", at }], sla: null
})

interface Leave {
  readonly state?: true
  readonly messagePayload?: true
  readonly streams?: true
  readonly dialog?: true
  readonly message?: true
}

/** A commit body of the engine's shape for message `seq` of dialog `key`, without the parts `leave` names. */
const body = (key: string, seq: number, leave: Leave) =>
  JSON.stringify({
    streams: leave.streams ? [] : [
      { id: "config", expected: 1, next: null, share: false },
      { id: `dialog:dlg_${key}`, expected: seq === 1 ? 0 : seq, next: seq + 1 }
    ],
    dialogs: leave.dialog ? [] : [{
      id: `dlg_${key}`, version: seq + 1, status: "queued", deleted: false, assignee_id: null, bot_id: null, channel_id: "tg",
      client_id: `cli_${key}`, queue_id: "default", enqueued_at: at, offer_operator_id: null, last_activity_at: at + seq,
      processing_rank: at, last_writer: "Client", client_message_count: seq, state: leave.state ? {} : dialogState(key, seq)
    }],
    owner_resets: [], owners: [], clients: [], identities: [], operators: [],
    messages: leave.message ? [] : [{
      dialog_id: `dlg_${key}`, seq, id: `dlg_${key}.m${seq}`, internal: false, deleted: false, text,
      payload: leave.messagePayload ? {} : message(key, seq)
    }],
    cancels: [], timers: [],
    events: [{ stream_id: `dialog:dlg_${key}`, version: seq + 1, type: "ClientMessageReceived", payload: { message: message(key, seq), _tag: "ClientMessageReceived" } }]
  })

const variants: ReadonlyArray<readonly [string, Leave]> = [
  ["whole commit", {}],
  ["without the dialog state", { state: true }],
  ["without dialog state and message payload", { state: true, messagePayload: true }],
  ["without stream versions", { streams: true }],
  ["without the message row", { message: true }],
  ["without the dialog row", { dialog: true }],
  ["the event alone", { dialog: true, message: true, streams: true }]
]

const program = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const run = (statement: string, params: ReadonlyArray<unknown>) => Effect.orDie(sql.unsafe(statement, [...params]))
  yield* run(`CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)`, [])
  yield* run(`INSERT INTO streams (id, version) VALUES ('config', 1) ON CONFLICT (id) DO UPDATE SET version = 1`, [])
  const n = Number(process.env["N"] ?? 2000)
  const rounds = Number(process.env["ROUNDS"] ?? 3)
  const payload = JSON.stringify(message("x", 1))
  /** Milliseconds per statement over `n`, after 200 untimed. */
  const perStatement = (statement: (i: number) => Effect.Effect<unknown>) =>
    Effect.gen(function* () {
      for (let i = 0; i < 200; i++) yield* statement(i)
      const start = performance.now()
      for (let i = 200; i < n + 200; i++) yield* statement(i)
      return (performance.now() - start) / n
    })
  const raw: Array<number> = []
  const parts = variants.map((): Array<number> => [])
  for (let round = 0; round < rounds; round++) {
    raw.push(yield* perStatement(() => run(`INSERT INTO bench_raw (payload) VALUES ($1)`, [payload])))
    for (const [index, [, leave]] of variants.entries()) {
      // Each dialog gets a first message and three more, as in run.ts.
      parts[index]!.push(yield* perStatement((i) =>
        run(`SELECT out_position FROM switchboard_commit($1::jsonb)`, [body(`r${round}v${index}d${Math.floor(i / 4)}`, (i % 4) + 1, leave)])))
    }
  }
  const spread = (values: ReadonlyArray<number>) => `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)} ms`
  console.log(`PGlite in memory, ${n} statements per figure, ${rounds} rounds\n`)
  console.log("| statement | per statement | raw INSERT / statement (per round) |")
  console.log("|---|---|---|")
  console.log(`| raw INSERT | ${spread(raw)} | |`)
  for (const [index, [label]] of variants.entries()) {
    const ratios = parts[index]!.map((ms, round) => (100 * raw[round]!) / ms)
    console.log(`| ${label} | ${spread(parts[index]!)} | ${Math.min(...ratios).toFixed(0)}–${Math.max(...ratios).toFixed(0)}% |`)
  }
})

Effect.runPromise(program.pipe(Effect.provide(SqlStore.layer.pipe(Layer.provideMerge(Pglite.layer({}))))))
