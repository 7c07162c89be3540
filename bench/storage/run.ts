/**
 * Storage benchmark (issue 5, acceptance 5). Each figure is measured in the same run as its ceiling:
 *
 *   (a) inbound messages through the engine (decide + append + projections, one transaction each)
 *       on PostgreSQL vs raw single-row INSERTs of the same message payload through the same driver;
 *   (b) the same on PGlite (a data folder);
 *   (c) p50/p99 of the folder list query and of full-text search with 100,000 dialogs and
 *       1,000,000 messages bulk-loaded in SQL (generate_series);
 *   (d) LISTEN/NOTIFY fan-out latency between two servers (two pools).
 *
 * Run from the repository root: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx
 * bench/storage/run.ts` (or `pnpm --filter @switchboard/bench bench:storage`). Prints the figures
 * and rewrites `bench/storage/results.md`. Works in a scratch schema it drops afterwards.
 */
import { PgEventBus, RandomIds, SqlStore } from "@switchboard/adapters"
import { ChannelId, Dialog, DialogFold, DialogId, Engine, EventBus, InboundMessage, Message, MessageId, QueueId, type StoredEvent, type StorePorts, storeService, TagId, UserId } from "@switchboard/core"
import { Fixtures, MemoryEventBus } from "@switchboard/core/testing"
import { Chunk, Context, Effect, Fiber, Layer, Option, Schema, Stream } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const { SqlClient } = SqlStore
const url = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
/**
 * `BENCH_ONLY=ingest`: run only (a)/(b); `BENCH_ONLY=queries`: only (c). Either prints the figures
 * and leaves `results.md` alone (quick iterations).
 */
const only = process.env["BENCH_ONLY"]
const ingestOnly = only === "ingest"
const lines: Array<string> = []
const say = (line: string) => {
  lines.push(line)
  process.stdout.write(`${line}\n`)
}

const quantile = (samples: ReadonlyArray<number>, q: number): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}
const ms = (value: number) => `${value.toFixed(2)} ms`
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const start = performance.now()
    const value = yield* effect
    return [performance.now() - start, value] as const
  })

const engineOn = <E>(store: Layer.Layer<StorePorts, E>) => Engine.Default.pipe(Layer.provideMerge(Layer.mergeAll(store, MemoryEventBus.layer, RandomIds.layer)))

/** (a)/(b): engine ingest vs raw INSERTs, with 1, 8 (and 32) in flight. */
const ingestVsRaw = (label: string, messages: number, inFlight: ReadonlyArray<number>, warmUpCount: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const engine = yield* Engine
    const store = yield* storeService
    yield* store.putChannel(Fixtures.telegram)
    yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)`)
    const sample = Message.Message.make({
      id: MessageId.make("dlg_x.m1"),
      dialogId: DialogId.make("dlg_x"),
      seq: 1,
      author: { _tag: "Client" },
      internal: false,
      text: "Hello, my parcel has not arrived yet, can you check the order status please?",
      attachments: [],
      quoteOf: Option.none(),
      createdAt: Date.now(),
      editedAt: Option.none(),
      deletedAt: Option.none(),
      delivery: Option.none(),
      rejected: false,
      externalId: Option.some("ext-1")
    })
    const payload = JSON.stringify(Schema.encodeSync(Message.Message)(sample))
    const receiveAs = (from: string, externalId: string) =>
      engine.receive(InboundMessage.make({
        channelId: Fixtures.telegram.id,
        from,
        profile: { name: `Client ${from}` },
        message: Message.MessageInput.make({ text: sample.text }),
        externalId
      }))
    const rawInsert = sql.unsafe(`INSERT INTO bench_raw (payload) VALUES ($1)`, [payload])
    /**
     * Not the target, for reading it: the tables a receive writes (an event, the dialog row with its
     * list indexes, a message with its search vector) in one plain statement, rows taken from what
     * the engine stored in the warm-up; no engine, no version checks, no locks. `engine / tables`
     * is what the engine's decision and bookkeeping leave of the database's own rate for this model.
     */
    let sampleRows: { readonly event: string; readonly state: string; readonly message: string } | undefined
    const tablesWrite = (key: string, seq: number) =>
      Effect.suspend(() => {
        const rows = sampleRows!
        return sql.unsafe(
          `WITH e AS (INSERT INTO events (stream_id, version, type, payload) VALUES ($1, $2, 'ClientMessageReceived', $3::jsonb) RETURNING position),
           d AS (INSERT INTO dialogs AS t (id, version, status, deleted, channel_id, client_id, queue_id, enqueued_at, last_activity_at, processing_rank, last_writer, client_message_count, state)
                 VALUES ($1, $2, 'queued', false, 'tg', $1, 'default', $4, $4, $4, 'Client', $2, $5::jsonb)
                 ON CONFLICT (id) DO UPDATE SET version = excluded.version, last_activity_at = excluded.last_activity_at,
                   client_message_count = excluded.client_message_count, state = excluded.state),
           m AS (INSERT INTO messages (dialog_id, seq, id, internal, deleted, text, payload) VALUES ($1, $2, $1 || '.m' || $2, false, false, $6, $7::jsonb))
           SELECT position FROM e`,
          [key, seq, rows.event, Date.now(), rows.state, sample.text, rows.message]
        )
      })
    /**
     * Untimed warm-up of both paths at the measured concurrency, same mix as the rounds: the first
     * round would otherwise pay the JIT compiling the engine (and, on PGlite, the WebAssembly tier-up
     * of the database itself), which the simpler raw INSERT is mostly past by then.
     */
    const warmUp = (count: number, concurrency: number) =>
      Effect.gen(function* () {
        const items = Array.from({ length: count }, (_, i) => i)
        yield* Effect.forEach(items, (i) => receiveAs(`w${concurrency}c${i % Math.floor(count / 4)}`, `w${concurrency}m${i}`), { concurrency, discard: true })
        yield* Effect.forEach(items, () => rawInsert, { concurrency, discard: true })
        if (sampleRows === undefined) {
          const [row] = yield* sql.unsafe<{ readonly event: string; readonly state: string; readonly message: string }>(
            `SELECT (SELECT payload::text FROM events WHERE type = 'ClientMessageReceived' LIMIT 1) AS event,
                    (SELECT state::text FROM dialogs LIMIT 1) AS state, (SELECT payload::text FROM messages LIMIT 1) AS message`
          )
          sampleRows = row!
        }
        const clients = Math.floor(count / 4)
        yield* Effect.forEach(items, (i) => tablesWrite(`ws-w${concurrency}c${i % clients}`, Math.floor(i / clients) + 1), { concurrency, discard: true })
      })
    for (const concurrency of inFlight) {
      yield* warmUp(warmUpCount, concurrency)
      // Alternating rounds (engine, then raw, four times), so a slow minute of a shared machine falls on both.
      const rounds = 4
      const perRound = messages / rounds
      let engineMs = 0
      let rawMs = 0
      let tablesMs = 0
      const ratios: Array<number> = []
      for (let round = 0; round < rounds; round++) {
        // Every round has the same mix: a client's first message, then three more (a quarter are first contacts).
        const items = Array.from({ length: perRound }, (_, i) => i)
        const [engineRound] = yield* timed(
          Effect.forEach(items, (i) => receiveAs(`f${concurrency}r${round}c${i % Math.floor(perRound / 4)}`, `f${concurrency}r${round}m${i}`), { concurrency, discard: true })
        )
        const [rawRound] = yield* timed(Effect.forEach(items, () => rawInsert, { concurrency, discard: true }))
        const clients = Math.floor(perRound / 4)
        const [tablesRound] = yield* timed(
          Effect.forEach(items, (i) => tablesWrite(`ws-f${concurrency}r${round}c${i % clients}`, Math.floor(i / clients) + 1), { concurrency, discard: true })
        )
        tablesMs += tablesRound
        engineMs += engineRound
        rawMs += rawRound
        ratios.push((100 * rawRound) / engineRound)
      }
      const engineRate = messages / (engineMs / 1000)
      const rawRate = messages / (rawMs / 1000)
      const tablesRate = messages / (tablesMs / 1000)
      say(`| ${label} | ${concurrency} | ${messages} | ${engineRate.toFixed(0)}/s | ${rawRate.toFixed(0)}/s | ${((100 * engineRate) / rawRate).toFixed(0)}% | ${Math.min(...ratios).toFixed(0)}–${Math.max(...ratios).toFixed(0)}% | ${tablesRate.toFixed(0)}/s | ${((100 * engineRate) / tablesRate).toFixed(0)}% |`)
    }
  })

/**
 * (a, long dialogs): a message to a dialog that already holds `long` messages costs what a message to
 * a short one costs: the dialog's stored state does not grow with its history.
 */
const longDialog = (label: string, long: number) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    let sent = 0
    const send = (from: string) =>
      engine.receive(InboundMessage.make({ channelId: Fixtures.telegram.id, from, message: Message.MessageInput.make({ text: `message ${sent}` }), externalId: `long${sent++}` }))
    for (let i = 0; i < long - 200; i++) yield* send("long-history")
    // Interleaved, each message timed on its own, so warm-up and noise fall on both alike.
    let shortMs = 0
    let deepMs = 0
    for (let i = 0; i < 200; i++) {
      shortMs += (yield* timed(send("short-history")))[0]
      deepMs += (yield* timed(send("long-history")))[0]
    }
    const short = 200 / (shortMs / 1000)
    const deep = 200 / (deepMs / 1000)
    say(`| ${label}, one dialog at ${long - 200}–${long} messages vs at 1–200 | 1 | 200 | ${deep.toFixed(0)}/s | ${short.toFixed(0)}/s (short dialog) | ${((100 * deep) / short).toFixed(0)}% | | | |`)
  })

/** (c): bulk-load 100k dialogs, 100k clients and 1M messages with generate_series, then time the panel's queries. */
const bigData = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const store = yield* storeService
  const template = Schema.encodeSync(Dialog.DialogState)(DialogFold.initial(DialogId.make("dlg_template"), ChannelId.make("tg"), QueueId.make("default")))
  const words = ["parcel", "refund", "delivery", "invoice", "password", "login", "broken", "order", "payment", "address", "courier", "discount", "warranty", "exchange", "tracking", "subscription", "cancel", "upgrade", "account", "support"]
  const base = Date.UTC(2026, 0, 1)
  const [loadMs] = yield* timed(Effect.gen(function* () {
    yield* sql.unsafe(`INSERT INTO clients (id, version, display_name, tag_ids, has_pinned_tag, blocked, state)
      SELECT 'cli_' || i, 1, 'Client ' || i, CASE WHEN i % 10 = 0 THEN ARRAY['vip'] WHEN i % 200 = 7 THEN ARRAY['gold'] ELSE ARRAY[]::text[] END, false, false, '{}'::jsonb
      FROM generate_series(1, 100000) i`)
    yield* sql.unsafe(
      `INSERT INTO dialogs (id, version, status, deleted, assignee_id, bot_id, channel_id, client_id, queue_id, enqueued_at, offer_operator_id,
                            last_activity_at, processing_rank, last_writer, client_message_count, state)
       SELECT 'dlg_' || lpad(i::text, 6, '0'), 10, s.status, false,
              CASE WHEN s.status = 'queued' THEN NULL ELSE 'op' || (i % 50) END, NULL, 'tg', 'cli_' || i, 'default', ${base}, NULL,
              ${base} + i::bigint * 60000, CASE WHEN i % 3 = 0 THEN ${base} + i::bigint * 60000 ELSE NULL END, CASE WHEN i % 3 = 0 THEN 'Client' ELSE 'Operator' END, 10,
              jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set($1::jsonb,
                '{id}', to_jsonb('dlg_' || lpad(i::text, 6, '0'))),
                '{status}', to_jsonb(s.status)),
                '{assigneeId}', CASE WHEN s.status = 'queued' THEN 'null'::jsonb ELSE to_jsonb('op' || (i % 50)) END),
                '{clientId}', to_jsonb('cli_' || i)),
                '{lastActivityAt}', to_jsonb(${base} + i::bigint * 60000))
       FROM generate_series(1, 100000) i,
            LATERAL (SELECT CASE WHEN i % 10 = 0 THEN 'queued' WHEN i % 10 < 4 THEN 'active' ELSE 'closed' END AS status) s`,
      [JSON.stringify(template)]
    )
    yield* sql.unsafe(
      `INSERT INTO messages (dialog_id, seq, id, internal, deleted, text, payload)
       SELECT 'dlg_' || lpad(d::text, 6, '0'), n, 'dlg_' || lpad(d::text, 6, '0') || '.m' || n, false, false,
              w[1 + (d * 7 + n) % 20] || ' ' || w[1 + (d * 13 + n * 3) % 20] || ' question number ' || n || ' from client ' || d,
              jsonb_build_object('createdAt', ${base} + d::bigint * 60000 - (10 - n) * 1000, 'author', jsonb_build_object('_tag', CASE WHEN n % 2 = 1 THEN 'Client' ELSE 'Operator' END))
       FROM generate_series(1, 100000) d, generate_series(1, 10) n, (SELECT $1::text[] AS w) words`,
      [words]
    )
    // As autovacuum would leave them (it is off on this machine's server): visibility maps set, statistics taken.
    yield* sql.unsafe(`VACUUM ANALYZE clients, dialogs, messages`)
  }))
  say(`Bulk load (100,000 clients, 100,000 dialogs, 1,000,000 messages with tsvector + GIN, then VACUUM ANALYZE): ${(loadMs / 1000).toFixed(1)} s`)
  const supervisor = { userId: Fixtures.supervisor.id, seesAll: true }
  const operator = (i: number) => ({ userId: UserId.make(`op${i % 50}`), seesAll: false })
  const runs = 300
  const measure = (label: string, ask: (i: number) => Effect.Effect<unknown, unknown>) =>
    Effect.gen(function* () {
      const query = (i: number) => Effect.orDie(ask(i))
      // Untimed: one query per operator of the rows that rotate through the 50 operators, so each one's first read of
      // their dialogs (from disk after the bulk load) is not a sample; the samples are a warm server's.
      for (let i = 0; i < 50; i++) yield* query(i)
      const samples: Array<number> = []
      for (let i = 0; i < runs; i++) samples.push((yield* timed(query(i)))[0])
      say(`| ${label} | ${ms(quantile(samples, 0.5))} | ${ms(quantile(samples, 0.99))} |`)
    })
  say("")
  say("| query (100k dialogs, 1M messages, page of 50) | p50 | p99 |")
  say("|---|---|---|")
  yield* measure("Mine (operator), last activity", (i) => store.listDialogs({ viewer: operator(i), folder: "mine", limit: 50 }))
  yield* measure("All active (supervisor), last activity", () => store.listDialogs({ viewer: supervisor, folder: "active", limit: 50 }))
  yield* measure("All active (supervisor), processing order", () => store.listDialogs({ viewer: supervisor, folder: "active", sort: "processingOrder", limit: 50 }))
  yield* measure("New (queue), last activity", () => store.listDialogs({ viewer: supervisor, folder: "new", limit: 50 }))
  yield* measure("Archive (supervisor), page 2 by cursor", () =>
    Effect.flatMap(store.listDialogs({ viewer: supervisor, folder: "archive", limit: 50 }), (page) =>
      store.listDialogs({ viewer: supervisor, folder: "archive", limit: 50, ...(Option.isSome(page.nextCursor) ? { cursor: page.nextCursor.value } : {}) })))
  yield* measure("Archive + client tag vip + last writer client", () => store.listDialogs({ viewer: supervisor, folder: "archive", filters: { clientTags: { _tag: "AllOf", tags: [TagId.make("vip")] }, lastWriter: "client" }, limit: 50 }))
  const gold = { viewer: supervisor, folder: "archive", filters: { clientTags: { _tag: "AllOf", tags: [TagId.make("gold")] } }, limit: 50 } as const
  yield* measure("Archive + a rare client tag (500 clients)", () => store.listDialogs(gold))
  const walking = yield* SqlStore.makeWith({ searchSetLimit: 0 })
  yield* measure("Archive + a rare client tag, walking the folder instead", () => walking.listDialogs(gold))
  yield* measure("Full text: one common word (archive)", (i) => store.listDialogs({ viewer: supervisor, folder: "archive", filters: { text: words[i % 20]! }, limit: 50 }))
  yield* measure("Full text: two words (archive)", (i) => store.listDialogs({ viewer: supervisor, folder: "archive", filters: { text: `${words[i % 20]!} ${words[(i + 3) % 20]!}` }, limit: 50 }))
  yield* measure("Full text: a number, rare (archive)", (i) => store.listDialogs({ viewer: supervisor, folder: "archive", filters: { text: String(40_000 + i * 37) }, limit: 50 }))
  yield* measure("Full text: client name (all active)", (i) => store.listDialogs({ viewer: supervisor, folder: "active", filters: { text: `Client ${1000 + i * 7}` }, limit: 50 }))
  yield* measure("Unread counters (operator)", (i) => store.unread(operator(i)))
  const day = 24 * 60 * 60 * 1000
  yield* measure("Archive + period: one day, 3–6 weeks back (14,400 messages)", (i) => store.listDialogs({ viewer: supervisor, folder: "archive", filters: { from: base + (30 + (i % 20)) * day, to: base + (31 + (i % 20)) * day }, limit: 50 }))
  yield* measure("Archive + period: since a week ago (walks the folder)", () => store.listDialogs({ viewer: supervisor, folder: "archive", filters: { from: base + 62 * day }, limit: 50 }))
  yield* measure("Archive + period: a week a month ago (100,800 messages)", () => store.listDialogs({ viewer: supervisor, folder: "archive", filters: { from: base + 30 * day, to: base + 37 * day }, limit: 50 }))
  yield* measure("Tag counts (archive, supervisor)", () => store.tagCounts({ viewer: supervisor, folder: "archive", limit: 20 }))
  yield* measure("Tag counts (all active, supervisor)", () => store.tagCounts({ viewer: supervisor, folder: "active", limit: 20 }))
})

/** (d): publish on server A's bus, time until server B's subscriber sees the event. */
const fanOut = (schema: string) =>
  Effect.gen(function* () {
    const server = () => {
      const store = SqlStore.layerPg({ url, schema, maxConnections: 4 })
      return Layer.mergeAll(engineOn(store), PgEventBus.layer({ url, schema }).pipe(Layer.provide(store)))
    }
    const a = yield* Layer.build(server())
    const b = yield* Layer.build(server())
    const busA = Context.get(a, EventBus)
    const busB = Context.get(b, EventBus)
    const engineA = Context.get(a, Engine)
    const samples: Array<number> = []
    const sent = new Map<number, number>()
    const count = 200
    const listener = yield* (yield* busB.subscribe).pipe(
      Stream.tap((event: StoredEvent) => Effect.sync(() => {
        const at = sent.get(event.position)
        if (at !== undefined) samples.push(performance.now() - at)
      })),
      Stream.filter((event) => sent.has(event.position)),
      Stream.take(count),
      Stream.runCollect,
      Effect.fork
    )
    yield* Effect.sleep("300 millis")
    for (let i = 0; i < count; i++) {
      const received = yield* engineA.receive(Fixtures.inbound(`fan${i}`, `fan-out ${i}`))
      const message = received.events[received.events.length - 1]!
      sent.set(message.position, performance.now())
      yield* busA.publish([message])
      yield* Effect.sleep("5 millis")
    }
    yield* Fiber.join(listener).pipe(Effect.map(Chunk.size))
    say(`| NOTIFY → other server's subscriber (event read back from the store) | ${ms(quantile(samples, 0.5))} | ${ms(quantile(samples, 0.99))} | ${samples.length} |`)
  })

const program = Effect.gen(function* () {
  say(`# Storage benchmark`)
  say("")
  say(`Run ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length}× ${cpus()[0]?.model ?? "cpu"}; PostgreSQL on 127.0.0.1 (default settings, durable commits), PGlite ${"0.5"} in a temp folder.`)
  say("")
  say("## (a, b) Ingest through the engine vs raw single-row INSERTs (same payload, same driver, same run)")
  say("")
  say("| database | in flight | messages | engine | raw INSERT | engine / raw | per round | same tables, 1 statement | engine / tables |")
  say("|---|---|---|---|---|---|---|---|---|")

  if (only === "queries") {
    const bigSchema = yield* SqlStore.scratchSchema(url)
    const big = yield* Layer.build(Layer.merge(SqlStore.layerPg({ url, schema: bigSchema, maxConnections: 4 }), SqlStore.pgClientLayer({ url, schema: bigSchema, maxConnections: 4 })))
    return yield* Effect.provide(bigData, big)
  }
  const schema = yield* SqlStore.scratchSchema(url)
  const pg = yield* Layer.build(Layer.merge(engineOn(SqlStore.layerPg({ url, schema, maxConnections: 10 })), SqlStore.pgClientLayer({ url, schema, maxConnections: 10 })))
  yield* Effect.provide(ingestVsRaw("PostgreSQL", 2000, [1, 8, 32], 1000), pg)
  yield* Effect.provide(longDialog("PostgreSQL", 3000), pg)

  const dir = mkdtempSync(join(tmpdir(), "switchboard-bench-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
  yield* Effect.scoped(Effect.gen(function* () {
    const client = (yield* Effect.promise(() => import("@switchboard/adapters"))).Pglite.layer({ dataDir: dir })
    const lite = yield* Layer.build(Layer.merge(engineOn(SqlStore.layer.pipe(Layer.provide(client))), client))
    yield* Effect.provide(ingestVsRaw("PGlite (folder)", 1000, [1], 2000), lite)
  }))
  if (ingestOnly) return

  say("")
  say("## (c) Panel queries on PostgreSQL")
  say("")
  const bigSchema = yield* SqlStore.scratchSchema(url)
  const big = yield* Layer.build(Layer.merge(SqlStore.layerPg({ url, schema: bigSchema, maxConnections: 4 }), SqlStore.pgClientLayer({ url, schema: bigSchema, maxConnections: 4 })))
  yield* Effect.provide(bigData, big)

  say("")
  say("## (d) Live events across servers (LISTEN/NOTIFY)")
  say("")
  say("| path | p50 | p99 | samples |")
  say("|---|---|---|---|")
  yield* fanOut(schema)
  for (const line of notes) say(line)
})

/** Printed after the figures; update when the figures change shape. */
const notes: ReadonlyArray<string> = [
  "",
  "## Reading the figures",
  "",
  "- (a, b) `same tables, 1 statement` is not the target; it is there to read the target by. It writes the rows a",
  "  receive writes to a known dialog (an event, the dialog row with its list indexes, a message with its search",
  "  vector) as one plain statement of three INSERTs, with rows the engine stored in the warm-up: no engine, no",
  "  version checks, no locks, no client rows. On PostgreSQL with 8 in flight that alone reaches only 38–42% of",
  "  the raw INSERT rate, on PGlite 31–34% (two runs on 2026-11-21), so a 30% target leaves the engine's decision,",
  "  version checks and first contacts almost nothing there. `engine / tables` is the share of the database's own",
  "  rate for this data model that the engine keeps.",
  "- (a, b) What a receive costs. The engine keeps the conversations it touched last in memory (validated at commit",
  "  by expected versions and `Commit.checks`), so a message to a known conversation makes no read; a new client's",
  "  first message makes none either (`Store.commitFirstContact`: the commit checks that the address is still free",
  "  and, if not, answers with the client there). Every receive is one round trip: the commit, one statement",
  "  (`switchboard_commit`). Both paths are warmed up untimed first (the first round used to pay the engine's JIT",
  "  and PGlite's WebAssembly tier-up); then rounds alternate engine and raw (four each), so drift of the shared",
  "  machine falls on both; `per round` is the spread of the four ratios. Figures depend on the machine, and on",
  "  the day: on 2026-11-21 22:15 another 2-vCPU AMD EPYC VM ran everything ~1.5× faster than this run's and gave",
  "  32%, 19%, 23% and 15% (`runs/2026-11-21-epyc-full.md`); a 2-vCPU Intel Xeon VM (Firecracker) gave 15% with",
  "  1 in flight, 13% with 8, 15% with 32 and 12% on PGlite (`runs/2026-11-21-xeon-ingest.md`): there Node spends",
  "  1.4 ms of CPU per receive (~0.6 ms on the EPYC), while the raw INSERT, bound by the round trip, is as fast.",
  "- Where a receive's time goes on PostgreSQL, 1 in flight (`bench/storage/profile.ts`; ~1.6–2.1 ms against",
  "  ~0.35–0.45 ms for a raw INSERT, measured 2026-11-21 on the faster EPYC):",
  "  - the commit statement, replayed alone through bare `pg`, costs 0.7–0.85 ms against 0.28–0.37 ms for the INSERT",
  "    (2.3–2.5×). Calling a no-op function with the same 3 KB body costs half an INSERT; the event row alone 1.4",
  "    INSERTs; the dialog row with its indexes ~0.55 INSERT; messages, streams and checks the rest;",
  "  - Node spends ~0.6 ms of main-thread CPU per receive (the engine's decision ~0.1 ms, encoding the commit",
  "    ~0.1 ms, the driver's write syscall ~0.1 ms, reading the reply 0.06 ms, GC 0.05–0.07 ms, Effect's runtime",
  "    the rest);",
  "  - the virtual machine charges idle time twice: the same commit statements, replayed through bare `pg` with",
  "    0.5 ms of busy client CPU between them, took 0.3–0.4 ms longer each than back to back (the database's vCPU",
  "    sleeps and is woken). A raw INSERT leaves ~0.15 ms between statements, a receive ~0.6 ms.",
  "- With 8 or 32 in flight, up to 4 commit statements run at once (each takes the append lock first, so they",
  "  commit one after the other and cannot deadlock); commits that arrive while all 4 run go out together, up to 8",
  "  per statement (one fsync), each in its own subtransaction. Here the 2 vCPUs are the limit: a receive costs",
  "  ~0.75 ms of Node main-thread CPU and ~0.8 ms of PostgreSQL CPU, a raw INSERT ~0.1 ms and ~0.2 ms, and the",
  "  ratio moves by ±5 points between runs (8 in flight: 22% in one run, 18% in the next, 16% on 2026-11-21 21:48).",
  "- PGlite: every statement costs at least 0.07–0.1 ms (`SELECT 1`); the raw INSERT into a folder costs",
  "  0.11–0.27 ms on the faster EPYC from run to run (3,700–8,900/s; ~0.6 ms on the Intel machine), and the engine's",
  "  ratio follows it (13–22%; 15% when the INSERT took 0.11 ms). The commit statement, replayed alone on a warm in-memory database, costs",
  "  0.65–0.83 ms, of which 0.17–0.2 ms is any statement with a 3 KB parameter (a no-op costs as much as the raw",
  "  INSERT), the dialog row ~0.17 ms, the stream versions ~0.12 ms, the message row ~0.11 ms and the event row",
  "  ~0.11 ms (each part alone over a no-op function). For 30% the whole receive may cost ~0.5–0.9 ms, and the",
  "  engine's decision alone takes ~0.2 ms of the same thread. Sending 8 commits as one set-based statement",
  "  (every table written once for all of them) brought the replay to 0.38 ms per commit, against 0.45–0.5 ms",
  "  for today's group of 8 subtransactions: not enough to matter, and only with several receives in flight.",
  "- PGlite, what is left for the engine (`bench/storage/commit-parts.ts`, 2026-11-22, same `SqlClient` as the raw",
  "  INSERT, rounds alternating): the commit statement of a receive, replayed alone with no engine in front of it,",
  "  already runs at 29–41% of the raw INSERT rate (0.73–0.76 ms against 0.22–0.31 ms). Without the dialog row and",
  "  its list indexes it would be 42–56%; the event row alone (the least an event store writes) 59–85%. The engine",
  "  then spends ~0.5–0.7 ms of the same thread per receive: in a CPU profile of 2,000 receives, 44% of the time is",
  "  PGlite's WebAssembly, 17% PGlite's JavaScript (its wire protocol and in-memory files), 22% Effect's fiber",
  "  runtime, ~10% the engine's and the store's own code, 3% GC. So on PGlite 30% cannot be reached while a",
  "  receive's events and its projections commit in one transaction, as issue 5 asks, whatever the engine does.",
  "- Tried on 2026-11-21, no gain beyond noise: the append lock taken only before the event insert with every",
  "  commit sent alone (deadlock-free; 857–1007/s against 930–976/s with groups, 8 in flight in `profile.ts`);",
  "  groups without subtransactions; fewer GC threads (`--single-threaded-gc`). Sending the commit through the",
  "  `pg` pool instead of `@effect/sql` saves 0.15–0.2 ms per receive, but the raw INSERT would then have to go",
  "  the same way, which takes ~0.05 ms off it too, so the ratio would barely move; not done. Earlier sessions",
  "  (no gain): set-based stream checks, the commit as one statement of data-modifying CTEs, versions read from the",
  "  projection rows, checks without row locks, uncompressed dialog state, unbounded groups.",
  "- (a, long dialogs) A dialog's stored state no longer holds an index of its messages (it did: at 1,000 messages the",
  "  state was 180 KB and took ~70 ms to encode, rewritten on every message); it keeps the last 100 external ids for",
  "  de-duplication, so a message to a 3,000-message dialog costs what one to a new dialog costs.",
  "- (c) Folder lists are well under the 50 ms p99 target (keyset indexes per folder and sort). Full-text search",
  "  (`SqlStore.listDialogs`) first asks the first 10 pages of the folder, in page order, for one matching message",
  "  each by primary key: a common word (here each matches ~10 % of 1M messages) fills the page there. Otherwise a",
  "  probe takes at most 2,001 matching messages and client names from the GIN indexes; if neither overflows, the",
  "  page is cut from the dialogs they name (by primary key and by client); if one does, the folder is walked. Until",
  "  2026-11-21 every search built the set of all matching dialogs first: 150–170 ms p50 for a common word. Since",
  "  2026-11-22 the store reads the search columns' most common lexemes from `pg_stats` (`SqlStore.searchPlan`):",
  "  words expected in few dialogs are probed first, and each probe asks its GIN index for the rare words only,",
  "  checking the others on the rows found (`client 1007` asks for `1007:*`: a GIN scan of the prefix `client`, held",
  "  by every message and every client name, cost 15–25 ms). Two common words that never meet (the two-words row)",
  "  still pay both prefixes' GIN scan, ~30 ms of PostgreSQL's time.",
  "- (c) A client-tag filter carried by at most 2,000 clients (the same probe bound) takes those clients' dialogs by",
  "  `dialogs_client_status` (migration 12: client and status, so a client without a dialog in the folder costs no",
  "  read of the dialog row) instead of walking the folder: the rare-tag rows show both plans on the same data. A",
  "  tag on up to 20,000 clients first looks for a full page among the folder's first 10 pages, then reads those",
  "  clients' dialogs in one statement: the vip + last-writer row matches nothing in this data (10,000 vip clients,",
  "  whose dialogs are all queued), which used to walk the whole archive (60,000 dialogs, ~65 ms). More clients",
  "  than that walk the folder.",
  "- (c) A period (DLG-21: the dialogs with a message written in it, whatever came later) that ends before now is",
  "  answered from the hours its dialogs were written in (`message_hours`, migration 14, kept by a trigger on",
  "  `messages`: ~8 µs per message written) and, for its first and last part-hours, from the messages themselves",
  "  (`messages_written`); the page is then cut by the order's columns from the folder index alone (an index-only scan",
  "  bounded by the period's start) and only its 51 rows are read. A period up to now walks the folder newest first,",
  "  asking each dialog for a message in it; its dialogs are the newest, so a page comes at once. For a week a month",
  "  back that is ~10,000 dialog-hours (~7 ms) instead of 100,800 messages (~35 ms); against the previous code in the",
  "  same process on this data: 66.6 → 35.1 ms p50 (`one day`: 16.2 → 13.6 ms). A left join to `clients`, even one",
  "  PostgreSQL drops as unused, kept it from reading a folder index alone (`d.client_id` still counted as needed): the",
  "  page cut and the search window now read the dialogs alone.",
  "- (c) Unread counters count the queued dialogs from `dialogs_queued_unread` (migration 13: each dialog's read counts",
  "  and unread marks are stored beside its state and included in the queue's index), an index-only scan: 16.1 ms p50",
  "  before, for the 10,000 queued dialogs here, each connected panel asking at most once a second.",
  "- (c) Tag counts group the list's dialogs by their clients' tags; everyone's archive is counted from its tagged",
  "  clients' dialogs (up to 20,000 clients, by `dialogs_client_status`), the other folders by grouping their dialogs",
  "  (~30 ms for the 30,000 active ones). The panel asks for them only when someone opens the filters.",
  "- (d) NOTIFY carries only the newest position; the receiving server reads the events back from the store, so the",
  "  figure includes that read."
]


Effect.runPromise(Effect.scoped(program)).then(
  () => {
    if (only !== undefined) return
    writeFileSync(fileURLToPath(new URL("./results.md", import.meta.url)), `${lines.join("\n")}\n`)
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  }
)
