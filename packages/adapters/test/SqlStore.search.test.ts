import { describe, expect, it } from "@effect/vitest"
import { Client, Dialog, type DialogFilters, Engine, type StoreService, storeService, TagId } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { Clock, Effect, Layer, Option, TestClock } from "effect"
import * as fc from "fast-check"
import { vi } from "vitest"
import { SqlStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

vi.setConfig({ testTimeout: 120_000 })

/**
 * `listDialogs` answers a search from the first pages of the folder when they hold a full page,
 * else from the probe's matches when they are few, else by walking the folder. All must give the
 * same pages: here the same database is read by the default store, by one that goes straight to
 * the matches (`searchWindowPages: 0`) and by one that always walks (`searchSetLimit: 0` too), and
 * each is checked against the rule the panel promises: every word of the search box is a
 * prefix of some word of one message (not deleted), or of the client's name.
 */
const vocabulary = ["parcel", "parrot", "paris", "refund", "refill", "invoice", "invite", "order", "orbit", "late"]
const names = ["Petro Parkhomenko", "Maria Refsgaard", "Taras Orlyk", "Olena Invanchuk", "Ivan Late"]

const url = process.env["DATABASE_URL"]
/** PGlite always; PostgreSQL too when `DATABASE_URL` is set (a fresh schema, dropped afterwards). */
const databases: ReadonlyArray<readonly [string, Layer.Layer<SqlStore.SqlClient.SqlClient, unknown>]> = [
  ["PGlite", PgliteScratch.layer()],
  ...(url === undefined || url === ""
    ? []
    : [["PostgreSQL", Layer.unwrapScoped(Effect.map(SqlStore.scratchSchema(url), (schema) => SqlStore.pgClientLayer({ url, schema, maxConnections: 4 })))] as const])
]

/**
 * Figures `pg_stats` might hold for the vocabulary: each lexeme's share of rows (some rarer than
 * any listed, so left out), and table sizes from tiny to large. They choose the plan, never the rows.
 */
const statistics: fc.Arbitrary<SqlStore.SearchStatistics> = fc.record({
  messages: fc.dictionary(fc.constantFrom(...vocabulary, "one", "more"), fc.constantFrom(0.0001, 0.01, 0.2, 1)),
  clients: fc.dictionary(fc.constantFrom("petro", "parkhomenko", "maria", "refsgaard", "taras", "orlyk", "olena", "invanchuk", "ivan", "late"), fc.constantFrom(0.0001, 0.2, 1)),
  messageRows: fc.constantFrom(30, 1_000_000),
  clientRows: fc.constantFrom(20, 100_000),
  dialogs: fc.constantFrom(20, 100_000)
}).map((figures) => ({
  messages: { rows: figures.messageRows, lexemes: new Map(Object.entries(figures.messages)) },
  clients: { rows: figures.clientRows, lexemes: new Map(Object.entries(figures.clients)) },
  dialogs: figures.dialogs
}))

/** The engine, its store with the telegram channel, and two more stores on the same data: one probing up to `limit`, one that always walks. */
const probeAndWalk = (limit: number) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const store = yield* storeService
    const smallProbe: StoreService = yield* SqlStore.makeWith({ searchSetLimit: limit })
    const walking: StoreService = yield* SqlStore.makeWith({ searchSetLimit: 0 })
    yield* store.putChannel(Fixtures.telegram)
    return { engine, store, smallProbe, walking }
  })

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
const matches = (query: string, text: string) => words(query).every((word) => words(text).some((candidate) => candidate.startsWith(word)))

/** A supervisor: New as everyone sees it. */
const viewer = { userId: Fixtures.supervisor.id, seesAll: true }

/** The dialog ids of New on every page for a supervisor, `limit` at a time, following the cursors. */
const everyPageOf = (reader: StoreService, filters: DialogFilters, sort: "lastActivity" | "processingOrder", limit: number) =>
  Effect.gen(function* () {
    const seen: Array<string> = []
    let cursor: string | undefined
    for (;;) {
      const page = yield* reader.listDialogs({ viewer, folder: "new", sort, filters, limit, ...(cursor === undefined ? {} : { cursor }) })
      seen.push(...page.items.map((row) => row.dialogId as string))
      if (Option.isNone(page.nextCursor)) return seen
      cursor = page.nextCursor.value
    }
  })

describe("searchPlan", () => {
  // The storage benchmark's figures: 1M messages of 20 common words and "from client N", 100k clients named "Client N".
  const bench: SqlStore.SearchStatistics = {
    messages: { rows: 1_000_000, lexemes: new Map([["client", 1], ["parcel", 0.09], ["invoice", 0.1], ["from", 1]]) },
    clients: { rows: 100_000, lexemes: new Map([["client", 1]]) },
    dialogs: 100_000
  }
  const options = { setLimit: 2000, windowPages: 10 }
  it("asks the index for the rare words only, and probes first when hits are expected to be few", () => {
    expect(SqlStore.searchPlan(["client", "1007"], bench, options)).toEqual({ windowFirst: false, messageWords: ["1007"], clientWords: ["1007"] })
    expect(SqlStore.searchPlan(["parcel", "invoice"], bench, options)).toEqual({ windowFirst: false, messageWords: ["parcel", "invoice"], clientWords: ["parcel", "invoice"] })
  })
  it("looks at the folder's first pages first when a word is in many dialogs, or when there are no statistics", () => {
    expect(SqlStore.searchPlan(["parc"], bench, options).windowFirst).toBe(true)
    expect(SqlStore.searchPlan(["client", "1007"], undefined, options)).toEqual({ windowFirst: true, messageWords: ["client", "1007"], clientWords: ["client", "1007"] })
  })
})

describe.each(databases)("SQL store on %s: full-text search and client-tag filters, set plan and folder walk", (_, client) => {
  const engineOnSql = Layer.merge(Fixtures.engineLayer(SqlStore.layer.pipe(Layer.provide(client))), client)
  it.effect("every plan returns the dialogs whose messages or client name hold every word, in page order, across pages", () =>
    Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const fromMatches: StoreService = yield* SqlStore.makeWith({ searchWindowPages: 0 })
      const walking: StoreService = yield* SqlStore.makeWith({ searchWindowPages: 0, searchSetLimit: 0 })
      yield* store.putChannel(Fixtures.telegram)
      // 24 dialogs, 1-3 messages each, from a small vocabulary with shared prefixes.
      const data = fc.sample(fc.array(fc.array(fc.subarray(vocabulary, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), { minLength: 24, maxLength: 24 }), { numRuns: 1, seed: 7 })[0]!
      const texts = new Map<string, Array<string>>()
      for (const [i, messages] of data.entries()) {
        for (const message of messages) {
          yield* TestClock.adjust("1 minute")
          const text = message.join(" ")
          const received = yield* engine.receive(Fixtures.inbound(`c${i}`, text, { name: names[i % names.length]! }))
          texts.set(received.dialogId, [...(texts.get(received.dialogId) ?? []), text])
        }
      }
      const nameOf = new Map([...texts.keys()].map((id, i) => [id, names[i % names.length]!]))
      yield* (yield* SqlStore.SqlClient.SqlClient).unsafe("ANALYZE")
      const read = yield* SqlStore.readSearchStatistics
      expect(read?.messages.lexemes.get("parcel"), "pg_stats lists the vocabulary").toBeGreaterThan(0)
      const analyzed: StoreService = yield* SqlStore.makeWith({ searchSetLimit: 3 })
      const everyPage = (reader: StoreService, text: string, sort: "lastActivity" | "processingOrder") => everyPageOf(reader, { text }, sort, 4)
      const queries = fc.sample(
        fc.tuple(
          fc.array(fc.oneof(fc.constantFrom(...vocabulary), fc.constantFrom("par", "ref", "inv", "or", "PARC", "petro", "late", "xyz")), { minLength: 1, maxLength: 2 }),
          fc.constantFrom("lastActivity" as const, "processingOrder" as const)
        ),
        { numRuns: 40, seed: 11 }
      )
      let nonEmpty = 0
      for (const [queryWords, sort] of queries) {
        const text = queryWords.join(" ")
        const all = yield* store.listDialogs({ viewer, folder: "new", sort, limit: 100 })
        const expected = all.items.map((row) => row.dialogId as string).filter((id) => matches(text, nameOf.get(id)!) || texts.get(id)!.some((message) => matches(text, message)))
        expect(yield* everyPage(store, text, sort), `window first, "${text}"`).toEqual(expected)
        expect(yield* everyPage(fromMatches, text, sort), `set plan, "${text}"`).toEqual(expected)
        expect(yield* everyPage(walking, text, sort), `walk, "${text}"`).toEqual(expected)
        // Whatever the statistics say (probe or window first, rare words asked of the index), the same pages.
        const figures = fc.sample(statistics, { numRuns: 1, seed: nonEmpty + text.length })[0]!
        const guided: StoreService = yield* SqlStore.makeWith({ searchStatistics: figures })
        expect(yield* everyPage(guided, text, sort), `with statistics, "${text}"`).toEqual(expected)
        const guidedSmall: StoreService = yield* SqlStore.makeWith({ searchStatistics: figures, searchSetLimit: 3 })
        expect(yield* everyPage(guidedSmall, text, sort), `with statistics, probe of 3, "${text}"`).toEqual(expected)
        // PostgreSQL's own statistics of this data (after ANALYZE); with a probe of 3, common words are checked, not asked.
        expect(yield* everyPage(analyzed, text, sort), `analyzed, "${text}"`).toEqual(expected)
        if (expected.length > 0) nonEmpty++
      }
      // The sample exercises real matches, not only empty pages.
      expect(nonEmpty).toBeGreaterThan(20)
    }).pipe(Effect.provide(engineOnSql)))

  it.effect("a client-tag filter gives the same pages from the tagged clients' dialogs as from a walk of the folder", () =>
    Effect.gen(function* () {
      // Default: up to 2,000 tagged clients are looked up by their dialogs; 3: a tag on more clients walks; 0: always walks.
      const { engine, store, smallProbe, walking } = yield* probeAndWalk(3)
      const tagPool = ["vip", "b2b", "gold", "rare"]
      // 30 clients with 0-3 tags each ("rare" on one client), one or two messages each.
      const data = fc.sample(
        fc.array(fc.tuple(fc.subarray(tagPool.slice(0, 3), { maxLength: 3 }), fc.subarray(vocabulary, { minLength: 1, maxLength: 2 }), fc.boolean()), { minLength: 30, maxLength: 30 }),
        { numRuns: 1, seed: 5 }
      )[0]!
      const tagsOf = new Map<string, ReadonlyArray<string>>()
      const texts = new Map<string, Array<string>>()
      for (const [i, [tags, message, twice]] of data.entries()) {
        const all = i === 17 ? [...tags, "rare"] : tags
        yield* TestClock.adjust("1 minute")
        const received = yield* engine.receive(Fixtures.inbound(`t${i}`, message.join(" "), { name: names[i % names.length]! }))
        if (twice) yield* engine.receive(Fixtures.inbound(`t${i}`, "one more", { name: names[i % names.length]! }))
        yield* engine.client(Fixtures.owner, new Client.SetClientTags({ clientId: received.clientId, tags: all.map((tag) => new Client.ClientTag({ tagId: TagId.make(tag), pinned: false })) }))
        tagsOf.set(received.dialogId, all)
        // The client's name is searched too.
        texts.set(received.dialogId, [names[i % names.length]!, message.join(" "), ...(twice ? ["one more"] : [])])
      }
      const everyPage = (reader: StoreService, tags: ReadonlyArray<string>, text: string | undefined, sort: "lastActivity" | "processingOrder") =>
        everyPageOf(reader, { clientTags: { _tag: "AllOf", tags: tags.map((tag) => TagId.make(tag)) }, ...(text === undefined ? {} : { text }) }, sort, 4)
      const queries = fc.sample(
        fc.tuple(
          fc.subarray(tagPool, { minLength: 1, maxLength: 2 }),
          fc.option(fc.constantFrom(...vocabulary, "par", "one"), { nil: undefined }),
          fc.constantFrom("lastActivity" as const, "processingOrder" as const)
        ),
        { numRuns: 30, seed: 13 }
      )
      let nonEmpty = 0
      for (const [tags, text, sort] of queries) {
        const all = yield* store.listDialogs({ viewer, folder: "new", sort, limit: 100 })
        const expected = all.items.map((row) => row.dialogId as string)
          .filter((id) => tags.every((tag) => tagsOf.get(id)!.includes(tag)))
          .filter((id) => text === undefined || texts.get(id)!.some((message) => matches(text, message)))
        const label = `tags ${tags.join("+")}${text === undefined ? "" : `, "${text}"`}, ${sort}`
        expect(yield* everyPage(store, tags, text, sort), `tagged clients' dialogs, ${label}`).toEqual(expected)
        expect(yield* everyPage(smallProbe, tags, text, sort), `probe of 3, ${label}`).toEqual(expected)
        expect(yield* everyPage(walking, tags, text, sort), `walk, ${label}`).toEqual(expected)
        if (expected.length > 0) nonEmpty++
      }
      expect(nonEmpty).toBeGreaterThan(15)
    }).pipe(Effect.provide(engineOnSql)))

  it.effect("in the archive, a common tag's filter and the tag counts give the same from a window of the folder, the tagged clients' dialogs and a walk", () =>
    Effect.gen(function* () {
      const engine = yield* Engine
      yield* Fixtures.seed
      // Default: up to 2,000 tagged clients by id, up to 20,000 from their dialogs in one statement (after a window of the
      // folder's first pages); 3: 3 by id, up to 30 from their dialogs; 1: beyond 10 clients, a walk; 0: always a walk.
      const stores: ReadonlyArray<readonly [string, StoreService]> = [
        ["default", yield* storeService],
        ["probe of 3", yield* SqlStore.makeWith({ searchSetLimit: 3 })],
        ["probe of 3, no window", yield* SqlStore.makeWith({ searchSetLimit: 3, searchWindowPages: 0 })],
        ["probe of 3, a window of one page", yield* SqlStore.makeWith({ searchSetLimit: 3, searchWindowPages: 1 })],
        ["probe of 1", yield* SqlStore.makeWith({ searchSetLimit: 1 })],
        ["walk", yield* SqlStore.makeWith({ searchSetLimit: 0 })]
      ]
      const tagPool = ["vip", "b2b", "gold"]
      // 40 clients with 0-3 tags, each dialog taken by Anna or Boris, answered or not, and closed; then 6 more left in New.
      const data = fc.sample(fc.array(fc.tuple(fc.subarray(tagPool), fc.boolean(), fc.boolean()), { minLength: 46, maxLength: 46 }), { numRuns: 1, seed: 23 })[0]!
      const dialogs: Array<{ readonly id: string; readonly tags: ReadonlyArray<string>; readonly assignee: string; readonly closed: boolean }> = []
      for (const [i, [tags, byBoris, answered]] of data.entries()) {
        yield* TestClock.adjust("1 minute")
        const received = yield* engine.receive(Fixtures.inbound(`a${i}`, "hello"))
        yield* engine.client(Fixtures.owner, new Client.SetClientTags({ clientId: received.clientId, tags: tags.map((tag) => new Client.ClientTag({ tagId: TagId.make(tag), pinned: false })) }))
        const operator = byBoris ? Fixtures.boris : Fixtures.anna
        const closed = i < 40
        if (closed) {
          yield* engine.execute(operator, new Dialog.Accept({ dialogId: received.dialogId }))
          if (answered) yield* engine.execute(operator, new Dialog.SendMessage({ dialogId: received.dialogId, input: Fixtures.text("hi") }))
          yield* engine.execute(operator, new Dialog.Close({ dialogId: received.dialogId, force: true }))
        }
        dialogs.push({ id: received.dialogId, tags, assignee: operator.id, closed })
      }
      const viewers = [{ userId: Fixtures.supervisor.id, seesAll: true }, { userId: Fixtures.anna.id, seesAll: false }] as const
      const queries = fc.sample(
        fc.tuple(
          fc.subarray(tagPool, { maxLength: 2 }),
          fc.constantFrom(undefined, "client" as const, "staff" as const),
          fc.constantFrom(...viewers),
          fc.constantFrom("lastActivity" as const, "processingOrder" as const)
        ),
        { numRuns: 25, seed: 29 }
      )
      let nonEmpty = 0
      for (const [tags, lastWriter, viewer, sort] of queries) {
        // The archive as the viewer sees it, with the last-writer filter (no tags: the folder's own plan).
        const [, reference] = stores[stores.length - 1]!
        const listed = (yield* reference.listDialogs({ viewer, folder: "archive", sort, filters: lastWriter === undefined ? {} : { lastWriter }, limit: 100 })).items
          .map((row) => row.dialogId as string)
        expect(listed.every((id) => dialogs.some((d) => d.id === id && d.closed && (viewer.seesAll || d.assignee === viewer.userId)))).toBe(true)
        const archive = listed.map((id) => dialogs.find((d) => d.id === id)!)
        const filters: DialogFilters = { ...(tags.length === 0 ? {} : { clientTags: { _tag: "AllOf" as const, tags: tags.map((tag) => TagId.make(tag)) } }), ...(lastWriter === undefined ? {} : { lastWriter }) }
        const expected = archive.filter((d) => tags.every((tag) => d.tags.includes(tag))).map((d) => d.id)
        const counts = new Map<string, number>()
        for (const d of archive) if (tags.every((tag) => d.tags.includes(tag))) for (const tag of d.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1)
        const expectedCounts = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        const label = `tags ${tags.join("+") || "-"}, last writer ${lastWriter ?? "-"}, ${viewer.userId}, ${sort}`
        for (const [name, store] of stores) {
          const seen: Array<string> = []
          let cursor: string | undefined
          for (;;) {
            const page = yield* store.listDialogs({ viewer, folder: "archive", sort, filters, limit: 4, ...(cursor === undefined ? {} : { cursor }) })
            seen.push(...page.items.map((row) => row.dialogId as string))
            if (Option.isNone(page.nextCursor)) break
            cursor = page.nextCursor.value
          }
          expect(seen, `${name}: ${label}`).toEqual(expected)
          const tagCounts = yield* store.tagCounts({ viewer, folder: "archive", filters, limit: 20 })
          expect(tagCounts.map((row) => [row.tagId as string, row.dialogs]), `${name}, tag counts: ${label}`).toEqual(expectedCounts)
        }
        if (expected.length > 0) nonEmpty++
      }
      expect(nonEmpty).toBeGreaterThan(12)
    }).pipe(Effect.provide(engineOnSql)))

  it.effect("a period gives the same pages from its messages as from a walk of the folder: the dialogs with a message in it, also with words and tags", () =>
    Effect.gen(function* () {
      // Default: a past period of up to 200,000 messages is answered from them; 1 (a probe of 100), from a walk beyond; 0: always walks.
      const { engine, store, smallProbe, walking } = yield* probeAndWalk(1)
      const start = yield* Clock.currentTimeMillis
      const hour = 60 * 60 * 1000
      // 20 clients (every third one a vip) write 150 messages over about four days (0-90 minutes apart, often in the same
      // hour, sometimes on the hour), in time order.
      const writes = fc.sample(fc.array(fc.tuple(fc.integer({ min: 0, max: 19 }), fc.constantFrom(0, 0, 5, 15, 30, 60, 60, 90), fc.constantFrom("hello", "order", "refund")), { minLength: 150, maxLength: 150 }), { numRuns: 1, seed: 17 })[0]!
      const written = new Map<string, Array<{ readonly at: number; readonly text: string }>>()
      const vips = new Set<string>()
      for (const [client, minutes, text] of writes) {
        yield* TestClock.adjust(`${minutes} minutes`)
        const received = yield* engine.receive(Fixtures.inbound(`p${client}`, text))
        written.set(received.dialogId, [...(written.get(received.dialogId) ?? []), { at: yield* Clock.currentTimeMillis, text }])
        if (client % 3 === 0 && !vips.has(received.dialogId)) {
          yield* engine.client(Fixtures.owner, new Client.SetClientTags({ clientId: received.clientId, tags: [new Client.ClientTag({ tagId: TagId.make("vip"), pinned: false })] }))
          vips.add(received.dialogId)
        }
      }
      const queries = fc.sample(
        fc.tuple(
          // Quarter-hours: whole hours and part-hours at either end.
          fc.option(fc.integer({ min: -8, max: 360 }), { nil: undefined }),
          // No length: up to now (always walked). Periods of more than 100 rows walk in the probe of 100.
          fc.option(fc.integer({ min: 1, max: 320 }), { nil: undefined }),
          fc.constantFrom("lastActivity" as const, "processingOrder" as const),
          fc.option(fc.constantFrom("order", "ref", "hello"), { nil: undefined }),
          fc.boolean()
        ),
        { numRuns: 50, seed: 19 }
      )
      let nonEmpty = 0
      for (const [fromQuarter, length, sort, text, vip] of queries) {
        const from = fromQuarter === undefined ? undefined : start + (fromQuarter * hour) / 4
        const to = length === undefined ? undefined : start + (((fromQuarter ?? 0) + length) * hour) / 4
        const all = yield* store.listDialogs({ viewer, folder: "new", sort, limit: 100 })
        const expected = all.items.map((row) => row.dialogId as string)
          .filter((id) => written.get(id)!.some(({ at }) => (from === undefined || at >= from) && (to === undefined || at < to)))
          .filter((id) => text === undefined || written.get(id)!.some((message) => matches(text, message.text)))
          .filter((id) => !vip || vips.has(id))
        const filters: DialogFilters = {
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(text === undefined ? {} : { text }),
          ...(vip ? { clientTags: { _tag: "AllOf" as const, tags: [TagId.make("vip")] } } : {})
        }
        const label = `[${fromQuarter ?? "-"}/4 h, +${length ?? "-"}/4 h), ${text ?? "-"}, ${vip ? "vip" : "-"}, ${sort}`
        // With a probe of 1, the vip tag (on 7 clients) is read from the clients' dialogs after a window of the folder.
        expect(yield* everyPageOf(store, filters, sort, 3), `its messages, ${label}`).toEqual(expected)
        expect(yield* everyPageOf(smallProbe, filters, sort, 3), `probe of 100, ${label}`).toEqual(expected)
        expect(yield* everyPageOf(walking, filters, sort, 3), `walk, ${label}`).toEqual(expected)
        if (expected.length > 0) nonEmpty++
      }
      expect(nonEmpty).toBeGreaterThan(15)
    }).pipe(Effect.provide(engineOnSql)))
})
