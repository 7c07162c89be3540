import { Layer } from "effect"
import { SqlStore } from "../../src/index.js"
import { PgliteScratch } from "../../src/testing.js"
import { telegramConformance } from "./telegramConformance.js"

telegramConformance("PGlite", () => SqlStore.layer.pipe(Layer.provide(PgliteScratch.layer())))
