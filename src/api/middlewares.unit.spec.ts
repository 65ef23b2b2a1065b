import { readdirSync, readFileSync } from "node:fs"
import { join, relative, sep } from "node:path"
import middlewares from "./middlewares"

/** The admin routes' folder: every `route.ts` under it is a route Medusa serves. */
const ADMIN_ROUTES = join(__dirname, "admin", "payment-webhooks")

/** Each HTTP method a route file exports, with its path as Medusa serves it (`[id]` → `:id`). */
function adminRoutes(dir = ADMIN_ROUTES): Array<{ method: string; path: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      return adminRoutes(path)
    }
    if (entry.name !== "route.ts") {
      return []
    }
    const segments = relative(ADMIN_ROUTES, dir)
      .split(sep)
      .filter(Boolean)
      .map((segment) => segment.replace(/^\[(.+)\]$/, ":$1"))
    const served = ["/admin/payment-webhooks", ...segments].join("/")
    const methods = [...readFileSync(path, "utf8").matchAll(/export (?:async function|const) (GET|POST|PUT|PATCH|DELETE)\b/g)]
    return methods.map(([, method]) => ({ method, path: served }))
  })
}

/** The policy a route needs: the order view reads orders; every other read reads payments; anything else changes them. */
function policyFor({ method, path }: { method: string; path: string }) {
  if (method !== "GET") {
    return { resource: "payment", operation: "update" }
  }
  return path.startsWith("/admin/payment-webhooks/orders/")
    ? { resource: "order", operation: "read" }
    : { resource: "payment", operation: "read" }
}

describe("the admin routes' RBAC policies", () => {
  it("are declared for every method of every admin route file, as the route's kind needs", () => {
    const routes = adminRoutes()
    // The routes as they stand; one added later is checked by the same rule.
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: "GET", path: "/admin/payment-webhooks" },
        { method: "GET", path: "/admin/payment-webhooks/:id" },
        { method: "POST", path: "/admin/payment-webhooks/:id/replay" },
        { method: "POST", path: "/admin/payment-webhooks/replay" },
        { method: "GET", path: "/admin/payment-webhooks/orders/:order_id" },
      ]),
    )
    const declared = (method: string, path: string) =>
      (middlewares.routes ?? [])
        .filter((route) => route.matcher === path && (route.methods ?? []).some((verb) => verb === method))
        .map((route) => route.policies)
    for (const route of routes) {
      expect([route, declared(route.method, route.path)]).toEqual([route, [[policyFor(route)]]])
    }
  })
})
