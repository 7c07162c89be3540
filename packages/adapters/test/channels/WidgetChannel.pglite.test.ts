import { Layer } from "effect"
import { SqlStore, SqlWidgetSessionStore } from "../../src/index.js"
import { PgliteScratch } from "../../src/testing.js"
import { widgetConformance } from "./widgetConformance.js"

widgetConformance("PGlite", () => Layer.merge(SqlStore.layer, SqlWidgetSessionStore.layer).pipe(Layer.provide(PgliteScratch.layer())))
