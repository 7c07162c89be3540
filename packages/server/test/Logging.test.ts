import { Effect, Layer, ManagedRuntime } from "effect"
import { type StoreService, wrapStore } from "@switchboard/core"
import { MemoryAccountStore, MemoryComposerStore, MemoryEventBus, MemoryStore, MemoryWidgetSessionStore } from "@switchboard/core/testing"
import { describe, expect, it, vi } from "vitest"
import { makeApp } from "../src/App.js"
import { type LogFormat, servicesLayer } from "../src/Services.js"

/**
 * The server's logs are structured (issue 19): a failed request is logged once, with its method
 * and path as fields of their own, and user input in them (a path with a newline and a forged
 * `level=` field) stays inside its field, on one line.
 */

/** A store that fails (a defect) whenever a channel is read: every inbound request is a logged 500. */
const failingStore = wrapStore((store): StoreService => ({ ...store, config: () => Effect.die(new Error("the store is down")) }))(MemoryStore.layer)

const forgedChannel = "x\nlevel=INFO message=forged"

/** The fields of a logfmt line: key=value or key="quoted \"value\"" (JSON string escapes). */
const logfmtFields = (line: string) =>
  [...line.matchAll(/(\S+?)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((match) => [match[1]!, match[2]!.startsWith('"') ? (JSON.parse(match[2]!) as string) : match[2]!] as const)

describe.each<LogFormat>(["json", "logfmt"])("the server's %s logs", (format) => {
  it("keep user input in a request path inside one field of one line", async () => {
    const lines: Array<string> = []
    const spy = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
      lines.push(args.map(String).join(" "))
    })
    const runtime = ManagedRuntime.make(servicesLayer(Layer.mergeAll(failingStore, MemoryAccountStore.layer, MemoryWidgetSessionStore.layer, MemoryComposerStore.layer, MemoryEventBus.layer), { logFormat: format }))
    try {
      const app = makeApp({ runtime, secret: "test-secret-test-secret-test-secret", apiToken: "logging-token" })
      const response = await app.request(`/api/channels/${encodeURIComponent(forgedChannel)}/inbound`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer logging-token" },
        body: JSON.stringify({ from: "someone", message: { text: "hello" } })
      })
      expect(response.status).toBe(500)
    } finally {
      spy.mockRestore()
      await runtime.dispose()
    }
    const failed = lines.filter((line) => line.includes("request failed"))
    expect(failed).toHaveLength(1)
    const line = failed[0]!
    expect(line).not.toMatch(/[\r\n]/)
    const path = `/api/channels/${encodeURIComponent(forgedChannel)}/inbound`
    if (format === "json") {
      const entry = JSON.parse(line) as { message: unknown; logLevel: string; annotations: Record<string, unknown> }
      expect(entry).toMatchObject({ message: "request failed", logLevel: "ERROR", annotations: { method: "POST" } })
      expect(decodeURI(path)).toContain("\n")
      expect([path, decodeURI(path)]).toContain(entry.annotations.path)
    } else {
      const fields = logfmtFields(line)
      expect(fields.filter(([key]) => key === "level")).toEqual([["level", "ERROR"]])
      expect(fields.filter(([key]) => key === "message")).toEqual([["message", "request failed"]])
      expect(decodeURI(path)).toContain("\n")
      expect([path, decodeURI(path)]).toContain(fields.find(([key]) => key === "path")?.[1])
    }
  })
})
