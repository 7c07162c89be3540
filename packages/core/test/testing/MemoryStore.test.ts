import { MemoryStore, storeContract } from "@switchboard/core/testing"

storeContract("memory", () => MemoryStore.layer)
