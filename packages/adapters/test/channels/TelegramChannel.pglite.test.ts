import { Layer } from "effect"
import { vi } from "vitest"
import { SqlStore } from "../../src/index.js"
import { PgliteScratch } from "../../src/testing.js"
import { telegramConformance } from "./telegramConformance.js"

vi.setConfig({ testTimeout: 60_000 })

telegramConformance("PGlite", () => SqlStore.layer.pipe(Layer.provide(PgliteScratch.layer())), false)
