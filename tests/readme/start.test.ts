/**
 * The README's start command works (`pnpm start`): the root package.json's `start` script, run as
 * pnpm runs it (in a shell, with node_modules/.bin on the PATH), on a free port with a fresh
 * embedded PGlite folder, prints its address; the sign-in page there answers 200 with the demo
 * sign-in. A start script that breaks (a wrong tsconfig that turns every page into a 500, a
 * missing file, a command that exits) fails this test.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { afterAll, expect, it } from "vitest"
import { demoPassword } from "@switchboard/server"

const root = join(import.meta.dirname, "../..")
const work = mkdtempSync(join(tmpdir(), "switchboard-start-"))
let child: ChildProcess | undefined

afterAll(() => {
  // The script's whole process group (the shell, tsx and the node it runs).
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL")
  rmSync(work, { recursive: true, force: true })
})

/** Resolves with the first line of output that `pattern` matches; rejects when the process exits first. */
const waitForLine = (process: ChildProcess, pattern: RegExp) =>
  new Promise<RegExpExecArray>((resolve, reject) => {
    let output = ""
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const found = pattern.exec(output)
      if (found !== null) resolve(found)
    }
    process.stdout?.on("data", read)
    process.stderr?.on("data", read)
    process.on("exit", (code) => reject(new Error(`the start script exited (${code}) before printing its address:\n${output}`)))
  })

it("`pnpm start` serves the sign-in page with the demo sign-in on the address it prints", async () => {
  const script = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["start"]
  expect(script).toBeDefined()
  child = spawn("sh", ["-c", script!], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      PATH: [join(root, "node_modules/.bin"), process.env["PATH"]].join(delimiter),
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: "",
      SWITCHBOARD_DATA_DIR: join(work, "pglite"),
      SWITCHBOARD_FILES_DIR: join(work, "files")
    }
  })
  const [, port] = await waitForLine(child, /Switchboard is running: http:\/\/localhost:(\d+)\//)
  // Node-side fetches go to the address, not the name (STYLE: a localhost lookup can wait behind password hashing).
  const login = await fetch(`http://127.0.0.1:${port}/login`)
  const page = await login.text()
  expect(login.status, page.slice(0, 2000)).toBe(200)
  expect(page).toContain('data-testid="login-as-anna"')
  expect(page).toContain(demoPassword)
}, 120_000)
