import { Layer } from "effect"
import { MemoryStore, MemoryWidgetSessionStore } from "@switchboard/core/testing"
import { widgetConformance } from "./widgetConformance.js"

widgetConformance("the in-memory store", () => Layer.merge(MemoryStore.layer, MemoryWidgetSessionStore.layer))
