import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, type Scope } from "effect"
import * as Multipasta from "multipasta"

/**
 * A local Telegram Bot API for tests and the demo's sandbox mode: a `node:http` server that speaks the
 * real request and response shapes (`POST /bot<token>/<method>` with JSON or multipart bodies, answers
 * `{ ok, result }` or `{ ok: false, error_code, description, parameters }`, files under
 * `/file/bot<token>/<path>`). It records every call, can answer the next calls with an error (a `429`
 * with `retry_after`, a blocked bot's `403`), serves files for `getFile`, remembers the webhook
 * `setWebhook` registered and delivers updates to it as Telegram does. Point the adapter's `apiRoot`
 * (grammY's `client.apiRoot`) at `apiRoot`.
 */

/** One Bot API call as the fake received it. Multipart fields holding JSON are parsed back. */
export interface Call {
  readonly method: string
  readonly token: string
  readonly params: Readonly<Record<string, unknown>>
  /** Uploaded files by the field that referred to them (`photo`, `document`). */
  readonly files: Readonly<Record<string, { readonly name: string; readonly bytes: Uint8Array }>>
}

/** An error answer of the Bot API. */
export interface ApiFailure {
  readonly error_code: number
  readonly description: string
  readonly parameters?: { readonly retry_after?: number }
}

/** Telegram's flood control: retry after `seconds`. */
export const tooManyRequests = (seconds: number): ApiFailure => ({
  error_code: 429,
  description: `Too Many Requests: retry after ${seconds}`,
  parameters: { retry_after: seconds }
})

/** The user blocked the bot. */
export const blocked: ApiFailure = { error_code: 403, description: "Forbidden: bot was blocked by the user" }

/** A bad request with Telegram's wording, e.g. `"chat not found"`. */
export const badRequest = (what: string): ApiFailure => ({ error_code: 400, description: `Bad Request: ${what}` })

/** A user writing to the bot. */
export interface TelegramUser {
  readonly id: number
  readonly first_name: string
  readonly last_name?: string
  readonly username?: string
  readonly language_code?: string
}

/** A running fake. */
export interface FakeTelegram {
  /** The Bot API root to give the adapter, e.g. `http://127.0.0.1:41234`. */
  readonly apiRoot: string
  /** The bot token the fake accepts; any other gets Telegram's `401 Unauthorized`. */
  readonly token: string
  /** Every call so far, oldest first. */
  readonly calls: () => ReadonlyArray<Call>
  /** The messages the fake accepted (a `send*` call it answered with a message), oldest first. */
  readonly sent: () => ReadonlyArray<{ readonly call: Call; readonly messageId: number }>
  /** The calls of one method. */
  readonly callsOf: (method: string) => ReadonlyArray<Call>
  /** Resolves once `count` calls of `method` have arrived (at once if they have), with those calls: tests wait on this instead of sleeping. */
  readonly waitFor: (method: string, count?: number) => Promise<ReadonlyArray<Call>>
  /** Answer the next `times` calls of `method` (`"*"`: of any method) with `failure`. */
  readonly failNext: (method: string, times: number, failure: ApiFailure) => void
  /** From now on, sending to this chat answers 403 (the user blocked the bot). */
  readonly block: (chatId: number) => void
  /** Store a file for `getFile` and `/file/bot<token>/<path>`; answers its ids. */
  readonly addFile: (bytes: Uint8Array) => { readonly file_id: string; readonly file_unique_id: string; readonly file_size: number }
  /** The webhook `setWebhook` registered, if any. */
  readonly webhook: () => { readonly url: string; readonly secret_token?: string } | undefined
  /** Updates as Telegram would send them; each has a new `update_id`, each message a new `message_id`. */
  readonly updates: UpdateBuilder
  /**
   * POST an update to the registered webhook with the registered secret header, as Telegram does;
   * answers the webhook's HTTP status.
   */
  readonly deliver: (update: object) => Promise<number>
}

/** Builds updates; `chat` is a private chat with `user`. */
export interface UpdateBuilder {
  readonly text: (user: TelegramUser, text: string, options?: { readonly replyTo?: number }) => TelegramUpdateJson
  /** A photo in three sizes (the largest is the given bytes' file), with an optional caption. */
  readonly photo: (user: TelegramUser, bytes: Uint8Array, caption?: string) => TelegramUpdateJson
  readonly document: (user: TelegramUser, bytes: Uint8Array, document: { readonly name: string; readonly mime: string }, caption?: string) => TelegramUpdateJson
  /** An edit of an earlier message of the same user. */
  readonly edit: (user: TelegramUser, messageId: number, text: string) => TelegramUpdateJson
  /** The user blocked the bot. */
  readonly blockedBy: (user: TelegramUser) => TelegramUpdateJson
}

/** An update's JSON, with the message id it carries (if any) for later replies and edits. */
export interface TelegramUpdateJson {
  readonly update_id: number
  readonly messageId?: number
  readonly [key: string]: unknown
}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks)))
    request.on("error", reject)
  })

const parseField = (value: string): unknown => {
  if (value.startsWith("{") || value.startsWith("[")) {
    try {
      return JSON.parse(value)
    } catch {
      return value
    }
  }
  return value
}

/**
 * grammY writes a file's name unquoted (`filename=a b.pdf`), which Telegram reads to the end of the
 * line; a strict parser then drops the part's parameters, so they are read from the raw header.
 */
const partNames = (info: Multipasta.PartInfo): { readonly name: string; readonly filename: string } => {
  const header = info.headers["content-disposition"]
  const raw = Array.isArray(header) ? header.join(";") : header ?? ""
  return {
    name: info.name !== "" ? info.name : /\bname="([^"]*)"/.exec(raw)?.[1] ?? "",
    filename: info.filename ?? /filename=([^;\r\n]*)/.exec(raw)?.[1]?.trim() ?? ""
  }
}

/** Parse a multipart body into its fields and uploaded files (by their part names). */
const parseMultipart = (contentType: string, body: Buffer) =>
  new Promise<{ fields: Record<string, string>; uploads: Map<string, { name: string; bytes: Uint8Array }> }>((resolve, reject) => {
    const fields: Record<string, string> = {}
    const uploads = new Map<string, { name: string; bytes: Uint8Array }>()
    const parser = Multipasta.make({
      headers: { "content-type": contentType },
      isFile: (info) => info.filename !== undefined || String(info.headers["content-disposition"]).includes("filename="),
      onField: (info, value) => {
        fields[info.name] = Multipasta.decodeField(info, value)
      },
      onFile: (info) => {
        const chunks: Array<Uint8Array> = []
        return (chunk) => {
          if (chunk !== null) chunks.push(chunk)
          else {
            const names = partNames(info)
            uploads.set(names.name, { name: names.filename, bytes: new Uint8Array(Buffer.concat(chunks)) })
          }
        }
      },
      onError: (error) => reject(new Error(`malformed multipart body (${error._tag})`)),
      onDone: () => resolve({ fields, uploads })
    })
    parser.write(body)
    parser.end()
  })

/** Read a Bot API request body the way Telegram does: JSON, or multipart with `attach://` files. */
const parseCall = async (request: IncomingMessage, body: Buffer): Promise<Pick<Call, "params" | "files">> => {
  const type = request.headers["content-type"] ?? ""
  if (body.length === 0) return { params: {}, files: {} }
  if (type.startsWith("application/json")) return { params: JSON.parse(body.toString("utf8")) as Record<string, unknown>, files: {} }
  const { fields, uploads } = await parseMultipart(type, body)
  const params = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, parseField(value)]))
  const files: Record<string, { name: string; bytes: Uint8Array }> = {}
  for (const [key, value] of Object.entries(params)) {
    const attached = typeof value === "string" && value.startsWith("attach://") ? uploads.get(value.slice("attach://".length)) : undefined
    if (attached !== undefined) files[key] = attached
  }
  return { params, files }
}

const fixedDate = 1_767_225_600 // 2026-01-01T00:00:00Z: the fake's clock stands still.

/**
 * Start a fake Bot API on a free local port for the scope's lifetime. `token` is the bot token it
 * accepts (default `"123456:TEST"`).
 */
export const make = (options: { readonly token?: string } = {}): Effect.Effect<FakeTelegram, never, Scope.Scope> =>
  Effect.gen(function*() {
    const token = options.token ?? "123456:TEST"
    const calls: Array<Call> = []
    const sent: Array<{ readonly call: Call; readonly messageId: number }> = []
    const waiters: Array<{ method: string; count: number; resolve: (calls: ReadonlyArray<Call>) => void }> = []
    const callsOf = (method: string) => calls.filter((call) => call.method === method)
    const wake = () => {
      for (const waiter of [...waiters]) {
        const arrived = callsOf(waiter.method)
        if (arrived.length < waiter.count) continue
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(arrived)
      }
    }
    const failures: Array<{ method: string; left: number; failure: ApiFailure }> = []
    const blockedChats = new Set<string>()
    const files = new Map<string, { path: string; bytes: Uint8Array; unique: string }>()
    const byPath = new Map<string, Uint8Array>()
    let webhook: { url: string; secret_token?: string } | undefined
    let nextMessageId = 1
    let nextUpdateId = 1
    let nextFile = 1

    const takeFailure = (method: string): ApiFailure | undefined => {
      const pending = failures.find((entry) => entry.left > 0 && (entry.method === method || entry.method === "*"))
      if (pending === undefined) return undefined
      pending.left -= 1
      return pending.failure
    }

    // Real chats have numeric ids; the sandbox also takes the demo's made-up client ids as they are.
    const chatOf = (chatId: unknown) => {
      const id = typeof chatId === "number" || /^-?\d+$/.test(String(chatId)) ? Number(chatId) : String(chatId)
      return { id, type: "private", first_name: `Chat ${id}` }
    }

    const sentMessage = (call: Call, content: Record<string, unknown>) => ({
      message_id: nextMessageId++,
      date: fixedDate,
      chat: chatOf(call.params["chat_id"]),
      from: { id: Number(token.split(":")[0]), is_bot: true, first_name: "Switchboard sandbox" },
      ...content
    })

    const uploaded = (call: Call, field: string) => {
      const file = call.files[field]
      const ref = call.params[field]
      if (file !== undefined) return { file_id: `up-${nextFile++}`, file_unique_id: `u${nextFile}`, file_size: file.bytes.length, file_name: file.name }
      if (typeof ref === "string" && ref !== "") return { file_id: ref, file_unique_id: ref }
      return undefined
    }

    /** The Bot API methods the fake implements, with Telegram's checks that tests rely on. */
    const answer = (call: Call): { ok: true; result: unknown } | ApiFailure => {
      const { params } = call
      const chat = params["chat_id"]
      if (call.method.startsWith("send") && (chat === undefined || chat === "")) return badRequest("chat_id is empty")
      if (call.method.startsWith("send") && blockedChats.has(String(chat))) return blocked
      const caption = typeof params["caption"] === "string" ? { caption: params["caption"] } : {}
      switch (call.method) {
        case "getMe":
          return { ok: true, result: { id: Number(token.split(":")[0]), is_bot: true, first_name: "Switchboard sandbox", username: "switchboard_sandbox_bot" } }
        case "setWebhook": {
          if (typeof params["url"] !== "string") return badRequest("bad webhook: URL is empty")
          const secret = params["secret_token"]
          if (secret !== undefined && (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
            return badRequest("bad webhook: secret token contains unallowed characters")
          }
          webhook = { url: params["url"], ...(typeof secret === "string" ? { secret_token: secret } : {}) }
          return { ok: true, result: true }
        }
        case "deleteWebhook":
          webhook = undefined
          return { ok: true, result: true }
        case "sendMessage": {
          const text = params["text"]
          if (typeof text !== "string" || text.trim() === "") return badRequest("message text is empty")
          if (text.length > 4096) return badRequest("message is too long")
          return { ok: true, result: sentMessage(call, { text }) }
        }
        case "sendPhoto": {
          const photo = uploaded(call, "photo")
          if (photo === undefined) return badRequest("there is no photo in the request")
          return { ok: true, result: sentMessage(call, { photo: [{ ...photo, width: 1280, height: 960 }], ...caption }) }
        }
        case "sendDocument": {
          const document = uploaded(call, "document")
          if (document === undefined) return badRequest("there is no document in the request")
          return { ok: true, result: sentMessage(call, { document, ...caption }) }
        }
        case "getFile": {
          const file = files.get(String(params["file_id"]))
          if (file === undefined) return badRequest("invalid file_id")
          return { ok: true, result: { file_id: params["file_id"], file_unique_id: file.unique, file_size: file.bytes.length, file_path: file.path } }
        }
        default:
          return { error_code: 404, description: "Not Found" }
      }
    }

    const reply = (response: ServerResponse, status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" })
      response.end(JSON.stringify(body))
    }

    const handle = async (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? "/", "http://fake.invalid")
      const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname)
      if (fileRoute !== null) {
        const bytes = fileRoute[1] === token ? byPath.get(decodeURIComponent(fileRoute[2] ?? "")) : undefined
        if (bytes === undefined) return reply(response, 404, { ok: false, error_code: 404, description: "Not Found" })
        response.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length })
        return response.end(bytes)
      }
      const apiRoute = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname)
      if (apiRoute === null) return reply(response, 404, { ok: false, error_code: 404, description: "Not Found" })
      const [, callToken = "", method = ""] = apiRoute
      if (callToken !== token) return reply(response, 401, { ok: false, error_code: 401, description: "Unauthorized" })
      const body = await readBody(request)
      const parsed = await parseCall(request, body)
      const query = Object.fromEntries(url.searchParams.entries())
      const call: Call = { method, token: callToken, params: { ...query, ...parsed.params }, files: parsed.files }
      calls.push(call)
      const failure = takeFailure(method)
      const result = failure ?? answer(call)
      const accepted = "ok" in result && method.startsWith("send") ? (result.result as { readonly message_id?: unknown }).message_id : undefined
      if (typeof accepted === "number") sent.push({ call, messageId: accepted })
      if ("ok" in result) reply(response, 200, result)
      else reply(response, result.error_code, { ok: false, ...result })
      wake()
    }

    const server = createServer((request, response) => {
      handle(request, response).catch((error: unknown) => reply(response, 400, { ok: false, error_code: 400, description: `Bad Request: ${String(error)}` }))
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const { port } = server.address() as AddressInfo
    const apiRoot = `http://127.0.0.1:${port}`

    const addFile = (bytes: Uint8Array) => {
      const n = nextFile++
      const file = { path: `files/file_${n}`, bytes, unique: `uniq${n}` }
      files.set(`file-${n}`, file)
      byPath.set(file.path, bytes)
      return { file_id: `file-${n}`, file_unique_id: file.unique, file_size: bytes.length }
    }

    const privateChat = (user: TelegramUser) => ({ id: user.id, type: "private", first_name: user.first_name, ...(user.username === undefined ? {} : { username: user.username }) })
    const from = (user: TelegramUser) => ({ is_bot: false, ...user })
    const message = (user: TelegramUser, content: Record<string, unknown>) => {
      const messageId = nextMessageId++
      return { messageId, message: { message_id: messageId, date: fixedDate, chat: privateChat(user), from: from(user), ...content } }
    }
    const update = (user: TelegramUser, content: Record<string, unknown>): TelegramUpdateJson => {
      const { message: body, messageId } = message(user, content)
      return { update_id: nextUpdateId++, messageId, message: body }
    }

    const updates: UpdateBuilder = {
      text: (user, text, options) =>
        update(user, { text, ...(options?.replyTo === undefined ? {} : { reply_to_message: { message_id: options.replyTo, date: fixedDate, chat: privateChat(user) } }) }),
      photo: (user, bytes, caption) => {
        const large = addFile(bytes)
        const sizes = [
          { file_id: `thumb-${large.file_id}`, file_unique_id: `t${large.file_unique_id}`, width: 90, height: 68, file_size: 1000 },
          { ...large, width: 1280, height: 960 },
          { file_id: `medium-${large.file_id}`, file_unique_id: `m${large.file_unique_id}`, width: 320, height: 240, file_size: 10_000 }
        ]
        return update(user, { photo: sizes, ...(caption === undefined ? {} : { caption }) })
      },
      document: (user, bytes, document, caption) =>
        update(user, { document: { ...addFile(bytes), file_name: document.name, mime_type: document.mime }, ...(caption === undefined ? {} : { caption }) }),
      edit: (user, messageId, text) => ({
        update_id: nextUpdateId++,
        messageId,
        edited_message: { message_id: messageId, date: fixedDate, edit_date: fixedDate + 60, chat: privateChat(user), from: from(user), text }
      }),
      blockedBy: (user) => ({
        update_id: nextUpdateId++,
        my_chat_member: {
          chat: privateChat(user),
          from: from(user),
          date: fixedDate,
          old_chat_member: { status: "member", user: { id: Number(token.split(":")[0]), is_bot: true, first_name: "Switchboard sandbox" } },
          new_chat_member: { status: "kicked", until_date: 0, user: { id: Number(token.split(":")[0]), is_bot: true, first_name: "Switchboard sandbox" } }
        }
      })
    }

    const deliver = async (body: object): Promise<number> => {
      if (webhook === undefined) throw new Error("FakeTelegram: no webhook registered (setWebhook was never called)")
      const { messageId: _, ...json } = body as TelegramUpdateJson
      const response = await fetch(webhook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(webhook.secret_token === undefined ? {} : { "x-telegram-bot-api-secret-token": webhook.secret_token }) },
        body: JSON.stringify(json)
      })
      await response.arrayBuffer()
      return response.status
    }

    return {
      apiRoot,
      token,
      calls: () => [...calls],
      sent: () => [...sent],
      callsOf,
      waitFor: (method, count = 1) =>
        new Promise((resolve) => {
          waiters.push({ method, count, resolve })
          wake()
        }),
      failNext: (method, times, failure) => {
        failures.push({ method, left: times, failure })
      },
      block: (chatId) => {
        blockedChats.add(String(chatId))
      },
      addFile,
      webhook: () => webhook,
      updates,
      deliver
    } satisfies FakeTelegram
  })
