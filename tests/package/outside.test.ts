/**
 * The engine as npm users get it: the public packages built and packed (`pnpm pack`, as published),
 * the tarballs installed with npm into a fresh project outside the workspace (examples/outside), and
 * its examples run with plain `node`, no tsx. A module resolving to a TypeScript file fails the run
 * (no-typescript.mjs); a dependency a package forgot to declare is missing there, since npm installs
 * only what the tarballs declare (scripts/check-packages.mjs also checks every import statically).
 */
import { execFile } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, expect, it } from "vitest"

const root = join(import.meta.dirname, "../..")
const work = mkdtempSync(join(tmpdir(), "switchboard-outside-"))
const hooks = pathToFileURL(join(import.meta.dirname, "no-typescript.mjs")).href
const noTypeScript = `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(hooks)})`

// Asynchronous, so the test worker keeps answering vitest while a build or an install runs.
const run = promisify(execFile)

/** `node <script>` in the outside project: its output; fails with its stderr when it does. */
const node = async (...args: ReadonlyArray<string>) => (await run(process.execPath, ["--import", noTypeScript, ...args], { cwd: work })).stdout

/** The transcript the README shows under "Embed the engine". */
const readmeTranscript = () => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const block = /prints:\s*\n```\n([\s\S]*?)\n```/.exec(readme.slice(readme.indexOf("## Embed the engine")))
  if (block?.[1] === undefined) throw new Error("README.md: no transcript block after \"prints:\" in \"Embed the engine\"")
  return block[1]
}

beforeAll(async () => {
  for (const file of ["package.json", "embed.mjs", "custom-channel.mjs", "serve.mjs"]) cpSync(join(root, "examples/outside", file), join(work, file))
  // Build (incremental) and pnpm pack every public package, as published.
  await run(process.execPath, [join(root, "scripts/packages.mjs"), "--build", join(work, "tarballs")], { cwd: root })
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--engine-strict", "--loglevel=error"], { cwd: work })
})

afterAll(() => rmSync(work, { recursive: true, force: true }))

it("the embed example, installed from the tarballs, prints the README's transcript with plain node", async () => {
  expect((await node("embed.mjs")).trim()).toBe(readmeTranscript())
})

it("a custom channel adapter written in plain JavaScript delivers signed replies through the installed engine", async () => {
  expect((await node("custom-channel.mjs")).trim().split("\n")).toEqual([
    "callback received: Op joined the conversation (signature ok)",
    "callback received: Hello back (signature ok)",
    "delivery of the reply: sent"
  ])
})

it("the installed server serves the sign-in page and the panel's static assets", async () => {
  expect((await node("serve.mjs")).trim().split("\n")).toEqual([
    "GET /login 200 text/html; charset=UTF-8",
    "GET /assets/panel.css 200 text/css; charset=utf-8",
    "GET /assets/panel.js 200 text/javascript; charset=utf-8",
    "GET /assets/htmx.min.js 200 text/javascript; charset=utf-8",
    "GET /assets/sse.js 200 text/javascript; charset=utf-8"
  ])
})

it("npm links the switchboard command to the server package's built CLI", () => {
  expect(realpathSync(join(work, "node_modules/.bin/switchboard"))).toBe(realpathSync(join(work, "node_modules/@switchboard/server/dist/cli.js")))
})

it("an import that reaches a TypeScript file fails the run, naming the file", async () => {
  writeFileSync(join(work, "source.ts"), "export const x = 1\n")
  writeFileSync(join(work, "imports-source.mjs"), 'import "./source.ts"\n')
  await expect(node("imports-source.mjs")).rejects.toThrow(/source\.ts is a TypeScript file \(imported from .*imports-source\.mjs\)/)
})
