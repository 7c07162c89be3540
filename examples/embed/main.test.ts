import { Effect } from "effect"
import { expect, it } from "vitest"
import { program } from "./main.js"

it("the README's embedding example runs and prints the transcript", async () => {
  const transcript = await Effect.runPromise(program)
  expect(transcript).toEqual([
    "Ivan: Hi, where is my order #42?",
    "System: Olena joined the conversation",
    "Olena: It ships today, Ivan.",
    "System: The conversation is closed. Write to us any time to continue.",
    "[closed, reason: solved]"
  ])
})
