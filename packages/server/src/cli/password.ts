import { Redacted } from "effect"

const readAll = async (): Promise<string> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString("utf8")
}

/** Read one line from the terminal with echo off (raw mode): backspace edits, Ctrl-C aborts. */
const readHidden = (prompt: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stdout.write(prompt)
    stdin.setRawMode(true)
    stdin.resume()
    let value = ""
    const onData = (data: Buffer) => {
      for (const char of data.toString("utf8")) {
        if (char === "\r" || char === "\n") {
          done()
          return resolve(value)
        }
        if (char === "\u0003") {
          done()
          return reject(new Error("Cancelled"))
        }
        if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("")
        else value += char
      }
    }
    const done = () => {
      stdin.off("data", onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stdout.write("\n")
    }
    stdin.on("data", onData)
  })

/**
 * A password from the terminal (hidden, asked twice) or, when stdin is not a terminal, its first
 * line (`printf '%s\n' "$PASSWORD" | switchboard user create …`). Exits 1 on a mismatch.
 */
export const readPassword = async (prompt: string): Promise<Redacted.Redacted<string>> => {
  if (!process.stdin.isTTY) return Redacted.make((await readAll()).split(/\r?\n/)[0] ?? "")
  const first = await readHidden(prompt)
  const second = await readHidden("Again: ")
  if (first !== second) {
    process.stderr.write("The two passwords differ.\n")
    process.exit(1)
  }
  return Redacted.make(first)
}
