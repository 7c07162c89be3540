import { MemoryStore } from "@switchboard/core/testing"
import { storeContract } from "@switchboard/core/testing/contract"

storeContract("memory", () => MemoryStore.layer)
