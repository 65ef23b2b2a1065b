import Medusa from "@medusajs/js-sdk"

// Defined by the admin's build (Vite `define`): the backend URL of the store, "/" when the admin is served by it.
declare const __BACKEND_URL__: string | undefined

/** The admin's own API client: it rides on the signed-in user's session cookie, as the dashboard does. */
export const sdk = new Medusa({
  // `typeof` keeps the bundle loadable where the host did not define the constant.
  baseUrl: (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/",
  auth: { type: "session" },
})
