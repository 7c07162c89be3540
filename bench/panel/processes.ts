/**
 * The processes a cell runs (the Switchboard server, the bare broadcaster) and the database the
 * server gets: forked with tsx, talked to over IPC.
 */
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Context, Effect, Layer } from "effect"
import { SqlStore } from "@switchboard/adapters"
import type { Counters } from "./server.js"

/** A forked child and its next IPC message of a kind. */
export interface Child {
  readonly process: ChildProcess
  readonly counters: () => Promise<Counters>
  readonly stop: () => Promise<void>
}

const next = <A>(child: ChildProcess, tag: string, timeoutMs: number): Promise<A> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${tag} from the child within ${timeoutMs} ms`)), timeoutMs)
    const exited = (code: number | null) => reject(new Error(`the child exited (${code}) before ${tag}`))
    const listener = (message: unknown) => {
      if (typeof message === "object" && message !== null && (message as { _tag?: string })._tag === tag) {
        clearTimeout(timer)
        child.off("message", listener)
        child.off("exit", exited)
        resolve(message as A)
      }
    }
    child.on("message", listener)
    child.once("exit", exited)
  })

/** Fork `file` (beside this one) with `env`; resolves with its `Ready` message. */
export const start = async <Ready>(file: string, env: Record<string, string>, readyWithinMs: number): Promise<{ readonly child: Child; readonly ready: Ready }> => {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    // BENCH_CPU_PROF=dir: the child writes a V8 CPU profile there when it exits (node --cpu-prof).
    execArgv: ["--import", "tsx", ...(process.env["BENCH_NODE_FLAGS"] && /server/i.test(file) ? process.env["BENCH_NODE_FLAGS"].split(" ") : []), ...(process.env["BENCH_CPU_PROF"] && /server/i.test(file) ? ["--cpu-prof", `--cpu-prof-dir=${process.env["BENCH_CPU_PROF"]}`] : [])],
    env: { ...process.env, ...env },
    // The server's request log is not what is measured: drop it (errors still show on stderr).
    stdio: ["ignore", "ignore", "inherit", "ipc"]
  })
  const ready = await next<Ready>(child, "Ready", readyWithinMs)
  return {
    ready,
    child: {
      process: child,
      counters: () => {
        const answer = next<Counters>(child, "Counters", 10_000)
        child.send("counters")
        return answer
      },
      stop: () =>
        new Promise<void>((resolve) => {
          const killer = setTimeout(() => child.kill("SIGKILL"), 15_000)
          child.once("exit", () => {
            clearTimeout(killer)
            resolve()
          })
          child.send("stop")
        })
    }
  }
}

/** Drop and create database `name` on the server of `url`; answers the new database's URL. */
export const freshDatabase = (url: string, name: string): Promise<string> =>
  Effect.runPromise(Effect.scoped(Effect.gen(function* () {
    const admin = yield* Layer.build(SqlStore.pgClientLayer({ url, maxConnections: 1 }))
    const sql = Context.get(admin, SqlStore.SqlClient.SqlClient)
    yield* sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    yield* sql.unsafe(`CREATE DATABASE ${name}`)
    const made = new URL(url)
    made.pathname = `/${name}`
    return made.toString()
  })))

/** Drop database `name` (after the run). */
export const dropDatabase = (url: string, name: string): Promise<void> =>
  Effect.runPromise(Effect.scoped(Effect.gen(function* () {
    const admin = yield* Layer.build(SqlStore.pgClientLayer({ url, maxConnections: 1 }))
    yield* Context.get(admin, SqlStore.SqlClient.SqlClient).unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  })))
