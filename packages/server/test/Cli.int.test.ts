import { execFile } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { pgliteStorage } from "../src/Storage.js"
import { panelApp } from "./PanelClient.js"

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), "switchboard-cli-"))

/** Run `switchboard …` as a user would (on a PGlite folder), feeding `input` to stdin. */
const switchboard = (args: ReadonlyArray<string>, input = "") =>
  new Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }>((resolve) => {
    const child = execFile("node", ["--import", "tsx", cli, ...args], { env: { ...process.env, DATABASE_URL: "", SWITCHBOARD_DATA_DIR: dataDir } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr })
    )
    child.stdin?.end(input)
  })

describe("the switchboard CLI on a fresh database", () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it("creates the owner with a password from stdin and lists users; the owner then signs in", async () => {
    expect((await switchboard(["user", "--help"])).stdout).toContain("create --email E --name N --role owner|admin|supervisor|operator")
    const created = await switchboard(["user", "create", "--role", "owner", "--email", "You@Example.com", "--name", "You"], "a long owner passphrase\n")
    expect([created.code, created.stdout.trim()]).toEqual([0, "Created owner You (you@example.com). They sign in at /login."])
    expect((await switchboard(["user", "list"])).stdout).toBe("you@example.com\towner\tYou\tactive\n")
    const { runtime, submitSignIn } = panelApp(pgliteStorage(dataDir).layer)
    try {
      expect((await submitSignIn("you@example.com", "a long owner passphrase")).status).toBe(303)
      expect((await submitSignIn("you@example.com", "a wrong passphrase!")).status).toBe(401)
    } finally {
      await runtime.dispose()
    }
  })
})
