/**
 * Times the README's test command phase by phase, as `pnpm test` runs it:
 *   1. build + typecheck (one `tsc -b` over the solution, then the assets copied)
 *   2. check:packages ‖ docs:api   3. vitest run (JSON report)
 * Prints each script's wall time, each phase's, their shares of the total, the load average at
 * start and end (the machine is shared: compare shares and same-run ratios, not raw seconds),
 * and the slowest test files from vitest's JSON report.
 *
 * Usage (from a clean clone, PGlite only): `env -u DATABASE_URL node bench/suite/phases.mjs [--out FILE]`
 */
import { spawn } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join, relative } from "node:path"

const args = process.argv.slice(2)
const outIndex = args.indexOf("--out")
const out = outIndex >= 0 ? args[outIndex + 1] : undefined
const report = "/tmp/suite-phases-vitest.json"

// CPU seconds (user + system, the command and every process it waited for) through GNU time: on a
// shared machine wall time follows the load, CPU time much less.
const run = (label, command, commandArgs) =>
  new Promise((resolve) => {
    const start = performance.now()
    const timing = join(tmpdir(), `suite-phases-${label.replace(/\W/g, "_")}.time`)
    const child = spawn("/usr/bin/time", ["-f", "%U %S", "-o", timing, command, ...commandArgs], { stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.on("close", (code) => {
      const [user, system] = readFileSync(timing, "utf8").trim().split("\n").at(-1).split(" ").map(Number)
      resolve({ label, code, seconds: (performance.now() - start) / 1000, cpu: user + system, output })
    })
  })

const phase = async (name, jobs) => {
  const start = performance.now()
  const results = await Promise.all(jobs.map(([label, cmd, a]) => run(label, cmd, a)))
  for (const r of results) if (r.code !== 0) console.error(`${r.label} exited ${r.code}\n${r.output.slice(-4000)}`)
  return { name, seconds: (performance.now() - start) / 1000, results }
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ")
const loadStart = load()
const t0 = performance.now()
const phases = [
  await phase("build + typecheck", [["tsc -b", "npx", ["tsc", "-b"]]]),
  await phase("copy-assets", [["copy-assets", "node", ["scripts/copy-assets.mjs"]]]),
  await phase("check:packages ‖ docs:api", [["check:packages", "pnpm", ["-s", "check:packages"]], ["docs:api", "pnpm", ["-s", "docs:api"]]]),
  await phase("vitest run", [["vitest", "npx", ["vitest", "run", "--reporter=json", `--outputFile=${report}`]]])
]
const total = (performance.now() - t0) / 1000
const loadEnd = load()

const lines = [`total ${total.toFixed(1)} s; load average (1/5/15 min) at start ${loadStart}, at end ${loadEnd}`, ""]
const cpuTotal = phases.flatMap((p) => p.results).reduce((s, r) => s + r.cpu, 0)
lines.push("| phase | script | wall s | share of wall | CPU s | share of CPU |", "| --- | --- | ---: | ---: | ---: | ---: |")
for (const p of phases) {
  const cpu = p.results.reduce((s, r) => s + r.cpu, 0)
  lines.push(`| ${p.name} | | ${p.seconds.toFixed(1)} | ${((100 * p.seconds) / total).toFixed(0)} % | ${cpu.toFixed(1)} | ${((100 * cpu) / cpuTotal).toFixed(0)} % |`)
  for (const r of p.results) lines.push(`| | ${r.label}${r.code === 0 ? "" : ` (exit ${r.code})`} | ${r.seconds.toFixed(1)} | | ${r.cpu.toFixed(1)} | ${((100 * r.cpu) / cpuTotal).toFixed(0)} % |`)
}
lines.push(`| total | | ${total.toFixed(1)} | 100 % | ${cpuTotal.toFixed(1)} | 100 % |`)
try {
  const json = JSON.parse(readFileSync(report, "utf8"))
  const files = json.testResults.map((f) => ({ file: relative(process.cwd(), f.name), seconds: (f.endTime - f.startTime) / 1000, tests: f.assertionResults.length }))
  const summed = files.reduce((s, f) => s + f.seconds, 0)
  lines.push("", `vitest: ${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests} skipped; ${files.length} files, file durations summed ${summed.toFixed(0)} s`, "")
  lines.push("| test file | tests | s | share of summed |", "| --- | ---: | ---: | ---: |")
  for (const f of files.sort((a, b) => b.seconds - a.seconds).slice(0, 25)) lines.push(`| ${f.file} | ${f.tests} | ${f.seconds.toFixed(1)} | ${((100 * f.seconds) / summed).toFixed(0)} % |`)
} catch (e) {
  lines.push("", `no vitest report: ${e}`)
}
const text = lines.join("\n")
console.log(text)
if (out) writeFileSync(out, text + "\n")
process.exit(phases.every((p) => p.results.every((r) => r.code === 0)) ? 0 : 1)
