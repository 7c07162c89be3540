import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer } from "effect"
import { Pglite, SqlStore } from "../src/index.js"

const url = process.env["DATABASE_URL"] ?? ""
const child = join(import.meta.dirname, "support", "crashChild.ts")

/** Run the child until it has acknowledged `count` messages, then SIGKILL it. Returns the acknowledged ids. */
const ingestAndKill = (args: ReadonlyArray<string>, count: number) =>
  Effect.async<ReadonlyArray<string>, Error>((resume) => {
    const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", child, ...args], { cwd: join(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "pipe"] })
    const acked: Array<string> = []
    let buffer = ""
    let stderr = ""
    let killed = false
    proc.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split("\n")
      buffer = lines.pop() ?? ""
      for (const line of lines) if (line.startsWith("ack ")) acked.push(line.slice(4))
      if (!killed && acked.length >= count) {
        killed = true
        proc.kill("SIGKILL")
      }
    })
    proc.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    proc.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resume(Effect.succeed([...acked]))
      else resume(Effect.fail(new Error(`child exited before the kill: ${stderr}`)))
    })
    return Effect.sync(() => void proc.kill("SIGKILL"))
  })

/** After the restart: every acknowledged message exactly once, and no half-written commit anywhere. */
const verify = (acked: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql.unsafe<{ readonly id: string; readonly events: number; readonly messages: number }>(
      `SELECT e.id, e.n::int AS events, COALESCE(m.n, 0)::int AS messages
         FROM (SELECT payload->'message'->>'externalId' AS id, count(*) AS n FROM events WHERE type = 'ClientMessageReceived' GROUP BY 1) e
         LEFT JOIN (SELECT payload->>'externalId' AS id, count(*) AS n FROM messages GROUP BY 1) m ON m.id = e.id`
    )
    const byId = new Map(rows.map((row) => [row.id, row]))
    for (const id of acked) {
      expect(byId.get(id), `acknowledged ${id}`).toEqual({ id, events: 1, messages: 1 })
    }
    // Whatever else committed before the kill is whole: every event has its projection and vice versa
    // (the configuration stream moves without events).
    expect(rows.filter((row) => row.events !== 1 || row.messages !== 1)).toEqual([])
    expect(yield* sql.unsafe(`SELECT stream_id FROM events GROUP BY stream_id HAVING min(version) <> 1 OR max(version) <> count(*)`)).toEqual([])
    expect(yield* sql.unsafe(`SELECT s.id FROM streams s LEFT JOIN (SELECT stream_id, max(version) AS v FROM events GROUP BY stream_id) e ON e.stream_id = s.id WHERE s.id <> 'config' AND s.version <> COALESCE(e.v, 0)`)).toEqual([])
    expect(yield* sql.unsafe(`SELECT d.id FROM dialogs d JOIN streams s ON s.id = 'dialog:' || d.id WHERE d.version <> s.version`)).toEqual([])
    expect(yield* sql.unsafe(`SELECT c.id FROM clients c JOIN streams s ON s.id = 'client:' || c.id WHERE c.version <> s.version`)).toEqual([])
    return rows.length
  })

describe("crash safety: SIGKILL while ingesting", () => {
  it.live("PGlite data folder: acknowledged messages survive exactly once, nothing half-written", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "switchboard-crash-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const acked = yield* ingestAndKill(["pglite", dir], 150)
      expect(acked.length).toBeGreaterThanOrEqual(150)
      // Restart: open the folder again (the store migrates, finding nothing to do) and check.
      const client = Pglite.layer({ dataDir: dir })
      const committed = yield* verify(acked).pipe(Effect.provide(Layer.merge(client, SqlStore.layer.pipe(Layer.provide(client)))))
      expect(committed).toBeGreaterThanOrEqual(acked.length)
    }).pipe(Effect.scoped), { timeout: 120_000 })

  if (url !== "") {
    it.live("PostgreSQL: acknowledged messages survive exactly once, nothing half-written", () =>
      Effect.gen(function* () {
        const schema = yield* SqlStore.scratchSchema(url)
        const acked = yield* ingestAndKill(["pg", url, schema], 400)
        const context = yield* Layer.build(SqlStore.pgClientLayer({ url, schema, maxConnections: 1 }))
        const committed = yield* verify(acked).pipe(Effect.provide(context))
        expect(committed).toBeGreaterThanOrEqual(acked.length)
      }).pipe(Effect.scoped), { timeout: 120_000 })
  }
})
