import { defineConfig } from "@medusajs/framework/utils"
import { isOneOffCommand, processLocalModules, splitTopologyWarning } from "./warn-split-topology"

const REDIS = "redis://127.0.0.1:6379/0"

type InputModules = Array<{ resolve: string; options?: Record<string, unknown> }>

/** The config Medusa ends up with, its default modules included. */
const configOf = (modules: InputModules) => defineConfig({ modules })

describe("processLocalModules", () => {
  it("names the event bus, workflow engine and locking of a config with Medusa's defaults", () => {
    expect(processLocalModules(configOf([]))).toEqual(["event bus", "workflow engine", "locking"])
  })

  it("finds nothing once all three are Redis-backed", () => {
    const config = configOf([
      { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl: REDIS } },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl: REDIS } } },
      {
        resolve: "@medusajs/medusa/locking",
        options: { providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "redis", options: { redisUrl: REDIS } }] },
      },
    ])
    expect(processLocalModules(config)).toEqual([])
  })

  it("names only what is left in memory", () => {
    const config = configOf([{ resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl: REDIS } }])
    expect(processLocalModules(config)).toEqual(["workflow engine", "locking"])
  })
})

describe("isOneOffCommand", () => {
  it("tells Medusa's one-off commands from `medusa start`", () => {
    expect(isOneOffCommand(["node", "medusa", "exec", "./seed.ts"])).toBe(true)
    expect(isOneOffCommand(["node", "medusa", "db:migrate"])).toBe(true)
    expect(isOneOffCommand(["node", "medusa", "start"])).toBe(false)
  })
})

describe("splitTopologyWarning", () => {
  it("says what is wrong and what to register", () => {
    const line = splitTopologyWarning("server", ["event bus", "locking"])
    expect(line).toContain("MEDUSA_WORKER_MODE=server with Medusa's in-memory event bus, locking")
    expect(line).toContain("will not reach the worker")
    expect(line).toContain("@medusajs/medusa/event-bus-redis")
    expect(line).toContain("@medusajs/medusa/locking-redis")
  })
})
